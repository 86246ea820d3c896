/**
 * Runs every estimator over a stream of documents grouped by a key (month, crawl, language,
 * domain …). Documents arrive one at a time (from the store or a JSONL file); per group only
 * counts and, for the mixture estimator, one log-likelihood ratio per document are kept.
 */
import { MIN_WORDS, normalizeText, tokenize } from '../detect/text.js';
import { resolveLanguage } from '../detect/lang.js';
import { classifyAndCount } from './classify-count.js';
import { correctedShare, type OperatingPoint } from './corrected.js';
import { findDisagreements, type Disagreement } from './disagreement.js';
import { MarkerAccumulator, excessAnalysis, type ExcessAnalysis } from './excess.js';
import type { MarkerCounter } from './markers.js';
import { binRatios, mixtureShare, packRatios } from './mixture.js';
import { aiFractionShare, isPrimarilyAi, primarilyAiShare } from './pages.js';
import type { MixtureReference } from './reference.js';
import { DEFAULT_LEVEL, DEFAULT_REPLICATES, DEFAULT_SEED, noEstimate, type ShareEstimate } from './types.js';
import { attachDrift, type BaselineEstimator, type BaselineGroup, type DriftResult } from './baseline/estimator.js';
import { Rng, mixSeed } from '../core/rng.js';
import type { BaselineWordMixture, PreparedTextItem } from './baseline/word-mixture.js';
import { fnv1a } from '../core/hash.js';

/** A detector whose scores the report reads. */
export interface DetectorSpec {
  name: string;
  version: string;
  /** Score at or above which a document counts as AI (the calibrated threshold, else 0.5). */
  threshold: number;
  /** Calibrated operating point, or null (then only the naive estimate is possible). */
  calibration: OperatingPoint | null;
  /** Where the calibration came from: the store's calibrations table or a calibration file. */
  calibrationSource: 'store' | 'file' | null;
}

/** Estimator families that can be switched on and off (`--method`). */
export type MethodFamily = 'naive' | 'corrected' | 'mixture' | 'pages' | 'excess' | 'baseline';
export const METHOD_FAMILIES: readonly MethodFamily[] = ['naive', 'corrected', 'mixture', 'pages', 'excess', 'baseline'];

export interface AggregateConfig {
  level?: number;
  replicates?: number;
  seed?: number;
  /** Groups with fewer documents get "too few documents" instead of numbers (default 30). */
  minDocs?: number;
  methods?: ReadonlySet<MethodFamily>;
  /** Name of the chunk-fraction detector for the page-level shares (default "segments"). */
  segmentsDetector?: string;
  /** "≥ x AI" page share threshold (default 0.25). */
  pageFraction?: number;
  /** Reference for the mixture estimator (null = skip it). */
  reference?: MixtureReference | null;
  /** Marker-word counter for GPT-word trends and the excess bound (null = skip). */
  markers?: MarkerCounter | null;
  /** True when group keys are months: enables the excess-vocabulary baseline. */
  groupsAreMonths?: boolean;
  baselineBefore?: string;
  baseline?: 'mean' | 'linear';
  /** Domain-matched calibration (issue 7): estimators against pre-cutoff pages and AI references. */
  domainBaseline?: DomainBaselineConfig | null;
}

export interface DomainBaselineConfig {
  estimator: BaselineEstimator;
  /** Drift-check results, attached to the matching estimates as systematic bands. */
  drift: readonly DriftResult[];
  /** Word-occurrence mixture with P from the baseline (null = off). */
  words?: BaselineWordMixture | null;
  /** Calibration label of the word mixture's estimates. */
  wordsCalibration?: 'baseline' | 'user-labeled';
  /**
   * At most this many documents per group enter the word mixture (a seeded uniform reservoir
   * sample, so memory stays bounded on huge months; default 5000).
   */
  wordsCap?: number;
}

/** One document handed to the aggregator. */
export interface AggregateDocument {
  /** Group key; null = no value (counted as excluded). */
  group: string | null;
  /** Where the document's date came from (for the date-source shares). */
  dateSource?: string;
  lang?: string | null;
  /**
   * True for a document that is itself in the human baseline (dated before the cutoff): it is
   * left out of the baseline-calibrated estimates, which would otherwise be circular.
   */
  isBaseline?: boolean;
  /** Stratum fields (tld, word count) for the baseline estimators. */
  tld?: string | null;
  words?: number;
  /** Text, needed by the mixture and marker-word statistics. */
  text?: string | null;
  /** Scores aligned with the aggregator's detectors. */
  scores: ReadonlyArray<number | null>;
}

export interface GroupResult {
  key: string;
  documents: number;
  /** Documents per date source ("json-ld", "meta-article", "url", "warc-date", "none" …). */
  dateSources: Record<string, number>;
  /** True when the group has fewer than minDocs documents. */
  tooFew: boolean;
  estimates: ShareEstimate[];
  disagreements: Disagreement[];
}

/** Label agreement of two detectors on the documents both scored. */
export interface AgreementRow {
  a: string;
  b: string;
  n: number;
  /** Share of documents both label the same way. */
  agreement: number | null;
  /** Cohen's κ (null when undefined). */
  kappa: number | null;
}

export interface AggregateResult {
  level: number;
  minDocs: number;
  groups: GroupResult[];
  /** Documents without a group key (e.g. no publication date). */
  excluded: number;
  /** Documents the mixture estimator skipped because of their language. */
  mixtureSkippedLanguage: number;
  excess: ExcessAnalysis | null;
  agreement: AgreementRow[];
}

interface GroupState {
  documents: number;
  dateSources: Map<string, number>;
  positives: number[];
  scored: number[];
  segScored: number;
  segPrimarily: number;
  segAtLeast: number;
  /** Mixture ratios: one per document (document unit) or per-document arrays (sentence unit). */
  docRatios: number[];
  unitRatios: Float64Array[];
  baseline: BaselineGroup | null;
  /** Documents of the group that belong to the baseline itself. */
  baselineDocs: number;
  /** Reservoir of the group's documents as vocabulary ids for the baseline word mixture. */
  wordItems: PreparedTextItem[];
  wordSeen: number;
}

export class EstimateAggregator {
  private readonly groups = new Map<string, GroupState>();
  private readonly markers = new MarkerAccumulator();
  private readonly pairs: Array<{ n11: number; n10: number; n01: number; n00: number }>;
  private readonly segIndex: number;
  private excluded = 0;
  private mixtureSkippedLanguage = 0;
  private readonly cfg: Required<Omit<AggregateConfig, 'reference' | 'markers' | 'domainBaseline'>> & Pick<AggregateConfig, 'reference' | 'markers' | 'domainBaseline'>;

  constructor(readonly detectors: readonly DetectorSpec[], config: AggregateConfig = {}) {
    this.cfg = {
      level: config.level ?? DEFAULT_LEVEL,
      replicates: config.replicates ?? DEFAULT_REPLICATES,
      seed: config.seed ?? DEFAULT_SEED,
      minDocs: config.minDocs ?? 30,
      methods: config.methods ?? new Set(METHOD_FAMILIES),
      segmentsDetector: config.segmentsDetector ?? 'segments',
      pageFraction: config.pageFraction ?? 0.25,
      reference: config.methods && !config.methods.has('mixture') ? null : config.reference,
      markers: config.methods && !config.methods.has('excess') ? null : config.markers,
      groupsAreMonths: config.groupsAreMonths ?? false,
      baselineBefore: config.baselineBefore ?? '2023-01',
      baseline: config.baseline ?? 'mean',
      domainBaseline: config.methods && !config.methods.has('baseline') ? null : config.domainBaseline ?? null,
    };
    this.segIndex = detectors.findIndex((d) => d.name === this.cfg.segmentsDetector);
    this.pairs = [];
    for (let i = 0; i < detectors.length; i++) for (let j = i + 1; j < detectors.length; j++) this.pairs.push({ n11: 0, n10: 0, n01: 0, n00: 0 });
  }

  /** Whether documents need their text (mixture, marker words or the baseline word mixture are on). */
  get needsText(): boolean {
    return Boolean(this.cfg.reference || this.cfg.markers || this.cfg.domainBaseline?.words);
  }

  private readonly reservoirRng = new Rng(20251122);

  /** Keeps a uniform sample of at most `cap` prepared documents per group (Algorithm R). */
  private addWordItem(g: GroupState, doc: AggregateDocument): void {
    const words = this.cfg.domainBaseline?.words;
    if (!words || !doc.text || doc.isBaseline) return;
    const item = words.prepare({ fields: { lang: doc.lang ?? null, tld: doc.tld ?? null, words: doc.words ?? 0 }, text: doc.text });
    if (!item) return;
    const cap = this.cfg.domainBaseline?.wordsCap ?? 5000;
    g.wordSeen++;
    if (g.wordItems.length < cap) g.wordItems.push(item);
    else {
      const j = this.reservoirRng.int(g.wordSeen);
      if (j < cap) g.wordItems[j] = item;
    }
  }

  add(doc: AggregateDocument): void {
    if (doc.group === null || doc.group === undefined || doc.group === '') {
      this.excluded++;
      return;
    }
    let g = this.groups.get(doc.group);
    if (!g) {
      const k = this.detectors.length;
      g = { documents: 0, dateSources: new Map(), positives: new Array(k).fill(0), scored: new Array(k).fill(0), segScored: 0, segPrimarily: 0, segAtLeast: 0, docRatios: [], unitRatios: [],
        baseline: this.cfg.domainBaseline ? this.cfg.domainBaseline.estimator.group() : null, baselineDocs: 0, wordItems: [], wordSeen: 0 };
      this.groups.set(doc.group, g);
    }
    g.documents++;
    this.addWordItem(g, doc);
    if (doc.isBaseline) g.baselineDocs++;
    else if (g.baseline) g.baseline.add({ fields: { lang: doc.lang ?? null, tld: doc.tld ?? null, words: doc.words ?? 0 }, scores: doc.scores });
    const ds = doc.dateSource ?? 'unknown';
    g.dateSources.set(ds, (g.dateSources.get(ds) ?? 0) + 1);

    const labels: Array<boolean | null> = this.detectors.map((d, i) => {
      const s = doc.scores[i];
      if (s === null || s === undefined || !Number.isFinite(s)) return null;
      g!.scored[i]++;
      const ai = s >= d.threshold;
      if (ai) g!.positives[i]++;
      return ai;
    });
    if (this.segIndex >= 0) {
      const f = doc.scores[this.segIndex];
      if (f !== null && f !== undefined && Number.isFinite(f)) {
        g.segScored++;
        if (isPrimarilyAi(f)) g.segPrimarily++;
        if (f >= this.cfg.pageFraction) g.segAtLeast++;
      }
    }
    let p = 0;
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++, p++) {
        const a = labels[i];
        const b = labels[j];
        if (a === null || b === null) continue;
        const c = this.pairs[p];
        if (a && b) c.n11++;
        else if (a) c.n10++;
        else if (b) c.n01++;
        else c.n00++;
      }
    }

    if (doc.text && (this.cfg.reference || this.cfg.markers)) {
      const tokens = tokenize(normalizeText(doc.text));
      // Like the detectors, the word statistics skip texts too short to say anything.
      if (tokens.length < MIN_WORDS) return;
      if (this.cfg.markers) this.markers.add(doc.group, this.cfg.markers.countTokens(tokens));
      const ref = this.cfg.reference;
      if (ref) {
        const langs = ref.params.languages;
        const lang = langs.includes('*') ? '*' : resolveLanguage(doc.lang ?? null, doc.text.slice(0, 3000), tokens);
        if (!langs.includes('*') && !langs.includes(lang)) this.mixtureSkippedLanguage++;
        else if (ref.params.unit === 'document') {
          const r = ref.ratioOfTokens(tokens);
          if (r !== null) g.docRatios.push(r);
        } else {
          const rs = ref.ratios(doc.text);
          if (rs.length > 0) g.unitRatios.push(rs);
        }
      }
    }
  }

  finish(): AggregateResult {
    const { level, replicates, seed, minDocs, methods } = this.cfg;
    const common = { level, replicates, seed, minDocs };
    const keys = [...this.groups.keys()];
    if (this.cfg.groupsAreMonths) keys.sort();
    else keys.sort((a, b) => this.groups.get(b)!.documents - this.groups.get(a)!.documents || (a < b ? -1 : 1));

    const excess =
      this.cfg.markers && methods.has('excess')
        ? excessAnalysis(this.markers.periods(), this.cfg.markers.lexicon, {
            ...common,
            baselineBefore: this.cfg.baselineBefore,
            baseline: this.cfg.baseline,
          })
        : null;
    const excessByPeriod = new Map((excess?.periods ?? []).map((p) => [p.period, p.lowerBound]));

    const groups: GroupResult[] = keys.map((key) => {
      const g = this.groups.get(key)!;
      const estimates: ShareEstimate[] = [];
      this.detectors.forEach((d, i) => {
        if (methods.has('naive')) estimates.push(classifyAndCount(g.positives[i], g.scored[i], { detector: d.name, threshold: d.threshold, level, minDocs }));
        if (methods.has('corrected')) {
          const e = correctedShare(g.positives[i], g.scored[i], d.calibration, { ...common, detector: d.name });
          if (d.calibration) e.calibration = 'development';
          estimates.push(e);
        }
      });
      const db = this.cfg.domainBaseline;
      if (g.baseline && db) {
        const list = g.baseline.estimate({ ...common, seed: mixSeed(seed, fnv1a(key)) });
        for (const e of list) {
          if (e.status === 'no-data' && g.baselineDocs > 0) {
            // Every scored document of the group is a baseline page: estimating it against itself says nothing.
            estimates.push({ ...noEstimate(e.method, e.kind, e.detector, 'baseline-period', g.baselineDocs, level, 'all documents of this group are baseline pages (before the cutoff)'), calibration: e.calibration });
            continue;
          }
          if (g.baselineDocs > 0) e.note = `${e.note ? `${e.note}; ` : ''}${g.baselineDocs} baseline pages of this group left out`;
          estimates.push(e);
        }
        attachDrift(list, db.drift);
        if (db.words) {
          const e = db.words.estimate(g.wordItems, { ...common, seed: mixSeed(seed, fnv1a(key), 2) });
          e.calibration = db.wordsCalibration ?? 'baseline';
          if (e.status === 'no-data' && g.baselineDocs > 0) e.status = 'baseline-period';
          if (g.wordSeen > g.wordItems.length) e.note = `${e.note ? `${e.note}; ` : ''}a uniform sample of ${g.wordItems.length} of ${g.wordSeen} documents`;
          attachDrift([e], db.drift);
          estimates.push(e);
        }
      }
      if (methods.has('mixture') && this.cfg.reference) {
        const unit = this.cfg.reference.params.unit;
        const data = unit === 'document' ? (g.docRatios.length > 20000 ? binRatios(g.docRatios) : packRatios(g.docRatios.map((r) => [r]))) : packRatios(g.unitRatios);
        const est = mixtureShare(data, { ...common, unit });
        if (est.status === 'no-data') est.note = `no documents with text in ${this.cfg.reference.params.languages.join('/')}`;
        estimates.push(est);
      }
      if (methods.has('pages') && this.segIndex >= 0) {
        const det = this.cfg.segmentsDetector;
        estimates.push(primarilyAiShare(g.segPrimarily, g.segScored, { detector: det, level, minDocs }));
        estimates.push(aiFractionShare(g.segAtLeast, g.segScored, this.cfg.pageFraction, { detector: det, level, minDocs }));
      }
      if (methods.has('excess') && this.cfg.markers && this.cfg.groupsAreMonths) {
        const lb = excessByPeriod.get(key);
        // excessAnalysis applies minDocs to the documents that have text.
        estimates.push(lb ?? noEstimate('excess-lower-bound', 'excess-lower-bound', null, 'no-data', 0, level, `no documents with ≥ ${MIN_WORDS} words of text`));
      }
      return {
        key,
        documents: g.documents,
        dateSources: Object.fromEntries([...g.dateSources.entries()].sort((a, b) => b[1] - a[1])),
        tooFew: g.documents < minDocs,
        estimates,
        disagreements: findDisagreements(estimates),
      };
    });

    const agreement: AgreementRow[] = [];
    let p = 0;
    for (let i = 0; i < this.detectors.length; i++) {
      for (let j = i + 1; j < this.detectors.length; j++, p++) {
        const c = this.pairs[p];
        const n = c.n11 + c.n10 + c.n01 + c.n00;
        const po = n > 0 ? (c.n11 + c.n00) / n : null;
        const pa = n > 0 ? ((c.n11 + c.n10) / n) * ((c.n11 + c.n01) / n) + ((c.n00 + c.n01) / n) * ((c.n00 + c.n10) / n) : null;
        const kappa = po !== null && pa !== null && pa < 1 ? (po - pa) / (1 - pa) : null;
        agreement.push({ a: this.detectors[i].name, b: this.detectors[j].name, n, agreement: po, kappa });
      }
    }
    return { level, minDocs, groups, excluded: this.excluded, mixtureSkippedLanguage: this.mixtureSkippedLanguage, excess, agreement };
  }
}

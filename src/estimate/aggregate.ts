/**
 * Runs the selected estimators (./registry.ts) over a stream of documents grouped by a key
 * (month, crawl, language, domain …). Documents arrive one at a time (from the store or a JSONL
 * file); each estimator keeps what it needs per group, and the aggregator adds the group sizes,
 * date sources and pairwise detector agreement.
 */
import { normalizeText, tokenize } from '../detect/text.js';
import { monthIndex, periodOf } from '../core/months.js';
import { findDisagreements, type Disagreement } from './disagreement.js';
import type { ExcessAnalysis } from './excess.js';
import type { MarkerCounter } from './markers.js';
import type { MixtureReference } from './reference.js';
import { DEFAULT_BASELINE_BEFORE, DEFAULT_LEVEL, DEFAULT_REPLICATES, DEFAULT_SEED, type ShareEstimate } from './types.js';
import type {
  DetectorSpec,
  DomainBaselineConfig,
  Estimator,
  EstimatorContext,
  EstimatorDocument,
  EstimatorRun,
  GroupAccumulator,
  RunSummary,
} from './estimator.js';
import { selectEstimators } from './registry.js';
import type { Headline } from './headline.js';
import type { InDomainSummary } from './indomain/summary.js';

export type { DetectorSpec, DomainBaselineConfig } from './estimator.js';

export interface AggregateConfig {
  level?: number;
  replicates?: number;
  seed?: number;
  /** Groups with fewer documents get "too few documents" instead of numbers (default 30). */
  minDocs?: number;
  /** Names of the estimators to run (default: all of `estimators`). */
  methods?: ReadonlySet<string>;
  /** The estimators to choose from (default: the built-in registry). */
  estimators?: readonly Estimator[];
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
  /** Domain-matched calibration: estimators against pre-cutoff pages and AI references. */
  domainBaseline?: DomainBaselineConfig | null;
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
  /** Text, needed by the word-based estimators. */
  text?: string | null;
  /** Scores aligned with the aggregator's detectors. */
  scores: ReadonlyArray<number | null>;
  /** The document's own "YYYY-MM" month, when groups are periods longer than a month. */
  month?: string | null;
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
  /**
   * The period's one number (./headline.ts): share, interval, method, n and how well the method
   * did on known answers. Null when withheld; `headlineNote` says why, or names the fallback.
   */
  headline?: Headline | null;
  headlineNote?: string | null;
  /**
   * Where a period longer than a month has its documents: their mean month (rounded) and their
   * last month; absent for months and for groups that are not periods.
   */
  months?: { mean: string; last: string };
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
  inDomain: InDomainSummary | null;
  /** Notes the estimators left for the report. */
  notes: string[];
}

interface GroupState {
  documents: number;
  /** Documents with a month of their own, the sum of their month indexes and the latest. */
  dated: { n: number; sum: number; last: number };
  dateSources: Map<string, number>;
  /** One accumulator per running estimator, in `runs` order. */
  accumulators: GroupAccumulator[];
}

interface Running {
  estimator: Estimator;
  run: EstimatorRun;
}

export class EstimateAggregator {
  private readonly groups = new Map<string, GroupState>();
  private readonly pairs: Array<{ n11: number; n10: number; n01: number; n00: number }>;
  private readonly runs: Running[];
  private readonly ctx: EstimatorContext;
  private excluded = 0;

  constructor(
    readonly detectors: readonly DetectorSpec[],
    config: AggregateConfig = {},
  ) {
    this.ctx = {
      detectors,
      level: config.level ?? DEFAULT_LEVEL,
      replicates: config.replicates ?? DEFAULT_REPLICATES,
      seed: config.seed ?? DEFAULT_SEED,
      minDocs: config.minDocs ?? 30,
      groupsAreMonths: config.groupsAreMonths ?? false,
      segmentsDetector: config.segmentsDetector ?? 'segments',
      pageFraction: config.pageFraction ?? 0.25,
      baselineBefore: config.baselineBefore ?? DEFAULT_BASELINE_BEFORE,
      baseline: config.baseline ?? 'mean',
      resources: { reference: config.reference ?? null, markers: config.markers ?? null, domainBaseline: config.domainBaseline ?? null },
    };
    this.runs = [];
    for (const estimator of selectEstimators(config.methods, config.estimators)) {
      const run = estimator.create(this.ctx);
      if (run) this.runs.push({ estimator, run });
    }
    this.pairs = [];
    for (let i = 0; i < detectors.length; i++) for (let j = i + 1; j < detectors.length; j++) this.pairs.push({ n11: 0, n10: 0, n01: 0, n00: 0 });
  }

  /** Whether documents need their text (some running estimator reads it). */
  get needsText(): boolean {
    return this.runs.some(({ estimator, run }) => run.needsText ?? estimator.needs.text === true);
  }

  add(doc: AggregateDocument): void {
    if (doc.group === null || doc.group === undefined || doc.group === '') {
      this.excluded++;
      return;
    }
    let g = this.groups.get(doc.group);
    if (!g) {
      const key = doc.group;
      g = {
        documents: 0,
        dated: { n: 0, sum: 0, last: -Infinity },
        dateSources: new Map(),
        accumulators: this.runs.map(({ run }) => run.group(key)),
      };
      this.groups.set(doc.group, g);
    }
    g.documents++;
    if (doc.month && doc.month !== doc.group) {
      const m = monthIndex(doc.month);
      g.dated.n++;
      g.dated.sum += m;
      g.dated.last = Math.max(g.dated.last, m);
    }
    const ds = doc.dateSource ?? 'unknown';
    g.dateSources.set(ds, (g.dateSources.get(ds) ?? 0) + 1);
    this.countAgreement(doc.scores);

    const text = doc.text ?? null;
    let tokens: string[] | null | undefined;
    const view: EstimatorDocument = {
      lang: doc.lang ?? null,
      isBaseline: doc.isBaseline ?? false,
      tld: doc.tld ?? null,
      words: doc.words ?? 0,
      text,
      scores: doc.scores,
      tokens: () => (tokens === undefined ? (tokens = text ? tokenize(normalizeText(text)) : null) : tokens),
    };
    for (const acc of g.accumulators) acc.add(view);
  }

  private countAgreement(scores: ReadonlyArray<number | null>): void {
    const labels: Array<boolean | null> = this.detectors.map((d, i) => {
      const s = scores[i];
      if (s === null || s === undefined || !Number.isFinite(s)) return null;
      return s >= d.threshold;
    });
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
  }

  /** A group's estimates: adjacent per-detector methods interleaved by detector, the rest in registry order. */
  private groupEstimates(g: GroupState): ShareEstimate[] {
    const out: ShareEstimate[] = [];
    let block: ShareEstimate[][] = [];
    const flush = () => {
      for (let i = 0; i < this.detectors.length; i++) for (const b of block) out.push(b[i]);
      block = [];
    };
    this.runs.forEach(({ estimator }, r) => {
      const list = g.accumulators[r].estimate();
      if (estimator.perDetector) block.push(list);
      else {
        flush();
        out.push(...list);
      }
    });
    flush();
    return out;
  }

  finish(): AggregateResult {
    const { level, minDocs } = this.ctx;
    const keys = [...this.groups.keys()];
    if (this.ctx.groupsAreMonths) keys.sort();
    else keys.sort((a, b) => this.groups.get(b)!.documents - this.groups.get(a)!.documents || (a < b ? -1 : 1));
    for (const { run } of this.runs) run.finish?.(keys);

    const groups: GroupResult[] = keys.map((key) => {
      const g = this.groups.get(key)!;
      const estimates = this.groupEstimates(g);
      return {
        key,
        documents: g.documents,
        dateSources: Object.fromEntries([...g.dateSources.entries()].sort((a, b) => b[1] - a[1])),
        tooFew: g.documents < minDocs,
        estimates,
        disagreements: findDisagreements(estimates),
        ...(g.dated.n > 0 ? { months: { mean: periodOf(Math.round(g.dated.sum / g.dated.n)), last: periodOf(g.dated.last) } } : {}),
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
    const summaries: RunSummary[] = this.runs.map(({ run }) => run.summary?.() ?? {});
    const summary: RunSummary = Object.assign({}, ...summaries);
    return {
      level,
      minDocs,
      groups,
      excluded: this.excluded,
      mixtureSkippedLanguage: summary.mixtureSkippedLanguage ?? 0,
      excess: summary.excess ?? null,
      agreement,
      inDomain: summary.inDomain ?? null,
      notes: summaries.flatMap((x) => x.notes ?? []),
    };
  }
}

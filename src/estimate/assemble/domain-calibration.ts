/**
 * Domain-matched calibration for store reports: loads the baseline (documents dated
 * before the cutoff and/or stored control texts) and the AI references with their scores,
 * builds the baseline estimators and runs the drift check. Everything the report needs to say
 * which calibration an estimate used ends up in `DomainCalibrationInfo`.
 */
import type { Store } from '../../store/index.js';
import { baselineDocuments, referenceRows, type CalibrationRow, type DetectorVersion } from '../../store/baseline-queries.js';
import { BaselineEstimator, driftCheck, driftPeriods, driftResult, type BaselineItem, type DriftResult } from '../baseline/estimator.js';
import { resolveStrata } from '../baseline/strata.js';
import { DEFAULT_BASELINE_FPR } from '../baseline/score-model.js';
import { DEFAULT_CUTOFF } from '../../store/baseline-queries.js';
import type { CalibrationKind, StrataSpec } from '../baseline/types.js';
import type { DomainBaselineConfig } from '../estimator.js';
import type { DomainCalibrationInfo } from '../model.js';
import type { ControlCorpus } from './control-corpus.js';
import { BaselineWordMixture, type TextItem } from '../baseline/word-mixture.js';

export type { DomainCalibrationInfo };

export type CalibrationMode = 'development' | 'baseline' | 'both';
export type HumanReference = 'auto' | 'baseline' | 'control' | 'both';

export interface DomainCalibrationOptions {
  /** Which calibrations to report (default both: development-calibrated and baseline-calibrated series). */
  calibration?: CalibrationMode;
  /** "YYYY-MM-DD" (default 2022-11-30). */
  cutoff?: string;
  /** Which date makes a document baseline (default crawl). */
  baselineDateBasis?: 'crawl' | 'publication';
  strata?: Partial<StrataSpec>;
  /** Baseline FPR the counting estimator's threshold is set to (default 0.05). */
  baselineFpr?: number;
  /** 'auto' (split the baseline where its pages divide most evenly), 'off', or two explicit month ranges. */
  drift?: 'auto' | 'off' | { a: [string, string]; b: [string, string] };
  /** Human reference: pre-cutoff pages, stored control texts, or both (auto: pages when there are enough, else control). */
  human?: HumanReference;
  /** Only AI references of these sets (default all). */
  aiSets?: string[];
  /** The word mixture with P from the baseline (default on; it needs the texts). */
  words?: boolean;
  /** Human-only corpora the user supplied (`--control FILE.jsonl`, `--control-db FILE`), already scored. */
  controls?: ControlCorpus[];
  lang?: string;
  level: number;
  replicates: number;
  seed: number;
}

export interface LoadedDomainCalibration {
  config: DomainBaselineConfig | null;
  /** When pages are the baseline: the rule that makes a document a baseline page (those are left out of the estimates). */
  baselineRule?: { cutoff: string; dateBasis: 'crawl' | 'publication' } | null;
  info: DomainCalibrationInfo | null;
  notes: string[];
}

const toItem = (r: CalibrationRow): BaselineItem => ({
  fields: { lang: r.lang, tld: r.tld, words: r.words, genre: r.genre },
  scores: r.scores,
  month: r.month,
  text: r.text ?? null,
  ...(r.generator !== undefined ? { generator: r.generator } : {}),
});

export function loadDomainCalibration(store: Store, detectors: readonly DetectorVersion[], o: DomainCalibrationOptions): LoadedDomainCalibration {
  const notes: string[] = [];
  if ((o.calibration ?? 'both') === 'development' || detectors.length === 0) return { config: null, info: null, notes };
  const cutoff = o.cutoff ?? DEFAULT_CUTOFF;
  const dateBasis = o.baselineDateBasis ?? 'crawl';
  const spec = resolveStrata(o.strata);
  const withText = o.words !== false;
  const pages = [...baselineDocuments(store, { detectors, cutoff, dateBasis, lang: o.lang, withText })].map(toItem);
  const stored = [...referenceRows(store, { detectors, label: 'human', lang: o.lang, withText })].map(toItem);
  const given = (o.controls ?? []).flatMap((c) => c.items.filter((x) => !o.lang || x.fields.lang === o.lang));
  for (const c of o.controls ?? []) notes.push(...c.notes);
  const control = [...stored, ...given];
  const controlSource = [stored.length ? `${stored.length} stored control texts` : null, ...(o.controls ?? []).map((c) => c.description)]
    .filter(Boolean)
    .join(' + ');
  const ai = [...referenceRows(store, { detectors, label: 'ai', sets: o.aiSets, lang: o.lang, withText })].map(toItem);
  const want = o.human ?? 'auto';
  let human: BaselineItem[];
  let kind: CalibrationKind;
  let humanSource: string;
  const pagesSource = `${pages.length} pages ${dateBasis === 'crawl' ? 'crawled' : 'published'} before ${cutoff}`;
  // auto: a corpus named on the command line wins; else the pre-cutoff pages, unless too few.
  const useControl = want === 'control' || (want === 'auto' && (given.length > 0 || (pages.length < spec.minBaseline && control.length > 0)));
  if (useControl) {
    human = control;
    kind = 'user-labeled';
    humanSource = controlSource || 'no control texts';
  } else if (want === 'both') {
    human = [...pages, ...control];
    kind = 'baseline';
    humanSource = `${pagesSource} + ${controlSource || 'no control texts'}`;
  } else {
    human = pages;
    kind = 'baseline';
    humanSource = pagesSource;
  }
  const strict = o.calibration === 'baseline';
  if (human.length === 0 || ai.length === 0) {
    const missing = [
      human.length === 0
        ? `no human baseline (no documents ${dateBasis === 'crawl' ? 'crawled' : 'published'} before ${cutoff} and no control texts)`
        : null,
      ai.length === 0 ? 'no scored AI references (run `ccaudit synthesize` or `ccaudit references import`, then `ccaudit score`)' : null,
    ]
      .filter(Boolean)
      .join('; ');
    if (strict) throw new Error(`baseline calibration impossible: ${missing}`);
    notes.push(`baseline-calibrated estimates off: ${missing}.`);
    return { config: null, info: null, notes };
  }
  const aiSource = `${ai.length} AI references${o.aiSets?.length ? ` (${o.aiSets.join(', ')})` : ''}`;
  const names = detectors.map((d) => d.detector);
  const refs = {
    names,
    human,
    ai,
    kind,
    humanSource,
    aiSource,
    cutoff,
    dateBasis,
    nBaseline: pages.length,
    nControl: control.length,
    aiSets: o.aiSets ?? null,
  };
  const built = buildDomainCalibration(refs, o, notes);
  return { ...built, baselineRule: kind === 'baseline' ? { cutoff, dateBasis } : null, notes };
}

/** A human reference and AI references with aligned scores, wherever they were read from. */
export interface DomainReferences {
  /** Detector names, in the order of every item's `scores`. */
  names: readonly string[];
  human: BaselineItem[];
  ai: BaselineItem[];
  kind: CalibrationKind;
  humanSource: string;
  aiSource: string;
  /** What the report says about the human reference (cutoff and date basis of the baseline rule, pages vs control texts). */
  cutoff: string;
  dateBasis: 'crawl' | 'publication';
  nBaseline: number;
  nControl: number;
  aiSets: string[] | null;
}

/**
 * The baseline estimators, the drift check and the word mixture from a human reference and AI
 * references: the one construction behind store reports and `estimate --jsonl --baseline`.
 * Notes (skipped checks) are appended to `notes`.
 */
export function buildDomainCalibration(
  refs: DomainReferences,
  o: Omit<DomainCalibrationOptions, 'controls' | 'aiSets' | 'human' | 'cutoff' | 'baselineDateBasis' | 'calibration' | 'lang'>,
  notes: string[],
): { config: DomainBaselineConfig; info: DomainCalibrationInfo } {
  const { names, human, ai, kind, humanSource } = refs;
  const spec = resolveStrata(o.strata);
  const withText = o.words !== false;
  const opts = {
    strata: spec,
    threshold: { kind: 'baseline-fpr' as const, fpr: o.baselineFpr ?? DEFAULT_BASELINE_FPR },
    calibration: kind,
    humanSource,
    aiSource: refs.aiSource,
  };
  const estimator = new BaselineEstimator(names, human, ai, opts);
  let drift: DriftResult[] = [];
  const d = o.drift ?? 'auto';
  if (d !== 'off') {
    const dOpts = { ...opts, level: o.level, replicates: Math.min(o.replicates, 200), seed: o.seed };
    drift = typeof d === 'object' ? driftCheck(names, human, ai, { ...dOpts, periodA: d.a, periodB: d.b }) : driftCheck(names, human, ai, dOpts);
    if (drift.length === 0)
      notes.push('drift check skipped: the baseline does not span two periods with documents (needs dated baseline pages in at least two months).');
  }
  const info: DomainCalibrationInfo = {
    cutoff: refs.cutoff,
    dateBasis: refs.dateBasis,
    kind,
    humanSource,
    nBaseline: refs.nBaseline,
    nControl: refs.nControl,
    nAi: ai.length,
    aiSets: refs.aiSets,
    thresholdRule: `score at which ${((o.baselineFpr ?? DEFAULT_BASELINE_FPR) * 100).toFixed(0)}% of the baseline is flagged`,
    strata: { dims: spec.dims, lengthEdges: spec.lengthEdges, minBaseline: spec.minBaseline, minAi: spec.minAi },
    detectors: estimator.models.map((m) => ({
      detector: m.detector,
      threshold: m.threshold,
      nBaseline: m.nBaseline,
      nAi: m.nAi,
      auroc: m.auroc,
      strata: m.summarize([...m.baselineCells.entries()].filter(([k, c]) => k === '*' || c.n >= spec.minBaseline).map(([k]) => k)),
    })),
    drift,
    recommended: estimator.models.reduce<{ name: string | null; auc: number }>(
      (best, m) => (m.auroc !== null && m.auroc > best.auc ? { name: m.detector, auc: m.auroc } : best),
      { name: null, auc: 0.5 },
    ).name,
  };
  let words: BaselineWordMixture | null = null;
  if (withText) {
    const texts = (xs: readonly BaselineItem[]): TextItem[] => xs.filter((x) => x.text).map((x) => ({ fields: x.fields, text: x.text! }));
    try {
      // q from the AI references (no shipped reference: it would need ../shared at run time).
      const wOpts = { strata: spec, ai: texts(ai), reference: null, level: o.level, replicates: o.replicates, seed: o.seed };
      words = BaselineWordMixture.build(texts(human), wOpts);
    } catch (err) {
      notes.push(`word mixture against the baseline off: ${(err as Error).message}`);
    }
    // The drift check for the word mixture: the same two baseline periods, both directions.
    const p =
      words && d !== 'off'
        ? driftPeriods(
            human.filter((x) => x.text),
            typeof d === 'object' ? { periodA: d.a, periodB: d.b } : {},
          )
        : null;
    if (p) {
      try {
        const small = { strata: spec, ai: texts(ai), reference: null, level: o.level, replicates: Math.min(o.replicates, 200), seed: o.seed };
        const forward = BaselineWordMixture.build(texts(p.A), small).estimate(texts(p.B), small);
        const backward = BaselineWordMixture.build(texts(p.B), small).estimate(texts(p.A), small);
        drift.push(driftResult(forward, backward, p.label, p.A.length, p.B.length));
      } catch (err) {
        notes.push(`drift check of the word mixture skipped: ${(err as Error).message}`);
      }
    }
  }
  return { config: { estimator, drift, words, wordsCalibration: kind === 'user-labeled' ? 'user-labeled' : 'baseline' }, info };
}

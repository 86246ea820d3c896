/** Pieces of scripts/known-answer-baseline.ts: per-draw estimator runs over in-memory scores. */
import type { OperatingPoint } from '../../src/estimate/corrected.js';
import { BaselineEstimator, attachDrift, driftCheck, type BaselineItem } from '../../src/estimate/baseline/estimator.js';
import type { ScoredItem, StratumFields } from '../../src/estimate/baseline/types.js';
import { buildReference, calibrateReference, DEFAULT_REFERENCE_PARAMS, MixtureReference } from '../../src/estimate/reference.js';
import { mixtureShare, packRatios } from '../../src/estimate/mixture.js';
import { BaselineWordMixture } from '../../src/estimate/baseline/word-mixture.js';
import { inSplit } from '../../src/detect/dataset.js';
import type { LabeledRecord } from '../../src/detect/types.js';
import type { ShareEstimate } from '../../src/estimate/types.js';

export interface FoldDetector {
  name: string;
  /** Development operating point (threshold at 5 % FPR on the other sources' calib split). */
  dev: OperatingPoint;
  /** Scores of the left-out source's texts by id. */
  scores: Map<string, number | null>;
  /** The other sources' calib AI texts, scored: NON-matched AI references. */
  devAi: ScoredItem[];
}

/** Word-mixture reference built without the left-out source (train split for p/q, calib for the ratio calibration). */
export function buildFoldReference(others: readonly LabeledRecord[]): MixtureReference {
  const file = buildReference(inSplit(others, 'train'), DEFAULT_REFERENCE_PARAMS, 'train split of the other sources');
  return new MixtureReference(calibrateReference(file, inSplit(others, 'calib'), 'calib split of the other sources'));
}

export interface DrawInput {
  detectors: readonly FoldDetector[];
  baseline: readonly LabeledRecord[];
  aiRefs: readonly LabeledRecord[];
  months: ReadonlyArray<{ period: string; docs: readonly LabeledRecord[] }>;
  fieldsOf: (r: LabeledRecord) => StratumFields;
  reference: MixtureReference | null;
  replicates: number;
  seed: number;
}

const STRATA = { dims: ['lang', 'length'] as Array<'lang' | 'length'>, minBaseline: 50, minAi: 30 };

/** Estimates per month: baseline methods (matched and non-matched AI references), drift, and the generic word mixture. */
export function runBaselineEstimators(input: DrawInput): Map<string, ShareEstimate[]> {
  const names = input.detectors.map((d) => d.name);
  const item = (r: LabeledRecord, i: number): BaselineItem => ({
    fields: input.fieldsOf(r),
    scores: input.detectors.map((d) => d.scores.get(r.id) ?? null),
    // Two baseline "periods" for the drift check (same source: the check's noise floor).
    month: i % 2 === 0 ? '2021-06' : '2022-06',
  });
  const baseline = input.baseline.map(item);
  const matched = new BaselineEstimator(names, baseline, input.aiRefs.map(item), { strata: STRATA });
  // Non-matched AI references: per detector its own dev AI scores (aligned by index).
  const devAiItems: BaselineItem[] = [];
  const maxDev = Math.max(...input.detectors.map((d) => d.devAi.length));
  for (let j = 0; j < maxDev; j++) {
    const first = input.detectors.find((d) => d.devAi[j])!;
    devAiItems.push({ fields: first.devAi[j].fields, scores: input.detectors.map((d) => d.devAi[j]?.score ?? null) });
  }
  const nonMatched = new BaselineEstimator(names, baseline, devAiItems, { strata: STRATA, aiSource: 'development AI texts' });
  const drift = driftCheck(names, baseline, input.aiRefs.map(item), { strata: STRATA, replicates: 50, seed: input.seed });
  const text = (r: LabeledRecord) => ({ fields: input.fieldsOf(r), text: r.text });
  // Word mixture with P from the baseline and q from the (matched) AI references, as reports run it.
  const words = BaselineWordMixture.build(input.baseline.map(text), {
    strata: STRATA,
    ai: input.aiRefs.map(text),
    reference: null,
    replicates: input.replicates,
    seed: input.seed,
  });
  const out = new Map<string, ShareEstimate[]>();
  input.months.forEach((m, mi) => {
    const items = m.docs.map(item);
    const opts = { replicates: input.replicates, seed: input.seed + mi };
    const list = matched.estimate(items, opts);
    for (const e of nonMatched.estimate(items, opts)) list.push({ ...e, method: `${e.method}/dev-ai` });
    attachDrift(list, drift);
    list.push(words.estimate(m.docs.map(text), { replicates: input.replicates, seed: input.seed + mi }));
    if (input.reference) {
      const ref = input.reference;
      const langs = ref.params.languages;
      const ratios = m.docs
        .filter((r) => langs.includes('*') || langs.includes(r.lang))
        .map((r) => ref.ratios(r.text))
        .filter((x) => x.length > 0);
      list.push({ ...mixtureShare(packRatios(ratios), { ...opts, unit: ref.params.unit }), method: 'mixture (generic P)' });
    }
    out.set(m.period, list);
  });
  return out;
}

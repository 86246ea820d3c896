/**
 * The scenarios each named model runs: a model plus its variants (estimators,
 * decoding rules, fresh-data levels), each a function of (data mix, rng).
 */
import { decodingLabel, type Decoding } from './decoding.js';
import type { DataMix } from './mix.js';
import { runCategorical, tailStartIndex, zipfDistribution, type CATEGORICAL_METRICS } from './models/categorical.js';
import { runGaussian } from './models/gaussian.js';
import { runRegression } from './models/regression.js';
import type { Rng } from '../core/rng.js';

export const MODEL_NAMES = ['tail', 'gaussian', 'regression', 'decoding', 'anchoring'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export const MODEL_DESCRIPTIONS: Record<ModelName, string> = {
  tail: 'Tail extinction: a Zipf vocabulary refitted to its own samples; unseen types are lost',
  gaussian: 'Gaussian refit (Shumailov et al.): mean and variance refitted to samples of the last fit',
  regression: 'Replace vs accumulate (Gerstgrasser et al.; Dey & Donoho): OLS retrained on its own labels',
  decoding: 'Decoding and filtering: temperature, greedy, top-p and best-of-n when generating synthetic data',
  anchoring: 'Fresh-data anchoring: the tail model with no, projected, 10% or a single fresh human sample',
};

/** Sizes and knobs of the models. */
export interface ModelParams {
  tail: { types: number; samples: number; zipf: number; tailFraction: number };
  gaussian: { samples: number };
  regression: { features: number; rows: number; noise: number };
  decoding: { dialects: number[]; samples: number; temperature: number; topP: number; bestOf: number };
  anchoring: { freshSamples: number; freshShare: number };
}

export const DEFAULT_PARAMS: ModelParams = {
  tail: { types: 10_000, samples: 10_000, zipf: 1.1, tailFraction: 0.1 },
  gaussian: { samples: 100 },
  regression: { features: 10, rows: 100, noise: 1 },
  decoding: { dialects: [0.85, 0.1, 0.05], samples: 1000, temperature: 0.7, topP: 0.9, bestOf: 4 },
  anchoring: { freshSamples: 1, freshShare: 0.1 },
};

export interface MetricInfo {
  name: string;
  label: string;
  description: string;
}

export interface ScenarioRun {
  metrics: Record<string, Float64Array>;
  /** First generation with a single surviving type (−1: never), for categorical models. */
  fixationGeneration?: number;
}

export interface ScenarioSpec {
  model: ModelName;
  /** Stable id; also keys the scenario's random streams, so adding models never changes others' draws. */
  id: string;
  label: string;
  description: string;
  params: Record<string, number | string>;
  /** 'input' uses the measured/projected or fixed share; otherwise this mix for every run. */
  mix: 'input' | DataMix;
  metrics: MetricInfo[];
  run(mix: DataMix, rng: Rng, recordAt: Int32Array, generations: number): ScenarioRun;
}

const CATEGORICAL_INFO: Record<(typeof CATEGORICAL_METRICS)[number], Omit<MetricInfo, 'name'>> = {
  surviving: { label: 'surviving types', description: 'types with non-zero probability in the model' },
  entropy: { label: 'entropy (bits)', description: 'Shannon entropy of the model distribution' },
  heterozygosity: { label: 'heterozygosity', description: '1 − Σp²: chance two draws differ' },
  tailMass: { label: 'tail mass', description: 'model mass on the original tail (least probable types holding the tail fraction of human mass)' },
  tailSurviving: { label: 'surviving tail types', description: 'original tail types still with non-zero probability' },
  minorityShare: { label: 'minority share', description: '1 − share of the most common human type' },
};

function metricInfos<T extends string>(names: readonly T[], info: Record<T, Omit<MetricInfo, 'name'>>): MetricInfo[] {
  return names.map((name) => ({ name, ...info[name] }));
}

/** The same synthetic share from generation 1 on (held past the array's end, see DataMix). */
const constantShare = (share: number): DataMix => ({ kind: 'share', share: Float64Array.of(0, share) });

function tailScenario(
  id: string,
  model: ModelName,
  label: string,
  description: string,
  p: ModelParams['tail'],
  mix: ScenarioSpec['mix'],
  extra: Record<string, number | string> = {},
): ScenarioSpec {
  const truth = zipfDistribution(p.types, p.zipf);
  const tailStart = tailStartIndex(truth, p.tailFraction);
  const metrics = metricInfos(['surviving', 'entropy', 'tailMass', 'tailSurviving', 'heterozygosity'] as const, CATEGORICAL_INFO);
  return {
    model,
    id,
    label,
    description,
    params: { types: p.types, samples: p.samples, zipf: p.zipf, tailTypes: p.types - tailStart, ...extra },
    mix,
    metrics,
    run(mixUsed, rng, recordAt, generations) {
      const out = runCategorical(
        { truth, samples: p.samples, generations, mix: mixUsed, decoding: { kind: 'sample', temperature: 1 }, start: 'fit', tailStart, recordAt },
        rng,
      );
      return { metrics: out.metrics, fixationGeneration: out.fixationGeneration };
    },
  };
}

function decodingScenario(p: ModelParams['decoding'], decoding: Decoding): ScenarioSpec {
  const sum = p.dialects.reduce((a, b) => a + b, 0);
  const truth = Float64Array.from(p.dialects.map((x) => x / sum))
    .sort()
    .reverse();
  const label = decodingLabel(decoding);
  const shareMetrics: MetricInfo[] = Array.from(truth, (share, k) => ({
    name: `share${k + 1}`,
    label: `dialect ${k + 1} share (human ${(share * 100).toFixed(0)}%)`,
    description: `share of dialect ${k + 1} in the model`,
  }));
  return {
    model: 'decoding',
    id: `decoding/${label}`,
    label: `decoding · ${label}`,
    description: `synthetic data generated with ${label}; the model is refitted to it`,
    params: { dialects: Array.from(truth).join('/'), samples: p.samples, decoding: label },
    mix: 'input',
    metrics: [...metricInfos(['minorityShare', 'entropy'] as const, CATEGORICAL_INFO), ...shareMetrics],
    run(mixUsed, rng, recordAt, generations) {
      const out = runCategorical(
        { truth, samples: p.samples, generations, mix: mixUsed, decoding, start: 'fit', tailStart: truth.length, recordAt, perTypeShares: true },
        rng,
      );
      const metrics: Record<string, Float64Array> = { minorityShare: out.metrics.minorityShare, entropy: out.metrics.entropy };
      out.typeShares!.forEach((values, k) => (metrics[`share${k + 1}`] = values));
      return { metrics, fixationGeneration: out.fixationGeneration };
    },
  };
}

/** All scenarios of one model. */
export function scenariosFor(model: ModelName, params: ModelParams): ScenarioSpec[] {
  switch (model) {
    case 'tail':
      return [tailScenario('tail/input', 'tail', 'tail · input share', 'Zipf vocabulary refitted each generation', params.tail, 'input')];
    case 'anchoring': {
      const a = params.anchoring;
      return [
        tailScenario(
          'anchoring/none',
          'anchoring',
          'anchoring · no fresh data',
          'every sample synthetic from generation 1 on',
          params.tail,
          constantShare(1),
        ),
        tailScenario('anchoring/input', 'anchoring', 'anchoring · input share', 'fresh share 1 − synthetic share of the input', params.tail, 'input'),
        tailScenario(
          'anchoring/share',
          'anchoring',
          `anchoring · ${a.freshShare * 100}% fresh`,
          'a fixed share of fresh human samples',
          params.tail,
          constantShare(1 - a.freshShare),
          { freshShare: a.freshShare },
        ),
        tailScenario(
          'anchoring/count',
          'anchoring',
          `anchoring · ${a.freshSamples} fresh sample${a.freshSamples === 1 ? '' : 's'}`,
          'a fixed number of fresh human samples per generation',
          params.tail,
          { kind: 'fresh-count', count: a.freshSamples },
          { freshSamples: a.freshSamples },
        ),
      ];
    }
    case 'gaussian':
      return (['unbiased', 'mle'] as const).map((estimator) => ({
        model: 'gaussian' as const,
        id: `gaussian/${estimator}`,
        label: `gaussian · ${estimator === 'mle' ? 'MLE' : 'unbiased'} variance`,
        description: `N(0,1) truth; mean and ${estimator === 'mle' ? 'MLE (÷N)' : 'unbiased (÷N−1)'} variance refitted`,
        params: { samples: params.gaussian.samples, estimator },
        mix: 'input' as const,
        metrics: [
          { name: 'variance', label: 'fitted variance', description: 'variance of the fitted Gaussian (truth: 1)' },
          { name: 'mean', label: 'fitted mean', description: 'mean of the fitted Gaussian (truth: 0)' },
        ] satisfies MetricInfo[] as MetricInfo[],
        run(mixUsed: DataMix, rng: Rng, recordAt: Int32Array, gens: number): ScenarioRun {
          const out = runGaussian({ samples: params.gaussian.samples, generations: gens, mix: mixUsed, estimator, start: 'fit', recordAt }, rng);
          return { metrics: out.metrics };
        },
      }));
    case 'regression':
      return (['replace', 'accumulate'] as const).map((mode) => ({
        model: 'regression' as const,
        id: `regression/${mode}`,
        label: `regression · ${mode}`,
        description: `OLS on ${mode === 'replace' ? "each generation's data only" : 'all generations pooled'}`,
        params: { ...params.regression, mode },
        mix: 'input' as const,
        metrics: [
          { name: 'riskRatio', label: 'test error ÷ generation 0', description: "excess test error relative to generation 0's expected error" },
          { name: 'excessRisk', label: 'excess test error', description: '‖ŵ − w*‖² for standard-normal test points' },
        ],
        run(mixUsed: DataMix, rng: Rng, recordAt: Int32Array, gens: number): ScenarioRun {
          const out = runRegression({ ...params.regression, generations: gens, mix: mixUsed, mode, recordAt }, rng);
          return { metrics: out.metrics };
        },
      }));
    case 'decoding': {
      const d = params.decoding;
      const rules: Decoding[] = [
        { kind: 'sample', temperature: 1 },
        { kind: 'sample', temperature: d.temperature },
        { kind: 'greedy' },
        { kind: 'top-p', p: d.topP },
        { kind: 'best-of', n: d.bestOf },
      ];
      // Temperature 1 would appear twice when --temperature 1 is asked for.
      return rules.filter((_r, i) => i !== 1 || d.temperature !== 1).map((rule) => decodingScenario(d, rule));
    }
  }
}

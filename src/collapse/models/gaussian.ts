/**
 * Recursive Gaussian refitting (Shumailov et al., "AI models collapse when
 * trained on recursively generated data", Nature 2024, §3): each generation
 * fits a mean and a variance to N samples, of which S_g are drawn from the
 * previous generation's fit and the rest from the truth N(0, 1).
 *
 * With only synthetic data, the unbiased variance is a martingale
 * (E[σ²_g] = σ²_0) that still converges to 0 almost surely; the MLE variance
 * shrinks in expectation by (N−1)/N per generation.
 */
import { syntheticCount, type DataMix } from '../mix.js';
import type { Rng } from '../../core/rng.js';

export interface GaussianConfig {
  /** Samples per generation (N ≥ 2). */
  samples: number;
  generations: number;
  mix: DataMix;
  /** 'unbiased' divides the sum of squares by N − 1, 'mle' by N. */
  estimator: 'unbiased' | 'mle';
  /** 'fit': generation 0 is fitted to N human samples; 'truth': generation 0 is N(0, 1) itself. */
  start: 'fit' | 'truth';
  recordAt: ArrayLike<number>;
}

export const GAUSSIAN_METRICS = ['variance', 'mean'] as const;
export type GaussianMetric = (typeof GAUSSIAN_METRICS)[number];

export interface GaussianRun {
  metrics: Record<GaussianMetric, Float64Array>;
}

export function runGaussian(cfg: GaussianConfig, rng: Rng): GaussianRun {
  const { samples: n, generations, mix, recordAt } = cfg;
  const divisor = cfg.estimator === 'unbiased' ? n - 1 : n;
  const metrics = { variance: new Float64Array(recordAt.length), mean: new Float64Array(recordAt.length) };
  const xs = new Float64Array(n);
  let mean = 0;
  let variance = 1;

  const fit = (synthetic: number): void => {
    const sd = Math.sqrt(variance);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const x = i < synthetic ? mean + sd * rng.normal() : rng.normal();
      xs[i] = x;
      sum += x;
    }
    const m = sum / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (xs[i] - m) * (xs[i] - m);
    mean = m;
    variance = ss / divisor;
  };

  if (cfg.start === 'fit') fit(0);
  let r = 0;
  const record = (g: number): void => {
    while (r < recordAt.length && recordAt[r] === g) {
      metrics.variance[r] = variance;
      metrics.mean[r] = mean;
      r++;
    }
  };
  record(0);
  for (let g = 1; g <= generations; g++) {
    fit(syntheticCount(mix, g, n, rng));
    record(g);
  }
  return { metrics };
}

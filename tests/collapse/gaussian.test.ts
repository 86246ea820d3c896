/**
 * Gaussian refit against closed forms. With only synthetic data after
 * generation 0 (fitted to N human samples), each fit multiplies the variance
 * by χ²_{N−1}/(N−1) (unbiased) or χ²_{N−1}/N (MLE), independently. So after
 * g further generations (g + 1 fits in all):
 *   E[σ²_g]      = c^{g+1},   c = 1 (unbiased) or (N−1)/N (MLE)
 *   E[(σ²_g)²]   = m^{g+1},   m = (N+1)/(N−1) (unbiased) or (N−1)(N+1)/N² (MLE)
 *   E[ln σ²_g]   = (g+1)·(ψ((N−1)/2) + ln 2 − ln D), D = N−1 or N; Var = (g+1)·ψ′((N−1)/2)
 *   Var(μ_g)     = (1/N)·(1 + Σ_{j<g} E[σ²_j])
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runGaussian } from '../../src/collapse/models/gaussian.js';
import { mixSeed, Rng } from '../../src/core/rng.js';
import { digamma, meanAndSe, trigamma } from './theory.js';

const N = 100;
const G = 30;
const RUNS = 4000;
const checkpoints = [0, 1, 5, 15, 30];
const allSynthetic = { kind: 'share' as const, share: new Float64Array(G + 1).fill(1) };

function simulate(estimator: 'unbiased' | 'mle') {
  const recordAt = Int32Array.from(checkpoints);
  const variance = checkpoints.map(() => new Float64Array(RUNS));
  const mean = checkpoints.map(() => new Float64Array(RUNS));
  for (let r = 0; r < RUNS; r++) {
    const out = runGaussian(
      { samples: N, generations: G, mix: allSynthetic, estimator, start: 'fit', recordAt },
      new Rng(mixSeed(11, estimator === 'mle' ? 1 : 0, r)),
    );
    checkpoints.forEach((_, i) => {
      variance[i][r] = out.metrics.variance[i];
      mean[i][r] = out.metrics.mean[i];
    });
  }
  return { variance, mean };
}

describe.each(['unbiased', 'mle'] as const)('Gaussian refit, %s variance', (estimator) => {
  let variance: Float64Array[];
  let mean: Float64Array[];
  beforeAll(() => ({ variance, mean } = simulate(estimator)));
  const divisor = estimator === 'unbiased' ? N - 1 : N;
  const c = (N - 1) / divisor;
  const m2 = ((N - 1) * (N + 1)) / (divisor * divisor);

  it('expected variance after g generations matches c^(g+1) within Monte Carlo error', () => {
    checkpoints.forEach((g, i) => {
      const expected = c ** (g + 1);
      // Standard error from the closed-form second moment, not from the sample.
      const se = Math.sqrt((m2 ** (g + 1) - expected ** 2) / RUNS);
      const observed = meanAndSe(variance[i]).mean;
      expect(Math.abs(observed - expected), `g=${g}: ${observed} vs ${expected} (se ${se})`).toBeLessThan(4 * se);
    });
  });

  it('log-variance drifts down linearly: the fit collapses even when the mean variance does not', () => {
    const step = digamma((N - 1) / 2) + Math.log(2) - Math.log(divisor);
    const stepVar = trigamma((N - 1) / 2);
    expect(step).toBeLessThan(0);
    checkpoints.forEach((g, i) => {
      const expected = (g + 1) * step;
      const se = Math.sqrt(((g + 1) * stepVar) / RUNS);
      const observed = meanAndSe(Float64Array.from(variance[i], Math.log)).mean;
      expect(Math.abs(observed - expected), `g=${g}`).toBeLessThan(4 * se);
    });
  });

  it('mean drifts as a random walk with Var(μ_g) = (1 + Σ_{j<g} c^{j+1}) / N', () => {
    checkpoints.forEach((g, i) => {
      let expected = 1;
      for (let j = 0; j < g; j++) expected += c ** (j + 1);
      expected /= N;
      const squares = Float64Array.from(mean[i], (x) => x * x);
      const { mean: observed, se } = meanAndSe(squares);
      expect(Math.abs(observed - expected), `g=${g}`).toBeLessThan(4 * se);
    });
  });
});

describe('Gaussian refit with fresh data', () => {
  it('is untouched by the synthetic share at generation 0 and with no synthetic data stays at the truth', () => {
    const noSynthetic = { kind: 'share' as const, share: new Float64Array(11) };
    const recordAt = Int32Array.from([10]);
    const runs = 2000;
    const v = new Float64Array(runs);
    for (let r = 0; r < runs; r++)
      v[r] = runGaussian(
        { samples: 50, generations: 10, mix: noSynthetic, estimator: 'unbiased', start: 'fit', recordAt },
        new Rng(r),
      ).metrics.variance[0];
    const { mean, se } = meanAndSe(v);
    expect(Math.abs(mean - 1)).toBeLessThan(4 * se);
  });

  it('starts from the truth itself with start: "truth"', () => {
    const out = runGaussian(
      { samples: 10, generations: 0, mix: allSynthetic, estimator: 'mle', start: 'truth', recordAt: Int32Array.from([0]) },
      new Rng(1),
    );
    expect(out.metrics.variance[0]).toBe(1);
    expect(out.metrics.mean[0]).toBe(0);
  });
});

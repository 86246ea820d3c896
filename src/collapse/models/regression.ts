/**
 * Linear regression retrained on its own labels, replacing or accumulating
 * data (Gerstgrasser et al., "Is Model Collapse Inevitable?", 2024; Dey &
 * Donoho, "Universality of the π²/6 pathway in avoiding model collapse", 2024).
 *
 * A fixed design X (T rows, d standard-normal features) is drawn once per run.
 * Generation 0 fits OLS to human labels y = X w* + ε, ε ~ N(0, σ²). In
 * generation g, S_g of the T rows get synthetic labels X ŵ_{g−1} + ε and the
 * others fresh human labels. 'replace' fits only generation g's data;
 * 'accumulate' fits all generations' data pooled.
 *
 * Theory (all-synthetic, fixed design): ŵ_g − w* is Σ_i A ε_i with
 * A = (XᵀX)⁻¹Xᵀ (replace) or Σ_i A ε_i / (i+1) (accumulate), so the expected
 * excess risk relative to generation 0 is g + 1 (replace) and
 * Σ_{i=1}^{g+1} 1/i² < π²/6 (accumulate).
 */
import { cholesky, choleskySolve, traceOfInverse } from '../linalg.js';
import { syntheticCount, type DataMix } from '../mix.js';
import type { Rng } from '../../core/rng.js';

export interface RegressionConfig {
  /** Feature count d. */
  features: number;
  /** Rows per generation T (> d + 1). */
  rows: number;
  /** Label noise standard deviation σ. */
  noise: number;
  generations: number;
  mix: DataMix;
  mode: 'replace' | 'accumulate';
  recordAt: ArrayLike<number>;
}

export const REGRESSION_METRICS = ['riskRatio', 'excessRisk'] as const;
export type RegressionMetric = (typeof REGRESSION_METRICS)[number];

export interface RegressionRun {
  /**
   * excessRisk: E_x[(xᵀŵ − xᵀw*)²] for test points x ~ N(0, I), i.e. ‖ŵ − w*‖².
   * riskRatio: excessRisk divided by generation 0's expected excess risk for
   * this design, σ²·tr((XᵀX)⁻¹): "test error relative to generation 0".
   */
  metrics: Record<RegressionMetric, Float64Array>;
}

export function runRegression(cfg: RegressionConfig, rng: Rng): RegressionRun {
  const { features: d, rows: t, noise, generations, mix, mode, recordAt } = cfg;
  const x = new Float64Array(t * d);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const wTrue = new Float64Array(d).fill(1 / Math.sqrt(d));

  const xtx = new Float64Array(d * d);
  for (let r = 0; r < t; r++) {
    for (let i = 0; i < d; i++) {
      const xi = x[r * d + i];
      for (let j = 0; j <= i; j++) xtx[i * d + j] += xi * x[r * d + j];
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) xtx[j * d + i] = xtx[i * d + j];
  const l = cholesky(xtx, d);
  const gen0ExpectedRisk = noise * noise * traceOfInverse(l, d);

  const metrics = { riskRatio: new Float64Array(recordAt.length), excessRisk: new Float64Array(recordAt.length) };
  let w = new Float64Array(d);
  let wNext = new Float64Array(d);
  const xty = new Float64Array(d);
  const xtyPooled = new Float64Array(d);
  const pooledMean = new Float64Array(d);

  /** Xᵀy for one generation whose first `synthetic` rows are labelled by `w`, the rest by w*. */
  const labelAndProject = (synthetic: number): void => {
    xty.fill(0);
    for (let r = 0; r < t; r++) {
      const labeller = r < synthetic ? w : wTrue;
      let y = noise * rng.normal();
      for (let i = 0; i < d; i++) y += x[r * d + i] * labeller[i];
      for (let i = 0; i < d; i++) xty[i] += x[r * d + i] * y;
    }
  };

  let rec = 0;
  const record = (g: number): void => {
    while (rec < recordAt.length && recordAt[rec] === g) {
      let risk = 0;
      for (let i = 0; i < d; i++) risk += (w[i] - wTrue[i]) ** 2;
      metrics.excessRisk[rec] = risk;
      metrics.riskRatio[rec] = risk / gen0ExpectedRisk;
      rec++;
    }
  };

  labelAndProject(0);
  choleskySolve(l, d, xty, w);
  xtyPooled.set(xty);
  record(0);
  for (let g = 1; g <= generations; g++) {
    labelAndProject(syntheticCount(mix, g, t, rng));
    if (mode === 'replace') choleskySolve(l, d, xty, wNext);
    else {
      // Pooled OLS over g+1 copies of X: (Σ XᵀX)⁻¹ Σ Xᵀy = (XᵀX)⁻¹ · mean of the Xᵀy.
      for (let i = 0; i < d; i++) {
        xtyPooled[i] += xty[i];
        pooledMean[i] = xtyPooled[i] / (g + 1);
      }
      choleskySolve(l, d, pooledMean, wNext);
    }
    [w, wNext] = [wNext, w];
    record(g);
  }
  return { metrics };
}

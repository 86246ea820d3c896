/**
 * Replace vs accumulate (Gerstgrasser et al. 2024, Dey & Donoho 2024) against
 * the closed forms for a fixed design and all-synthetic labels after
 * generation 0. With A = (XᵀX)⁻¹Xᵀ and independent label noise ε_i:
 *   replace:    ŵ_g − w* = Σ_{i=0}^{g} A ε_i           ⇒ E[err_g] / E[err_0] = g + 1
 *   accumulate: ŵ_g − w* = Σ_{i=0}^{g} A ε_i / (i + 1) ⇒ E[err_g] / E[err_0] = Σ_{i=1}^{g+1} 1/i² < π²/6
 * where err is the excess test error ‖ŵ − w*‖² for x ~ N(0, I) and
 * E[err_0 | X] = σ² tr((XᵀX)⁻¹), the denominator of the model's riskRatio.
 */
import { describe, expect, it } from 'vitest';
import { runRegression } from '../../src/collapse/models/regression.js';
import { mixSeed, Rng } from '../../src/core/rng.js';
import { meanAndSe } from './theory.js';

const G = 40;
const RUNS = 3000;
const checkpoints = [0, 1, 2, 5, 10, 20, 40];
const allSynthetic = { kind: 'share' as const, share: new Float64Array(G + 1).fill(1) };

function simulate(mode: 'replace' | 'accumulate') {
  const values = checkpoints.map(() => new Float64Array(RUNS));
  for (let r = 0; r < RUNS; r++) {
    const out = runRegression(
      { features: 10, rows: 40, noise: 0.5, generations: G, mix: allSynthetic, mode, recordAt: checkpoints },
      new Rng(mixSeed(31, mode === 'replace' ? 0 : 1, r)),
    );
    checkpoints.forEach((_, i) => (values[i][r] = out.metrics.riskRatio[i]));
  }
  return values;
}

const basel = (n: number): number => {
  let s = 0;
  for (let i = 1; i <= n; i++) s += 1 / (i * i);
  return s;
};

describe('linear regression retrained on its own labels', () => {
  it('replace: test error relative to generation 0 grows as g + 1', () => {
    const values = simulate('replace');
    checkpoints.forEach((g, i) => {
      const { mean, se } = meanAndSe(values[i]);
      expect(Math.abs(mean - (g + 1)), `g=${g}: ${mean} (se ${se})`).toBeLessThan(4 * se);
    });
  });

  it('accumulate: test error relative to generation 0 is Σ 1/i² and stays below π²/6', () => {
    const values = simulate('accumulate');
    checkpoints.forEach((g, i) => {
      const expected = basel(g + 1);
      expect(expected).toBeLessThan(Math.PI ** 2 / 6);
      const { mean, se } = meanAndSe(values[i]);
      expect(Math.abs(mean - expected), `g=${g}: ${mean} vs ${expected} (se ${se})`).toBeLessThan(4 * se);
      expect(mean).toBeLessThan(Math.PI ** 2 / 6 + 4 * se);
    });
  });

  it('with only human labels the error stays at the generation-0 level in both modes', () => {
    const human = { kind: 'share' as const, share: new Float64Array(11) };
    for (const mode of ['replace', 'accumulate'] as const) {
      const v = new Float64Array(2000);
      for (let r = 0; r < v.length; r++) {
        v[r] = runRegression(
          { features: 5, rows: 30, noise: 1, generations: 10, mix: human, mode, recordAt: [10] },
          new Rng(mixSeed(32, r)),
        ).metrics.riskRatio[0];
      }
      const { mean, se } = meanAndSe(v);
      // replace refits on one fresh data set (expectation 1); accumulate pools 11 (expectation 1/11).
      const expected = mode === 'replace' ? 1 : 1 / 11;
      expect(Math.abs(mean - expected), mode).toBeLessThan(4 * se);
    }
  });
});

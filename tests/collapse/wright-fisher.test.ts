/**
 * The tail-extinction (categorical) model against population-genetics theory.
 *
 * Without fresh data it is the neutral haploid Wright–Fisher model with N
 * individuals: E[H_g] = H_0·(1 − 1/N)^g for the heterozygosity H = 1 − Σp²,
 * and the mean time for two types at frequency x to reach one type is, by
 * the diffusion approximation, T(x) = −2N[x ln x + (1 − x) ln(1 − x)].
 *
 * With R_g = N − S_g fresh samples from the truth p (P = Σp²), conditioning
 * on the previous model q gives (E over the new counts c = A + B, A ~ Mult(S, q),
 * B ~ Mult(R, p), and E[Σ q_k p_k] = P at every generation because E[q] = p):
 *   E[Q_g] = 1/N + (S(S−1)·E[Q_{g−1}] + (R(R−1) + 2SR)·P) / N²,  Q = Σ p̂².
 * Its fixed point Q* < 1 whenever R ≥ 1, and since the number of surviving
 * types is at least 1/Q (the effective number of types), Jensen gives
 * E[surviving] ≥ 1/E[Q] > 1: fresh data keeps diversity bounded away from one.
 */
import { describe, expect, it } from 'vitest';
import type { DataMix } from '../../src/collapse/mix.js';
import { runCategorical, tailStartIndex, zipfDistribution } from '../../src/collapse/models/categorical.js';
import { mixSeed, Rng } from '../../src/core/rng.js';
import { binomialPmf, meanAndSe } from './theory.js';

const sampleDecoding = { kind: 'sample' as const, temperature: 1 };
const allSynthetic = (g: number): DataMix => ({ kind: 'share', share: new Float64Array(g + 1).fill(1) });

describe('neutral Wright–Fisher (no fresh data)', () => {
  it('expected heterozygosity decays as (1 − 1/N)^g', () => {
    const truth = zipfDistribution(20, 1);
    const h0 = 1 - truth.reduce((s, p) => s + p * p, 0);
    const N = 50;
    const G = 60;
    const runs = 3000;
    const checkpoints = [0, 1, 10, 30, 60];
    const values = checkpoints.map(() => new Float64Array(runs));
    for (let r = 0; r < runs; r++) {
      const out = runCategorical(
        { truth, samples: N, generations: G, mix: allSynthetic(G), decoding: sampleDecoding, start: 'truth', tailStart: 20, recordAt: checkpoints },
        new Rng(mixSeed(21, r)),
      );
      checkpoints.forEach((_, i) => (values[i][r] = out.metrics.heterozygosity[i]));
    }
    checkpoints.forEach((g, i) => {
      const expected = h0 * (1 - 1 / N) ** g;
      const { mean, se } = meanAndSe(values[i]);
      if (g === 0) expect(mean).toBeCloseTo(h0, 12);
      else expect(Math.abs(mean - expected), `g=${g}: ${mean} vs ${expected} (se ${se})`).toBeLessThan(4 * se);
    });
  });

  it('a generation-0 fit to N human samples adds one factor (1 − 1/N)', () => {
    const truth = Float64Array.from([0.4, 0.3, 0.2, 0.1]);
    const h0 = 1 - truth.reduce((s, p) => s + p * p, 0);
    const N = 30;
    const runs = 4000;
    const values = new Float64Array(runs);
    for (let r = 0; r < runs; r++) {
      const out = runCategorical(
        { truth, samples: N, generations: 10, mix: allSynthetic(10), decoding: sampleDecoding, start: 'fit', tailStart: 4, recordAt: [10] },
        new Rng(mixSeed(22, r)),
      );
      values[r] = out.metrics.heterozygosity[0];
    }
    const { mean, se } = meanAndSe(values);
    expect(Math.abs(mean - h0 * (1 - 1 / N) ** 11)).toBeLessThan(4 * se);
  });

  it('mean time to fixation of two types matches the diffusion approximation', () => {
    const N = 100;
    const runs = 4000;
    const G = 4000; // P(no fixation by then) ≈ e^{−G/N}: negligible
    const truth = Float64Array.from([0.5, 0.5]);
    const times = new Float64Array(runs);
    for (let r = 0; r < runs; r++) {
      const out = runCategorical(
        { truth, samples: N, generations: G, mix: allSynthetic(G), decoding: sampleDecoding, start: 'truth', tailStart: 2, recordAt: [G] },
        new Rng(mixSeed(23, r)),
      );
      expect(out.fixationGeneration).toBeGreaterThan(0);
      times[r] = out.fixationGeneration;
    }
    const diffusion = 2 * N * Math.log(2);
    const exact = exactAbsorptionTime(N, N / 2);
    // The diffusion is an approximation to the discrete chain; its error for this N is
    // computed exactly from the chain, and must be small for the comparison to mean anything.
    const discretisation = Math.abs(exact - diffusion);
    expect(discretisation / diffusion).toBeLessThan(0.02);
    const { mean, se } = meanAndSe(times);
    expect(Math.abs(mean - exact), `simulated ${mean} vs exact chain ${exact} (se ${se})`).toBeLessThan(4 * se);
    expect(Math.abs(mean - diffusion), `simulated ${mean} vs diffusion ${diffusion}`).toBeLessThan(4 * se + discretisation);
  });

  it('types that draw no sample never come back', () => {
    const truth = zipfDistribution(200, 1.1);
    const G = 200;
    const recordAt = Array.from({ length: G + 1 }, (_, g) => g);
    const out = runCategorical(
      {
        truth,
        samples: 100,
        generations: G,
        mix: allSynthetic(G),
        decoding: sampleDecoding,
        start: 'fit',
        tailStart: tailStartIndex(truth, 0.1),
        recordAt,
      },
      new Rng(24),
    );
    for (let g = 1; g <= G; g++) expect(out.metrics.surviving[g]).toBeLessThanOrEqual(out.metrics.surviving[g - 1]);
  });
});

/** Expected steps for the haploid Wright–Fisher chain to absorb from i copies: solve (I − Q)t = 1. */
function exactAbsorptionTime(N: number, start: number): number {
  const m = N - 1; // transient states 1..N−1
  const a = Array.from({ length: m }, (_, i) => {
    const row = new Float64Array(m + 1);
    for (let j = 0; j < m; j++) row[j] = (i === j ? 1 : 0) - binomialPmf(N, (i + 1) / N, j + 1);
    row[m] = 1;
    return row;
  });
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    for (let r = 0; r < m; r++) {
      if (r === col) continue;
      const f = a[r][col] / a[col][col];
      if (f !== 0) for (let c = col; c <= m; c++) a[r][c] -= f * a[col][c];
    }
  }
  return a[start - 1][m] / a[start - 1][start - 1];
}

describe('fresh-data anchoring', () => {
  const truth = zipfDistribution(50, 1.1);
  const P = truth.reduce((s, p) => s + p * p, 0);
  const N = 100;
  const G = 300;
  const runs = 600;

  function expectedHomozygosity(synthetic: number): number {
    const S = synthetic;
    const R = N - S;
    let q = 1 / N + ((N - 1) / N) * P; // generation 0: fitted to N human samples
    for (let g = 1; g <= G; g++) q = 1 / N + (S * (S - 1) * q + (R * (R - 1) + 2 * S * R) * P) / (N * N);
    return q;
  }

  const mixes: Array<[string, DataMix, number]> = [
    ['10% fresh', { kind: 'share', share: new Float64Array(G + 1).fill(0.9) }, 90],
    ['1% fresh', { kind: 'share', share: new Float64Array(G + 1).fill(0.99) }, 99],
    ['a single fresh sample', { kind: 'fresh-count', count: 1 }, 99],
  ];

  for (const [name, mix, synthetic] of mixes) {
    it(`with ${name} the homozygosity follows the exact recursion and surviving types stay above 1/E[Q] > 1`, () => {
      const homozygosity = new Float64Array(runs);
      const surviving = new Float64Array(runs);
      const tail = tailStartIndex(truth, 0.1);
      const recordAt = [G];
      for (let r = 0; r < runs; r++) {
        const out = runCategorical(
          { truth, samples: N, generations: G, mix, decoding: sampleDecoding, start: 'fit', tailStart: tail, recordAt },
          new Rng(mixSeed(25, synthetic, r)),
        );
        homozygosity[r] = 1 - out.metrics.heterozygosity[0];
        surviving[r] = out.metrics.surviving[0];
      }
      const q = expectedHomozygosity(synthetic);
      const h = meanAndSe(homozygosity);
      expect(Math.abs(h.mean - q), `E[Q]: ${h.mean} vs ${q}`).toBeLessThan(4 * h.se);
      const bound = 1 / q;
      expect(bound).toBeGreaterThan(1.2);
      const s = meanAndSe(surviving);
      expect(s.mean).toBeGreaterThan(bound);
    });
  }

  it('with no fresh data every run ends with a single type', () => {
    const G2 = 3000;
    let fixed = 0;
    for (let r = 0; r < 200; r++) {
      const out = runCategorical(
        { truth, samples: N, generations: G2, mix: allSynthetic(G2), decoding: sampleDecoding, start: 'fit', tailStart: 40, recordAt: [G2] },
        new Rng(mixSeed(26, r)),
      );
      if (out.metrics.surviving[0] === 1) fixed++;
    }
    expect(fixed).toBe(200);
  });
});

/**
 * Decoding rules on the dialect example, against their closed forms. One
 * generation from the truth p with all-synthetic data draws N samples from the
 * decoded distribution q, so each mean share equals q_k, with standard error
 * √(q_k(1−q_k)/(N·runs)).
 *   greedy: q = one-hot on the most probable type   (85/10/5 → 100/0/0)
 *   temperature T: q ∝ p^(1/T); T = 1 leaves p unchanged, in every generation (a martingale)
 *   top-p: keep the most probable types until their mass reaches p, renormalise
 *   best-of-n by likelihood: q_k = (1 − F_{<k})^n − (1 − F_{≤k})^n, F the mass ranked above
 */
import { describe, expect, it } from 'vitest';
import type { Decoding } from '../../src/collapse/decoding.js';
import { runCategorical } from '../../src/collapse/models/categorical.js';
import { mixSeed, Rng } from '../../src/core/rng.js';
import { meanAndSe } from './theory.js';

const DIALECTS = Float64Array.from([0.85, 0.1, 0.05]);
const allSynthetic = (g: number) => ({ kind: 'share' as const, share: new Float64Array(g + 1).fill(1) });

function shares(
  decoding: Decoding,
  opts: { truth?: Float64Array; samples: number; generations: number; runs: number; start?: 'fit' | 'truth'; seed: number },
) {
  const truth = opts.truth ?? DIALECTS;
  const recordAt = Array.from({ length: opts.generations + 1 }, (_, g) => g);
  const perType = Array.from(truth, () => recordAt.map(() => new Float64Array(opts.runs)));
  for (let r = 0; r < opts.runs; r++) {
    const out = runCategorical(
      {
        truth,
        samples: opts.samples,
        generations: opts.generations,
        mix: allSynthetic(opts.generations),
        decoding,
        start: opts.start ?? 'truth',
        tailStart: truth.length,
        recordAt,
        perTypeShares: true,
      },
      new Rng(mixSeed(opts.seed, r)),
    );
    out.typeShares!.forEach((series, k) => series.forEach((v, g) => (perType[k][g][r] = v)));
  }
  return perType;
}

function expectMeanShares(perType: Float64Array[][], g: number, expected: number[], samples: number) {
  expected.forEach((q, k) => {
    const values = perType[k][g];
    const { mean } = meanAndSe(values);
    const se = Math.sqrt((q * (1 - q)) / (samples * values.length));
    if (se === 0) expect(mean, `type ${k}`).toBe(q);
    else expect(Math.abs(mean - q), `type ${k}: ${mean} vs ${q}`).toBeLessThan(4 * se);
  });
}

describe('decoding rules on the 85/10/5 dialect example', () => {
  it('greedy decoding turns 85/10/5 into 100/0/0 in one generation', () => {
    for (const start of ['truth', 'fit'] as const) {
      const perType = shares({ kind: 'greedy' }, { samples: 1000, generations: 1, runs: 50, start, seed: 41 });
      for (let r = 0; r < 50; r++) expect([perType[0][1][r], perType[1][1][r], perType[2][1][r]]).toEqual([1, 0, 0]);
    }
  });

  it('sampling at temperature 1 preserves the shares in expectation, generation after generation', () => {
    const runs = 3000;
    const samples = 200;
    const perType = shares({ kind: 'sample', temperature: 1 }, { samples, generations: 20, runs, seed: 42 });
    for (const g of [1, 5, 20]) {
      Array.from(DIALECTS).forEach((p, k) => {
        const { mean, se } = meanAndSe(perType[k][g]);
        expect(Math.abs(mean - p), `g=${g} type ${k}`).toBeLessThan(4 * se);
      });
    }
    // …while single runs drift: the spread across runs grows (neutral drift, not stasis).
    const spread = (g: number) => meanAndSe(perType[2][g].map((v) => (v - 0.05) ** 2)).mean;
    expect(spread(20)).toBeGreaterThan(spread(1));
  });

  it('temperature 0.5 sharpens one generation to p²/Σp²', () => {
    const samples = 500;
    const runs = 1000;
    const sq = Array.from(DIALECTS, (p) => p * p);
    const z = sq.reduce((a, b) => a + b, 0);
    const perType = shares({ kind: 'sample', temperature: 0.5 }, { samples, generations: 1, runs, seed: 43 });
    expectMeanShares(
      perType,
      1,
      sq.map((x) => x / z),
      samples,
    );
  });

  it('top-p 0.9 keeps 85 and 10 (renormalised) and drops 5', () => {
    const samples = 500;
    const runs = 1000;
    const perType = shares({ kind: 'top-p', p: 0.9 }, { samples, generations: 1, runs, seed: 44 });
    expectMeanShares(perType, 1, [0.85 / 0.95, 0.1 / 0.95, 0], samples);
  });

  it('best-of-n by likelihood matches (1 − F_above)^n − (1 − F_through)^n', () => {
    const truth = Float64Array.from([0.5, 0.3, 0.2]);
    const samples = 500;
    const runs = 1000;
    for (const n of [1, 2, 5]) {
      const expected = [1 - 0.5 ** n, 0.5 ** n - 0.2 ** n, 0.2 ** n];
      const perType = shares({ kind: 'best-of', n }, { truth, samples, generations: 1, runs, seed: 45 + n });
      expectMeanShares(perType, 1, expected, samples);
    }
  });

  it('best-of-n splits tied candidates evenly', () => {
    const truth = Float64Array.from([0.4, 0.4, 0.2]);
    const samples = 500;
    const runs = 1000;
    // The tied pair wins unless all 3 candidates are the third type: 1 − 0.2³, split in two.
    const perType = shares({ kind: 'best-of', n: 3 }, { truth, samples, generations: 1, runs, seed: 49 });
    expectMeanShares(perType, 1, [(1 - 0.008) / 2, (1 - 0.008) / 2, 0.008], samples);
  });
});

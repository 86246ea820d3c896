import { describe, expect, it } from 'vitest';
import { mixSeed, Rng } from '../../src/core/rng.js';
import { AliasTable, binomial, logFactorial, multinomialAdd } from '../../src/collapse/samplers.js';
import { binomialPmf, chiSquare, chiSquareCritical, logGamma, meanAndSe, Z_1E4 } from './theory.js';

describe('xoshiro128**', () => {
  it('matches the reference implementation from state {1, 2, 3, 4}', () => {
    // First outputs of Blackman & Vigna's reference next() for s = {1, 2, 3, 4}, computed by a
    // line-by-line Python transcription of their C code (not by this implementation).
    const rng = Rng.fromState([1, 2, 3, 4]);
    const first = Array.from({ length: 6 }, () => rng.nextUint32());
    expect(first).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 5 }, () => rng.uniform());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(mixSeed(1, 2, 3)).toBe(mixSeed(1, 2, 3));
    expect(mixSeed(1, 2, 3)).not.toBe(mixSeed(1, 3, 2));
  });

  it('gives uniforms with mean 1/2 and variance 1/12, and standard normals', () => {
    const rng = new Rng(7);
    const n = 200_000;
    const u = Float64Array.from({ length: n }, () => rng.uniform());
    const { mean, se } = meanAndSe(u);
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * se);
    const sq = Float64Array.from(u, (x) => (x - 0.5) ** 2);
    const v = meanAndSe(sq);
    expect(Math.abs(v.mean - 1 / 12)).toBeLessThan(4 * v.se);
    const z = Float64Array.from({ length: n }, () => rng.normal());
    const zm = meanAndSe(z);
    expect(Math.abs(zm.mean)).toBeLessThan(4 * zm.se);
    const z2 = meanAndSe(Float64Array.from(z, (x) => x * x));
    expect(Math.abs(z2.mean - 1)).toBeLessThan(4 * z2.se);
  });
});

describe('logFactorial', () => {
  it('agrees with ln Γ(k+1) in the table and in the Stirling range', () => {
    for (const k of [0, 1, 2, 10, 170, 1023, 1024, 1500, 10_000, 1e7]) {
      expect(logFactorial(k)).toBeCloseTo(logGamma(k + 1), k < 1e6 ? 8 : 5);
    }
  });
});

describe('binomial sampler', () => {
  // Cases cover inversion (n·p < 10), BTRS (n·p ≥ 10) and the p > 1/2 reflection.
  const cases: Array<[number, number]> = [
    [1, 0.3],
    [20, 0.05],
    [1000, 0.004],
    [30, 0.5],
    [100, 0.2],
    [10_000, 0.013],
    [500, 0.9],
    [1_000_000, 0.3],
  ];
  for (const [n, p] of cases) {
    it(`passes a χ² test against the exact pmf for n=${n}, p=${p}`, () => {
      const rng = new Rng(mixSeed(n, Math.round(p * 1e6)));
      const draws = 40_000;
      const counts = new Map<number, number>();
      let invalid = 0;
      for (let i = 0; i < draws; i++) {
        const x = binomial(rng, n, p);
        if (!(x >= 0 && x <= n && Number.isInteger(x))) invalid++;
        counts.set(x, (counts.get(x) ?? 0) + 1);
      }
      expect(invalid).toBe(0);
      // Compare over the support that carries essentially all the mass.
      const mean = n * p;
      const sd = Math.sqrt(n * p * (1 - p));
      const lo = Math.max(0, Math.floor(mean - 8 * sd - 2));
      const hi = Math.min(n, Math.ceil(mean + 8 * sd + 2));
      const probs: number[] = [];
      const observed: number[] = [];
      for (let k = lo; k <= hi; k++) {
        probs.push(binomialPmf(n, p, k));
        observed.push(counts.get(k) ?? 0);
      }
      const { stat, dof } = chiSquare(observed, probs, draws);
      expect(dof).toBeGreaterThanOrEqual(1);
      expect(stat).toBeLessThan(chiSquareCritical(dof, Z_1E4));
    });
  }

  it('handles the edges exactly', () => {
    const rng = new Rng(1);
    expect(binomial(rng, 0, 0.5)).toBe(0);
    expect(binomial(rng, 10, 0)).toBe(0);
    expect(binomial(rng, 10, 1)).toBe(10);
  });
});

describe('multinomial and alias sampling', () => {
  const probs = [0.5, 0.2, 0.15, 0.1, 0.04, 0.01];

  it('multinomialAdd conserves the count and matches the expected cell means', () => {
    const rng = new Rng(3);
    const w = Float64Array.from(probs);
    const runs = 4000;
    const n = 250;
    const sums = new Float64Array(probs.length);
    for (let r = 0; r < runs; r++) {
      const out = new Float64Array(probs.length);
      const touched = new Int32Array(probs.length);
      const t = multinomialAdd(rng, n, w, 1, out, undefined, probs.length, touched);
      expect(out.reduce((a, b) => a + b, 0)).toBe(n);
      expect(t).toBe(out.filter((x) => x > 0).length);
      out.forEach((x, k) => (sums[k] += x));
    }
    probs.forEach((p, k) => {
      const se = Math.sqrt((n * p * (1 - p)) / runs);
      expect(Math.abs(sums[k] / runs - n * p)).toBeLessThan(4 * se);
    });
  });

  it('multinomialAdd respects a visiting order and unnormalised weights', () => {
    const rng = new Rng(4);
    const w = Float64Array.from([0, 30, 0, 10]);
    const order = Int32Array.from([3, 1]);
    const out = new Float64Array(4);
    multinomialAdd(rng, 1000, w, 40, out, order, 2);
    expect(out[0] + out[2]).toBe(0);
    expect(out[1] + out[3]).toBe(1000);
  });

  it('alias table draws pass a χ² test', () => {
    const rng = new Rng(5);
    const table = new AliasTable(probs);
    const draws = 100_000;
    const out = new Float64Array(probs.length);
    const touched = new Int32Array(probs.length);
    table.addDraws(rng, draws, out, touched);
    const { stat, dof } = chiSquare(Array.from(out), probs, draws);
    expect(stat).toBeLessThan(chiSquareCritical(dof, Z_1E4));
  });
});

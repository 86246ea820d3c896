import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { normalQuantile, percentileInterval, sampleBeta, sampleBinomial, sampleGamma, wilsonInterval, zForLevel } from '../../src/core/stats.js';
import { bootstrapCounts, resampleGroupedCounts } from '../../src/estimate/bootstrap.js';

const meanVar = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { m, v: xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1) };
};

describe('estimate/stats', () => {
  it('normal quantiles match tabulated values', () => {
    expect(zForLevel(0.95)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });

  it('Wilson interval matches the textbook formula', () => {
    // 0/10 at 95 %: upper end z²/(n+z²) = 0.2775
    const a = wilsonInterval(0, 10, 0.95);
    expect(a.lo).toBe(0);
    expect(a.hi).toBeCloseTo(0.2775, 3);
    const b = wilsonInterval(50, 100, 0.95);
    expect(b.lo).toBeCloseTo(0.4038, 3);
    expect(b.hi).toBeCloseTo(0.5962, 3);
    expect(wilsonInterval(0, 0, 0.95)).toEqual({ lo: 0, hi: 1 });
  });

  it('gamma, beta and binomial samplers have the right mean and variance', () => {
    const rng = new Rng(42);
    const g = meanVar(Array.from({ length: 20000 }, () => sampleGamma(rng, 0.7)));
    expect(g.m).toBeCloseTo(0.7, 1);
    expect(g.v).toBeCloseTo(0.7, 1);
    const b = meanVar(Array.from({ length: 20000 }, () => sampleBeta(rng, 3, 7)));
    expect(b.m).toBeCloseTo(0.3, 2);
    expect(b.v).toBeCloseTo((3 * 7) / (100 * 11), 3);
    for (const [n, p] of [
      [20, 0.3],
      [5000, 0.02],
      [100000, 0.5],
    ] as const) {
      const x = meanVar(Array.from({ length: 4000 }, () => sampleBinomial(rng, n, p)));
      expect(Math.abs(x.m - n * p)).toBeLessThan(4 * Math.sqrt((n * p * (1 - p)) / 4000));
      expect(x.v / (n * p * (1 - p))).toBeGreaterThan(0.9);
      expect(x.v / (n * p * (1 - p))).toBeLessThan(1.1);
    }
    expect(sampleBinomial(rng, 10, 0)).toBe(0);
    expect(sampleBinomial(rng, 10, 1)).toBe(10);
  });

  it('is reproducible from the seed', () => {
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      return [sampleBinomial(rng, 1000, 0.3), sampleBeta(rng, 2, 5)];
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('percentile intervals ignore NaN replicates', () => {
    const { lo, hi } = percentileInterval([NaN, ...Array.from({ length: 101 }, (_, i) => i / 100)], 0.9);
    expect(lo).toBeCloseTo(0.05, 10);
    expect(hi).toBeCloseTo(0.95, 10);
  });

  it('bootstrap counts are multinomial resamples of the right size', () => {
    const rng = new Rng(1);
    const c = bootstrapCounts(rng, 50);
    expect(c.reduce((a, b) => a + b, 0)).toBe(50);
    const grouped = resampleGroupedCounts(rng, [10, 0, 30, 60]);
    expect(grouped.reduce((a, b) => a + b, 0)).toBe(100);
    expect(grouped[1]).toBe(0);
  });
});

/**
 * The project's statistical building blocks: quantiles, normal quantiles, the Wilson score
 * interval, Monte Carlo summaries and exact seeded samplers (gamma, beta, binomial) on top of
 * the project's generator (rng.ts), so every interval is reproducible from a seed.
 */
import type { Rng } from './rng.js';

/** Two-sided standard-normal quantile for a confidence level (0.95 → 1.95996…). */
export function zForLevel(level: number): number {
  return normalQuantile(1 - (1 - level) / 2);
}

/** Inverse standard-normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pLow = 0.02425;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pLow) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/** Mean, standard deviation, standard error and quantiles of a set of run values. */
export interface Summary {
  mean: number;
  sd: number;
  /** Standard error of the mean, sd/√n. */
  se: number;
  q05: number;
  q50: number;
  q95: number;
}

/** Quantile with linear interpolation between order statistics (R's type 7); `sorted` ascending. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function summarize(values: Float64Array): Summary {
  const n = values.length;
  if (n === 0) return { mean: NaN, sd: NaN, se: NaN, q05: NaN, q50: NaN, q95: NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const sorted = Float64Array.from(values).sort();
  return {
    mean,
    sd,
    se: sd / Math.sqrt(n),
    q05: quantileSorted(sorted, 0.05),
    q50: quantileSorted(sorted, 0.5),
    q95: quantileSorted(sorted, 0.95),
  };
}

/** Equal-tailed percentile interval of bootstrap replicates (NaN replicates are ignored). */
export function percentileInterval(replicates: ArrayLike<number>, level: number): { lo: number; hi: number } {
  const finite: number[] = [];
  for (let i = 0; i < replicates.length; i++) if (Number.isFinite(replicates[i])) finite.push(replicates[i]);
  const sorted = Float64Array.from(finite).sort();
  const tail = (1 - level) / 2;
  return { lo: quantileSorted(sorted, tail), hi: quantileSorted(sorted, 1 - tail) };
}

/** Wilson score interval for k successes in n trials at a confidence level ([0, 1] when n = 0). */
export function wilsonInterval(k: number, n: number, level: number): { lo: number; hi: number } {
  if (n <= 0) return { lo: 0, hi: 1 };
  return wilsonBounds(k, n, zForLevel(level));
}

/** Wilson score bounds for k successes in n > 0 trials at normal quantile z. */
export function wilsonBounds(k: number, n: number, z: number): { lo: number; hi: number } {
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/** Gamma(shape, 1) deviate: Marsaglia & Tsang (2000), with the shape < 1 boost. */
export function sampleGamma(rng: Rng, shape: number): number {
  if (!(shape > 0)) throw new RangeError(`sampleGamma: shape must be > 0, got ${shape}`);
  if (shape < 1) return sampleGamma(rng, shape + 1) * rng.uniformOpen() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniformOpen();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) deviate from two gamma deviates. */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  return x / (x + y);
}

/**
 * Binomial(n, p) deviate, exact. Small n: sum of Bernoulli trials. Large n: Knuth's
 * order-statistic recursion (TAOCP 3.4.1), which splits n through a Beta draw and needs
 * O(log n) steps, so bootstraps over 10⁵-document months stay cheap.
 */
export function sampleBinomial(rng: Rng, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`sampleBinomial: n must be a non-negative integer, got ${n}`);
  if (p <= 0 || n === 0) return 0;
  if (p >= 1) return n;
  let k = 0;
  let trials = n;
  let prob = p;
  while (trials > 64) {
    const a = 1 + (trials >> 1);
    const b = trials + 1 - a;
    const x = sampleBeta(rng, a, b);
    if (x >= prob) {
      trials = a - 1;
      prob = prob / x;
    } else {
      k += a;
      trials = b - 1;
      prob = (prob - x) / (1 - x);
    }
  }
  for (let i = 0; i < trials; i++) if (rng.uniform() < prob) k++;
  return k;
}

/** Clamps to [0, 1]. */
export const clip01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

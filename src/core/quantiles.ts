/** Monte Carlo summaries across runs. */

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

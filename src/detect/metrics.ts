/**
 * Detector evaluation metrics with stratified bootstrap confidence intervals:
 * AUROC, TPR at fixed FPR (1 %, 5 %), and accuracy / F1 at a given threshold.
 * Documents a detector declined to score (score null) are excluded and reported as coverage.
 */
import { mulberry32 } from '../core/rng.js';
import { quantileSorted, wilsonBounds } from '../core/stats.js';

export interface Estimate {
  value: number;
  lo: number;
  hi: number;
}

export interface MetricSet {
  nPos: number;
  nNeg: number;
  /** Fraction of the slice's documents that got a non-null score. */
  coverage: number;
  auroc: Estimate | null;
  tprAt1Fpr: Estimate | null;
  tprAt5Fpr: Estimate | null;
  accuracy: Estimate | null;
  f1: Estimate | null;
  threshold: number;
}

/** Mann–Whitney AUROC with ties counted as one half. */
export function auroc(pos: ArrayLike<number>, neg: ArrayLike<number>): number {
  const nP = pos.length;
  const nN = neg.length;
  if (nP === 0 || nN === 0) return NaN;
  const all: Array<[number, number]> = [];
  for (let i = 0; i < nP; i++) all.push([pos[i], 1]);
  for (let i = 0; i < nN; i++) all.push([neg[i], 0]);
  all.sort((a, b) => a[0] - b[0]);
  let rankSumPos = 0;
  let i = 0;
  while (i < all.length) {
    let j = i;
    while (j + 1 < all.length && all[j + 1][0] === all[i][0]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (all[k][1] === 1) rankSumPos += avgRank;
    i = j + 1;
  }
  return (rankSumPos - (nP * (nP + 1)) / 2) / (nP * nN);
}

/**
 * Standard error of an AUROC from `pos` positives and `neg` negatives (Hanley and McNeil,
 * 1982).
 */
export function aurocStandardError(a: number, pos: number, neg: number): number {
  const q1 = a / (2 - a);
  const q2 = (2 * a * a) / (1 + a);
  const v = (a * (1 - a) + (pos - 1) * (q1 - a * a) + (neg - 1) * (q2 - a * a)) / Math.max(1, pos * neg);
  return Math.sqrt(Math.max(0, v));
}

/**
 * Threshold t such that the fraction of negatives with score ≥ t is at most `fpr`, as low
 * as possible; returns +Infinity when no threshold qualifies except "call nothing AI".
 */
export function thresholdAtFpr(neg: ArrayLike<number>, fpr: number): number {
  const sorted = Array.from(neg).sort((a, b) => b - a);
  const allowed = Math.floor(fpr * sorted.length + 1e-9);
  if (allowed >= sorted.length) return -Infinity;
  // Scores strictly above sorted[allowed] are flagged; nudging keeps ties on the safe side.
  const v = sorted[allowed];
  return nextUp(v);
}

function nextUp(v: number): number {
  if (!Number.isFinite(v)) return v;
  const buf = new Float64Array([v]);
  const bits = new BigInt64Array(buf.buffer);
  if (v === 0) return Number.MIN_VALUE;
  bits[0] += v > 0 ? 1n : -1n;
  return buf[0];
}

/** TPR at the threshold whose FPR on `neg` is ≤ `fpr`. */
export function tprAtFpr(pos: ArrayLike<number>, neg: ArrayLike<number>, fpr: number): number {
  if (pos.length === 0 || neg.length === 0) return NaN;
  const t = thresholdAtFpr(neg, fpr);
  let tp = 0;
  for (let i = 0; i < pos.length; i++) if (pos[i] >= t) tp++;
  return tp / pos.length;
}

export function accuracyAt(pos: ArrayLike<number>, neg: ArrayLike<number>, t: number): number {
  let correct = 0;
  for (let i = 0; i < pos.length; i++) if (pos[i] >= t) correct++;
  for (let i = 0; i < neg.length; i++) if (neg[i] < t) correct++;
  const n = pos.length + neg.length;
  return n > 0 ? correct / n : NaN;
}

export function f1At(pos: ArrayLike<number>, neg: ArrayLike<number>, t: number): number {
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < pos.length; i++) if (pos[i] >= t) tp++;
  for (let i = 0; i < neg.length; i++) if (neg[i] >= t) fp++;
  const fn = pos.length - tp;
  const denom = 2 * tp + fp + fn;
  return denom > 0 ? (2 * tp) / denom : NaN;
}

/** Wilson score interval for a binomial proportion k/n (95 % by default). */
export function wilson(k: number, n: number, z = 1.959964): Estimate {
  if (n === 0) return { value: NaN, lo: NaN, hi: NaN };
  return { value: k / n, ...wilsonBounds(k, n, z) };
}

export interface BootstrapOptions {
  /** Bootstrap replicates (0 = point estimates only). */
  replicates: number;
  seed: number;
  /** Threshold for accuracy/F1. */
  threshold: number;
}

/**
 * All metrics for one slice. Scores are (score | null) per document with labels; CIs are
 * 95 % percentile intervals from a bootstrap that resamples positives and negatives separately.
 */
export function computeMetrics(scores: ReadonlyArray<number | null>, labels: ReadonlyArray<0 | 1>, opts: BootstrapOptions): MetricSet {
  const pos: number[] = [];
  const neg: number[] = [];
  let scored = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (s === null || !Number.isFinite(s)) continue;
    scored++;
    (labels[i] === 1 ? pos : neg).push(s);
  }
  const t = opts.threshold;
  const stats = (p: number[], n: number[]): number[] => [auroc(p, n), tprAtFpr(p, n, 0.01), tprAtFpr(p, n, 0.05), accuracyAt(p, n, t), f1At(p, n, t)];
  const point = stats(pos, neg);
  const reps: number[][] = point.map(() => []);
  if (opts.replicates > 0 && pos.length > 0 && neg.length > 0) {
    const rand = mulberry32(opts.seed);
    const bp = new Array<number>(pos.length);
    const bn = new Array<number>(neg.length);
    for (let r = 0; r < opts.replicates; r++) {
      for (let i = 0; i < pos.length; i++) bp[i] = pos[Math.floor(rand() * pos.length)];
      for (let i = 0; i < neg.length; i++) bn[i] = neg[Math.floor(rand() * neg.length)];
      const s = stats(bp, bn);
      for (let k = 0; k < s.length; k++) if (Number.isFinite(s[k])) reps[k].push(s[k]);
    }
  }
  const est = (k: number): Estimate | null => {
    if (!Number.isFinite(point[k])) return null;
    const sorted = reps[k].sort((a, b) => a - b);
    return sorted.length > 0
      ? { value: point[k], lo: quantileSorted(sorted, 0.025), hi: quantileSorted(sorted, 0.975) }
      : { value: point[k], lo: NaN, hi: NaN };
  };
  return {
    nPos: pos.length,
    nNeg: neg.length,
    coverage: scores.length > 0 ? scored / scores.length : 0,
    auroc: est(0),
    tprAt1Fpr: est(1),
    tprAt5Fpr: est(2),
    accuracy: est(3),
    f1: est(4),
    threshold: t,
  };
}

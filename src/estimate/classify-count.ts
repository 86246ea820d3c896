/**
 * Classify-and-count: the share of documents a detector labels AI at its threshold, with a
 * Wilson interval. Biased whenever the detector errs (a detector with 4 % false positives
 * reports ≈4 % AI on a purely human corpus); reported for reference only.
 */
import { wilsonInterval } from '../core/stats.js';
import { DEFAULT_LEVEL, noEstimate, okEstimate, type ShareEstimate } from './types.js';

/** Number of scores at or above the threshold, and of non-null scores. */
export function countPositives(scores: ReadonlyArray<number | null>, threshold: number): { k: number; n: number } {
  let k = 0;
  let n = 0;
  for (const s of scores) {
    if (s === null || !Number.isFinite(s)) continue;
    n++;
    if (s >= threshold) k++;
  }
  return { k, n };
}

export interface NaiveOptions {
  detector: string;
  level?: number;
  minDocs?: number;
  threshold: number;
}

/** Naive share k/n with a Wilson interval. */
export function classifyAndCount(k: number, n: number, opts: NaiveOptions): ShareEstimate {
  const level = opts.level ?? DEFAULT_LEVEL;
  const method = `naive:${opts.detector}`;
  if (n === 0) return noEstimate(method, 'naive', opts.detector, 'no-data', 0, level);
  if (n < (opts.minDocs ?? 1)) return noEstimate(method, 'naive', opts.detector, 'too-few-documents', n, level);
  const { lo, hi } = wilsonInterval(k, n, level);
  return okEstimate({
    method,
    kind: 'naive',
    detector: opts.detector,
    share: k / n,
    lo,
    hi,
    level,
    n,
    note: `labels at threshold ${opts.threshold.toFixed(3)}, uncorrected`,
    details: { positives: k, threshold: opts.threshold },
  });
}

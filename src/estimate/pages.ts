/**
 * Page-level shares as the published web studies report them, from the `segments` detector
 * (score = word-weighted fraction of a page's ~500-word chunks judged AI):
 * - "primarily AI": pages with more than half of their chunks judged AI;
 * - "≥ x AI": pages with at least a given fraction of AI chunks.
 * These are raw counts of detector verdicts (not error-corrected); Wilson intervals.
 */
import { wilsonInterval } from '../core/stats.js';
import { DEFAULT_LEVEL, noEstimate, okEstimate, type ShareEstimate } from './types.js';

export interface PageShareOptions {
  detector: string;
  level?: number;
  minDocs?: number;
}

/** Pages whose AI fraction passes `test`, among the pages with a fraction. */
export function countPages(fractions: ReadonlyArray<number | null>, test: (f: number) => boolean): { k: number; n: number } {
  let n = 0;
  let k = 0;
  for (const f of fractions) {
    if (f === null || !Number.isFinite(f)) continue;
    n++;
    if (test(f)) k++;
  }
  return { k, n };
}

export const isPrimarilyAi = (fraction: number): boolean => fraction > 0.5;

function pageShare(k: number, n: number, method: string, kind: 'primarily-ai' | 'ai-fraction', note: string, opts: PageShareOptions): ShareEstimate {
  const level = opts.level ?? DEFAULT_LEVEL;
  if (n === 0) return noEstimate(method, kind, opts.detector, 'no-data', 0, level);
  if (n < (opts.minDocs ?? 1)) return noEstimate(method, kind, opts.detector, 'too-few-documents', n, level);
  const { lo, hi } = wilsonInterval(k, n, level);
  return okEstimate({ method, kind, detector: opts.detector, share: k / n, lo, hi, level, n, note, details: { pages: k } });
}

/** Share of pages with more than half of their chunks judged AI: k such pages of n. */
export function primarilyAiShare(k: number, n: number, opts: PageShareOptions): ShareEstimate {
  return pageShare(k, n, `primarily-ai:${opts.detector}`, 'primarily-ai', 'pages with > 50 % AI chunks (uncorrected)', opts);
}

/** Share of pages with at least `minFraction` of their chunks judged AI: k such pages of n. */
export function aiFractionShare(k: number, n: number, minFraction: number, opts: PageShareOptions): ShareEstimate {
  const pct = `${Math.round(minFraction * 100)}`;
  return pageShare(k, n, `ai-fraction-${pct}:${opts.detector}`, 'ai-fraction', `pages with ≥ ${pct} % AI chunks (uncorrected)`, opts);
}

/** Combining per-document calibrated ratios into α (pooled or per stratum), and small helpers of the word mixture. */
import { mleAlpha, type UnitRatios } from '../mixture.js';
import { applyCurve, type RatioCurve } from './word-calibration.js';

/** Knots of a calibration curve (finite ends of its segments) and r′ there. */
export function curveSummary(c: RatioCurve): { knots: number[]; values: number[] } {
  const knots = [...new Set([...c.lo, ...c.hi].filter(Number.isFinite))].sort((a, b) => a - b);
  if (knots.length === 0) knots.push(c.mid[0] - c.half[0], c.mid[0] + c.half[0]);
  return { knots, values: knots.map((k) => applyCurve(c, k)) };
}

/** P(AI | x) at prior α for a calibrated log-likelihood ratio r. */
export function aiPosterior(r: number, alpha: number): number {
  return r > 0 ? alpha / (alpha + (1 - alpha) * Math.exp(-r)) : (alpha * Math.exp(r)) / (1 - alpha + alpha * Math.exp(r));
}

/** Documents from..from+n−1 of a ratio list, as their own list. */
export function subRatios(all: UnitRatios, from: number, n: number): UnitRatios {
  return { r: all.r.subarray(from, from + n), start: Uint32Array.from({ length: n + 1 }, (_, i) => i), count: all.count.subarray(from, from + n) };
}

/** Σ_cell (weight share) · α̂_cell, each cell's MLE in [0, 1] (combine: 'strata'). */
export function strataAlpha(all: UnitRatios, w: Float64Array | Uint32Array, groups: ReadonlyArray<{ from: number; n: number }>): number {
  let total = 0;
  let sum = 0;
  for (const g of groups) {
    let wn = 0;
    for (let i = g.from; i < g.from + g.n; i++) wn += w[i];
    if (wn === 0) continue;
    const sub = subRatios(all, g.from, g.n);
    total += wn * mleAlpha(sub, w.subarray(g.from, g.from + g.n));
    sum += wn;
  }
  return sum > 0 ? total / sum : Number.NaN;
}

/** FNV-1a of a cell key: seeds the cell's replicate stream. */
export function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Stratified error-corrected prevalence with the baseline's own false-positive rate.
 *
 * For each calibration cell c of the group (one stratum for both rates: matched-cells.ts):
 *   π_c = (observed_c − FPR_c) / (TPR_c − FPR_c)        (Rogan–Gladen)
 * with FPR_c measured on the cell's pre-cutoff baseline pages and TPR_c on its AI references,
 * and the group's share is π = Σ_c w_c·π_c, w_c = the cell's share of the group's documents.
 * Cells are NOT clipped before combining (clipping each small cell at 0 would bias the sum
 * upwards when the truth is 0). π is shown clipped to [0, 1], and the note says so whenever
 * that changes it; the unclipped value stays in `details.unclipped`.
 *
 * Identifiability: a cell is used only where TPR − FPR exceeds z standard errors (z of the
 * interval's level); a point value that merely clears a fixed floor lets a cell whose
 * separation is 0.05 ± 0.05 move the share by 1/0.05 = 20 points per percent of flagged pages.
 * Weak cells are pooled upwards, and when the pooled stratum is weak too the group is
 * 'not-identifiable', with the separation and its error in the reason.
 *
 * Interval: a Bayesian bootstrap over every source of sampling error — the group's observed
 * rates (Beta(k+½, n−k+½) per cell), the cell weights (Dirichlet(n_c)), the baseline FPRs
 * (Beta(fp+½, tn+½)) and the TPRs (Beta(tp+½, fn+½)). A replicate in which some cell's drawn
 * TPR ≤ FPR has no defined share: it counts as −∞ for the lower bound and +∞ for the upper
 * one (it could be anything), never as 0 or 1. An interval that still spans the whole of
 * [0, 1] says nothing, so the group is then 'not-identifiable' instead.
 */
import { Rng, mixSeed } from '../../core/rng.js';
import { clip01, quantileSorted, sampleBeta, sampleGamma, zForLevel } from '../../core/stats.js';
import { DEFAULT_LEVEL, DEFAULT_REPLICATES, DEFAULT_SEED, noEstimate, okEstimate, type BootstrapOptions, type ShareEstimate } from '../types.js';
import type { BaselineScoreModel } from './score-model.js';
import { baselinePrecheck, type TargetCells } from './target.js';
import { describeMatched, matchedCells, type MatchedCell } from './matched-cells.js';

export interface BaselineEstimateOptions extends BootstrapOptions {
  minDocs?: number;
}

/** Smallest total-variation distance of baseline and AI score distributions the score mixture uses a stratum at. */
export const MIN_BASELINE_SEPARATION = 0.05;

export function baselineCorrectedShare(model: BaselineScoreModel, t: TargetCells, opts: BaselineEstimateOptions = {}): ShareEstimate {
  const level = opts.level ?? DEFAULT_LEVEL;
  const det = model.detector;
  const method = `baseline-corrected:${det}`;
  const early = baselinePrecheck(model, t, method, 'corrected', level, opts.minDocs);
  if (early) return early;
  const z = zForLevel(level);
  const at = `at threshold ${model.threshold.toFixed(3)}`;
  const matched = matchedCells(model, t, z);
  if (!('cells' in matched)) {
    const { d, se } = matched.separation;
    return notIdentifiable(
      method,
      det,
      t.n,
      level,
      `baseline TPR − FPR is ${d.toFixed(3)} ± ${se.toFixed(3)} (standard error; ${model.nBaseline} baseline pages, ${model.nAi} AI references) ${at} ` +
        `even with all strata pooled, not ${z.toFixed(2)} standard errors above 0: the detector does not separate this domain's human pages from its AI references ` +
        `well enough to correct ${matched.documents} of ${t.n} documents' counts`,
      { separation: d, separationSe: se, nBaseline: model.nBaseline, nAi: model.nAi, threshold: model.threshold },
    );
  }
  const cells = matched.cells;
  const rate = (c: MatchedCell) => ({ fpr: c.baseline.above / c.baseline.n, tpr: c.ai.above / c.ai.n });
  const unclipped = cells.reduce((s, c) => {
    const { fpr, tpr } = rate(c);
    return s + (c.n / t.n) * ((c.above / c.n - fpr) / (tpr - fpr));
  }, 0);

  const replicates = opts.replicates ?? DEFAULT_REPLICATES;
  const rng = new Rng(mixSeed(opts.seed ?? DEFAULT_SEED, t.n, 0x6261));
  const w = new Float64Array(cells.length);
  const draws = new Float64Array(replicates);
  let undefinedDraws = 0;
  for (let r = 0; r < replicates; r++) {
    let wSum = 0;
    for (let i = 0; i < cells.length; i++) wSum += w[i] = sampleGamma(rng, cells[i].n);
    let pi = 0;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      const fpr = sampleBeta(rng, c.baseline.above + 0.5, c.baseline.n - c.baseline.above + 0.5);
      const tpr = sampleBeta(rng, c.ai.above + 0.5, c.ai.n - c.ai.above + 0.5);
      const obs = sampleBeta(rng, c.above + 0.5, c.n - c.above + 0.5);
      // Keep drawing the other cells so the stream stays aligned whatever this one gives.
      pi += tpr > fpr ? ((w[i] / wSum) * (obs - fpr)) / (tpr - fpr) : Number.NaN;
    }
    if (Number.isNaN(pi)) undefinedDraws++;
    draws[r] = pi;
  }
  const { lo: rawLo, hi: rawHi } = conservativeInterval(draws, level);
  const pooledFpr = cells.reduce((s, c) => s + (c.n / t.n) * rate(c).fpr, 0);
  const pooledTpr = cells.reduce((s, c) => s + (c.n / t.n) * rate(c).tpr, 0);
  const observed = cells.reduce((s, c) => s + c.above, 0) / t.n;
  const details = {
    calibration: model.calibration,
    unclipped,
    unclippedLo: rawLo,
    unclippedHi: rawHi,
    bound: unclipped < 0 ? 'lower' : unclipped > 1 ? 'upper' : null,
    undefinedReplicates: undefinedDraws,
    observed,
    threshold: model.threshold,
    fpr: pooledFpr,
    tpr: pooledTpr,
    nBaseline: model.nBaseline,
    nAi: model.nAi,
    leftOut: 0,
    coarserForSeparation: matched.coarserForSeparation,
    humanSource: model.humanSource,
    aiSource: model.aiSource,
    cells: cells.map((c) => ({
      stratum: c.key,
      baseline: c.key,
      ai: c.key,
      n: c.n,
      observed: c.above / c.n,
      ...rate(c),
      separationSe: c.separation.se,
      baselineN: c.baseline.n,
      aiN: c.ai.n,
    })),
    replicates,
  };
  if (rawLo <= 0 && rawHi >= 1) {
    return notIdentifiable(
      method,
      det,
      t.n,
      level,
      `the ${Math.round(level * 100)} % interval of the corrected share runs from ${fmt(rawLo)} to ${fmt(rawHi)}, wider than the whole scale ` +
        `(baseline FPR ${pooledFpr.toFixed(3)} / AI-reference TPR ${pooledTpr.toFixed(3)} ${at}${undefinedDraws > 0 ? `; TPR ≤ FPR in ${undefinedDraws} of ${replicates} bootstrap replicates` : ''})`,
      details,
    );
  }
  return okEstimate({
    method,
    kind: 'corrected',
    detector: det,
    share: clip01(unclipped),
    lo: rawLo,
    hi: rawHi,
    level,
    n: t.n,
    note: `baseline FPR ${pooledFpr.toFixed(3)} / AI-reference TPR ${pooledTpr.toFixed(3)} ${at}; ${describeMatched(matched)}${boundNote(unclipped, rawLo, rawHi)}`,
    details,
  });
}

function notIdentifiable(method: string, det: string, n: number, level: number, reason: string, details: Record<string, unknown>): ShareEstimate {
  return { ...noEstimate(method, 'corrected', det, 'not-identifiable', n, level, reason), details };
}

/**
 * Percentile interval in which undefined replicates (NaN) count as −∞ for the lower bound and
 * +∞ for the upper: an interval that is only finite because undefined draws were dropped, or
 * clamped to 0 or 1, would claim more than the data hold.
 */
export function conservativeInterval(draws: Float64Array, level: number): { lo: number; hi: number } {
  const tail = (1 - level) / 2;
  const low = Float64Array.from(draws, (x) => (Number.isNaN(x) ? Number.NEGATIVE_INFINITY : x)).sort();
  const high = Float64Array.from(draws, (x) => (Number.isNaN(x) ? Number.POSITIVE_INFINITY : x)).sort();
  return { lo: finiteQuantile(low, tail), hi: finiteQuantile(high, 1 - tail) };
}

/** Type-7 quantile that returns the infinite end instead of NaN when it interpolates towards it. */
function finiteQuantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const a = sorted[Math.floor(h)];
  const b = sorted[Math.min(sorted.length - 1, Math.floor(h) + 1)];
  if (!Number.isFinite(a) || !Number.isFinite(b)) return q < 0.5 ? a : b;
  return quantileSorted(sorted, q);
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : x > 0 ? '+∞' : '−∞');

/** The note part that says when the corrected share left [0, 1] and was shown at the bound. */
function boundNote(unclipped: number, lo: number, hi: number): string {
  const parts: string[] = [];
  if (unclipped < 0) parts.push(`the corrected share is ${unclipped.toFixed(3)}, below 0, and is shown as 0`);
  if (unclipped > 1) parts.push(`the corrected share is ${unclipped.toFixed(3)}, above 1, and is shown as 1`);
  if (hi < 0)
    parts.push(
      `its whole interval (${fmt(lo)} to ${fmt(hi)}) is below 0: fewer pages are flagged than in the baseline, which does not match this group`,
    );
  else if (lo > 1)
    parts.push(
      `its whole interval (${fmt(lo)} to ${fmt(hi)}) is above 1: more pages are flagged than in the AI references, which do not match this group`,
    );
  return parts.length ? `; ${parts.join('; ')}` : '';
}

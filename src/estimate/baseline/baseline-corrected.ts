/**
 * Stratified error-corrected prevalence with the baseline's own false-positive rate.
 *
 * For each calibration cell c of the group (baseline stratum × AI-reference stratum):
 *   π_c = (observed_c − FPR_c) / (TPR_c − FPR_c)        (Rogan–Gladen)
 * with FPR_c measured on the cell's pre-cutoff baseline pages and TPR_c on its AI references,
 * and the group's share is π = Σ_c w_c·π_c, w_c = the cell's share of the group's documents.
 * Cells are NOT clipped before combining (clipping each small cell at 0 would bias the sum
 * upwards when the truth is 0); only π is clipped to [0, 1].
 *
 * Interval: a Bayesian bootstrap over every source of sampling error — the group's observed
 * rates (Beta(k+½, n−k+½) per cell), the cell weights (Dirichlet(n_c)), the baseline FPRs
 * (Beta(fp+½, tn+½) per baseline cell, shared by the cells that use it) and the TPRs
 * (Beta(tp+½, fn+½) per AI cell). The baseline's sampling error is therefore in the interval.
 */
import { Rng, mixSeed } from '../../core/rng.js';
import { clip01, percentileInterval, sampleBeta, sampleGamma } from '../../core/stats.js';
import { DEFAULT_LEVEL, DEFAULT_REPLICATES, DEFAULT_SEED, noEstimate, okEstimate, type BootstrapOptions, type ShareEstimate } from '../types.js';
import type { BaselineScoreModel } from './score-model.js';
import { baselinePrecheck, describeCells, identifiableCells, leftOutNote, type TargetCell, type TargetCells } from './target.js';
import { levelsOf } from './strata.js';

export interface BaselineEstimateOptions extends BootstrapOptions {
  minDocs?: number;
}

/** Smallest pooled TPR − FPR for which the correction is attempted. */
export const MIN_BASELINE_SEPARATION = 0.05;

export function baselineCorrectedShare(model: BaselineScoreModel, t: TargetCells, opts: BaselineEstimateOptions = {}): ShareEstimate {
  const level = opts.level ?? DEFAULT_LEVEL;
  const det = model.detector;
  const method = `baseline-corrected:${det}`;
  const early = baselinePrecheck(model, t, method, 'corrected', level, opts.minDocs);
  if (early) return early;
  const separation = (c: TargetCell): number => {
    const b = model.baselineCells.get(c.baseline)!;
    const a = model.aiCells.get(c.ai)!;
    return a.above / a.n - b.above / b.n;
  };
  const total = t.n;
  const { kept, leftOut } = identifiableCells(t, (c) => separation(c) < MIN_BASELINE_SEPARATION);
  if (kept.n === 0) {
    return noEstimate(
      method,
      'corrected',
      det,
      'not-identifiable',
      total,
      level,
      `baseline TPR − FPR < ${MIN_BASELINE_SEPARATION} at threshold ${model.threshold.toFixed(3)} in every stratum of this group`,
    );
  }
  t = kept;
  const cellStats = t.cells.map((c) => {
    const b = model.baselineCells.get(c.baseline)!;
    const a = model.aiCells.get(c.ai)!;
    return { c, b, a, fpr: b.above / b.n, tpr: a.above / a.n };
  });
  const unclipped = cellStats.reduce((s, x) => s + (x.c.n / t.n) * rg(x.c.above / x.c.n, x.tpr, x.fpr), 0);

  const replicates = opts.replicates ?? DEFAULT_REPLICATES;
  const rng = new Rng(mixSeed(opts.seed ?? DEFAULT_SEED, t.n, 0x6261));
  const bKeys = [...new Set(t.cells.map((c) => c.baseline))];
  const aKeys = [...new Set(t.cells.map((c) => c.ai))];
  const bIndex = t.cells.map((c) => bKeys.indexOf(c.baseline));
  const aIndex = t.cells.map((c) => aKeys.indexOf(c.ai));
  const fprStar = new Float64Array(bKeys.length);
  const tprStar = new Float64Array(aKeys.length);
  const w = new Float64Array(t.cells.length);
  const draws = new Float64Array(replicates);
  for (let r = 0; r < replicates; r++) {
    bKeys.forEach((k, i) => {
      const b = model.baselineCells.get(k)!;
      fprStar[i] = sampleBeta(rng, b.above + 0.5, b.n - b.above + 0.5);
    });
    aKeys.forEach((k, i) => {
      const a = model.aiCells.get(k)!;
      tprStar[i] = sampleBeta(rng, a.above + 0.5, a.n - a.above + 0.5);
    });
    let wSum = 0;
    for (let i = 0; i < t.cells.length; i++) wSum += w[i] = sampleGamma(rng, t.cells[i].n);
    let pi = 0;
    for (let i = 0; i < t.cells.length; i++) {
      const c = t.cells[i];
      const obs = sampleBeta(rng, c.above + 0.5, c.n - c.above + 0.5);
      pi += (w[i] / wSum) * rg(obs, tprStar[aIndex[i]], fprStar[bIndex[i]]);
    }
    draws[r] = clip01(pi);
  }
  const { lo, hi } = percentileInterval(draws, level);
  const pooledFpr = cellStats.reduce((s, x) => s + (x.c.n / t.n) * x.fpr, 0);
  const pooledTpr = cellStats.reduce((s, x) => s + (x.c.n / t.n) * x.tpr, 0);
  const observed = t.cells.reduce((s, c) => s + c.above, 0) / t.n;
  return okEstimate({
    method,
    kind: 'corrected',
    detector: det,
    share: clip01(unclipped),
    lo,
    hi,
    level,
    n: t.n,
    note: `baseline FPR ${pooledFpr.toFixed(3)} / AI-reference TPR ${pooledTpr.toFixed(3)} at ${model.threshold.toFixed(3)}; ${describeCells(t, levelsOf(model.spec))}${leftOutNote(leftOut, total)}`,
    details: {
      calibration: model.calibration,
      unclipped,
      observed,
      threshold: model.threshold,
      fpr: pooledFpr,
      tpr: pooledTpr,
      nBaseline: model.nBaseline,
      nAi: model.nAi,
      leftOut,
      humanSource: model.humanSource,
      aiSource: model.aiSource,
      cells: cellStats.map((x) => ({
        baseline: x.c.baseline,
        ai: x.c.ai,
        n: x.c.n,
        observed: x.c.above / x.c.n,
        fpr: x.fpr,
        tpr: x.tpr,
        baselineN: x.b.n,
        aiN: x.a.n,
      })),
      replicates,
    },
  });
}

/** Unclipped Rogan–Gladen; a replicate whose detector no longer separates counts at the boundary its rate points to. */
function rg(observed: number, tpr: number, fpr: number): number {
  const d = tpr - fpr;
  if (d > 1e-6) return (observed - fpr) / d;
  return observed > fpr ? 1 : 0;
}

/**
 * Score-distribution mixture against the baseline.
 *
 * In each calibration cell c, the group's detector scores are modelled as
 *   f(s) = (1 − α_c)·F_human,c(s) + α_c·F_ai,c(s)
 * with F_human,c the binned score distribution of the cell's pre-cutoff baseline pages and
 * F_ai,c that of its AI references (bins: score-model.ts; a prior mass of ½ spread over the bins). α_c
 * maximises Σ_b n_b·log((1 − α)·h_b + α·a_b), which is concave in α; it is searched over the
 * whole range where the mixture density stays positive (it may leave [0, 1]), because clipping
 * each small cell at 0 would bias the combination upward when the truth is 0. The group's
 * share is Σ_c w_c·α_c, clipped to [0, 1].
 *
 * Unlike counting above one threshold, the whole score distribution is used, so a detector
 * whose baseline scores are shifted (a web page style the labelled corpora never had) is
 * judged against that shifted distribution rather than against a fixed cut.
 *
 * Interval: Bayesian bootstrap — h ~ Dirichlet(baseline counts + ½/B) per baseline cell,
 * a ~ Dirichlet(AI counts + ½/B) per AI cell, the group's bin counts ~ Dirichlet(counts)
 * and cell weights ~ Dirichlet(cell sizes) — so the baseline's and references' sampling error
 * is included. Strata where the two distributions do not differ are left out (see the note).
 */
import { Rng, mixSeed } from '../../core/rng.js';
import { clip01, percentileInterval, sampleGamma, zForLevel } from '../../core/stats.js';
import { DEFAULT_LEVEL, DEFAULT_REPLICATES, DEFAULT_SEED, noEstimate, okEstimate, type ShareEstimate } from '../types.js';
import { MIN_BASELINE_SEPARATION, type BaselineEstimateOptions } from './baseline-corrected.js';
import type { BaselineScoreModel } from './score-model.js';
import { levelsOf } from './strata.js';
import { baselinePrecheck, describeCells, identifiableCells, leftOutNote, type TargetCells } from './target.js';

/**
 * Total prior mass spread evenly over the bins of every histogram: enough to keep densities
 * positive, small enough not to pull a 100-page stratum toward uniform (a ½ pseudo-count PER
 * bin biased α̂ down by ≈ 1–2 pp at 5 % AI).
 */
const PRIOR_MASS = 0.5;

/** Normalised histogram with PRIOR_MASS spread over the bins. */
function smoothed(hist: ArrayLike<number>, out = new Float64Array(hist.length)): Float64Array {
  const extra = PRIOR_MASS / hist.length;
  let total = 0;
  for (let i = 0; i < hist.length; i++) total += hist[i] + extra;
  for (let i = 0; i < hist.length; i++) out[i] = (hist[i] + extra) / total;
  return out;
}

function sd(xs: Float64Array): number {
  let m = 0;
  for (const x of xs) m += x / xs.length;
  let v = 0;
  for (const x of xs) v += (x - m) ** 2 / Math.max(1, xs.length - 1);
  return Math.sqrt(v);
}

/** Total-variation distance of two normalised histograms: the largest TPR − FPR any threshold set could reach. */
export function totalVariation(h: ArrayLike<number>, a: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < h.length; i++) d += Math.abs(h[i] - a[i]);
  return d / 2;
}

/** Dirichlet(counts + extra) draw into `out`; bins with zero parameter get 0. */
function dirichlet(rng: Rng, counts: ArrayLike<number>, extra: number, out: Float64Array): Float64Array {
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const a = counts[i] + extra;
    out[i] = a > 0 ? sampleGamma(rng, a) : 0;
    total += out[i];
  }
  for (let i = 0; i < counts.length; i++) out[i] /= total;
  return out;
}

/**
 * Maximum-likelihood α of Σ_b n_b·log(h_b + α(a_b − h_b)) over the interval where the mixture
 * is a distribution — a non-negative density in EVERY bin, not only in bins with data (else a
 * month with no AI-like pages runs α̂ off to the search bound) — and within [−2, 3].
 * ℓ is concave, so bisection on ℓ′ finds the unique maximum.
 */
export function binnedMixtureMle(n: ArrayLike<number>, h: ArrayLike<number>, a: ArrayLike<number>): number {
  let lo = -2;
  let hi = 3;
  for (let b = 0; b < n.length; b++) {
    const d = a[b] - h[b];
    if (d > 0) lo = Math.max(lo, -h[b] / d);
    else if (d < 0) hi = Math.min(hi, h[b] / -d);
  }
  const eps = 1e-9 * (hi - lo);
  lo += eps;
  hi -= eps;
  const grad = (x: number): number => {
    let g = 0;
    for (let b = 0; b < n.length; b++) {
      if (!(n[b] > 0)) continue;
      const d = a[b] - h[b];
      g += (n[b] * d) / (h[b] + x * d);
    }
    return g;
  };
  if (grad(lo) <= 0) return lo;
  if (grad(hi) >= 0) return hi;
  for (let it = 0; it < 60; it++) {
    const mid = 0.5 * (lo + hi);
    if (grad(mid) > 0) lo = mid;
    else hi = mid;
    if (hi - lo < 1e-7) break;
  }
  return 0.5 * (lo + hi);
}

export function scoreMixtureShare(model: BaselineScoreModel, t: TargetCells, opts: BaselineEstimateOptions = {}): ShareEstimate {
  const level = opts.level ?? DEFAULT_LEVEL;
  const det = model.detector;
  const method = `score-mixture:${det}`;
  const early = baselinePrecheck(model, t, method, 'score-mixture', level, opts.minDocs);
  if (early) return early;
  const B = model.bins;
  // Strata whose baseline and AI score distributions barely differ carry no information on α:
  // left out (pairing them with another stratum's distributions would bring the shift back).
  const total = t.n;
  const { kept, leftOut } = identifiableCells(
    t,
    (c) => totalVariation(smoothed(model.baselineCells.get(c.baseline)!.hist), smoothed(model.aiCells.get(c.ai)!.hist)) < MIN_BASELINE_SEPARATION,
  );
  if (kept.n === 0) {
    return noEstimate(
      method,
      'score-mixture',
      det,
      'not-identifiable',
      total,
      level,
      `baseline and AI-reference score distributions differ by less than ${MIN_BASELINE_SEPARATION} (total variation) in every stratum of this group`,
    );
  }
  t = kept;
  const perCell = t.cells.map((c) => {
    const h = smoothed(model.baselineCells.get(c.baseline)!.hist);
    const a = smoothed(model.aiCells.get(c.ai)!.hist);
    return { c, alpha: binnedMixtureMle(c.hist, h, a) };
  });
  const unclipped = perCell.reduce((s, x) => s + (x.c.n / t.n) * x.alpha, 0);

  const replicates = opts.replicates ?? DEFAULT_REPLICATES;
  const rng = new Rng(mixSeed(opts.seed ?? DEFAULT_SEED, t.n, 0x736d));
  const bKeys = [...new Set(t.cells.map((c) => c.baseline))];
  const aKeys = [...new Set(t.cells.map((c) => c.ai))];
  const hStar = bKeys.map(() => new Float64Array(B));
  const aStar = aKeys.map(() => new Float64Array(B));
  const bIndex = t.cells.map((c) => bKeys.indexOf(c.baseline));
  const aIndex = t.cells.map((c) => aKeys.indexOf(c.ai));
  const nStar = new Float64Array(B);
  const w = new Float64Array(t.cells.length);
  const draws = new Float64Array(replicates);
  for (let r = 0; r < replicates; r++) {
    bKeys.forEach((k, i) => dirichlet(rng, model.baselineCells.get(k)!.hist, PRIOR_MASS / B, hStar[i]));
    aKeys.forEach((k, i) => dirichlet(rng, model.aiCells.get(k)!.hist, PRIOR_MASS / B, aStar[i]));
    let wSum = 0;
    for (let i = 0; i < t.cells.length; i++) wSum += w[i] = sampleGamma(rng, t.cells[i].n);
    let alpha = 0;
    for (let i = 0; i < t.cells.length; i++) {
      const c = t.cells[i];
      // No prior on the month's own counts: even ½ document spread over the bins pushed every
      // replicate of an all-human month above 0 (the 95 % interval then missed a true 0 in
      // 35 % of leave-one-source-out draws). The price: a month with no AI-like pages can get
      // a very narrow [0, x] interval.
      dirichlet(rng, c.hist, 0, nStar);
      for (let b = 0; b < B; b++) nStar[b] *= c.n;
      alpha += (w[i] / wSum) * binnedMixtureMle(nStar, hStar[bIndex[i]], aStar[aIndex[i]]);
    }
    draws[r] = clip01(alpha);
  }
  const pct = percentileInterval(draws, level);
  // α = 0 sits on the edge of what a mixture can express (below it the density would turn
  // negative in the AI-heavy bins), so every replicate lands ≥ ~0 and the percentile interval
  // under-covers a true 0 (lower bound > 0 in 35 % of all-human leave-one-source-out months).
  // When the estimate is within z bootstrap standard errors of 0, the interval reaches 0.
  const z = zForLevel(level);
  const lo = clip01(unclipped) - z * sd(draws) <= 0 ? 0 : pct.lo;
  const hi = pct.hi;
  return okEstimate({
    method,
    kind: 'score-mixture',
    detector: det,
    share: clip01(unclipped),
    lo,
    hi,
    level,
    n: t.n,
    note: `score distributions of ${model.nBaseline} baseline pages and ${model.nAi} AI references, ${B} bins; ${describeCells(t, levelsOf(model.spec))}${leftOutNote(leftOut, total)}`,
    details: {
      calibration: model.calibration,
      unclipped,
      bins: B,
      leftOut,
      nBaseline: model.nBaseline,
      nAi: model.nAi,
      humanSource: model.humanSource,
      aiSource: model.aiSource,
      cells: perCell.map((x) => ({ baseline: x.c.baseline, ai: x.c.ai, n: x.c.n, alpha: x.alpha })),
      replicates,
    },
  });
}

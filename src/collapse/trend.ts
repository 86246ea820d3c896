/**
 * Logistic growth fitted to the measured AI-share series, projected forward,
 * with uncertainty from a parametric bootstrap within the measured intervals.
 *
 * Model: share(t) = L / (1 + exp(−(a + b·t))), t in months since the last
 * measured month, ceiling L fixed (default 1: AI text could in principle be
 * the whole web). With L fixed the fit is weighted least squares of
 * logit(share/L) on t, weights 1/se², where se is the interval's half-width
 * on the logit scale divided by the normal quantile of the interval's level.
 * When the points scatter more than their intervals allow (reduced χ² > 1),
 * all se are scaled up by √χ²_red (the usual over-dispersion correction).
 */
import { Rng } from '../core/rng.js';
import { periodOf, periodSpan } from '../core/months.js';
import { pointLastMonth, pointMonth, type ShareInput } from './shares.js';
import { normalQuantile, quantileSorted } from '../core/stats.js';

export interface TrendOptions {
  /** Ceiling L of the logistic curve, in (0, 1]. */
  ceiling: number;
  /** Months to project past the last measured month. */
  horizon: number;
  /** Bootstrap draws of the curve. */
  bootstrap: number;
  seed: number;
}

export interface TrendFit {
  ceiling: number;
  /** Month index (months since year 0) of the last measured month; t = 0 there. */
  origin: number;
  /** logit(share/L) at t = 0. */
  intercept: number;
  /** Growth rate per month on the logit scale. */
  slope: number;
  /** Standard errors of intercept and slope (after the over-dispersion scaling). */
  interceptSe: number;
  slopeSe: number;
  /** χ²/(n−2) of the weighted fit (1 when n = 2); se were scaled by its root when > 1. */
  dispersion: number;
}

export interface ShareProjection {
  fit: TrendFit;
  /** First measured month index; the curve covers months first..origin+horizon. */
  firstMonth: number;
  horizon: number;
  /** Per month from firstMonth: the point fit, and bootstrap quantiles. */
  months: Array<{ period: string; month: number; fitted: number; q05: number; q50: number; q95: number; projected: boolean }>;
  /** draws[b][i]: bootstrap curve b at months[i]. */
  draws: Float64Array[];
}

export class TrendError extends Error {}

const logit = (u: number): number => Math.log(u / (1 - u));
const logistic = (x: number): number => 1 / (1 + Math.exp(-x));

interface LogitPoints {
  t: Float64Array;
  y: Float64Array;
  se: Float64Array;
}

/** Month index of the last month the series measures (the projection's origin). */
const lastMonth = (input: ShareInput): number => Math.max(...input.points.map(pointLastMonth));

/** Each period, at its documents' mean month (else its middle), on the logit(share/L) scale with its standard error. */
function toLogitScale(input: ShareInput, ceiling: number): LogitPoints {
  const z = normalQuantile((1 + input.level) / 2);
  const origin = lastMonth(input);
  const count = input.points.length;
  const out: LogitPoints = { t: new Float64Array(count), y: new Float64Array(count), se: new Float64Array(count) };
  input.points.forEach((p, i) => {
    if (p.hi > ceiling) {
      throw new TrendError(`${p.period}: interval upper end ${p.hi} exceeds the ceiling ${ceiling}; raise --ceiling`);
    }
    // Keep 0 and L off the logit's poles by half a document (continuity correction).
    const eps = 0.5 / (p.n + 1);
    const clamp = (v: number): number => Math.min(1 - eps, Math.max(eps, v / ceiling));
    const u = clamp(p.share);
    const intervalSe = (logit(clamp(p.hi)) - logit(clamp(p.lo))) / (2 * z);
    // An interval can't be narrower than binomial sampling noise for n documents.
    const binomialSe = 1 / Math.sqrt(p.n * u * (1 - u));
    out.t[i] = pointMonth(p) - origin;
    out.y[i] = logit(u);
    out.se[i] = Math.max(intervalSe, binomialSe);
  });
  return out;
}

/** Weighted least squares y ≈ a + b t; returns [a, b, (XᵀWX)⁻¹ entries]. */
function weightedLine(t: Float64Array, y: ArrayLike<number>, se: Float64Array) {
  let sw = 0,
    st = 0,
    sy = 0,
    stt = 0,
    sty = 0;
  for (let i = 0; i < t.length; i++) {
    const w = 1 / (se[i] * se[i]);
    sw += w;
    st += w * t[i];
    sy += w * y[i];
    stt += w * t[i] * t[i];
    sty += w * t[i] * y[i];
  }
  const det = sw * stt - st * st;
  const b = (sw * sty - st * sy) / det;
  const a = (sy - b * st) / sw;
  return { a, b, varA: stt / det, varB: sw / det };
}

/** Fits the logistic curve to the series (at least two periods). */
export function fitLogistic(input: ShareInput, ceiling: number): TrendFit {
  if (!(ceiling > 0 && ceiling <= 1)) throw new TrendError('--ceiling must be in (0, 1]');
  if (input.points.length < 2) {
    throw new TrendError(`${input.source}: a trend needs at least two periods, found ${input.points.length}; use --synthetic for a fixed share`);
  }
  const pts = toLogitScale(input, ceiling);
  const line = weightedLine(pts.t, pts.y, pts.se);
  let chi2 = 0;
  for (let i = 0; i < pts.t.length; i++) chi2 += ((pts.y[i] - line.a - line.b * pts.t[i]) / pts.se[i]) ** 2;
  const dof = pts.t.length - 2;
  const dispersion = dof > 0 ? chi2 / dof : 1;
  const scale = Math.max(1, dispersion);
  return {
    ceiling,
    origin: lastMonth(input),
    intercept: line.a,
    slope: line.b,
    interceptSe: Math.sqrt(line.varA * scale),
    slopeSe: Math.sqrt(line.varB * scale),
    dispersion,
  };
}

/** Share on the fitted curve at month index `month`. */
export function trendShare(fit: Pick<TrendFit, 'ceiling' | 'origin' | 'intercept' | 'slope'>, month: number): number {
  return fit.ceiling * logistic(fit.intercept + fit.slope * (month - fit.origin));
}

/** Fits, bootstraps and projects the series `horizon` months past its last month. */
export function projectShares(input: ShareInput, opts: TrendOptions): ShareProjection {
  const fit = fitLogistic(input, opts.ceiling);
  const pts = toLogitScale(input, opts.ceiling);
  const noiseScale = Math.sqrt(Math.max(1, fit.dispersion));
  const firstMonth = periodSpan(input.points[0].period)!.first;
  const monthCount = fit.origin + opts.horizon - firstMonth + 1;
  const rng = new Rng(opts.seed);
  const yStar = new Float64Array(pts.y.length);
  const draws: Float64Array[] = [];
  for (let b = 0; b < opts.bootstrap; b++) {
    // Redraw every month within its interval (on the logit scale), refit.
    for (let i = 0; i < yStar.length; i++) yStar[i] = pts.y[i] + noiseScale * pts.se[i] * rng.normal();
    const line = weightedLine(pts.t, yStar, pts.se);
    const curve = new Float64Array(monthCount);
    for (let i = 0; i < monthCount; i++) {
      curve[i] = trendShare({ ceiling: opts.ceiling, origin: fit.origin, intercept: line.a, slope: line.b }, firstMonth + i);
    }
    draws.push(curve);
  }
  const column = new Float64Array(draws.length);
  const months = Array.from({ length: monthCount }, (_, i) => {
    const month = firstMonth + i;
    for (let b = 0; b < draws.length; b++) column[b] = draws[b][i];
    const sorted = Float64Array.from(column).sort();
    return {
      period: periodOf(month),
      month,
      fitted: trendShare(fit, month),
      q05: quantileSorted(sorted, 0.05),
      q50: quantileSorted(sorted, 0.5),
      q95: quantileSorted(sorted, 0.95),
      projected: month > fit.origin,
    };
  });
  return { fit, firstMonth, horizon: opts.horizon, months, draws };
}

/**
 * Month whose crawl trains generation g ≥ 1: generation 1 trains on the last
 * measured month, each later one `monthsPerGeneration` months after the one
 * before; past the horizon the share is held at the horizon's value.
 */
export function generationMonth(origin: number, g: number, monthsPerGeneration: number, horizon: number): number {
  return origin + Math.min((g - 1) * monthsPerGeneration, horizon);
}

/**
 * Synthetic share per generation (index 0 = 0, human only) for bootstrap draw
 * `draw`. The array stops at the first generation held at the horizon (or at
 * G); later generations keep its last value (see DataMix).
 */
export function generationShares(projection: ShareProjection, draw: number, generations: number, monthsPerGeneration: number): Float64Array {
  const curve = projection.draws[draw % projection.draws.length];
  const lastDistinct = Math.min(generations, Math.floor(projection.horizon / monthsPerGeneration) + 2);
  const shares = new Float64Array(lastDistinct + 1);
  for (let g = 1; g <= lastDistinct; g++) {
    const month = generationMonth(projection.fit.origin, g, monthsPerGeneration, projection.horizon);
    shares[g] = curve[month - projection.firstMonth];
  }
  return shares;
}

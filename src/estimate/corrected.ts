/**
 * Error-corrected prevalence (Rogan & Gladen 1978):
 *
 *   π̂ = (observed − FPR) / (TPR − FPR), clipped to [0, 1]
 *
 * where observed is the share labelled AI at the detector's calibrated threshold and TPR/FPR
 * were measured at that threshold on labelled calibration data. The interval comes from a
 * bootstrap over BOTH sources of error: each replicate redraws the group's observed rate and
 * the calibration's TPR and FPR from their counts — a Bayesian bootstrap of binary labels
 * (Rubin 1981) with Jeffreys' ½ pseudo-counts: observed* ~ Beta(k + ½, n − k + ½),
 * TPR* ~ Beta(tp + ½, fn + ½), FPR* ~ Beta(fp + ½, tn + ½). Unlike resampling documents
 * with replacement it does not collapse to a point when no (or every) document is flagged,
 * and a calibration measured on few documents widens the interval.
 */
import { Rng, mixSeed } from '../core/rng.js';
import { clip01, percentileInterval, sampleBeta } from '../core/stats.js';
import { DEFAULT_LEVEL, DEFAULT_REPLICATES, DEFAULT_SEED, noEstimate, okEstimate, type BootstrapOptions, type ShareEstimate } from './types.js';

/** A detector's operating point on labelled data, with the counts it was measured on. */
export interface OperatingPoint {
  threshold: number;
  tpr: number;
  fpr: number;
  /** AI documents the TPR was measured on. */
  nPos: number;
  /** Human documents the FPR was measured on. */
  nNeg: number;
  /** Where the numbers come from (shown in reports). */
  dataset?: string;
}

/** Smallest TPR − FPR for which the correction is attempted (below it the detector barely separates). */
export const MIN_SEPARATION = 0.05;

/** Rogan–Gladen point estimate, clipped to [0, 1]; NaN when TPR ≤ FPR. */
export function roganGladen(observed: number, tpr: number, fpr: number): number {
  const denom = tpr - fpr;
  if (!(denom > 0)) return Number.NaN;
  return clip01((observed - fpr) / denom);
}

export interface CorrectedOptions extends BootstrapOptions {
  detector: string;
  minDocs?: number;
}

/** Error-corrected share of k AI-labelled documents out of n. */
export function correctedShare(k: number, n: number, cal: OperatingPoint | null, opts: CorrectedOptions): ShareEstimate {
  const level = opts.level ?? DEFAULT_LEVEL;
  const method = `corrected:${opts.detector}`;
  if (n === 0) return noEstimate(method, 'corrected', opts.detector, 'no-data', 0, level);
  if (n < (opts.minDocs ?? 1)) return noEstimate(method, 'corrected', opts.detector, 'too-few-documents', n, level);
  if (!cal || !(cal.nPos > 0 && cal.nNeg > 0)) {
    return noEstimate(method, 'corrected', opts.detector, 'uncalibrated', n, level, 'no calibration for this detector version');
  }
  if (!(cal.tpr - cal.fpr >= MIN_SEPARATION)) {
    return noEstimate(
      method,
      'corrected',
      opts.detector,
      'not-identifiable',
      n,
      level,
      `TPR ${cal.tpr.toFixed(3)} − FPR ${cal.fpr.toFixed(3)} < ${MIN_SEPARATION}`,
    );
  }
  const observed = k / n;
  const share = roganGladen(observed, cal.tpr, cal.fpr);
  const replicates = opts.replicates ?? DEFAULT_REPLICATES;
  const rng = new Rng(mixSeed(opts.seed ?? DEFAULT_SEED, n, k));
  const tp = Math.round(cal.tpr * cal.nPos);
  const fp = Math.round(cal.fpr * cal.nNeg);
  const draws = new Float64Array(replicates);
  for (let b = 0; b < replicates; b++) {
    const obs = sampleBeta(rng, k + 0.5, n - k + 0.5);
    const tpr = sampleBeta(rng, tp + 0.5, cal.nPos - tp + 0.5);
    const fpr = sampleBeta(rng, fp + 0.5, cal.nNeg - fp + 0.5);
    // A replicate where the redrawn detector no longer separates carries no information
    // about π; count it at the boundary its observed rate points to rather than dropping it.
    draws[b] = tpr - fpr > 1e-6 ? roganGladen(obs, tpr, fpr) : obs > fpr ? 1 : 0;
  }
  const { lo, hi } = percentileInterval(draws, level);
  return okEstimate({
    method,
    kind: 'corrected',
    detector: opts.detector,
    share,
    lo,
    hi,
    level,
    n,
    note: `TPR ${cal.tpr.toFixed(3)} / FPR ${cal.fpr.toFixed(3)} (n=${cal.nPos}+${cal.nNeg})`,
    details: {
      observed,
      positives: k,
      threshold: cal.threshold,
      tpr: cal.tpr,
      fpr: cal.fpr,
      nPos: cal.nPos,
      nNeg: cal.nNeg,
      dataset: cal.dataset ?? null,
      replicates,
    },
  });
}

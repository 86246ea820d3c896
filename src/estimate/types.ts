/** Shared result types of the prevalence estimators (src/estimate/). */

/** Estimator families, as named in reports and in the share-series `method` field. */
export type MethodKind =
  /** Share of documents a detector labels AI at its threshold (biased; for reference). */
  | 'naive'
  /** Rogan–Gladen error-corrected prevalence with the detector's calibrated TPR/FPR. */
  | 'corrected'
  /** Liang et al. (2024) distributional mixture MLE over word-occurrence sets. */
  | 'mixture'
  /** Pages with more than half of their chunks judged AI (`segments` detector). */
  | 'primarily-ai'
  /** Pages with at least a given fraction of AI chunks (`segments` detector). */
  | 'ai-fraction'
  /** Kobak et al. excess-vocabulary lower bound. */
  | 'excess-lower-bound'
  /** Mixture of baseline (human) and AI-reference detector-score distributions. */
  | 'score-mixture'
  /** Mixture of held-out scores of a discriminator trained on this audit's baseline vs its AI references. */
  | 'in-domain';

/**
 * Why an estimate has no number: too few documents in the group, the detector has no
 * calibration for the scored version, TPR ≈ FPR (the correction is undefined), no text to
 * work on, nothing scored, or (baseline estimators) the group is itself part of the baseline.
 */
export type EstimateStatus = 'ok' | 'too-few-documents' | 'uncalibrated' | 'not-identifiable' | 'no-data' | 'baseline-period';

/** One estimate of the AI share of a group, with its interval. */
export interface ShareEstimate {
  /** Series name, e.g. "corrected:classifier", "mixture", "primarily-ai:segments". */
  method: string;
  kind: MethodKind;
  /** Detector the estimate rests on, if any. */
  detector: string | null;
  status: EstimateStatus;
  /** Point estimate in [0, 1]; null unless status is 'ok'. */
  share: number | null;
  /** Interval bounds at `level`; always lo ≤ share ≤ hi when present. */
  lo: number | null;
  hi: number | null;
  /** Confidence level of [lo, hi]. */
  level: number;
  /** Documents (or units) the estimate rests on. */
  n: number;
  /** Human-readable remark ("TPR 0.84, FPR 0.049 from calib split", "lower bound" …). */
  note?: string;
  /** Method-specific numbers (observed rate, α per sentence, baseline frequency …). */
  details?: Record<string, unknown>;
  /**
   * Which reference measured the error rates: labelled research corpora ('development'), the
   * web's own pre-cutoff pages ('baseline') or a corpus the user supplied ('user-labeled').
   * Absent for estimates that need no calibration (naive, page shares).
   */
  calibration?: 'development' | 'baseline' | 'user-labeled';
  /**
   * Systematic-error band from the drift check: how far the same method moves on purely
   * human pages of a later baseline period. Shown next to the statistical interval, not in it.
   */
  systematic?: { halfWidth: number; shift: number; periods: string } | null;
}

/** Options common to the bootstrap estimators. */
export interface BootstrapOptions {
  /** Bootstrap replicates (default 1000). */
  replicates?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Seed of the replicate stream (default 20250301). */
  seed?: number;
}

export const DEFAULT_LEVEL = 0.95;
export const DEFAULT_REPLICATES = 1000;
export const DEFAULT_SEED = 20250301;
/** A share's error or distance in percentage points, as reports print it: "2.1 points". */
export const pointsText = (share: number): string => `${(share * 100).toFixed(1)} points`;

/** GPT-word baseline: months before this one (ChatGPT came out at the end of November 2022). */
export const DEFAULT_BASELINE_BEFORE = '2023-01';

/** An estimate with no number, for the given reason. */
export function noEstimate(
  method: string,
  kind: MethodKind,
  detector: string | null,
  status: Exclude<EstimateStatus, 'ok'>,
  n: number,
  level: number,
  note?: string,
): ShareEstimate {
  return { method, kind, detector, status, share: null, lo: null, hi: null, level, n, ...(note ? { note } : {}) };
}

/** Builds an 'ok' estimate, widening [lo, hi] to contain the point (percentile intervals may not). */
export function okEstimate(fields: Omit<ShareEstimate, 'status' | 'share' | 'lo' | 'hi'> & { share: number; lo: number; hi: number }): ShareEstimate {
  const lo = Math.min(fields.lo, fields.share);
  const hi = Math.max(fields.hi, fields.share);
  return { ...fields, status: 'ok', lo: Math.max(0, lo), hi: Math.min(1, hi), share: fields.share };
}

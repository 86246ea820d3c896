/**
 * Domain-matched calibration against the web's own pre-AI past.
 *
 * A "baseline" (negative control) is a set of documents known to be human-written because
 * they were crawled (or published) before generative AI was common — before `cutoff`,
 * default 2022-11-30 (ChatGPT's release) — or because the user supplies a human-only corpus.
 * "AI references" are texts known to be AI-written that imitate the audited domain
 * (`ccaudit synthesize`, or imported labelled JSONL).
 *
 * Detector error rates measured on labelled research corpora do not transfer to web pages:
 * the false-positive rate is a shift, not noise. Measuring FPR and the human score
 * distribution on the baseline of the same stratum (language × TLD group × length band ×
 * genre) removes that shift, and the interval includes the baseline's own sampling error.
 */

/** Stratification dimensions, coarsest-last fallback order is genre → length → tld → lang. */
export type StratumDim = 'lang' | 'tld' | 'length' | 'genre';
export const STRATUM_DIMS: readonly StratumDim[] = ['lang', 'tld', 'length', 'genre'];

/** What places a document (or reference text) in a stratum. */
export interface StratumFields {
  /** ISO 639-3, null/'und' when unknown. */
  lang: string | null;
  /** Last host label ("com", "de"); null when unknown (control corpora, imports). */
  tld: string | null;
  /** Word count of the main text. */
  words: number;
  /** Optional genre label (news, blog, science …). */
  genre?: string | null;
}

export interface StrataSpec {
  /** Dimensions used, in fallback order: the LAST one listed is dropped first. */
  dims: StratumDim[];
  /** Upper word-count edges of the length bands (default [300, 1000] → <300, 300–999, ≥1000). */
  lengthEdges: number[];
  /** TLDs kept as their own group; the rest become "other" (default: com org net uk de fr … see strata.ts). */
  tldGroups: Record<string, string>;
  /** Baseline documents a stratum needs before it is used on its own (default 50). */
  minBaseline: number;
  /** AI references a stratum needs for its own TPR / F_ai (default 30); fewer → pooled. */
  minAi: number;
}

/** One scored unit: a baseline page, an AI reference, or an audited document. */
export interface ScoredItem {
  fields: StratumFields;
  /** Detector score in [0, 1] (null = unsupported, ignored). */
  score: number | null;
}

/** Which reference measured an estimate's error rates (shown in reports). */
export type CalibrationKind =
  /** labelled research corpora (calib split), the pre-issue-7 default */
  | 'development'
  /** the web's own pre-cutoff pages (and AI references) */
  | 'baseline'
  /** a human-only / labelled corpus the user supplied */
  | 'user-labeled';

/** Systematic-error band from the drift check (two baseline periods). */
export interface DriftBand {
  /** Estimate on purely human later-period baseline documents, calibrated on the earlier period. */
  shift: number;
  /** Half-width of the systematic band shown next to the statistical interval (|shift|, both directions max). */
  halfWidth: number;
  /** Periods compared, e.g. "≤2019-12 vs 2020-01–2022-11". */
  periods: string;
  /** Documents of each period. */
  nA: number;
  nB: number;
}

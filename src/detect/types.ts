/**
 * The detector contract shared by built-ins (detectors/) and third-party plugins.
 * A detector is a small object: metadata plus a `score` function. It never throws on
 * odd input; unsupported input yields `{ score: null, reason }`.
 */

/** What a detector is given: the extracted text plus what extraction already knows. */
export interface DetectorInput {
  text: string;
  /** ISO 639-3 code (franc); null/undefined/"und" means "work it out yourself". */
  lang?: string | null;
  /** Whitespace word count (CJK characters one each), if already known. */
  words?: number;
}

/** Why a detector declined to score. */
export type UnsupportedReason = 'unsupported-language' | 'too-short' | 'empty' | 'error';

/** A character range in the scored text with its own score (e.g. one chunk). */
export interface ScoredSpan {
  start: number;
  end: number;
  score: number | null;
  label?: string;
}

export interface ScoredResult {
  /** Probability-like score in [0, 1]; higher = more likely AI-generated. */
  score: number;
  /** Detector-specific raw value (rate per 1,000 words, log-odds, ratio …). */
  raw?: number | null;
  spans?: ScoredSpan[];
  /** Small JSON-serialisable extras (matched words, chunk counts …). */
  details?: Record<string, unknown>;
}

export interface UnscoredResult {
  score: null;
  reason: UnsupportedReason;
  raw?: null;
  details?: Record<string, unknown>;
}

export type DetectorResult = ScoredResult | UnscoredResult;

/** The plugin interface. Built-ins and `--detector-module` plugins implement exactly this. */
export interface Detector {
  /** Registry key, lowercase `[a-z0-9-]+`. */
  readonly name: string;
  /** Bump whenever scores would change (model retrained, features changed). */
  readonly version: string;
  readonly description: string;
  /** ISO 639-3 codes supported, or ['*'] for any language. */
  readonly languages: readonly string[];
  /** Optional one-time setup (load weights, lexicons). Called once before the first score. */
  init?(): Promise<void> | void;
  score(doc: DetectorInput): DetectorResult | Promise<DetectorResult>;
  /** Optional faster path for many documents; must equal mapping `score` over the batch. */
  scoreBatch?(docs: DetectorInput[]): DetectorResult[] | Promise<DetectorResult[]>;
}

/** A labelled example as stored in ../shared/corpora/labeled/*.jsonl. */
export interface LabeledRecord {
  id: string;
  text: string;
  label: 'human' | 'ai';
  source: string;
  domain: string;
  generator: string | null;
  lang: string;
  /** File stem the record came from (e.g. "detectrl_attacks"); used as the LOSO unit. */
  file: string;
  /**
   * Sub-variant named in the id (`<stem>-<label>-<variant>-<hash>`), e.g. the prompt style
   * ("direct_prompt") or attack ("paraphrase_dipper_llm"); null when the id has none.
   */
  variant: string | null;
}

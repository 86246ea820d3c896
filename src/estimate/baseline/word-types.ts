/** Inputs and descriptions of the baseline word mixture (word-mixture.ts). */
import type { MixtureReference } from '../reference.js';
import type { BootstrapOptions } from '../types.js';
import type { StrataSpec, StratumDim, StratumFields } from './types.js';

export const WORD_MIXTURE_METHOD = 'word-mixture:baseline';

/** A text with the fields that place it in a stratum. */
export interface TextItem {
  fields: StratumFields;
  text: string;
  /**
   * Cross-fitting group (optional): texts sharing it — a baseline page and AI texts generated
   * from it — are kept in the same fold of the calibration.
   */
  group?: string | null;
}

/**
 * A text already reduced to its word set (documentWordSet in word-vocab.ts): what the shipped
 * calibration texts are stored as, since the word mixture reads nothing else of a text.
 */
export interface WordSetItem {
  fields: StratumFields;
  words: readonly string[];
  group?: string | null;
}

/**
 * A target document already reduced to its vocabulary ids (`prepare`), so a report can keep
 * a month's documents as small integer arrays instead of their texts.
 */
export interface PreparedTextItem {
  fields: StratumFields;
  ids: Int32Array;
}

export interface WordMixtureBaselineOptions extends BootstrapOptions {
  strata?: Partial<StrataSpec>;
  /** q_w source: AI reference texts of the domain when given and large enough (≥ minAi per cell), else the shipped reference's q. */
  ai?: readonly TextItem[] | null;
  /** Shipped reference (vocabulary + generic q). Default: loadReference(); null = none (AI references only). */
  reference?: MixtureReference | null;
  /**
   * AI texts for the calibration when q is the shipped reference's (they must not be the texts
   * q came from). Default: the calib split of the labelled corpora, shipped as word sets
   * (data/reference/reference-calibration.json, word-reference-calib.ts), loaded when first needed; null = none (then strata without AI references are unsupported).
   */
  referenceCalibration?: ReadonlyArray<TextItem | WordSetItem> | null;
  /** Target documents a group needs for an estimate (default 30). */
  minDocs?: number;
  /**
   * How strata combine into the group's share. 'pooled' (default): one α maximising the
   * likelihood of all target documents, each with its own stratum's P, Q and calibration —
   * equivalently, the document-share-weighted mean of the strata's posterior AI shares at a
   * common prior. 'strata': Σ (document share × the stratum's own α̂ in [0, 1]); its
   * intervals exclude 0 on purely human groups split over several small strata (each α̂ ≥ 0).
   */
  combine?: 'pooled' | 'strata';
  /** Ratio calibration shape: 1 = Platt, J > 1 = linear spline with J segments (default 4). */
  calibrationSegments?: number;
  /** Cross-fitting folds of the calibration (default 5). */
  folds?: number;
  /** AI-reference vocabulary: minimum baseline / AI documents of the cell containing a word (default 5 / 3), and a cap (default 2000, at most 65535). */
  minHumanDocs?: number;
  minAiDocs?: number;
  maxWords?: number;
}

/** What one cell (p cell × q source) used. */
export interface WordMixtureCellInfo {
  key: string;
  /** Baseline cell p came from, its fallback level (0 = the finest stratum) and size. */
  baselineCell: string;
  baselineLevel: number;
  baselineDocs: number;
  /** True when even the coarsest same-language cell had fewer than minBaseline documents. */
  belowMinBaseline: boolean;
  qSource: 'ai-references' | 'shipped-reference';
  /** AI cell: the AI references q came from, or (shipped q) the calibration texts' cell. */
  aiCell: string;
  aiLevel: number;
  /** AI documents on the calibration's AI side (the AI references, or calibration texts). */
  aiDocs: number;
  vocabulary: number;
  folds: number;
  /** Point fit of the ratio calibration: knots of the raw ratio and r′ at each knot. */
  calibration: { knots: number[]; values: number[] };
  /** Finest target strata mapped to this cell, with the target documents seen (all estimate calls). */
  targetStrata: Record<string, number>;
}

export interface WordMixtureDescription {
  method: typeof WORD_MIXTURE_METHOD;
  dims: StratumDim[];
  minBaseline: number;
  minAi: number;
  /** Baseline / AI reference documents with at least one word (others are ignored). */
  baselineDocs: number;
  aiReferenceDocs: number;
  /** Global vocabulary (shipped words ∪ words common in baseline and AI references). */
  vocabulary: number;
  /** Shipped reference used as the fallback q (null = none). */
  reference: { words: number; languages: string[]; provenance: string } | null;
  /** Calibration texts for the shipped q (null until needed / unavailable). */
  referenceCalibrationDocs: number | null;
  cells: WordMixtureCellInfo[];
  /** Target strata without an estimate, why, and how many target documents they held. */
  unsupported: Array<{ stratum: string; reason: string; targetDocs: number }>;
  notes: string[];
}

/**
 * The estimator seam. Every prevalence method the report shows (naive counts, error-corrected
 * counts, the word mixture, page shares, the excess-vocabulary bound, the baseline-calibrated
 * family …) is one module exporting an {@link Estimator}, listed once in ./registry.ts. The
 * aggregator streams documents into per-group accumulators and asks each for its estimates;
 * the report builders load only the resources the selected estimators declare in `needs`; the
 * CLI's `--method` choices come from the registry.
 *
 * Adding a method: write one module implementing `Estimator` and add one line to the registry.
 */
import type { ExcessAnalysis } from './excess.js';
import type { MarkerCounter } from './markers.js';
import type { MixtureReference } from './reference.js';
import type { OperatingPoint } from './corrected.js';
import type { ShareEstimate } from './types.js';
import type { BaselineEstimator, DriftResult } from './baseline/estimator.js';
import type { BaselineWordMixture } from './baseline/word-mixture.js';
import type { InDomainModel } from './indomain/model.js';
import type { InDomainSummary } from './indomain/summary.js';

/** A detector whose scores the estimators read. */
export interface DetectorSpec {
  name: string;
  version: string;
  /** Score at or above which a document counts as AI (the calibrated threshold, else 0.5). */
  threshold: number;
  /** Calibrated operating point, or null (then only the naive estimate is possible). */
  calibration: OperatingPoint | null;
  /** Where the calibration came from: the store's calibrations table or a calibration file. */
  calibrationSource: 'store' | 'file' | null;
}

/** Baseline-calibrated estimation against pre-cutoff pages (or control texts) and AI references. */
export interface DomainBaselineConfig {
  estimator: BaselineEstimator;
  /** Drift-check results, attached to the matching estimates as systematic bands. */
  drift: readonly DriftResult[];
  /** Word-occurrence mixture with P from the baseline (null = off). */
  words?: BaselineWordMixture | null;
  /** Calibration label of the word mixture's estimates. */
  wordsCalibration?: 'baseline' | 'user-labeled';
  /**
   * At most this many documents per group enter the word mixture (a seeded uniform reservoir
   * sample, so memory stays bounded on huge months; default 5000).
   */
  wordsCap?: number;
  /** The in-domain model when it was built (or loaded) beforehand; else the estimator builds it. */
  inDomain?: InDomainModel | null;
}

/**
 * Loaded inputs an estimator may need besides the documents. Each is loaded only when a
 * selected estimator names it in {@link EstimatorNeeds}; null = not available (the estimator
 * is then off).
 */
export interface EstimatorResources {
  /** Shipped word-occurrence mixture reference (P and Q per word). */
  reference?: MixtureReference | null;
  /** Marker-word counter for GPT-word trends and the excess bound. */
  markers?: MarkerCounter | null;
  /** Baseline models built from the store's pre-cutoff pages / control texts and AI references. */
  domainBaseline?: DomainBaselineConfig | null;
}

/** What an estimator needs loaded before it can run. */
export interface EstimatorNeeds {
  /** The shipped mixture reference (`--reference`). */
  reference?: boolean;
  /** The marker-word lexicon (`--lexicon`). */
  markers?: boolean;
  /** The domain baseline (a store with baseline pages or control texts, and AI references). */
  domainBaseline?: boolean;
  /** Document texts (when false, builders may skip reading texts for it). */
  text?: boolean;
}

/** Settings shared by every estimator of a run. */
export interface EstimatorContext {
  /** Detectors whose scores arrive with each document, in `scores` order. */
  detectors: readonly DetectorSpec[];
  level: number;
  replicates: number;
  seed: number;
  /** Groups with fewer documents get "too few documents" instead of numbers. */
  minDocs: number;
  /** True when group keys are months ("YYYY-MM"). */
  groupsAreMonths: boolean;
  /** Name of the chunk-fraction detector for the page-level shares. */
  segmentsDetector: string;
  /** "≥ x AI" page share threshold. */
  pageFraction: number;
  /** GPT-word baseline: months before this one. */
  baselineBefore: string;
  /** GPT-word counterfactual: pooled mean or non-decreasing linear trend. */
  baseline: 'mean' | 'linear';
  resources: EstimatorResources;
}

/** One document as the estimators see it. */
export interface EstimatorDocument {
  lang: string | null;
  /** True for a document in the human baseline itself (dated before the cutoff). */
  isBaseline: boolean;
  tld: string | null;
  words: number;
  /** Text, when the builder read it (some estimator needs `text`). */
  text: string | null;
  /** Scores aligned with `EstimatorContext.detectors` (null = not scored). */
  scores: ReadonlyArray<number | null>;
  /** Normalised word tokens of `text` (computed once, on first call; null without text). */
  tokens(): readonly string[] | null;
}

/** Collects one group's documents, then estimates its AI share. */
export interface GroupAccumulator {
  add(doc: EstimatorDocument): void;
  /**
   * The group's estimates, in the order the report shows them. Estimators with `perDetector`
   * return exactly one estimate per detector, in detector order.
   */
  estimate(): ShareEstimate[];
}

/** Report-level results some estimators produce besides per-group estimates. */
export interface RunSummary {
  /** Excess-vocabulary analysis over all periods (GPT-word trends). */
  excess?: ExcessAnalysis | null;
  /** Documents the mixture estimator skipped because of their language. */
  mixtureSkippedLanguage?: number;
  /** The in-domain model behind the headline: its training data, checks and notes. */
  inDomain?: InDomainSummary | null;
  /** Lines for the report's notes. */
  notes?: string[];
}

/** One estimator set up for a run: makes group accumulators and, optionally, cross-group results. */
export interface EstimatorRun {
  /** Whether this run reads document texts (default: the estimator's `needs.text`). */
  readonly needsText?: boolean;
  group(key: string): GroupAccumulator;
  /**
   * Called once after the last document and before any `estimate()`, with every group key:
   * for methods whose per-group number depends on all groups (the excess-vocabulary baseline).
   */
  finish?(keys: readonly string[]): void;
  summary?(): RunSummary;
}

/** A prevalence method, registered in ./registry.ts. */
export interface Estimator {
  /** `--method` value, e.g. "corrected". */
  readonly name: string;
  /** Other `--method` spellings (e.g. the series names it produces). */
  readonly aliases?: readonly string[];
  /** One line for `--help` and the docs. */
  readonly describe: string;
  readonly needs: EstimatorNeeds;
  /**
   * True when the method yields one estimate per detector: the report keeps each detector's
   * estimates of adjacent per-detector methods together (naive, corrected of detector 1; then
   * of detector 2 …).
   */
  readonly perDetector?: boolean;
  /** Sets the method up for a run, or returns null when it cannot run (a needed resource is missing). */
  create(ctx: EstimatorContext): EstimatorRun | null;
}

/**
 * Loading what the estimators need besides scores: calibrations from a calibration file,
 * the mixture reference and the marker-word lexicon. Shared by `report` and `estimate`.
 * A default resource that is missing only switches its estimator off (with a note); one the
 * user asked for explicitly is an error.
 */
import { findCalibration, readCalibrationFile, type CalibrationFile } from '../../detect/calibration.js';
import { DEFAULT_FILES } from '../../detect/paths.js';
import type { OperatingPoint } from '../corrected.js';
import type { AggregateConfig } from '../aggregate.js';
import { anyNeeds, selectEstimators } from '../registry.js';
import { DEFAULT_REPLICATES, DEFAULT_SEED } from '../types.js';
import { DEFAULT_MARKER_FILE, loadMarkerLexicon, MarkerCounter } from '../markers.js';
import { DEFAULT_REFERENCE_FILE, loadReference, type MixtureReference } from '../reference.js';
import type { ShareReport } from '../model.js';

export interface ResourceOptions {
  /** Names of the selected estimators: only what they need is loaded. */
  methods: ReadonlySet<string>;
  /** Mixture reference file (default data/reference/mixture-reference.json). */
  referencePath?: string;
  /** Marker-word lexicon: JSON or CSV with a `word` column (default data/reference/marker-words.json). */
  lexiconPath?: string;
  /** Calibration file (default data/calibration.json). */
  calibrationPath?: string;
  /** True when the user named the methods explicitly (missing resources are then errors). */
  methodsExplicit?: boolean;
}

export interface EstimatorResources {
  reference: MixtureReference | null;
  markers: MarkerCounter | null;
  calibrationFile: CalibrationFile;
  mixtureInfo: ShareReport['mixture'];
  notes: string[];
}

export function loadResources(o: ResourceOptions): EstimatorResources {
  const notes: string[] = [];
  let reference: MixtureReference | null = null;
  let mixtureInfo: ShareReport['mixture'] = null;
  const selected = selectEstimators(o.methods);
  if (anyNeeds(selected, 'reference')) {
    const path = o.referencePath ?? DEFAULT_REFERENCE_FILE();
    try {
      reference = loadReference(path);
      mixtureInfo = {
        reference: path,
        unit: reference.params.unit,
        vocabulary: reference.vocabularySize,
        languages: reference.params.languages,
        calibrated: reference.file.calibration !== null,
        skippedLanguage: 0,
      };
    } catch (err) {
      if (o.referencePath || o.methodsExplicit) throw err;
      notes.push(`mixture estimator off: ${(err as Error).message}`);
    }
  }
  let markers: MarkerCounter | null = null;
  if (anyNeeds(selected, 'markers')) {
    try {
      markers = new MarkerCounter(loadMarkerLexicon(o.lexiconPath ?? DEFAULT_MARKER_FILE()));
    } catch (err) {
      if (o.lexiconPath || o.methodsExplicit) throw err;
      notes.push(`GPT-word statistics off: ${(err as Error).message}`);
    }
  }
  const calibrationFile = readCalibrationFile(o.calibrationPath ?? DEFAULT_FILES.calibration());
  return { reference, markers, calibrationFile, mixtureInfo, notes };
}

/**
 * The calibration-file entry for exactly this detector version (null if none). With
 * `anyVersion`, the latest entry of that name is accepted (for JSONL scores without versions).
 */
export function fileOperatingPoint(file: CalibrationFile, detector: string, version: string | null): OperatingPoint | null {
  const entry = findCalibration(file, detector, version ?? undefined);
  if (!entry || (version !== null && entry.detectorVersion !== version)) return null;
  return { threshold: entry.threshold, tpr: entry.tpr, fpr: entry.fpr, nPos: entry.nPos, nNeg: entry.nNeg, dataset: entry.dataset };
}

/** The estimator settings both report sources (store and JSONL) take from their flags. */
export interface EstimatorFlags {
  level: number;
  replicates?: number;
  seed?: number;
  minDocs: number;
  methods: ReadonlySet<string>;
  pageFraction?: number;
  baselineBefore?: string;
  baseline?: 'mean' | 'linear';
}

/** One place that turns flags + loaded resources into the aggregator's configuration. */
export function aggregateConfig(o: EstimatorFlags, res: EstimatorResources, groupsAreMonths: boolean): AggregateConfig {
  return {
    level: o.level,
    replicates: o.replicates ?? DEFAULT_REPLICATES,
    seed: o.seed ?? DEFAULT_SEED,
    minDocs: o.minDocs,
    methods: o.methods,
    pageFraction: o.pageFraction,
    reference: res.reference,
    markers: res.markers,
    groupsAreMonths,
    baselineBefore: o.baselineBefore,
    baseline: o.baseline,
  };
}

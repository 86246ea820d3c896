/**
 * Public API of the detection stage (see src/detect/README-section.md).
 *
 * Typical use from the scan/sample pipeline ("score as they go"):
 *   const detectors = await prepareDetectors();            // built-ins, initialised once
 *   ... after a batch of documents has been flushed to the store ...
 *   await scoreStoredDocuments(store, detectors);          // scores only what is missing
 */
export type { Detector, DetectorInput, DetectorResult, ScoredResult, UnscoredResult, UnsupportedReason, ScoredSpan, LabeledRecord } from './types.js';
export { selectDetectors, initDetectors, safeScore, safeScoreMany, scoreWithAll, type DetectorSelection } from './runner.js';
export { loadDetectorModule, validateDetector, PluginError } from './plugin-loader.js';
export { scoreStoredDocuments, type StoreScoringOptions, type StoreScoringSummary } from '../pipeline/score-store.js';
export { scoreJsonlStream } from './score-jsonl.js';
export { readCalibrationFile, findCalibration, calibrate, type CalibrationEntry, type CalibrationFile } from './calibration.js';
export { splitOf, groupKey, type Split } from './splits.js';
export { computeMetrics, auroc, tprAtFpr, wilson, type MetricSet, type Estimate } from './metrics.js';
export { evaluateScores, scoreRecords, formatEvaluationTable, type EvaluationRow, type SliceKind } from './evaluate.js';
export { BUILTIN_NAMES, BUILTIN_DETECTORS, createBuiltinDetector, type BuiltinOptions } from '../../detectors/index.js';

import type { Detector } from './types.js';
import { selectDetectors, initDetectors, type DetectorSelection } from './runner.js';

/** Selects and initialises detectors (default: every built-in). */
export async function prepareDetectors(sel: DetectorSelection = {}): Promise<Detector[]> {
  const detectors = await selectDetectors(sel);
  await initDetectors(detectors);
  return detectors;
}

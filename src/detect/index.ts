/**
 * The detection stage's machinery: the Detector interface, safe scoring, plugin loading,
 * calibration, splits and metrics. The built-ins and the registry that selects them by name
 * are in detectors/.
 */
export type { Detector, DetectorInput, DetectorResult, ScoredResult, UnscoredResult, UnsupportedReason, ScoredSpan, LabeledRecord } from './types.js';
export { initDetectors, safeScore, safeScoreMany, scoreWithAll } from './runner.js';
export { loadDetectorModule, validateDetector, PluginError } from './plugin-loader.js';
export { scoreJsonlStream } from './score-jsonl.js';
export { readCalibrationFile, findCalibration, calibrate, type CalibrationEntry, type CalibrationFile } from './calibration.js';
export { splitOf, groupKey, type Split } from './splits.js';
export { computeMetrics, auroc, tprAtFpr, wilson, type MetricSet, type Estimate } from './metrics.js';
export { evaluateScores, scoreRecords, formatEvaluationTable, type EvaluationRow, type SliceKind } from './evaluate.js';

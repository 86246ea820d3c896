/** Public API of the estimation layer: report builders, the estimator seam and the report model. */
export { buildReport, buildStoreReport, chooseDetectorVersions, shareSeriesFromStore, ReportInputError } from './assemble/store.js';
export type { ReportOptions, StoreReportOptions, ControlSources, ShareSeriesOptions } from './assemble/store.js';
export { buildJsonlReport, type JsonlReportOptions } from './assemble/jsonl.js';
export type { DomainCalibrationOptions, CalibrationMode, HumanReference } from './assemble/domain-calibration.js';
export { EstimateAggregator, type AggregateConfig, type AggregateDocument, type AggregateResult } from './aggregate.js';
export { ESTIMATORS, METHOD_NAMES, findEstimator, selectEstimators } from './registry.js';
export type {
  DetectorSpec,
  DomainBaselineConfig,
  Estimator,
  EstimatorContext,
  EstimatorDocument,
  EstimatorNeeds,
  EstimatorResources,
  EstimatorRun,
  GroupAccumulator,
  RunSummary,
} from './estimator.js';
export * from './model.js';

/** The SQLite store: the only part of ccaudit that knows SQL. See SCHEMA.md. */
export { openStore, Store, type OpenStoreOptions } from './db.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export {
  applyMigrations,
  checkCompatible,
  migrations,
  schemaVersion,
  LATEST_SCHEMA_VERSION,
  CCAUDIT_APPLICATION_ID,
  type Migration,
  type MigrateOptions,
  type MigrateResult,
} from './migrations/index.js';
export {
  StoreWriter,
  type BeginSourceResult,
  type ErrorInput,
  type SourceStat,
  type WriterOptions,
  type WriterStats,
} from './writer.js';
export { beginRun, finishRun, markAbandonedRuns, setRunSampleRate, storedSampleRates, type RunStatus, type FinalRunStatus } from './runs.js';
export {
  upsertScores,
  documentsMissingScore,
  documentIdRange,
  documentCount,
  type DocumentIdRange,
  saveCalibration,
  getCalibration,
  type ScoreRow,
  type DocumentToScore,
  type Calibration,
} from './scores.js';
export * from './queries.js';
export { countDuplicateDocuments, DUPLICATE_SQL } from './duplicates.js';
export { urlParts, monthOf, sourceKind, type UrlParts } from './derive.js';
export * from './references.js';
export { MERGE_RULES, type MergeRule } from './merge-rules.js';
export {
  checkMergeable,
  mergeShard,
  scoredDetectorVersions,
  storeTables,
  tablesWithoutMergeRule,
  type MergeTableCount,
  type ShardMergeResult,
} from './merge.js';

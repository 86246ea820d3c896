/**
 * ccaudit's library API: the same functions the `ccaudit` command calls, for use from code.
 *
 * The flow, each stage importing only the ones before it:
 * sources (WARC files, Common Crawl samples) → extract (HTML → document) → detect (detector
 * plugins score texts) → store (SQLite) → pipeline (scan, sample, score: read → extract →
 * score → store with resume) → estimate (AI share per period: the report model) → report
 * (renderers) → collapse (projections).
 *
 * ```ts
 * import { scan, openStore, buildReport, renderReport } from 'ccaudit';
 * await scan({ db: 'audit.db', paths: ['crawl/'], detectors: [] });
 * const store = openStore('audit.db', { readonly: true });
 * console.log(await renderReport(await buildReport(store, {}), 'table'));
 * ```
 */

// Record types handed between the stages, and the source interface a new input plugs into.
export type { WarcRecord, WarcReadError, WarcItem, ExtractInput, ExtractedDocument, DateSource, DocumentScore } from './core/types.js';
export { isReadError } from './core/types.js';
export type { RecordSource, SourceItem, SourceUnit, UnitStat } from './core/record-source.js';
export { parseShard, shardFromEnv, type Shard } from './core/shard.js';

// Sources: local WARC/WET files, streamed with bounded memory.
export { readWarcFile, readRecordAt, type ReadWarcOptions } from './sources/warc/index.js';
// Dataset shards (Parquet, JSON Lines): layouts and the id-hashed row sample `scan --sample-rate` keeps.
export { keepRow, recogniseLayout, type DatasetOptions, type FieldOverrides, type Layout } from './sources/dataset/index.js';

// Extraction: HTML bytes → main text, title, date, language, charset.
export { extractDocument } from './extract/index.js';

// Detectors: the plugin interface, the built-ins and the registry that selects them by name.
export type { Detector, DetectorInput, DetectorResult, ScoredResult, UnscoredResult, UnsupportedReason } from './detect/types.js';
export { loadDetectorModule, PluginError } from './detect/plugin-loader.js';
export { BUILTIN_DETECTORS, BUILTIN_NAMES, type BuiltinOptions } from '../detectors/index.js';
export { selectDetectors, prepareDetectors, type DetectorSelection } from '../detectors/registry.js';

// The SQLite store (schema: SCHEMA.md in the package).
export {
  openStore,
  Store,
  StoreError,
  StoreWriter,
  totals,
  listErrors,
  countErrors,
  type OpenStoreOptions,
  type ErrorFilter,
  type ErrorInfo,
} from './store/index.js';

// The pipeline: scan local files, sample Common Crawl, score stored documents; shards and merge.
export {
  scan,
  sample,
  sampleBaseline,
  score,
  merge,
  shardSource,
  shardUnits,
  ingest,
  withRun,
  type MergeOptions,
  type MergeSummary,
  type ScanOptions,
  type ScanSummary,
  type ScanProgress,
  type SampleOptions,
  type SampleSummary,
  type SampleEvent,
  type BaselineSampleOptions,
  type BaselineResult,
  type ScoreOptions,
  type ScoreSummary,
  type IngestOptions,
  type IngestSummary,
  type StageSettings,
} from './pipeline/index.js';

// Estimation: the report model from a store or a JSONL corpus, and the estimator seam.
export {
  buildReport,
  buildJsonlReport,
  shareSeriesFromStore,
  ESTIMATORS,
  METHOD_NAMES,
  findEstimator,
  selectEstimators,
  type ReportOptions,
  type JsonlReportOptions,
  type Estimator,
  type EstimatorContext,
  type EstimatorDocument,
  type EstimatorNeeds,
  type EstimatorRun,
  type GroupAccumulator,
  type ShareReport,
  type SharePoint,
} from './estimate/index.js';
export type { ShareEstimate } from './estimate/types.js';

// Rendering: table, CSV, JSON or self-contained HTML.
export { renderReport, REPORT_FORMATS, type ReportFormat } from './report/render.js';

// Per-document results out of a store, keyed by the input ids (Dolma attributes, Parquet, CSV).
export { exportStore, type ExportFormat, type ExportOptions, type ExportSummary } from './export/index.js';

// Model-collapse projections seeded by a measured share series.
export { runCollapse, type CollapseOptions, type CollapseReport } from './collapse/run.js';

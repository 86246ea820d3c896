/**
 * ccaudit's library API: the same functions the `ccaudit` command calls, for use from code.
 *
 * The flow, each stage importing only the ones before it:
 * sources (WARC files, Common Crawl samples) → extract (HTML → document) → detect (detector
 * plugins score texts) → store (SQLite) → estimate (AI share per period) → report (renderers)
 * → collapse (projections).
 */

// Record types handed between the stages.
export type { WarcRecord, WarcReadError, WarcItem, ExtractInput, ExtractedDocument, DateSource, DocumentScore } from './core/types.js';
export { isReadError } from './core/types.js';

// Sources: local WARC/WET files, streamed with bounded memory.
export { readWarcFile, readRecordAt, type ReadWarcOptions } from './sources/warc/index.js';

// Extraction: HTML bytes → main text, title, date, language, charset.
export { extractDocument } from './extract/index.js';

// Detectors: the plugin interface, the built-ins and the registry that selects them by name.
export type { Detector, DetectorInput, DetectorResult, ScoredResult, UnscoredResult, UnsupportedReason } from './detect/types.js';
export { loadDetectorModule, PluginError } from './detect/plugin-loader.js';
export { BUILTIN_DETECTORS, BUILTIN_NAMES, type BuiltinOptions } from '../detectors/index.js';
export { selectDetectors, prepareDetectors, type DetectorSelection } from '../detectors/registry.js';

// The SQLite store (see SCHEMA.md in the package).
export { openStore, Store, StoreError, type OpenStoreOptions } from './store/index.js';

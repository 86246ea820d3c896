/** Dataset shards (Parquet, JSON Lines) and their layouts, as a record source. */
export { datasetItems, datasetUnit, type DatasetOptions, type DatasetUnit } from './shard-source.js';
export { DATASET_NAME, sniffInput, type InputKind } from './sniff.js';
export { recogniseLayout, resolveLayout, LayoutError, type FieldOverrides, type Layout, type LayoutName } from './layouts.js';
export { keepRow } from './sampling.js';
export { crawlIdDate, rowDate } from './dates.js';
export { openParquet, type ParquetShard } from './parquet.js';

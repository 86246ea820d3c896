/**
 * Dataset shards (Parquet, JSON Lines) as a record source: one unit per file, each row a
 * text record whose offset is its row index, so a killed scan resumes at the first row not
 * committed (the store's resume offset is a row number for these sources).
 */
import { stat } from 'node:fs/promises';
import type { SourceItem, SourceUnit } from '../../core/record-source.js';
import type { WarcItem } from '../../core/types.js';
import { readJsonlRows, type JsonlCompression } from './jsonl.js';
import { layoutColumns, resolveLayout, type FieldOverrides, type Layout } from './layouts.js';
import { openParquet, type ParquetShard } from './parquet.js';
import { rowError, rowItem } from './rows.js';

export interface DatasetOptions extends FieldOverrides {
  /** Keep a deterministic, id-hashed fraction of rows (0 < rate ≤ 1); default 1. */
  sampleRate?: number;
  /** How Parquet row groups are read (defaults below; tests use small values to exercise slicing). */
  parquetReads?: { wholeGroupBytes?: number; sliceRows?: number };
}

export interface DatasetUnit extends SourceUnit {
  readonly source: string;
  readonly format: 'parquet' | 'jsonl';
  readonly compression: JsonlCompression;
}

export function datasetUnit(path: string, format: 'parquet' | 'jsonl', compression: JsonlCompression = 'none'): DatasetUnit {
  return {
    label: path,
    source: path,
    format,
    compression,
    async stat() {
      const info = await stat(path);
      return { size: info.size, mtimeMs: info.mtimeMs };
    },
  };
}

/**
 * A row group is read whole when its needed columns are at most this many bytes (compressed);
 * a larger one in slices of PARQUET_SLICE_ROWS rows, each reading only its pages where the file
 * has an offset index (without one, each slice decodes the group's column chunks again: slower,
 * but memory stays bounded).
 */
const PARQUET_WHOLE_GROUP_BYTES = 64 * 1024 * 1024;
const PARQUET_SLICE_ROWS = 4096;

async function* parquetItems(unit: DatasetUnit, startRow: number, opts: DatasetOptions): AsyncGenerator<WarcItem | null> {
  let shard: ParquetShard;
  try {
    shard = await openParquet(unit.source);
  } catch (err) {
    // No footer (a truncated file) means no schema: nothing in the file can be read.
    yield rowError(unit.source, 0, 'bad-parquet', `not a readable Parquet file: ${(err as Error).message}`);
    return;
  }
  try {
    const layout = resolveLayout(shard.columns, opts, unit.source);
    const columns = layoutColumns(layout).filter((c) => shard.columns.includes(c));
    const rowOpts = { layout, sampleRate: opts.sampleRate ?? 1 };
    const starts = shard.groupStarts;
    for (let g = 0; g + 1 < starts.length; g++) {
      const groupEnd = starts[g + 1]!;
      const whole = shard.groupBytes(g, columns) <= (opts.parquetReads?.wholeGroupBytes ?? PARQUET_WHOLE_GROUP_BYTES);
      const step = whole ? groupEnd - starts[g]! : (opts.parquetReads?.sliceRows ?? PARQUET_SLICE_ROWS);
      for (let from = Math.max(starts[g]!, startRow); from < groupEnd; from += step) {
        const to = Math.min(groupEnd, from + step);
        let rows: Array<Record<string, unknown>>;
        try {
          rows = await shard.read(columns, from, to);
        } catch (err) {
          // A corrupt row group: its rows are one error, the next group is read on.
          yield rowError(
            unit.source,
            from,
            'bad-row-group',
            `row group ${g} (rows ${starts[g]}–${groupEnd - 1}) unreadable: ${(err as Error).message}`,
          );
          break;
        }
        for (let i = 0; i < rows.length; i++) yield rowItem(unit.source, from + i, rows[i], rowOpts);
      }
    }
  } finally {
    await shard.close();
  }
}

/**
 * A JSONL file's layout, from its first object row: always the file's first, so a resumed
 * read names rows exactly as the first read did. Null when the file holds no object row.
 */
async function jsonlLayout(unit: DatasetUnit, opts: DatasetOptions): Promise<Layout | null> {
  const rows = readJsonlRows(unit.source, unit.compression);
  try {
    for await (const r of rows) {
      if ('value' in r && r.value !== null && typeof r.value === 'object' && !Array.isArray(r.value)) {
        return resolveLayout(Object.keys(r.value), opts, unit.source);
      }
    }
  } finally {
    await rows.return(undefined);
  }
  return null;
}

async function* jsonlItems(unit: DatasetUnit, startRow: number, opts: DatasetOptions): AsyncGenerator<WarcItem | null> {
  const layout = await jsonlLayout(unit, opts);
  const sampleRate = opts.sampleRate ?? 1;
  for await (const r of readJsonlRows(unit.source, unit.compression, startRow)) {
    if ('error' in r) yield { kind: 'error', source: unit.source, offset: r.row, offsetKind: 'file', code: r.error.code, message: r.error.message };
    else if (!layout) yield rowError(unit.source, r.row, 'bad-row', 'expected a JSON object');
    else yield rowItem(unit.source, r.row, r.value, { layout, sampleRate });
  }
}

/** The unit's items from row `startRow`; rows outside the sample yield nothing. */
export async function* datasetItems(unit: DatasetUnit, startRow: number, opts: DatasetOptions = {}): AsyncGenerator<SourceItem> {
  const items = unit.format === 'parquet' ? parquetItems(unit, startRow, opts) : jsonlItems(unit, startRow, opts);
  for await (const item of items) if (item) yield { item };
}

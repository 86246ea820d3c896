/**
 * Per-document tables: Parquet (hyparquet-writer, one row group per batch, so memory stays
 * bounded) or CSV (csv-stringify), with `id, url, period, lang, words`, one score column per
 * detector, a `<detector>_flagged` boolean per flag threshold, and the input `source` file.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { stringify } from 'csv-stringify';
import { fileWriter, ParquetWriter, schemaFromColumnData, type ColumnSource } from 'hyparquet-writer';
import type { DetectorColumn, ExportDocument } from './documents.js';
import type { FlagThreshold } from './thresholds.js';

const BATCH_ROWS = 50_000;

export function tableColumns(detectors: readonly DetectorColumn[], flags: readonly FlagThreshold[] | null): string[] {
  return [
    'id',
    'url',
    'period',
    'lang',
    'words',
    ...detectors.map((d) => d.detector),
    ...(flags ?? []).map((f) => `${f.detector}_flagged`),
    'source',
  ];
}

function tableRow(d: ExportDocument, flags: readonly FlagThreshold[] | null): Array<string | number | boolean | null> {
  const flagged = (flags ?? []).map((f, i) => (d.scores[i] === null ? null : d.scores[i]! >= f.threshold));
  return [d.id, d.url, d.period, d.lang, d.words, ...d.scores, ...flagged, d.source];
}

export async function writeCsv(
  docs: Iterable<ExportDocument>,
  detectors: readonly DetectorColumn[],
  flags: readonly FlagThreshold[] | null,
  path: string,
): Promise<number> {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const csv = stringify({ header: true, columns: tableColumns(detectors, flags), cast: { boolean: (b) => (b ? 'true' : 'false') } });
  csv.pipe(out);
  let n = 0;
  for (const d of docs) {
    if (!csv.write(tableRow(d, flags))) await once(csv, 'drain');
    n++;
  }
  csv.end();
  await once(out, 'close');
  return n;
}

export function writeParquet(
  docs: Iterable<ExportDocument>,
  detectors: readonly DetectorColumn[],
  flags: readonly FlagThreshold[] | null,
  path: string,
): number {
  mkdirSync(dirname(path), { recursive: true });
  const names = tableColumns(detectors, flags);
  const types: ColumnSource['type'][] = [
    'STRING',
    'STRING',
    'STRING',
    'STRING',
    'INT32',
    ...detectors.map(() => 'DOUBLE' as const),
    ...(flags ?? []).map(() => 'BOOLEAN' as const),
    'STRING',
  ];
  const columns = (rows: Array<ReturnType<typeof tableRow>>): ColumnSource[] =>
    names.map((name, c) => ({ name, type: types[c], nullable: true, data: rows.map((r) => r[c]) as ColumnSource['data'] }));
  const writer = new ParquetWriter({ writer: fileWriter(path), schema: schemaFromColumnData({ columnData: columns([]) }) });
  let batch: Array<ReturnType<typeof tableRow>> = [];
  let n = 0;
  for (const d of docs) {
    batch.push(tableRow(d, flags));
    n++;
    if (batch.length >= BATCH_ROWS) {
      writer.write({ columnData: columns(batch), rowGroupSize: BATCH_ROWS });
      batch = [];
    }
  }
  if (batch.length > 0 || n === 0) writer.write({ columnData: columns(batch), rowGroupSize: BATCH_ROWS });
  writer.finish();
  return n;
}

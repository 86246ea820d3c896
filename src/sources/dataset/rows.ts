/**
 * One dataset row as a record for the ingestion pipeline. Rows are carried as text
 * `conversion` records (like Common Crawl's WET records), so the pipeline skips HTML
 * extraction for them. A row's offset is its index in the file (0-based, counting every
 * line of a JSONL file, blank ones included), so a scan resumes by (file, row) exactly as it
 * resumes WARC files by (file, byte offset).
 */
import { basename } from 'node:path';
import type { WarcItem, WarcReadError, WarcRecord } from '../../core/types.js';
import { crawlIdDate, rowDate } from './dates.js';
import { fieldValue, type Layout } from './layouts.js';
import { keepRow } from './sampling.js';

export interface RowOptions {
  layout: Layout;
  /** Keep a deterministic, id-hashed fraction of rows; 1 = all. */
  sampleRate: number;
}

const encoder = new TextEncoder();

export function rowError(source: string, row: number, code: string, message: string): WarcReadError {
  return { kind: 'error', source, offset: row, offsetKind: 'file', code, message: `row ${row}: ${message}` };
}

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function optionalString(value: unknown): string | null | undefined {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The record for row `row` of `source`, a bad-row error, or null when the row is not in the
 * sample. Rows without an id field are named `<file name>:<row>`.
 */
export function rowItem(source: string, row: number, value: unknown, opts: RowOptions): WarcItem | null {
  const f = opts.layout.fields;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return rowError(source, row, 'bad-row', `expected an object, got ${typeName(value)}`);
  }
  const obj = value as Record<string, unknown>;
  const rawId = f.id ? fieldValue(obj, f.id) : undefined;
  let id: string;
  if (rawId === null || rawId === undefined || rawId === '') id = `${basename(source)}:${row}`;
  else if (typeof rawId === 'string') id = rawId;
  else if (typeof rawId === 'number' || typeof rawId === 'bigint') id = String(rawId);
  else return rowError(source, row, 'bad-row', `"${f.id}" is ${typeName(rawId)}, not a string or number`);
  // Sampled on the id before anything else is checked, so a bad row outside the sample costs nothing.
  if (opts.sampleRate < 1 && !keepRow(id, opts.sampleRate)) return null;

  const text = fieldValue(obj, f.text);
  if (text === undefined || text === null) return rowError(source, row, 'bad-row', `no "${f.text}" (text) field`);
  if (typeof text !== 'string') return rowError(source, row, 'bad-row', `"${f.text}" is ${typeName(text)}, not a string`);
  const url = f.url ? optionalString(fieldValue(obj, f.url)) : null;
  if (url === undefined) return rowError(source, row, 'bad-row', `"${f.url}" is ${typeName(fieldValue(obj, f.url!))}, not a string`);
  const rawDate = f.date ? fieldValue(obj, f.date) : null;
  let date = rowDate(rawDate);
  if (date === undefined) return rowError(source, row, 'bad-row', `"${f.date}" is not a date: ${JSON.stringify(String(rawDate)).slice(0, 80)}`);
  const dump = f.dump ? fieldValue(obj, f.dump) : null;
  date ??= crawlIdDate(dump);
  const payload = encoder.encode(text);
  const record: WarcRecord = {
    source,
    offset: row,
    length: 1,
    offsetKind: 'file',
    resumeOffset: row + 1,
    warcVersion: null,
    warcType: 'conversion',
    targetUri: url,
    warcDate: date,
    warcDateRaw: typeof rawDate === 'string' ? rawDate : date,
    recordId: null,
    warcHeaders: [],
    httpStatus: null,
    httpHeaders: null,
    contentType: 'text/plain; charset=utf-8',
    payload,
    payloadTruncated: false,
    notes: [],
    inputId: id,
    documentDate: date,
  };
  return record;
}

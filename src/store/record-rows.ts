/**
 * Row parameters for records, documents and scores as the writer buffers them, with the
 * input checks that make a bad record fail at add() rather than inside a transaction.
 */
import { createHash } from 'node:crypto';
import type { ExtractedDocument, WarcRecord } from '../core/types.js';
import { monthOf, urlParts } from './derive.js';
import { StoreError } from './errors.js';

export type RecordParams = {
  source_id: number;
  offset: number;
  length: number;
  offset_kind: string;
  warc_version: string | null;
  warc_type: string | null;
  target_uri: string | null;
  warc_date: string | null;
  warc_date_raw: string | null;
  record_id: string | null;
  http_status: number | null;
  content_type: string | null;
  payload_length: number | null;
  truncated: number;
  notes: string | null;
  run_id: number | null;
};

export type DocumentParams = {
  record_pk?: number;
  url: string | null;
  host: string | null;
  domain: string | null;
  tld: string | null;
  title: string | null;
  text: string;
  date: string | null;
  date_source: string | null;
  lang: string;
  words: number;
  charset: string | null;
  charset_source: string | null;
  crawl_date: string | null;
  pub_month: string | null;
  crawl_month: string | null;
  payload_digest: string | null;
  input_id: string | null;
};

export const RECORD_SQL = {
  insertRecord: `INSERT INTO records (source_id, offset, length, offset_kind, warc_version, warc_type, target_uri,
      warc_date, warc_date_raw, record_id, http_status, content_type, payload_length, truncated, notes, run_id)
    VALUES (@source_id, @offset, @length, @offset_kind, @warc_version, @warc_type, @target_uri,
      @warc_date, @warc_date_raw, @record_id, @http_status, @content_type, @payload_length, @truncated, @notes, @run_id)
    ON CONFLICT (source_id, offset) DO NOTHING
    RETURNING id`,
  recordId: `SELECT id FROM records WHERE source_id = ? AND offset = ?`,
  documentId: `SELECT id FROM documents WHERE record_pk = ?`,
  // Scores computed during a scan never overwrite scores already stored (e.g. by `ccaudit score`).
  insertScore: `INSERT INTO scores (document_id, detector, detector_version, score, raw, details, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (document_id, detector, detector_version) DO NOTHING`,
  insertDocument: `INSERT INTO documents (record_pk, url, host, domain, tld, title, text, date, date_source, lang, words,
      charset, charset_source, crawl_date, pub_month, crawl_month, payload_digest, input_id)
    VALUES (@record_pk, @url, @host, @domain, @tld, @title, @text, @date, @date_source, @lang, @words,
      @charset, @charset_source, @crawl_date, @pub_month, @crawl_month, @payload_digest, @input_id)
    ON CONFLICT (record_pk) DO NOTHING`,
} as const;

export function badInput(message: string): StoreError {
  return new StoreError('bad-input', message);
}

export function checkOffset(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw badInput(`${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

/** The stored kind: a 'member' offset (member offset + index) is a file position too, so it is stored as 'file'. */
export function checkOffsetKind(value: unknown): 'file' | 'uncompressed' {
  if (value === 'member') return 'file';
  if (value !== 'file' && value !== 'uncompressed') {
    throw badInput(`offsetKind must be "file", "member" or "uncompressed", got ${String(value)}`);
  }
  return value;
}

export function optionalStat(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : null;
}

/** Record row parameters; the payload itself is not stored (only its length). */
export function recordParams(sourceId: number, r: WarcRecord, runId: number | null): RecordParams {
  if (r.httpStatus !== null && r.httpStatus !== undefined && !Number.isInteger(r.httpStatus)) {
    throw badInput(`httpStatus must be an integer or null, got ${String(r.httpStatus)}`);
  }
  return {
    source_id: sourceId,
    offset: checkOffset('record offset', r.offset),
    length: checkOffset('record length', r.length),
    offset_kind: checkOffsetKind(r.offsetKind),
    warc_version: r.warcVersion ?? null,
    warc_type: r.warcType ?? null,
    target_uri: r.targetUri ?? null,
    warc_date: r.warcDate ?? null,
    warc_date_raw: r.warcDateRaw ?? null,
    record_id: r.recordId ?? null,
    http_status: r.httpStatus ?? null,
    content_type: r.contentType ?? null,
    payload_length: r.payload ? r.payload.byteLength : (r.payloadLength ?? null),
    truncated: r.payloadTruncated ? 1 : 0,
    notes: r.notes && r.notes.length > 0 ? JSON.stringify(r.notes) : null,
    run_id: runId,
  };
}

export function documentParams(r: WarcRecord, d: ExtractedDocument): DocumentParams {
  if (typeof d.text !== 'string') throw badInput('document text must be a string');
  if (!Number.isSafeInteger(d.words) || d.words < 0) {
    throw badInput(`document words must be a non-negative integer, got ${String(d.words)}`);
  }
  const { host, domain, tld } = urlParts(r.targetUri);
  return {
    url: r.targetUri ?? null,
    host,
    domain,
    tld,
    title: d.title ?? null,
    text: d.text,
    date: d.date ?? null,
    date_source: d.dateSource ?? null,
    lang: d.lang || 'und',
    words: d.words,
    charset: d.charset ?? null,
    charset_source: d.charsetSource ?? null,
    crawl_date: r.warcDate ?? null,
    pub_month: monthOf(d.date),
    crawl_month: monthOf(r.warcDate),
    // Finds the same payload stored twice (reports count it once); see migration 005.
    payload_digest: r.payload ? createHash('sha1').update(r.payload).digest('hex') : (r.payloadSha1 ?? null),
    input_id: r.inputId ?? null,
  };
}

/** Rough in-memory size of a buffered row (UTF-16 strings), for the memory bound. */
export function approxBytes(doc: DocumentParams | null): number {
  return 512 + (doc ? (doc.text.length + (doc.title?.length ?? 0)) * 2 : 0);
}

/**
 * SQL for Common Crawl samples (tables from migration 003-sample).
 *
 * Life of a row: drawn → `pending` (stored with the rest of its crawl's sample in one
 * transaction) → `fetched` (committed in the same transaction as the record and document rows)
 * or `failed` with the reason. Only `pending` rows are ever fetched.
 */
import type { Store } from './db.js';
import { StoreError } from './errors.js';

export type SampleState = 'pending' | 'fetched' | 'failed';

/** An index line to store (field names as in the CDX index, values parsed). */
export interface SampleLineInput {
  urlkey: string;
  timestamp: string;
  url: string;
  filename: string;
  offset: number;
  length: number;
  mime: string | null;
  mimeDetected: string | null;
  status: number | null;
  digest: string | null;
  /** Comma-separated ISO 639-3 codes as in the index, or null. */
  languages: string[] | null;
  charset: string | null;
}

/** A stored sample row. */
export interface SampleRow {
  id: number;
  crawl: string;
  sample_key: string;
  draw_index: number;
  urlkey: string;
  timestamp: string;
  url: string;
  filename: string;
  offset: number;
  length: number;
  mime: string | null;
  mime_detected: string | null;
  status: number | null;
  digest: string | null;
  languages: string | null;
  charset: string | null;
  state: SampleState;
  attempts: number;
  last_error: string | null;
  fetched_at: string | null;
  run_id: number | null;
}

export interface SampleDraw {
  crawl: string;
  sample_key: string;
  settings: string;
  wanted: number;
  drawn: number;
  index_requests: number | null;
  run_id: number | null;
  created_at: string;
}

const now = () => new Date().toISOString();

/** The stored draw of (crawl, sampleKey), if that sample was drawn completely before. */
export function findSampleDraw(store: Store, crawl: string, sampleKey: string): SampleDraw | undefined {
  return store.statement(`SELECT * FROM sample_draws WHERE crawl = ? AND sample_key = ?`).get(crawl, sampleKey) as SampleDraw | undefined;
}

/**
 * Stores a crawl's drawn lines and marks the draw complete, in one transaction: a run killed
 * while drawing leaves nothing behind and draws again. A line already in the table (drawn by
 * another sample) is kept as it is. Returns the rows inserted.
 */
export function saveSampleDraw(
  store: Store,
  draw: { crawl: string; sampleKey: string; settings: unknown; wanted: number; indexRequests: number | null; runId: number | null },
  lines: SampleLineInput[],
): number {
  const insert = store.statement(
    `INSERT INTO sample (crawl, sample_key, draw_index, urlkey, timestamp, url, filename, offset, length, mime,
        mime_detected, status, digest, languages, charset, state, created_at)
     VALUES (@crawl, @sample_key, @draw_index, @urlkey, @timestamp, @url, @filename, @offset, @length, @mime,
        @mime_detected, @status, @digest, @languages, @charset, 'pending', @created_at)
     ON CONFLICT (filename, offset) DO NOTHING`,
  );
  const mark = store.statement(
    `INSERT INTO sample_draws (crawl, sample_key, settings, wanted, drawn, index_requests, run_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (crawl, sample_key) DO NOTHING`,
  );
  return store.db
    .transaction(() => {
      let inserted = 0;
      const at = now();
      lines.forEach((l, i) => {
        if (!Number.isSafeInteger(l.offset) || l.offset < 0 || !Number.isSafeInteger(l.length) || l.length <= 0) {
          throw new StoreError('bad-input', `sample line ${l.url}: bad offset/length ${l.offset}/${l.length}`);
        }
        inserted += insert.run({
          crawl: draw.crawl,
          sample_key: draw.sampleKey,
          draw_index: i,
          urlkey: l.urlkey,
          timestamp: l.timestamp,
          url: l.url,
          filename: l.filename,
          offset: l.offset,
          length: l.length,
          mime: l.mime,
          mime_detected: l.mimeDetected,
          status: l.status,
          digest: l.digest,
          languages: l.languages ? l.languages.join(',') : null,
          charset: l.charset,
          created_at: at,
        }).changes;
      });
      mark.run(draw.crawl, draw.sampleKey, JSON.stringify(draw.settings ?? {}), draw.wanted, lines.length, draw.indexRequests, draw.runId, at);
      return inserted;
    })
    .immediate();
}

/** Rows of these samples still to fetch, in draw order; `failed` ones too when asked. Paged by id. */
export function rowsToFetch(
  store: Store,
  sampleKeys: string[],
  opts: { includeFailed?: boolean; afterId?: number; limit?: number; idRange?: SampleIdRange } = {},
): SampleRow[] {
  if (sampleKeys.length === 0) return [];
  const states = opts.includeFailed ? `('pending', 'failed')` : `('pending')`;
  const keys = sampleKeys.map(() => '?').join(', ');
  const range = opts.idRange ?? { from: 0, to: Number.MAX_SAFE_INTEGER };
  return store
    .statement(
      `SELECT * FROM sample WHERE sample_key IN (${keys}) AND state IN ${states} AND id > ? AND id >= ? AND id < ?
       ORDER BY id LIMIT ?`,
    )
    .all(...sampleKeys, opts.afterId ?? 0, range.from, range.to, opts.limit ?? 1000) as SampleRow[];
}

/** Ids [from, to) of the sample rows one shard fetches. */
export interface SampleIdRange {
  from: number;
  to: number;
}

/**
 * Ids of the rows of block `start..end` (positions in id order, all states) of these samples:
 * the same on every copy of one plan, whatever has been fetched since.
 */
export function sampleIdRange(store: Store, sampleKeys: string[], start: number, end: number): SampleIdRange {
  const keys = sampleKeys.map(() => '?').join(', ');
  const at = store.statement(`SELECT id FROM sample WHERE sample_key IN (${keys}) ORDER BY id LIMIT 1 OFFSET ?`);
  const idAt = (pos: number) => (at.get(...sampleKeys, pos) as { id: number } | undefined)?.id ?? Number.MAX_SAFE_INTEGER;
  return { from: start >= end ? Number.MAX_SAFE_INTEGER : idAt(start), to: idAt(end) };
}

/** Number of rows rowsToFetch would page through. */
export function countRowsToFetch(store: Store, sampleKeys: string[], opts: { includeFailed?: boolean; idRange?: SampleIdRange } = {}): number {
  if (sampleKeys.length === 0) return 0;
  const states = opts.includeFailed ? `('pending', 'failed')` : `('pending')`;
  const keys = sampleKeys.map(() => '?').join(', ');
  const range = opts.idRange ?? { from: 0, to: Number.MAX_SAFE_INTEGER };
  return (
    store
      .statement(`SELECT count(*) AS n FROM sample WHERE sample_key IN (${keys}) AND state IN ${states} AND id >= ? AND id < ?`)
      .get(...sampleKeys, range.from, range.to) as { n: number }
  ).n;
}

/** Number of rows of these samples, all states. */
export function sampleSize(store: Store, sampleKeys: string[]): number {
  if (sampleKeys.length === 0) return 0;
  const keys = sampleKeys.map(() => '?').join(', ');
  return (store.statement(`SELECT count(*) AS n FROM sample WHERE sample_key IN (${keys})`).get(...sampleKeys) as { n: number }).n;
}

/** Rows of a sample in draw order (all states). */
export function sampleRows(store: Store, sampleKey: string): SampleRow[] {
  return store.statement(`SELECT * FROM sample WHERE sample_key = ? ORDER BY draw_index`).all(sampleKey) as SampleRow[];
}

/**
 * Marks rows fetched. Call inside the transaction that stores their records, so that a
 * row is `fetched` exactly when its record is in the store.
 */
export function markSampleFetched(store: Store, updates: Array<{ id: number; attempts: number }>, runId: number | null): void {
  const stmt = store.statement(
    `UPDATE sample SET state = 'fetched', attempts = attempts + ?, last_error = NULL, fetched_at = ?, run_id = ?
     WHERE id = ? AND state != 'fetched'`,
  );
  const at = now();
  for (const u of updates) stmt.run(u.attempts, at, runId, u.id);
}

/** Marks a row failed with its reason ("http-404: …"). */
export function markSampleFailed(store: Store, id: number, reason: string, attempts: number, runId: number | null): void {
  store
    .statement(
      `UPDATE sample SET state = 'failed', attempts = attempts + ?, last_error = ?, run_id = ?
       WHERE id = ? AND state != 'fetched'`,
    )
    .run(attempts, reason, runId, id);
}

export interface SampleCounts {
  crawl: string;
  pending: number;
  fetched: number;
  failed: number;
  bytesPending: number;
}

/** Per-crawl state counts of the given samples. */
export function sampleCounts(store: Store, sampleKeys: string[]): SampleCounts[] {
  if (sampleKeys.length === 0) return [];
  const keys = sampleKeys.map(() => '?').join(', ');
  return store
    .statement(
      `SELECT crawl,
              sum(state = 'pending') AS pending,
              sum(state = 'fetched') AS fetched,
              sum(state = 'failed')  AS failed,
              coalesce(sum(CASE WHEN state = 'pending' THEN length END), 0) AS bytesPending
       FROM sample WHERE sample_key IN (${keys}) GROUP BY crawl ORDER BY crawl`,
    )
    .all(...sampleKeys) as SampleCounts[];
}

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
  return store
    .statement(`SELECT * FROM sample_draws WHERE crawl = ? AND sample_key = ?`)
    .get(crawl, sampleKey) as SampleDraw | undefined;
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
  return store.db.transaction(() => {
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
    mark.run(draw.crawl, draw.sampleKey, JSON.stringify(draw.settings ?? {}), draw.wanted, lines.length,
      draw.indexRequests, draw.runId, at);
    return inserted;
  }).immediate();
}

/** Rows of these samples still to fetch, in draw order; `failed` ones too when asked. Paged by id. */
export function rowsToFetch(
  store: Store,
  sampleKeys: string[],
  opts: { includeFailed?: boolean; afterId?: number; limit?: number } = {},
): SampleRow[] {
  if (sampleKeys.length === 0) return [];
  const states = opts.includeFailed ? `('pending', 'failed')` : `('pending')`;
  const keys = sampleKeys.map(() => '?').join(', ');
  return store
    .statement(
      `SELECT * FROM sample WHERE sample_key IN (${keys}) AND state IN ${states} AND id > ?
       ORDER BY id LIMIT ?`,
    )
    .all(...sampleKeys, opts.afterId ?? 0, opts.limit ?? 1000) as SampleRow[];
}

/** Rows of a sample in draw order (all states). */
export function sampleRows(store: Store, sampleKey: string): SampleRow[] {
  return store
    .statement(`SELECT * FROM sample WHERE sample_key = ? ORDER BY draw_index`)
    .all(sampleKey) as SampleRow[];
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

// ---------------------------------------------------------------------------------------------
// Baseline samples (`ccaudit sample --baseline`)
//
// A baseline draw is marked by its sample key, so no migration is needed:
//   baseline:<cutoff YYYY-MM-DD>:<stratum>:<16 hex spec hash>
// e.g. "baseline:2022-11-30:eng/com:3f9a…". Normal draws' keys are the bare hex hash, so a
// baseline draw never collides with a normal draw of the same crawl. Stratum ids are
// "<lang>/<tld>", "<lang>/*" (the language's other TLDs) or "other" (the pooled rest).
// A line that a normal sample drew first stays that sample's row (UNIQUE (filename, offset)).

/** Sample keys of baseline draws start with this. */
export const BASELINE_KEY_PREFIX = 'baseline:';

const STRATUM_ID = /^(?:[a-z]{2,3}\/(?:\*|[a-z0-9-]+)|other)$/;
const CUTOFF = /^\d{4}-\d{2}-\d{2}$/;

/** The part of a baseline key before the spec hash: "baseline:2022-11-30:eng/com:". */
export function baselineKeyPrefix(cutoff: string, stratum: string): string {
  if (!CUTOFF.test(cutoff)) throw new StoreError('bad-input', `baseline cutoff "${cutoff}" is not YYYY-MM-DD`);
  if (!STRATUM_ID.test(stratum)) throw new StoreError('bad-input', `baseline stratum id "${stratum}" is not lang/tld, lang/* or other`);
  return `${BASELINE_KEY_PREFIX}${cutoff}:${stratum}:`;
}

/** Is this sample key a baseline draw's? */
export function isBaselineSampleKey(key: string): boolean {
  return parseBaselineSampleKey(key) !== null;
}

/** Cutoff, stratum and spec hash of a baseline key; null for any other key. */
export function parseBaselineSampleKey(key: string): { cutoff: string; stratum: string; hash: string } | null {
  if (!key.startsWith(BASELINE_KEY_PREFIX)) return null;
  const parts = key.slice(BASELINE_KEY_PREFIX.length).split(':');
  if (parts.length !== 3) return null;
  const [cutoff, stratum, hash] = parts;
  if (!CUTOFF.test(cutoff) || !STRATUM_ID.test(stratum) || !/^[0-9a-f]{16}$/.test(hash)) return null;
  return { cutoff, stratum, hash };
}

/** A completely drawn baseline sample of one crawl and stratum. */
export interface BaselineDraw extends SampleDraw {
  cutoff: string;
  stratum: string;
  /** The spec the draw was made with (JSON of SampleSpec). */
  spec: Record<string, unknown>;
}

/** Baseline draws in the store, optionally of one cutoff and/or some crawls, by crawl then key. */
export function baselineDraws(store: Store, opts: { cutoff?: string; crawls?: string[] } = {}): BaselineDraw[] {
  const rows = store
    .statement(`SELECT * FROM sample_draws WHERE substr(sample_key, 1, ${BASELINE_KEY_PREFIX.length}) = ? ORDER BY crawl, sample_key`)
    .all(BASELINE_KEY_PREFIX) as SampleDraw[];
  const crawls = opts.crawls ? new Set(opts.crawls) : null;
  const out: BaselineDraw[] = [];
  for (const r of rows) {
    const k = parseBaselineSampleKey(r.sample_key);
    if (!k || (opts.cutoff && k.cutoff !== opts.cutoff) || (crawls && !crawls.has(r.crawl))) continue;
    out.push({ ...r, cutoff: k.cutoff, stratum: k.stratum, spec: JSON.parse(r.settings) as Record<string, unknown> });
  }
  return out;
}

/** A stored document that came from a baseline sample. */
export interface BaselineDocument {
  documentId: number;
  crawl: string;
  cutoff: string;
  stratum: string;
  sampleKey: string;
}

/**
 * Documents extracted from fetched baseline sample rows (optionally of one cutoff), in sample
 * row order, read page by page. A sample row is joined to its record through the record's
 * source (`<data-url>/<filename>`, whatever data URL fetched it) and offset; fetched records
 * that were not HTML pages have no document and are left out.
 */
export function* baselineDocuments(store: Store, opts: { cutoff?: string; pageSize?: number } = {}): Generator<BaselineDocument> {
  const page = store.statement(
    `SELECT id, crawl, sample_key, filename, offset FROM sample
     WHERE substr(sample_key, 1, ${BASELINE_KEY_PREFIX.length}) = ? AND state = 'fetched' AND id > ?
     ORDER BY id LIMIT ?`,
  );
  const sourceByPath = store.statement(`SELECT id FROM sources WHERE path = ?`);
  const sourceBySuffix = store.statement(
    `SELECT id, path FROM sources WHERE kind = 'url' AND substr(path, -length(?) - 1) = '/' || ? ORDER BY id LIMIT 1`,
  );
  const docAt = store.statement(
    `SELECT d.id FROM records r JOIN documents d ON d.record_pk = r.id WHERE r.source_id = ? AND r.offset = ?`,
  );
  // Data URL prefixes met so far ("https://data.commoncrawl.org/"): exact, indexed look-ups.
  const prefixes: string[] = [];
  const sourceOf = (filename: string): number | null => {
    for (const p of prefixes) {
      const hit = sourceByPath.get(p + filename) as { id: number } | undefined;
      if (hit) return hit.id;
    }
    const found = sourceBySuffix.get(filename, filename) as { id: number; path: string } | undefined;
    if (!found) return null;
    prefixes.push(found.path.slice(0, found.path.length - filename.length));
    return found.id;
  };
  const size = Math.max(1, opts.pageSize ?? 500);
  let after = 0;
  for (;;) {
    const rows = page.all(BASELINE_KEY_PREFIX, after, size) as Array<{
      id: number;
      crawl: string;
      sample_key: string;
      filename: string;
      offset: number;
    }>;
    if (rows.length === 0) return;
    after = rows[rows.length - 1].id;
    for (const r of rows) {
      const k = parseBaselineSampleKey(r.sample_key);
      if (!k || (opts.cutoff && k.cutoff !== opts.cutoff)) continue;
      const source = sourceOf(r.filename);
      if (source === null) continue;
      const doc = docAt.get(source, r.offset) as { id: number } | undefined;
      if (doc) yield { documentId: doc.id, crawl: r.crawl, cutoff: k.cutoff, stratum: k.stratum, sampleKey: r.sample_key };
    }
    if (rows.length < size) return;
  }
}

/**
 * Audited documents per (lang, tld): documents crawled on or after `cutoff` (crawl_date ≥ the
 * cutoff day; the baseline is everything before it) that have extracted text. What a baseline
 * sample is matched to.
 */
export function auditStrataCounts(store: Store, cutoff: string): Array<{ lang: string | null; tld: string | null; n: number }> {
  if (!CUTOFF.test(cutoff)) throw new StoreError('bad-input', `cutoff "${cutoff}" is not YYYY-MM-DD`);
  return store
    .statement(
      `SELECT lang, tld, count(*) AS n FROM documents
       WHERE crawl_date IS NOT NULL AND crawl_date >= ? AND words > 0
       GROUP BY lang, tld ORDER BY lang, tld`,
    )
    .all(cutoff) as Array<{ lang: string | null; tld: string | null; n: number }>;
}

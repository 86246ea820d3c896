/** Exact duplicate documents: stored, but left out of reports (see migration 005). */
import type { Store } from './db.js';

/**
 * SQL that is true when document `d` (with its record `r`) repeats a document stored before it:
 * the same WARC-Record-ID, or the same payload digest in the same crawl month. Such copies stay
 * stored (the file's records are complete) but are left out of every share.
 */
export const DUPLICATE_SQL = `(EXISTS (SELECT 1 FROM records r2 JOIN documents d2 ON d2.record_pk = r2.id
            WHERE r2.record_id = r.record_id AND d2.id < d.id)
       OR EXISTS (SELECT 1 FROM documents d3
            WHERE d3.payload_digest = d.payload_digest AND d3.crawl_month IS d.crawl_month AND d3.id < d.id))`;

/** Documents left out of reports as exact duplicates (optionally of one language). */
export function countDuplicateDocuments(store: Store, lang?: string | null): number {
  const row = store
    .statement(
      `SELECT count(*) AS n FROM documents d JOIN records r ON r.id = d.record_pk
       WHERE (@lang IS NULL OR d.lang = @lang) AND ${DUPLICATE_SQL}`,
    )
    .get({ lang: lang ?? null }) as { n: number };
  return row.n;
}

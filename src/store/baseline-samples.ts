/** Baseline samples (`ccaudit sample --baseline`) in the sample tables: keys, draws, documents. */
import type { Store } from './db.js';
import { StoreError } from './errors.js';
import type { SampleDraw } from './sample.js';

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
  const docAt = store.statement(`SELECT d.id FROM records r JOIN documents d ON d.record_pk = r.id WHERE r.source_id = ? AND r.offset = ?`);
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

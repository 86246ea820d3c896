/**
 * Reads for domain-matched calibration: the baseline (pre-cutoff documents and control texts)
 * and the AI references, each with one score per requested detector version.
 */
import type { Store } from './db.js';
import { DUPLICATE_SQL } from './duplicates.js';

/** ChatGPT's public release: pages crawled before it are treated as human-written. */
export const DEFAULT_CUTOFF = '2022-11-30';

export interface DetectorVersion {
  detector: string;
  detectorVersion: string;
}

/** A stored item with its stratum fields and aligned scores. */
export interface CalibrationRow {
  id: number;
  lang: string | null;
  tld: string | null;
  words: number;
  genre: string | null;
  /** "YYYY-MM" of the date the baseline rule used (null for reference texts without one). */
  month: string | null;
  scores: Array<number | null>;
  /** Main text, when asked for (`withText`). */
  text?: string | null;
  /** Reference texts: the model that wrote it (`generator`), else its set name; null for documents. */
  generator?: string | null;
}

export interface BaselineQuery {
  detectors: readonly DetectorVersion[];
  /** "YYYY-MM-DD": documents dated strictly before it are baseline. */
  cutoff: string;
  /** Which date decides: the crawl (WARC-Date, default; a page crawled before the cutoff existed then) or the extracted publication date. */
  dateBasis: 'crawl' | 'publication';
  lang?: string | null;
  withText?: boolean;
}

/**
 * THE rule that makes a stored document a baseline page, as an SQL condition on `documents d`
 * with one parameter (`cutoffParam`, e.g. "@cutoff" or "?"): a crawl (or publication) date whose
 * day is before the cutoff, and a month derived from it (so a year-only date never qualifies).
 * Used by reports, the report's own exclusion of baseline pages and `synthesize`'s page choice.
 */
export function baselineCondition(dateBasis: 'crawl' | 'publication', cutoffParam: string): string {
  const dateCol = dateBasis === 'publication' ? 'd.date' : 'd.crawl_date';
  const monthCol = dateBasis === 'publication' ? 'd.pub_month' : 'd.crawl_month';
  return `(${dateCol} IS NOT NULL AND substr(${dateCol}, 1, 10) < ${cutoffParam} AND ${monthCol} IS NOT NULL)`;
}

function scoreColumns(table: 'scores' | 'reference_scores', idCol: string, own: string, n: number): string {
  return Array.from(
    { length: n },
    (_, i) =>
      `(SELECT sc.score FROM ${table} sc WHERE sc.${idCol} = ${own}.id AND sc.detector = @det${i} AND sc.detector_version = @ver${i}) AS s${i}`,
  ).join(',\n       ');
}

function params(detectors: readonly DetectorVersion[], extra: Record<string, unknown>): Record<string, unknown> {
  const p: Record<string, unknown> = { ...extra };
  detectors.forEach((d, i) => {
    p[`det${i}`] = d.detector;
    p[`ver${i}`] = d.detectorVersion;
  });
  return p;
}

type Row = {
  id: number;
  lang: string | null;
  tld: string | null;
  words: number;
  genre: string | null;
  month: string | null;
  text: string | null;
  generator?: string | null;
} & Record<string, number | null>;

function toRow(r: Row, n: number): CalibrationRow {
  const row: CalibrationRow = {
    id: r.id,
    lang: r.lang,
    tld: r.tld,
    words: r.words,
    genre: r.genre,
    month: r.month,
    scores: Array.from({ length: n }, (_, i) => r[`s${i}`] ?? null),
  };
  if (r.text !== null && r.text !== undefined) row.text = r.text;
  if (r.generator !== undefined) row.generator = r.generator;
  return row;
}

/** Baseline documents: crawled (or published) before the cutoff. Streams in id order. */
export function* baselineDocuments(store: Store, q: BaselineQuery): Generator<CalibrationRow> {
  const n = q.detectors.length;
  const monthCol = q.dateBasis === 'publication' ? 'd.pub_month' : 'd.crawl_month';
  const cols = scoreColumns('scores', 'document_id', 'd', n);
  // Publication dates are compared on their first 10 characters (ISO dates, possibly with a time).
  const sql = `SELECT d.id, d.lang, d.tld, d.words, NULL AS genre, ${monthCol} AS month, ${q.withText ? 'd.text' : 'NULL'} AS text${cols ? `, ${cols}` : ''}
     FROM documents d JOIN records r ON r.id = d.record_pk
     WHERE ${baselineCondition(q.dateBasis, '@cutoff')}
       AND (@lang IS NULL OR d.lang = @lang) AND NOT ${DUPLICATE_SQL}
     ORDER BY d.id`;
  for (const r of store.db.prepare(sql).iterate(params(q.detectors, { cutoff: q.cutoff, lang: q.lang ?? null })) as Iterable<Row>) yield toRow(r, n);
}

/** Reference texts of one label (optionally one origin), with their scores. */
export function* referenceRows(
  store: Store,
  q: {
    detectors: readonly DetectorVersion[];
    label: 'human' | 'ai';
    origin?: 'synthesize' | 'import' | 'control';
    sets?: readonly string[];
    lang?: string | null;
    withText?: boolean;
  },
): Generator<CalibrationRow> {
  const n = q.detectors.length;
  const cols = scoreColumns('reference_scores', 'reference_id', 'r', n);
  const sets = q.sets && q.sets.length > 0 ? `AND r.set_name IN (${q.sets.map((_, i) => `@set${i}`).join(',')})` : '';
  const sql = `SELECT r.id, r.lang, r.tld, r.words, r.genre, NULL AS month, ${q.withText ? 'r.text' : 'NULL'} AS text,
       COALESCE(r.generator, r.set_name) AS generator${cols ? `, ${cols}` : ''}
     FROM reference_texts r
     WHERE r.label = @label AND (@origin IS NULL OR r.origin = @origin) AND (@lang IS NULL OR r.lang = @lang) ${sets}
     ORDER BY r.id`;
  const extra: Record<string, unknown> = { label: q.label, origin: q.origin ?? null, lang: q.lang ?? null };
  (q.sets ?? []).forEach((s, i) => (extra[`set${i}`] = s));
  for (const r of store.db.prepare(sql).iterate(params(q.detectors, extra)) as Iterable<Row>) yield toRow(r, n);
}

/**
 * Read side of `ccaudit report`: which detector versions scored the store, their
 * calibrations, and a streaming walk over documents with their scores for chosen
 * (detector, version) pairs, keyed by the report's grouping.
 */
import { basename } from 'node:path';
import type { Store } from './db.js';
import { baselineCondition } from './baseline-queries.js';
import { DUPLICATE_SQL } from './duplicates.js';
import { getCalibration, type Calibration } from './scores.js';

/** A detector version present in the scores table. */
export interface ScoredDetector {
  detector: string;
  detectorVersion: string;
  /** Score rows (documents offered to the detector). */
  rows: number;
  /** Rows with a non-null score. */
  scored: number;
  /** Latest created_at among its rows. */
  lastScoredAt: string;
}

/** Every (detector, version) in the store, busiest version first within a detector. */
export function scoredDetectors(store: Store): ScoredDetector[] {
  return store
    .statement(
      `SELECT detector, detector_version AS detectorVersion, count(*) AS rows,
              sum(score IS NOT NULL) AS scored, max(created_at) AS lastScoredAt
       FROM scores GROUP BY detector, detector_version
       ORDER BY detector, rows DESC, lastScoredAt DESC`,
    )
    .all() as ScoredDetector[];
}

/** The stored calibration of a detector version (null when none was saved). */
export function storedCalibration(store: Store, detector: string, version: string): Calibration | null {
  return getCalibration(store, detector, version);
}

export type ReportGrouping = 'month' | 'crawl' | 'lang' | 'domain' | 'tld';
export type DateBasis = 'publication' | 'crawl';

/** One document as the report reads it. */
export interface ReportDocument {
  id: number;
  /** Group key; null when the document has no value for it (e.g. no publication date). */
  group: string | null;
  /** Where its month came from: the extractor's date_source, "warc-date", or "none". */
  dateSource: string;
  lang: string;
  words: number;
  /** Last host label, for baseline strata. */
  tld: string | null;
  /** Dated before the baseline cutoff (only when the query gave a baseline rule). */
  isBaseline: boolean;
  /** Main text, only when asked for (mixture estimator, GPT-word counts). */
  text: string | null;
  /** Score per requested detector (null = not scored or unsupported). */
  scores: Array<number | null>;
}

export interface ReportQuery {
  by: ReportGrouping;
  /** Month of publication (extracted) or of crawl (WARC-Date); used when by = 'month'. */
  dateBasis: DateBasis;
  /** Detector versions to join, in this order (ReportDocument.scores follows it). */
  detectors: Array<{ detector: string; detectorVersion: string }>;
  /** Only documents in this language (ISO 639-3). */
  lang?: string;
  /** Read document text too. */
  withText: boolean;
  /** Mark documents dated before this cutoff (on this date basis) as baseline pages. */
  baselineRule?: { cutoff: string; dateBasis: 'crawl' | 'publication' } | null;
}

const CC_CRAWL = /CC-MAIN-\d{4}-\d{2}/;

/** The crawl a source belongs to: the Common Crawl id in its path, else the file name. */
export function crawlOfSource(path: string): string {
  const m = CC_CRAWL.exec(path);
  return m ? m[0] : basename(path);
}

interface Row {
  id: number;
  lang: string;
  words: number;
  date_source: string | null;
  pub_month: string | null;
  crawl_month: string | null;
  domain: string | null;
  tld: string | null;
  is_baseline: number;
  source_path: string;
  text: string | null;
  [score: `s${number}`]: number | null;
}

/**
 * Streams documents (in id order) with their scores for the requested detector versions.
 * One pass, bounded memory: rows are read one at a time from SQLite.
 */
export function* reportDocuments(store: Store, q: ReportQuery): Generator<ReportDocument> {
  const scoreCols = q.detectors
    .map(
      (_, i) => `(SELECT sc.score FROM scores sc WHERE sc.document_id = d.id AND sc.detector = @det${i} AND sc.detector_version = @ver${i}) AS s${i}`,
    )
    .join(',\n       ');
  const rule = q.baselineRule ?? null;
  const baselineCol = rule ? baselineCondition(rule.dateBasis, '@cutoff') : '0';
  const sql = `SELECT d.id, d.lang, d.words, d.date_source, d.pub_month, d.crawl_month, d.domain, d.tld, ${baselineCol} AS is_baseline,
       src.path AS source_path, ${q.withText ? 'd.text' : 'NULL'} AS text${scoreCols ? `,\n       ${scoreCols}` : ''}
     FROM documents d
     JOIN records r ON r.id = d.record_pk
     JOIN sources src ON src.id = r.source_id
     WHERE (@lang IS NULL OR d.lang = @lang) AND NOT ${DUPLICATE_SQL}
     ORDER BY d.id`;
  const params: Record<string, unknown> = { lang: q.lang ?? null };
  if (rule) params.cutoff = rule.cutoff;
  q.detectors.forEach((d, i) => {
    params[`det${i}`] = d.detector;
    params[`ver${i}`] = d.detectorVersion;
  });
  // Not cached in the store's statement map: the SQL depends on the detector count.
  const stmt = store.db.prepare(sql);
  for (const row of stmt.iterate(params) as Iterable<Row>) {
    const month = q.dateBasis === 'publication' ? row.pub_month : row.crawl_month;
    let group: string | null;
    switch (q.by) {
      case 'month':
        group = month;
        break;
      case 'crawl':
        group = crawlOfSource(row.source_path);
        break;
      case 'lang':
        group = row.lang;
        break;
      case 'domain':
        group = row.domain;
        break;
      case 'tld':
        group = row.tld;
        break;
    }
    const dateSource = q.dateBasis === 'crawl' ? (row.crawl_month ? 'warc-date' : 'none') : row.pub_month ? (row.date_source ?? 'unknown') : 'none';
    yield {
      id: row.id,
      group,
      dateSource,
      lang: row.lang,
      words: row.words,
      tld: row.tld,
      isBaseline: row.is_baseline === 1,
      text: row.text,
      scores: q.detectors.map((_, i) => row[`s${i}`] ?? null),
    };
  }
}

/**
 * Documents per month (of publication or crawl) with the same filters as `reportDocuments`
 * (language, duplicates left out), so periods can be chosen before the documents stream.
 * Counted are the documents with a score by one of the report's detector versions, the ones
 * the estimators can use (a page too short or in a script no detector reads has none), or every
 * document when none has such a score.
 */
export function documentsPerMonth(store: Store, q: Pick<ReportQuery, 'dateBasis' | 'lang' | 'detectors'>): Map<string, number> {
  const col = q.dateBasis === 'publication' ? 'd.pub_month' : 'd.crawl_month';
  const versions = q.detectors.map((_, i) => `(s.detector = @d${i} AND s.detector_version = @v${i})`).join(' OR ') || '0';
  const params: Record<string, string | null> = { lang: q.lang ?? null };
  q.detectors.forEach((d, i) => {
    params[`d${i}`] = d.detector;
    params[`v${i}`] = d.detectorVersion;
  });
  const rows = store
    .statement(
      `SELECT ${col} AS month, COUNT(*) AS n,
              SUM(EXISTS (SELECT 1 FROM scores s WHERE s.document_id = d.id AND s.score IS NOT NULL AND (${versions}))) AS scored
       FROM documents d JOIN records r ON r.id = d.record_pk
       WHERE (@lang IS NULL OR d.lang = @lang) AND NOT ${DUPLICATE_SQL} AND ${col} IS NOT NULL
       GROUP BY ${col}`,
    )
    .all(params) as Array<{ month: string; n: number; scored: number }>;
  const anyScored = rows.some((r) => r.scored > 0);
  return new Map(rows.map((r) => [r.month, anyScored ? r.scored : r.n]));
}

/** A stored document shown as an example in reports (title and URL are untrusted web strings). */
export interface ExampleDocument {
  id: number;
  title: string | null;
  url: string | null;
  pubMonth: string | null;
  crawlMonth: string | null;
  score: number;
}

/** The highest-scoring documents of one detector version (ties by id). */
export function topScoredDocuments(store: Store, detector: string, detectorVersion: string, limit: number): ExampleDocument[] {
  return store
    .statement(
      `SELECT d.id, d.title, d.url, d.pub_month AS pubMonth, d.crawl_month AS crawlMonth, s.score
       FROM scores s JOIN documents d ON d.id = s.document_id JOIN records r ON r.id = d.record_pk
       WHERE s.detector = ? AND s.detector_version = ? AND s.score IS NOT NULL AND NOT ${DUPLICATE_SQL}
       ORDER BY s.score DESC, d.id LIMIT ?`,
    )
    .all(detector, detectorVersion, Math.max(0, Math.trunc(limit))) as ExampleDocument[];
}

/**
 * Reference texts (migration 004): AI references written for baseline pages, imported labelled
 * texts and human-only control corpora, with their detector scores. The store side of
 * domain-matched calibration (src/estimate/baseline/).
 */
import type { Store } from './db.js';
import { StoreError } from './errors.js';
import { baselineCondition } from './baseline-queries.js';

export type ReferenceLabel = 'human' | 'ai';
export type ReferenceOrigin = 'synthesize' | 'import' | 'control';

/** A reference text to store. */
export interface ReferenceInput {
  /** Batch name: one synthesize run (e.g. "synth:gpt-4o-mini") or one imported file. */
  setName: string;
  /** Id within the set (JSONL id, or "doc:<document id>" for synthesized texts). */
  externalId: string;
  label: ReferenceLabel;
  origin: ReferenceOrigin;
  /** Baseline document the text imitates (synthesize), else null. */
  documentId?: number | null;
  /** Model that wrote the text (AI), null for human texts. */
  generator?: string | null;
  /** Full prompt sent to the model (synthesize), for the record. */
  prompt?: string | null;
  title?: string | null;
  text: string;
  /** Stratum fields (of the imitated page when there is one). */
  lang?: string | null;
  tld?: string | null;
  domain?: string | null;
  genre?: string | null;
  words: number;
  promptTokens?: number | null;
  completionTokens?: number | null;
  details?: unknown;
  runId?: number | null;
}

/** A stored reference text. */
export interface ReferenceText {
  id: number;
  setName: string;
  externalId: string;
  label: ReferenceLabel;
  origin: ReferenceOrigin;
  documentId: number | null;
  generator: string | null;
  title: string | null;
  text: string;
  lang: string | null;
  tld: string | null;
  domain: string | null;
  genre: string | null;
  words: number;
}

/** A reference text with one detector's score (null = detector does not support it). */
export interface ScoredReference extends Omit<ReferenceText, 'text' | 'title'> {
  score: number | null;
}

/**
 * Inserts reference texts in one transaction; rows whose (setName, externalId) already exist
 * are left alone. Returns how many were new.
 */
export function addReferences(store: Store, rows: Iterable<ReferenceInput>): number {
  const stmt = store.statement(
    `INSERT INTO reference_texts (set_name, external_id, label, origin, document_id, generator, prompt, title, text,
       lang, tld, domain, genre, words, prompt_tokens, completion_tokens, details, run_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (set_name, external_id) DO NOTHING`,
  );
  const write = store.db.transaction((items: Iterable<ReferenceInput>) => {
    const created = new Date().toISOString();
    let added = 0;
    for (const r of items) {
      if (!r.setName || !r.externalId) throw new StoreError('bad-input', 'a reference text needs a set name and an id');
      if (r.label !== 'human' && r.label !== 'ai')
        throw new StoreError('bad-input', `reference label must be "human" or "ai", got ${String(r.label)}`);
      if (typeof r.text !== 'string' || r.text.length === 0) throw new StoreError('bad-input', `reference ${r.setName}/${r.externalId} has no text`);
      const info = stmt.run(
        r.setName,
        r.externalId,
        r.label,
        r.origin,
        r.documentId ?? null,
        r.generator ?? null,
        r.prompt ?? null,
        r.title ?? null,
        r.text,
        r.lang ?? null,
        r.tld ?? null,
        r.domain ?? null,
        r.genre ?? null,
        Math.max(0, Math.trunc(r.words)),
        r.promptTokens ?? null,
        r.completionTokens ?? null,
        r.details === undefined || r.details === null ? null : JSON.stringify(r.details),
        r.runId ?? null,
        created,
      );
      added += info.changes;
    }
    return added;
  });
  return write(rows);
}

/** External ids already stored in a set (lets synthesize skip pages it has done). */
export function referenceIdsInSet(store: Store, setName: string): Set<string> {
  const rows = store.statement(`SELECT external_id AS id FROM reference_texts WHERE set_name = ?`).all(setName) as Array<{ id: string }>;
  return new Set(rows.map((r) => r.id));
}

export interface ReferenceFilter {
  label?: ReferenceLabel;
  /** Only these sets (default: all). */
  sets?: readonly string[];
}

function filterSql(f: ReferenceFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (f.label) {
    clauses.push('r.label = ?');
    params.push(f.label);
  }
  if (f.sets && f.sets.length > 0) {
    clauses.push(`r.set_name IN (${f.sets.map(() => '?').join(',')})`);
    params.push(...f.sets);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

const REF_COLUMNS = `r.id, r.set_name AS setName, r.external_id AS externalId, r.label, r.origin, r.document_id AS documentId,
  r.generator, r.lang, r.tld, r.domain, r.genre, r.words`;

/** Reference texts (with text), in id order. */
export function* referenceTexts(store: Store, f: ReferenceFilter = {}): Generator<ReferenceText> {
  const { where, params } = filterSql(f);
  yield* store.db
    .prepare(`SELECT ${REF_COLUMNS}, r.title, r.text FROM reference_texts r ${where} ORDER BY r.id`)
    .iterate(...params) as Iterable<ReferenceText>;
}

/** Reference texts with their score from one detector version (texts without a score are left out). */
export function scoredReferences(store: Store, detector: string, detectorVersion: string, f: ReferenceFilter = {}): ScoredReference[] {
  const { where, params } = filterSql(f);
  const join = `JOIN reference_scores s ON s.reference_id = r.id AND s.detector = ? AND s.detector_version = ?`;
  return store.db
    .prepare(`SELECT ${REF_COLUMNS}, s.score FROM reference_texts r ${join} ${where} ORDER BY r.id`)
    .all(detector, detectorVersion, ...params) as ScoredReference[];
}

/** Inserts or replaces reference scores in one transaction. */
export function upsertReferenceScores(
  store: Store,
  rows: Iterable<{ referenceId: number; detector: string; detectorVersion: string; score: number | null; raw?: number | null }>,
): number {
  const stmt = store.statement(
    `INSERT INTO reference_scores (reference_id, detector, detector_version, score, raw, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (reference_id, detector, detector_version) DO UPDATE SET score = excluded.score, raw = excluded.raw, created_at = excluded.created_at`,
  );
  const write = store.db.transaction((items: typeof rows) => {
    const created = new Date().toISOString();
    let n = 0;
    for (const r of items) {
      const score = r.score === null || Number.isFinite(r.score) ? r.score : null;
      const raw = r.raw === null || r.raw === undefined || !Number.isFinite(r.raw) ? null : r.raw;
      stmt.run(r.referenceId, r.detector, r.detectorVersion, score, raw, created);
      n++;
    }
    return n;
  });
  return write(rows);
}

/** One line of `ccaudit references list`: stored references of one set, label, origin and generator. */
export interface ReferenceSummaryRow {
  setName: string;
  label: ReferenceLabel;
  origin: ReferenceOrigin;
  generator: string | null;
  n: number;
  promptTokens: number;
  completionTokens: number;
}

/** Counts of stored references by set, label and origin (for `ccaudit references list`). */
export function referenceSummary(store: Store): ReferenceSummaryRow[] {
  return store.db
    .prepare(
      `SELECT set_name AS setName, label, origin, generator, count(*) AS n,
         coalesce(sum(prompt_tokens), 0) AS promptTokens, coalesce(sum(completion_tokens), 0) AS completionTokens
       FROM reference_texts GROUP BY set_name, label, origin, generator ORDER BY set_name, label, generator`,
    )
    .all() as ReferenceSummaryRow[];
}

/**
 * Reference texts without a score from (detector, version), read in pages of `batchSize` rows
 * (keyset pagination on id) so a large set never sits in memory at once.
 */
export function* referencesMissingScorePaged(
  store: Store,
  detector: string,
  detectorVersion: string,
  batchSize = 256,
): Generator<{ id: number; text: string; lang: string | null; words: number }> {
  const size = Math.max(1, Math.trunc(batchSize));
  const stmt = store.statement(
    `SELECT r.id, r.text, r.lang, r.words FROM reference_texts r
     WHERE r.id > ? AND NOT EXISTS (
       SELECT 1 FROM reference_scores s WHERE s.reference_id = r.id AND s.detector = ? AND s.detector_version = ?)
     ORDER BY r.id LIMIT ?`,
  );
  let after = 0;
  for (;;) {
    const batch = stmt.all(after, detector, detectorVersion, size) as Array<{ id: number; text: string; lang: string | null; words: number }>;
    if (batch.length === 0) return;
    after = batch[batch.length - 1].id;
    yield* batch;
    if (batch.length < size) return;
  }
}

/** Which stored documents count as the pre-AI baseline a synthesis imitates. */
export interface BaselineFilter {
  /** ISO date (YYYY-MM-DD); documents strictly before it qualify. */
  cutoff: string;
  /** Compare the crawl date (WARC-Date) or the extracted publication date. */
  basis: 'crawl' | 'publication';
  /** Fewest words a page needs. */
  minWords: number;
}

function baselineWhere(f: BaselineFilter): { where: string; params: unknown[] } {
  return {
    where: `${baselineCondition(f.basis, '?')} AND d.words >= ? AND length(d.text) > 0`,
    params: [f.cutoff, f.minWords],
  };
}

/** Baseline documents per (lang, tld): the stratum sizes a proportional sample is drawn from. */
export function baselineStrataCounts(store: Store, f: BaselineFilter): Array<{ lang: string; tld: string | null; n: number }> {
  const { where, params } = baselineWhere(f);
  return store.db
    .prepare(`SELECT d.lang, d.tld, count(*) AS n FROM documents d WHERE ${where} GROUP BY d.lang, d.tld ORDER BY d.lang, d.tld`)
    .all(...params) as Array<{ lang: string; tld: string | null; n: number }>;
}

/** Ids and strata of the baseline documents, streamed (no text). */
export function* baselineCandidates(store: Store, f: BaselineFilter): Generator<{ id: number; lang: string; tld: string | null }> {
  const { where, params } = baselineWhere(f);
  yield* store.db.prepare(`SELECT d.id, d.lang, d.tld FROM documents d WHERE ${where} ORDER BY d.id`).iterate(...params) as Iterable<{
    id: number;
    lang: string;
    tld: string | null;
  }>;
}

/** What synthesize needs of one baseline page. */
export interface BaselinePage {
  id: number;
  url: string | null;
  title: string | null;
  text: string;
  lang: string;
  tld: string | null;
  domain: string | null;
  words: number;
  crawlDate: string | null;
  date: string | null;
}

/** One stored document as a page to imitate, or null when the id is unknown. */
export function baselinePage(store: Store, id: number): BaselinePage | null {
  const row = store
    .statement(`SELECT id, url, title, text, lang, tld, domain, words, crawl_date AS crawlDate, date FROM documents WHERE id = ?`)
    .get(id) as BaselinePage | undefined;
  return row ?? null;
}

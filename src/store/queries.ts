/** Read side for the CLI and reports. Report writers add their own queries here. */
import type { Store } from './db.js';
import type { RunStatus } from './runs.js';

export interface Totals {
  runs: number;
  sources: number;
  sourcesComplete: number;
  records: number;
  documents: number;
  errors: number;
  scores: number;
}

/** Row counts of the whole store. */
export function totals(store: Store): Totals {
  return store
    .statement(
      `SELECT (SELECT count(*) FROM runs) AS runs,
              (SELECT count(*) FROM sources) AS sources,
              (SELECT count(*) FROM sources WHERE completed_at IS NOT NULL) AS sourcesComplete,
              (SELECT count(*) FROM records) AS records,
              (SELECT count(*) FROM documents) AS documents,
              (SELECT count(*) FROM errors) AS errors,
              (SELECT count(*) FROM scores) AS scores`,
    )
    .get() as Totals;
}

export interface SourceInfo {
  id: number;
  path: string;
  kind: 'file' | 'url';
  size: number | null;
  mtimeMs: number | null;
  createdAt: string;
  completedAt: string | null;
  resumeOffset: number;
  records: number;
  documents: number;
  errors: number;
}

/** Every source with its progress and row counts (maintained in the writer's transactions). */
export function listSources(store: Store): SourceInfo[] {
  return store
    .statement(
      `SELECT id, path, kind, size, mtime_ms AS mtimeMs, created_at AS createdAt, completed_at AS completedAt,
              resume_offset AS resumeOffset, records, documents, errors
       FROM sources ORDER BY id`,
    )
    .all() as SourceInfo[];
}

export interface RunInfo {
  id: number;
  command: string;
  args: unknown;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  pid: number | null;
  hostname: string | null;
  /** Rows this run inserted (not rows it met again). */
  recordsAdded: number;
  documentsAdded: number;
  errorsAdded: number;
  sourcesCompleted: number;
  summary: unknown;
}

const RUN_COLUMNS = `id, command, args, started_at AS startedAt, finished_at AS finishedAt, status, pid, hostname,
  records_added AS recordsAdded, documents_added AS documentsAdded, errors_added AS errorsAdded,
  sources_completed AS sourcesCompleted, summary`;

function parseRun(row: RunInfo & { args: string; summary: string | null }): RunInfo {
  return { ...row, args: JSON.parse(row.args), summary: row.summary === null ? null : JSON.parse(row.summary) };
}

/** Most recent runs first. */
export function listRuns(store: Store, limit = 50): RunInfo[] {
  const rows = store.statement(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY id DESC LIMIT ?`).all(limit);
  return (rows as Array<RunInfo & { args: string; summary: string | null }>).map(parseRun);
}

export function getRun(store: Store, id: number): RunInfo | null {
  const row = store.statement(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`).get(id);
  return row ? parseRun(row as RunInfo & { args: string; summary: string | null }) : null;
}

export interface ErrorInfo {
  id: number;
  runId: number | null;
  sourceId: number;
  source: string;
  offset: number | null;
  offsetKind: 'file' | 'uncompressed' | null;
  code: string;
  message: string;
  createdAt: string;
}

export interface ErrorFilter {
  runId?: number;
  sourceId?: number;
  /** Only sources whose path (or URL) contains this text. */
  source?: string;
  code?: string;
  /** Page size, default 100. */
  limit?: number;
  /** Keyset paging: only errors with id greater than this. */
  afterId?: number;
}

/** Errors in insertion order, optionally filtered; page with `afterId`. */
export function listErrors(store: Store, filter: ErrorFilter = {}): ErrorInfo[] {
  return store
    .statement(
      `SELECT e.id, e.run_id AS runId, e.source_id AS sourceId, s.path AS source, e.offset,
              e.offset_kind AS offsetKind, e.code, e.message, e.created_at AS createdAt
       FROM errors e JOIN sources s ON s.id = e.source_id
       WHERE e.id > @afterId
         AND (@runId IS NULL OR e.run_id = @runId)
         AND (@sourceId IS NULL OR e.source_id = @sourceId)
         AND (@source IS NULL OR instr(s.path, @source) > 0)
         AND (@code IS NULL OR e.code = @code)
       ORDER BY e.id LIMIT @limit`,
    )
    .all({ ...errorParams(filter), limit: filter.limit ?? 100 }) as ErrorInfo[];
}

function errorParams(filter: ErrorFilter) {
  return {
    afterId: filter.afterId ?? 0,
    runId: filter.runId ?? null,
    sourceId: filter.sourceId ?? null,
    source: filter.source ?? null,
    code: filter.code ?? null,
  };
}

/** How many errors match `filter` (its limit is ignored). */
export function countErrors(store: Store, filter: ErrorFilter = {}): number {
  const row = store
    .statement(
      `SELECT count(*) AS n FROM errors e JOIN sources s ON s.id = e.source_id
       WHERE e.id > @afterId
         AND (@runId IS NULL OR e.run_id = @runId)
         AND (@sourceId IS NULL OR e.source_id = @sourceId)
         AND (@source IS NULL OR instr(s.path, @source) > 0)
         AND (@code IS NULL OR e.code = @code)`,
    )
    .get(errorParams(filter)) as { n: number };
  return row.n;
}

/** Error counts per code, most frequent first; optionally for one run. */
export function errorCountsByCode(store: Store, runId?: number): Array<{ code: string; count: number }> {
  return store
    .statement(
      `SELECT code, count(*) AS count FROM errors WHERE (@runId IS NULL OR run_id = @runId)
       GROUP BY code ORDER BY count DESC, code`,
    )
    .all({ runId: runId ?? null }) as Array<{ code: string; count: number }>;
}

export interface MonthCount {
  /** "YYYY-MM", or null for documents without that date. */
  month: string | null;
  documents: number;
  words: number;
}

export interface MonthFilter {
  /** Group by WARC-Date month ("crawl", default) or by extracted publication month. */
  by?: 'crawl' | 'publication';
  /** Only documents in this language (ISO 639-3). */
  lang?: string;
  /** Only documents with at least this many words. */
  minWords?: number;
}

/** Documents and words per month, in month order (documents without a month last). */
export function documentsByMonth(store: Store, filter: MonthFilter = {}): MonthCount[] {
  const column = filter.by === 'publication' ? 'pub_month' : 'crawl_month';
  return store
    .statement(
      `SELECT ${column} AS month, count(*) AS documents, coalesce(sum(words), 0) AS words
       FROM documents
       WHERE (@lang IS NULL OR lang = @lang) AND words >= @minWords
       GROUP BY ${column} ORDER BY ${column} IS NULL, ${column}`,
    )
    .all({ lang: filter.lang ?? null, minWords: filter.minWords ?? 0 }) as MonthCount[];
}

/** Documents per language, most frequent first. */
export function documentsByLang(store: Store): Array<{ lang: string; documents: number }> {
  return store.statement(`SELECT lang, count(*) AS documents FROM documents GROUP BY lang ORDER BY documents DESC, lang`).all() as Array<{
    lang: string;
    documents: number;
  }>;
}

/** True when a record at (source, offset) is stored: lets range-read samplers skip known records. */
export function hasRecord(store: Store, source: string, offset: number): boolean {
  return (
    store.statement(`SELECT 1 FROM records r JOIN sources s ON s.id = r.source_id WHERE s.path = ? AND r.offset = ?`).get(source, offset) !==
    undefined
  );
}

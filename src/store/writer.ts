/**
 * Batched, idempotent writer for the scan pipeline.
 *
 * Resume protocol: rows handed to add()/addError() are buffered; checkpoint(source, next)
 * records "every record of this source before `next` has been handed over". A flush writes
 * all buffered rows AND the latest checkpoint of each source in ONE transaction, so the
 * committed resume offset never runs ahead of the committed rows. A process killed at any
 * instant loses only its uncommitted batch and resumes from the committed offset; rows
 * re-read after resuming hit the (source, offset) keys and are ignored, never duplicated.
 */
import { hostname } from 'node:os';
import type { DocumentScore, ExtractedDocument, WarcReadError, WarcRecord } from '../core/types.js';
import type { Store } from './db.js';
import { monthOf, sourceKind, urlParts } from './derive.js';
import { StoreError } from './errors.js';

export type RunStatus = 'running' | 'completed' | 'interrupted' | 'failed';
const FINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'interrupted', 'failed']);

/** What the writer compares to notice that a source changed since it was last scanned. */
export interface SourceStat {
  size?: number | null;
  mtimeMs?: number | null;
}

export interface BeginSourceResult {
  sourceId: number;
  /** Offset to start reading at: the last committed checkpoint (0 for a new source). */
  resumeOffset: number;
  /** completeSource() was committed for this source: nothing left to read. */
  alreadyComplete: boolean;
}

/** An error not coming from the WARC reader (e.g. extraction failed, file unreadable). */
export interface ErrorInput {
  sourceId: number;
  /** Position of the problem; null when it concerns the whole source. */
  offset: number | null;
  offsetKind?: 'file' | 'uncompressed' | null;
  code: string;
  message: string;
}

export interface WriterOptions {
  /** Rows (records + errors) per committed transaction. Default 500. */
  batchSize?: number;
  /** Flush early when buffered text exceeds this many bytes (bounded memory). Default 32 MiB. */
  maxBufferBytes?: number;
  /** Flush at the next checkpoint once the oldest buffered row is this old (ms). Default 2000. */
  maxBatchAgeMs?: number;
  /**
   * A source whose size/mtime differ from the stored ones: "error" (default) throws
   * StoreError('source-changed'); "rescan" deletes its stored rows and starts it at offset 0.
   */
  onSourceChange?: 'error' | 'rescan';
}

export interface WriterStats {
  /** Rows actually inserted (conflicts with existing rows are not counted). */
  recordsAdded: number;
  documentsAdded: number;
  errorsAdded: number;
  /** Committed transactions. */
  flushes: number;
  /** Rows waiting in the buffer. */
  pendingRows: number;
}

type RecordParams = {
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

type DocumentParams = {
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
};

type ErrorParams = {
  run_id: number | null;
  source_id: number;
  offset: number | null;
  offset_kind: string | null;
  code: string;
  message: string;
  created_at: string;
};

interface SourceRow {
  id: number;
  size: number | null;
  mtime_ms: number | null;
  completed_at: string | null;
  resume_offset: number;
}

interface Counts {
  records: number;
  documents: number;
  errors: number;
}

const SQL = {
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
      charset, charset_source, crawl_date, pub_month, crawl_month)
    VALUES (@record_pk, @url, @host, @domain, @tld, @title, @text, @date, @date_source, @lang, @words,
      @charset, @charset_source, @crawl_date, @pub_month, @crawl_month)
    ON CONFLICT (record_pk) DO NOTHING`,
  insertError: `INSERT INTO errors (run_id, source_id, offset, offset_kind, code, message, created_at)
    VALUES (@run_id, @source_id, @offset, @offset_kind, @code, @message, @created_at)
    ON CONFLICT DO NOTHING`,
  checkpoint: `UPDATE sources SET resume_offset = ? WHERE id = ?`,
  complete: `UPDATE sources SET completed_at = ? WHERE id = ? AND completed_at IS NULL`,
  sourceCounts: `UPDATE sources SET records = records + ?, documents = documents + ?, errors = errors + ? WHERE id = ?`,
  runCounts: `UPDATE runs SET records_added = records_added + ?, documents_added = documents_added + ?,
      errors_added = errors_added + ?, sources_completed = sources_completed + ? WHERE id = ?`,
  sourceByPath: `SELECT id, size, mtime_ms, completed_at, resume_offset FROM sources WHERE path = ?`,
  insertSource: `INSERT INTO sources (path, kind, size, mtime_ms, first_run_id, created_at)
    VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
  fillSourceStat: `UPDATE sources SET size = coalesce(size, ?), mtime_ms = coalesce(mtime_ms, ?) WHERE id = ?`,
} as const;

function now(): string {
  return new Date().toISOString();
}

function badInput(message: string): StoreError {
  return new StoreError('bad-input', message);
}

function checkOffset(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw badInput(`${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

function checkOffsetKind(value: unknown): 'file' | 'uncompressed' {
  if (value !== 'file' && value !== 'uncompressed') {
    throw badInput(`offsetKind must be "file" or "uncompressed", got ${String(value)}`);
  }
  return value;
}

function optionalStat(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : null;
}

/** Record row parameters; the payload itself is not stored (only its length). */
function recordParams(sourceId: number, r: WarcRecord, runId: number | null): RecordParams {
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
    payload_length: r.payload ? r.payload.byteLength : null,
    truncated: r.payloadTruncated ? 1 : 0,
    notes: r.notes && r.notes.length > 0 ? JSON.stringify(r.notes) : null,
    run_id: runId,
  };
}

function documentParams(r: WarcRecord, d: ExtractedDocument): DocumentParams {
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
  };
}

/** Rough in-memory size of a buffered row (UTF-16 strings), for the memory bound. */
function approxBytes(doc: DocumentParams | null): number {
  return 512 + (doc ? (doc.text.length + (doc.title?.length ?? 0)) * 2 : 0);
}

function finiteOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function isWarcReadError(value: unknown): value is WarcReadError {
  return typeof value === 'object' && value !== null && (value as WarcReadError).kind === 'error';
}

export class StoreWriter {
  private readonly store: Store;
  private readonly batchSize: number;
  private readonly maxBufferBytes: number;
  private readonly maxBatchAgeMs: number;
  private readonly onSourceChange: 'error' | 'rescan';

  private runId: number | null = null;
  private readonly sourceIds = new Map<string, number>();
  /** Source ids checked to exist, so a wrong id fails at add() rather than at flush. */
  private readonly knownSourceIds = new Set<number>();

  private pendingRecords: Array<{ record: RecordParams; doc: DocumentParams | null; scores: DocumentScore[] | null }> = [];
  private pendingErrors: ErrorParams[] = [];
  private pendingCheckpoints = new Map<number, number>();
  private pendingCompletions = new Set<number>();
  private pendingActions: Array<() => void> = [];
  private pendingBytes = 0;
  private oldestPendingAt = 0;
  private flushDue = false;

  private readonly totals: Omit<WriterStats, 'pendingRows'> = {
    recordsAdded: 0,
    documentsAdded: 0,
    errorsAdded: 0,
    flushes: 0,
  };
  private readonly commit: () => { counts: Counts; perSource: Map<number, Counts> };

  constructor(store: Store, opts: WriterOptions = {}) {
    this.store = store;
    this.batchSize = Math.max(1, Math.trunc(finiteOr(opts.batchSize, 500)));
    this.maxBufferBytes = Math.max(1, finiteOr(opts.maxBufferBytes, 32 * 1024 * 1024));
    this.maxBatchAgeMs = Math.max(0, finiteOr(opts.maxBatchAgeMs, 2000));
    this.onSourceChange = opts.onSourceChange ?? 'error';
    this.commit = store.db.transaction(() => this.writePending());
  }

  /** Starts a run; rows written afterwards carry its id. Returns the run id. */
  beginRun(command: string, args: unknown = []): number {
    this.flush(); // buffered rows belong to the previous run's counters
    const row = this.store
      .statement(
        `INSERT INTO runs (command, args, started_at, status, pid, hostname)
         VALUES (?, ?, ?, 'running', ?, ?) RETURNING id`,
      )
      .get(command, JSON.stringify(args ?? []), now(), process.pid, hostname()) as { id: number };
    this.runId = row.id;
    return row.id;
  }

  /** Id of the run begun by this writer, or null. */
  get currentRunId(): number | null {
    return this.runId;
  }

  /**
   * Registers a source (or finds it) and says where to resume. `stat` (size, mtimeMs) is
   * compared with the stored one: stored offsets are meaningless for a changed file.
   */
  beginSource(path: string, stat: SourceStat | null = null): BeginSourceResult {
    if (typeof path !== 'string' || path.length === 0) throw badInput('source path must be a non-empty string');
    const size = optionalStat(stat?.size);
    const mtimeMs = optionalStat(stat?.mtimeMs);
    let row = this.store.statement(SQL.sourceByPath).get(path) as SourceRow | undefined;
    if (!row) {
      const inserted = this.store
        .statement(SQL.insertSource)
        .get(path, sourceKind(path), size, mtimeMs, this.runId, now()) as { id: number };
      this.sourceIds.set(path, inserted.id);
      this.knownSourceIds.add(inserted.id);
      return { sourceId: inserted.id, resumeOffset: 0, alreadyComplete: false };
    }
    const changes: string[] = [];
    if (size !== null && row.size !== null && size !== row.size) changes.push(`size ${row.size} → ${size}`);
    if (mtimeMs !== null && row.mtime_ms !== null && mtimeMs !== row.mtime_ms) {
      changes.push(`mtime ${new Date(row.mtime_ms).toISOString()} → ${new Date(mtimeMs).toISOString()}`);
    }
    if (changes.length > 0) {
      if (this.onSourceChange === 'error') {
        throw new StoreError(
          'source-changed',
          `${path} changed since it was stored (${changes.join(', ')}); its stored offsets no longer match. ` +
            `Rescan it from the start (writer option onSourceChange: "rescan") or use a new database.`,
        );
      }
      this.resetSource(row.id, size, mtimeMs);
      row = this.store.statement(SQL.sourceByPath).get(path) as SourceRow;
    } else if ((size !== null && row.size === null) || (mtimeMs !== null && row.mtime_ms === null)) {
      this.store.statement(SQL.fillSourceStat).run(size, mtimeMs, row.id);
    }
    this.sourceIds.set(path, row.id);
    this.knownSourceIds.add(row.id);
    return {
      sourceId: row.id,
      resumeOffset: this.pendingCheckpoints.get(row.id) ?? row.resume_offset,
      alreadyComplete: row.completed_at !== null || this.pendingCompletions.has(row.id),
    };
  }

  /** Deletes every stored row of a changed source (documents and scores cascade) and restarts it. */
  private resetSource(sourceId: number, size: number | null, mtimeMs: number | null): void {
    this.flush();
    this.store.db.transaction(() => {
      this.store.statement(`DELETE FROM records WHERE source_id = ?`).run(sourceId);
      this.store.statement(`DELETE FROM errors WHERE source_id = ?`).run(sourceId);
      this.store
        .statement(
          `UPDATE sources SET size = ?, mtime_ms = ?, resume_offset = 0, completed_at = NULL,
             records = 0, documents = 0, errors = 0 WHERE id = ?`,
        )
        .run(size, mtimeMs, sourceId);
    })();
  }

  private checkSourceId(sourceId: number): number {
    if (this.knownSourceIds.has(sourceId)) return sourceId;
    if (!Number.isSafeInteger(sourceId) || this.store.statement(`SELECT 1 FROM sources WHERE id = ?`).get(sourceId) === undefined) {
      throw badInput(`unknown source id ${String(sourceId)}; call beginSource() first`);
    }
    this.knownSourceIds.add(sourceId);
    return sourceId;
  }

  /** Source id for a location, registering it (without stat) if it was never seen. */
  private sourceIdFor(path: string): number {
    const cached = this.sourceIds.get(path);
    if (cached !== undefined) return cached;
    return this.beginSource(path).sourceId;
  }

  /**
   * Buffers one record and, for HTML pages, its extracted document.
   * Either `add(record, doc)` (source found by `record.source`) or `add(sourceId, record, doc)`.
   */
  add(record: WarcRecord, doc?: ExtractedDocument | null): void;
  add(sourceId: number, record: WarcRecord, doc?: ExtractedDocument | null, scores?: DocumentScore[]): void;
  add(
    a: WarcRecord | number,
    b?: WarcRecord | ExtractedDocument | null,
    c?: ExtractedDocument | null,
    scores?: DocumentScore[],
  ): void {
    let sourceId: number;
    let record: WarcRecord;
    let doc: ExtractedDocument | null;
    if (typeof a === 'number') {
      sourceId = this.checkSourceId(a);
      record = b as WarcRecord;
      doc = c ?? null;
    } else {
      record = a;
      doc = (b as ExtractedDocument | null | undefined) ?? null;
      sourceId = this.sourceIdFor(record.source);
    }
    if (!record || typeof record !== 'object') throw badInput('add() needs a WarcRecord');
    const recordRow = recordParams(sourceId, record, this.runId);
    const docRow = doc ? documentParams(record, doc) : null;
    this.pendingRecords.push({ record: recordRow, doc: docRow, scores: docRow && scores?.length ? scores : null });
    this.noteBuffered(approxBytes(docRow));
  }

  /**
   * Buffers an error row. Accepts a WarcReadError (source found by its path), an ErrorInput
   * with an explicit sourceId, or `addError(sourceId, warcReadError)`.
   * The same (source, offset, code) is stored once however often it is added.
   */
  addError(error: WarcReadError | ErrorInput): void;
  addError(sourceId: number, error: WarcReadError): void;
  addError(a: WarcReadError | ErrorInput | number, b?: WarcReadError): void {
    let row: ErrorParams;
    if (typeof a === 'number') {
      if (!isWarcReadError(b)) throw badInput('addError(sourceId, error) needs a WarcReadError');
      row = this.errorRow(this.checkSourceId(a), b.offset, b.offsetKind, b.code, b.message);
    } else if (isWarcReadError(a)) {
      row = this.errorRow(this.sourceIdFor(a.source), a.offset, a.offsetKind, a.code, a.message);
    } else if (a && typeof a === 'object' && typeof a.sourceId === 'number') {
      row = this.errorRow(this.checkSourceId(a.sourceId), a.offset, a.offsetKind ?? null, a.code, a.message);
    } else {
      throw badInput('addError() needs a WarcReadError or { sourceId, offset, code, message }');
    }
    this.pendingErrors.push(row);
    this.noteBuffered(512 + row.message.length * 2);
  }

  /** An error about a whole source that could not be read at all (offset NULL). */
  addFileError(path: string, message: string, code = 'source-unreadable'): void {
    this.addError({ sourceId: this.sourceIdFor(path), offset: null, code, message });
  }

  private errorRow(
    sourceId: number,
    offset: number | null,
    offsetKind: string | null,
    code: string,
    message: string,
  ): ErrorParams {
    if (typeof code !== 'string' || code.length === 0) throw badInput('error code must be a non-empty string');
    return {
      run_id: this.runId,
      source_id: sourceId,
      offset: offset === null || offset === undefined ? null : checkOffset('error offset', offset),
      offset_kind: offsetKind === null || offsetKind === undefined ? null : checkOffsetKind(offsetKind),
      code,
      message: String(message ?? ''),
      created_at: now(),
    };
  }

  private noteBuffered(bytes: number): void {
    if (this.pendingRows === 1) this.oldestPendingAt = Date.now();
    this.pendingBytes += bytes;
    const rows = this.pendingRows;
    // Prefer flushing at the next checkpoint (crisp resume offset); force it if the caller
    // never checkpoints or memory grows too much.
    if (rows >= this.batchSize) this.flushDue = true;
    if (rows >= 2 * this.batchSize || this.pendingBytes >= this.maxBufferBytes) this.flush();
  }

  private get pendingRows(): number {
    return this.pendingRecords.length + this.pendingErrors.length;
  }

  /**
   * Every record of `sourceId` before `nextOffset` has been handed to add()/addError().
   * Committed together with those rows; flushes when a batch is full.
   */
  checkpoint(sourceId: number, nextOffset: number): void {
    checkOffset('checkpoint offset', nextOffset);
    this.checkSourceId(sourceId);
    this.pendingCheckpoints.set(sourceId, nextOffset);
    const aged = this.pendingRows > 0 && Date.now() - this.oldestPendingAt >= this.maxBatchAgeMs;
    if (this.flushDue || aged) this.flush();
  }

  /** Marks a source fully read; committed (with any buffered rows) before returning. */
  completeSource(sourceId: number): void {
    this.checkSourceId(sourceId);
    this.pendingCompletions.add(sourceId);
    this.flush();
  }

  /**
   * Runs `action` inside the next flush transaction, after the buffered rows, for state that
   * must commit atomically with them (e.g. Common Crawl sample rows marked fetched). If it
   * throws, the whole batch rolls back and stays buffered, and flush() rethrows.
   */
  atNextFlush(action: () => void): void {
    this.pendingActions.push(action);
  }

  /** Commits everything buffered in one transaction. No-op when nothing is pending. */
  flush(): void {
    if (
      this.pendingRows === 0 &&
      this.pendingCheckpoints.size === 0 &&
      this.pendingCompletions.size === 0 &&
      this.pendingActions.length === 0
    ) {
      return;
    }
    const { counts } = this.commit();
    this.totals.recordsAdded += counts.records;
    this.totals.documentsAdded += counts.documents;
    this.totals.errorsAdded += counts.errors;
    this.totals.flushes++;
    this.pendingRecords = [];
    this.pendingErrors = [];
    this.pendingCheckpoints = new Map();
    this.pendingCompletions = new Set();
    this.pendingActions = [];
    this.pendingBytes = 0;
    this.flushDue = false;
  }

  /** Body of the flush transaction; throws (and rolls back, keeping the buffer) on failure. */
  private writePending(): { counts: Counts; perSource: Map<number, Counts> } {
    const s = this.store;
    const insertRecord = s.statement(SQL.insertRecord);
    const recordId = s.statement(SQL.recordId);
    const insertDocument = s.statement(SQL.insertDocument);
    const insertError = s.statement(SQL.insertError);
    const perSource = new Map<number, Counts>();
    const tally = (sourceId: number): Counts => {
      let c = perSource.get(sourceId);
      if (!c) perSource.set(sourceId, (c = { records: 0, documents: 0, errors: 0 }));
      return c;
    };
    const counts: Counts = { records: 0, documents: 0, errors: 0 };

    const documentId = s.statement(SQL.documentId);
    const insertScore = s.statement(SQL.insertScore);
    const scoredAt = now();
    for (const { record, doc, scores } of this.pendingRecords) {
      const inserted = insertRecord.get(record) as { id: number } | undefined;
      let pk: number | undefined = inserted?.id;
      if (inserted) {
        counts.records++;
        tally(record.source_id).records++;
      } else if (doc) {
        // Record stored earlier (maybe without a document): attach the document if missing.
        pk = (recordId.get(record.source_id, record.offset) as { id: number }).id;
      }
      if (doc && pk !== undefined) {
        doc.record_pk = pk;
        if (insertDocument.run(doc).changes > 0) {
          counts.documents++;
          tally(record.source_id).documents++;
        }
        if (scores) {
          const docId = (documentId.get(pk) as { id: number }).id;
          for (const sc of scores) {
            insertScore.run(docId, sc.detector, sc.detectorVersion, sc.score, sc.raw,
              sc.details ? JSON.stringify(sc.details) : null, scoredAt);
          }
        }
      }
    }
    for (const error of this.pendingErrors) {
      if (insertError.run(error).changes > 0) {
        counts.errors++;
        tally(error.source_id).errors++;
      }
    }
    for (const [sourceId, offset] of this.pendingCheckpoints) s.statement(SQL.checkpoint).run(offset, sourceId);
    let completed = 0;
    const at = now();
    for (const sourceId of this.pendingCompletions) completed += s.statement(SQL.complete).run(at, sourceId).changes;
    for (const [sourceId, c] of perSource) {
      s.statement(SQL.sourceCounts).run(c.records, c.documents, c.errors, sourceId);
    }
    if (this.runId !== null) {
      s.statement(SQL.runCounts).run(counts.records, counts.documents, counts.errors, completed, this.runId);
    }
    for (const action of this.pendingActions) action();
    return { counts, perSource };
  }

  /**
   * Flushes, then records the run's final status, finish time and a caller summary (JSON).
   */
  finishRun(runId: number, status: Exclude<RunStatus, 'running'>, summary?: unknown): void {
    if (!FINAL_STATUSES.has(status)) {
      throw badInput(`run status must be completed, interrupted or failed, got ${String(status)}`);
    }
    this.flush();
    const changes = this.store
      .statement(`UPDATE runs SET status = ?, finished_at = ?, summary = ? WHERE id = ?`)
      .run(status, now(), summary === undefined ? null : JSON.stringify(summary), runId).changes;
    if (changes === 0) throw new StoreError('no-run', `no run with id ${runId}`);
    if (this.runId === runId) this.runId = null;
  }

  /** Counters of this writer (inserted rows only; conflicts are not counted). */
  get stats(): WriterStats {
    return { ...this.totals, pendingRows: this.pendingRows };
  }
}

/**
 * Marks runs left "running" by processes on this host that no longer exist as
 * "interrupted" (a SIGKILLed scan never gets to call finishRun). Returns the ids changed.
 */
export function markAbandonedRuns(store: Store): number[] {
  const host = hostname();
  const running = store
    .statement(`SELECT id, pid, hostname FROM runs WHERE status = 'running'`)
    .all() as Array<{ id: number; pid: number | null; hostname: string | null }>;
  const abandoned = running.filter((r) => r.hostname === host && r.pid !== null && !processAlive(r.pid));
  const mark = store.statement(`UPDATE runs SET status = 'interrupted' WHERE id = ? AND status = 'running'`);
  for (const r of abandoned) mark.run(r.id);
  return abandoned.map((r) => r.id);
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

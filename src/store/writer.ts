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
import type { DocumentScore, ExtractedDocument, WarcReadError, WarcRecord } from '../core/types.js';
import type { Store } from './db.js';
import { beginRun, finishRun, type FinalRunStatus } from './runs.js';
import { registerSource, sourceExists, type BeginSourceResult, type SourceStat } from './sources.js';
import { approxBytes, badInput, checkOffset, documentParams, optionalStat, RECORD_SQL, recordParams } from './record-rows.js';
import { writeBatch, type Counts, type PendingRecord } from './write-batch.js';
import { errorRow, isWarcReadError, type ErrorInput, type ErrorParams } from './error-rows.js';

export type { BeginSourceResult, SourceStat } from './sources.js';
export type { ErrorInput } from './error-rows.js';

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

function finiteOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
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

  private pendingRecords: PendingRecord[] = [];
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
  private readonly commit: () => Counts;

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
    this.runId = beginRun(this.store, command, args);
    return this.runId;
  }

  /** Rows written from now on carry `runId` (a run begun elsewhere, e.g. by the pipeline's withRun). */
  useRun(runId: number | null): void {
    this.flush(); // buffered rows belong to the previous run's counters
    this.runId = runId;
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
    const row = registerSource(this.store, path, size, mtimeMs, {
      runId: this.runId,
      onChange: this.onSourceChange,
      // Buffered rows of other sources are committed before a changed source's rows are deleted.
      beforeReset: () => this.flush(),
    });
    this.sourceIds.set(path, row.id);
    this.knownSourceIds.add(row.id);
    return {
      sourceId: row.id,
      resumeOffset: this.pendingCheckpoints.get(row.id) ?? row.resume_offset,
      alreadyComplete: row.completed_at !== null || this.pendingCompletions.has(row.id),
    };
  }

  private checkSourceId(sourceId: number): number {
    if (this.knownSourceIds.has(sourceId)) return sourceId;
    if (!Number.isSafeInteger(sourceId) || !sourceExists(this.store, sourceId)) {
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
  add(a: WarcRecord | number, b?: WarcRecord | ExtractedDocument | null, c?: ExtractedDocument | null, scores?: DocumentScore[]): void {
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

  private errorRow(sourceId: number, offset: number | null, offsetKind: string | null, code: string, message: string): ErrorParams {
    return errorRow(this.runId, sourceId, offset, offsetKind, code, message);
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

  /** A record of `sourceId` at `offset` is committed (a resumed read meets it again). */
  hasRecord(sourceId: number, offset: number): boolean {
    return this.store.statement(RECORD_SQL.recordId).get(sourceId, offset) !== undefined;
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
    if (this.pendingRows === 0 && this.pendingCheckpoints.size === 0 && this.pendingCompletions.size === 0 && this.pendingActions.length === 0) {
      return;
    }
    const counts = this.commit();
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
  private writePending(): Counts {
    return writeBatch(
      this.store,
      {
        records: this.pendingRecords,
        errors: this.pendingErrors,
        checkpoints: this.pendingCheckpoints,
        completions: this.pendingCompletions,
        actions: this.pendingActions,
      },
      this.runId,
    );
  }

  /**
   * Flushes, then records the run's final status, finish time and a caller summary (JSON).
   */
  finishRun(runId: number, status: FinalRunStatus, summary?: unknown): void {
    if (status !== 'completed' && status !== 'interrupted' && status !== 'failed') {
      throw badInput(`run status must be completed, interrupted or failed, got ${String(status)}`);
    }
    this.flush();
    finishRun(this.store, runId, status, summary);
    if (this.runId === runId) this.runId = null;
  }

  /** Counters of this writer (inserted rows only; conflicts are not counted). */
  get stats(): WriterStats {
    return { ...this.totals, pendingRows: this.pendingRows };
  }
}

/**
 * The one ingestion loop: read → pick HTML or plain-text documents → extract → score → store,
 * for every record source (local WARC and WET files, dataset shards, Common Crawl samples). Records are extracted and scored on the
 * stage pool (worker threads) while the reader goes on, but stored strictly in source order
 * within a bounded in-flight window, so a unit's resume checkpoint never passes a record
 * that is not committed.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { RecordSource, SourceItem, SourceUnit } from '../core/record-source.js';
import { isReadError, type DocumentScore, type ExtractedDocument, type WarcItem } from '../core/types.js';
import type { StoreWriter } from '../store/index.js';
import { becomesDocument, extractionInput } from './extract-step.js';
import { createStagePool, WorkerPoolError, type StagePool, type StageResult } from './stage-pool.js';

/** Inline steps (no worker threads, no scoring). */
export const INLINE_POOL: StagePool = createStagePool({ threads: 0 });

export interface StageTimes {
  readMs: number;
  extractMs: number;
  storeMs: number;
}

export interface UnitSummary {
  /** The unit's label (a file path for local files). */
  path: string;
  /** Already complete before this run. */
  skipped: boolean;
  resumedFrom: number;
  records: number;
  documents: number;
  errors: number;
  bytes: number;
  /** shouldStop() ended the unit early. */
  stopped: boolean;
}

/** What happened to one stored item (after it was handed to the writer, before commit). */
export interface ItemOutcome {
  item: WarcItem | null;
  document: boolean;
  /** Extraction failed (stored as an `extract-failed` error row). */
  extractError: string | null;
}

export interface IngestHooks {
  /** Bytes of the unit's file now behind the reader (progress). */
  onBytes?(delta: number): void;
  onItem?(outcome: ItemOutcome, unit: UnitSummary): void;
  /** Checked before each item: true stops after the items already read (SIGINT). */
  shouldStop?(): boolean;
}

export interface IngestOptions {
  writer: StoreWriter;
  /** Extract/score steps; default inline extraction without scoring. */
  pool?: StagePool;
  hooks?: IngestHooks;
  /** Accumulates time per stage. */
  times?: StageTimes;
  /** Commit after this many stored items (Common Crawl: every row); default: the writer's batching. */
  commitEvery?: number;
  /**
   * Most pages read but not yet stored. Default 64 pages (among at most 1024 records), so
   * extraction overlaps reading; given, it bounds every item: a source whose items are costly
   * to fetch again (network) uses 1, so a kill loses at most the item being stored.
   */
  maxInFlight?: number;
}

/** How many HTML pages may be between the reader and the store at once (bounds memory). */
const MAX_IN_FLIGHT = 64;
/**
 * How many records in all: most records are not pages (requests, metadata, images) and cost
 * nothing to hold, so the pages in flight, not the records, keep the workers busy past a slow
 * page at the head of the window.
 */
const MAX_IN_FLIGHT_RECORDS = 1024;
const MAX_IN_FLIGHT_BYTES = 32 * 1024 * 1024;

interface InFlight {
  entry: SourceItem;
  doc: Promise<StageResult> | null;
  bytes: number;
}

/**
 * Ingests one unit into the writer. Never throws for bad content: read errors become error
 * rows, an extraction crash on one page becomes an `extract-failed` error row for that
 * record's offset and the unit goes on. Throws for unusable pools (WorkerPoolError), store
 * errors and units that cannot be opened.
 */
export async function ingestUnit<U extends SourceUnit>(source: RecordSource<U>, unit: U, opts: IngestOptions): Promise<UnitSummary> {
  const { writer } = opts;
  const pool = opts.pool ?? INLINE_POOL;
  const hooks = opts.hooks ?? {};
  const times = opts.times ?? { readMs: 0, extractMs: 0, storeMs: 0 };
  const commitEvery = opts.commitEvery ?? 0;
  const maxInFlight = Math.max(1, opts.maxInFlight ?? MAX_IN_FLIGHT);
  const maxRecordsInFlight = opts.maxInFlight !== undefined ? maxInFlight : MAX_IN_FLIGHT_RECORDS;
  const info = unit.stat ? await unit.stat() : null;
  const begun = unit.source !== null ? writer.beginSource(unit.source, info) : null;
  const summary: UnitSummary = {
    path: unit.label,
    skipped: begun?.alreadyComplete ?? false,
    resumedFrom: begun?.resumeOffset ?? 0,
    records: 0,
    documents: 0,
    errors: 0,
    bytes: 0,
    stopped: false,
  };
  if (begun?.alreadyComplete) {
    if (info) hooks.onBytes?.(info.size);
    return summary;
  }
  const resumeOffset = begun?.resumeOffset ?? 0;
  if (info && resumeOffset > 0) hooks.onBytes?.(Math.min(resumeOffset, info.size));
  let lastFileOffset = resumeOffset;
  let sinceCommit = 0;
  const window: InFlight[] = [];
  let windowBytes = 0;
  let pagesInFlight = 0;

  const storeOldest = async () => {
    const { entry, doc: pendingDoc, bytes } = window.shift()!;
    windowBytes -= bytes;
    if (pendingDoc) pagesInFlight--;
    const { item } = entry;
    // Registered first: a flush triggered while adding this item's rows must carry its state too.
    if (entry.atCommit) writer.atNextFlush(entry.atCommit);
    const outcome: ItemOutcome = { item, document: false, extractError: null };
    if (item && isReadError(item)) {
      if (begun) writer.addError(begun.sourceId, item);
      else writer.addError(item);
      summary.errors++;
    } else if (item) {
      const sourceId = begun ? begun.sourceId : writer.beginSource(item.source).sourceId;
      let doc: ExtractedDocument | null = null;
      let scores: DocumentScore[] = [];
      if (pendingDoc) {
        const t = performance.now();
        try {
          ({ doc, scores } = await pendingDoc);
        } catch (err) {
          if (err instanceof WorkerPoolError) throw err;
          outcome.extractError = (err as Error).message;
          // A 'member' offset is a file position: the store keeps it as 'file'.
          const offsetKind = item.offsetKind === 'member' ? 'file' : item.offsetKind;
          writer.addError({ sourceId, offset: item.offset, offsetKind, code: 'extract-failed', message: outcome.extractError });
          summary.errors++;
        }
        times.extractMs += performance.now() - t;
      }
      const t2 = performance.now();
      writer.add(sourceId, item, doc, scores);
      summary.records++;
      if (doc) summary.documents++;
      outcome.document = doc !== null;
      if (begun) {
        // Not offset + length: inside a multi-record gzip member that would be a stream position.
        const next = item.resumeOffset ?? item.offset + item.length;
        writer.checkpoint(begun.sourceId, next);
        if (item.offsetKind !== 'uncompressed' && next > lastFileOffset) {
          hooks.onBytes?.(next - lastFileOffset);
          summary.bytes += next - lastFileOffset;
          lastFileOffset = next;
        }
      }
      times.storeMs += performance.now() - t2;
    }
    if (commitEvery > 0 && ++sinceCommit >= commitEvery) {
      writer.flush();
      sinceCommit = 0;
    }
    hooks.onItem?.(outcome, summary);
  };

  // A resumed read re-reads the rest of a gzip member shared by several records (all of a
  // whole-file gzip): records already stored are a prefix of what it reads, so they are not
  // extracted again until the first one that is not stored.
  let skipStored = begun !== null;
  let sentSinceTurn = 0;
  const reader = source.open(unit, resumeOffset)[Symbol.asyncIterator]();
  try {
    for (;;) {
      if (hooks.shouldStop?.()) {
        summary.stopped = true;
        break;
      }
      const t0 = performance.now();
      const next = await reader.next();
      times.readMs += performance.now() - t0;
      if (next.done) break;
      const { item } = next.value;
      let doc: Promise<StageResult> | null = null;
      let bytes = 0;
      if (item && !isReadError(item)) {
        bytes = item.payload?.length ?? 0;
        if (skipStored && begun && !writer.hasRecord(begun.sourceId, item.offset)) skipStored = false;
        if (!skipStored && becomesDocument(item)) {
          const t = performance.now();
          doc = pool.run(extractionInput(item));
          doc.catch(() => {}); // handled in storeOldest, in order
          times.extractMs += performance.now() - t;
        }
      }
      window.push({ entry: next.value, doc, bytes });
      windowBytes += bytes;
      // Reading runs on microtasks; a turn of the event loop now and then lets finished pages
      // come back from the workers and new ones go out, so workers do not wait for a full window.
      if (doc && pool.threads > 0 && ++sentSinceTurn >= 2) {
        sentSinceTurn = 0;
        await nextTurn();
      }
      if (doc) pagesInFlight++;
      while (pagesInFlight >= maxInFlight || window.length >= maxRecordsInFlight || windowBytes > MAX_IN_FLIGHT_BYTES) await storeOldest();
    }
    while (window.length > 0) await storeOldest();
  } finally {
    await reader.return?.();
  }
  if (commitEvery > 0 && sinceCommit > 0) writer.flush();
  if (summary.stopped || !begun) return summary;
  writer.completeSource(begun.sourceId);
  if (info && info.size > lastFileOffset) hooks.onBytes?.(info.size - lastFileOffset);
  return summary;
}

export interface IngestSummary {
  units: UnitSummary[];
  /** Units that could not be read at all (stored as a source-level error row). */
  failedUnits: Array<{ path: string; message: string }>;
  /** shouldStop() ended the ingest early. */
  stopped: boolean;
}

/**
 * Ingests every unit of a source, one after another. A unit with a stored source that cannot
 * be read (permissions, vanished, changed since stored) becomes a source-level error row and
 * the others go on; any other failure (store, worker pool) ends the ingest.
 */
export async function ingest<U extends SourceUnit>(
  source: RecordSource<U>,
  opts: IngestOptions & { onUnitStart?(unit: U): void },
): Promise<IngestSummary> {
  const out: IngestSummary = { units: [], failedUnits: [], stopped: false };
  for await (const unit of source.units()) {
    if (opts.hooks?.shouldStop?.()) {
      out.stopped = true;
      break;
    }
    opts.onUnitStart?.(unit);
    try {
      const s = await ingestUnit(source, unit, opts);
      out.units.push(s);
      if (s.stopped) {
        out.stopped = true;
        break;
      }
    } catch (err) {
      if (err instanceof WorkerPoolError || unit.source === null) throw err;
      const message = (err as Error).message;
      out.failedUnits.push({ path: unit.label, message });
      opts.writer.addFileError(unit.source, message);
    }
  }
  return out;
}

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
import { isReadError } from '../core/types.js';
import type { StoreWriter } from '../store/index.js';
import { becomesDocument, extractionInput } from './extract-step.js';
import { RangeIngest } from './range-ingest.js';
import { createStagePool, WorkerPoolError, type StagePool, type StageResult } from './stage-pool.js';
import { NOT_EXTRACTED, UnitStore, type Extracted, type IngestHooks, type StageTimes, type UnitSummary } from './unit-store.js';

export type { IngestHooks, ItemOutcome, StageTimes, UnitSummary } from './unit-store.js';

/** Inline steps (no worker threads, no scoring). */
export const INLINE_POOL: StagePool = createStagePool({ threads: 0 });

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
  /**
   * The local WARC/WET file a unit is, for worker pools to read in byte ranges on the workers
   * (null: the unit is read on the main thread). Absent: every unit is read on the main thread.
   */
  rangeFile?(unit: SourceUnit): string | null;
  /** Compressed bytes per range read on a worker (tests use small ranges to cut small files). */
  rangeBytes?: number;
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
 * Ingests one unit into the writer, reading it on this thread (extraction and scoring on the
 * pool). Never throws for bad content: read errors become error rows, an extraction crash on
 * one page becomes an `extract-failed` error row for that record's offset and the unit goes
 * on. Throws for unusable pools (WorkerPoolError), store errors and units that cannot be opened.
 */
export async function ingestUnit<U extends SourceUnit>(source: RecordSource<U>, unit: U, opts: IngestOptions): Promise<UnitSummary> {
  const { writer } = opts;
  const pool = opts.pool ?? INLINE_POOL;
  const hooks = opts.hooks ?? {};
  const times = opts.times ?? { readMs: 0, extractMs: 0, storeMs: 0 };
  const maxInFlight = Math.max(1, opts.maxInFlight ?? MAX_IN_FLIGHT);
  const maxRecordsInFlight = opts.maxInFlight !== undefined ? maxInFlight : MAX_IN_FLIGHT_RECORDS;
  const info = unit.stat ? await unit.stat() : null;
  const begun = unit.source !== null ? writer.beginSource(unit.source, info) : null;
  const unitStore = new UnitStore(writer, begun, info, unit.label, hooks, times, opts.commitEvery ?? 0);
  const summary = unitStore.summary;
  unitStore.start();
  if (begun?.alreadyComplete) return summary;
  const resumeOffset = begun?.resumeOffset ?? 0;
  const window: InFlight[] = [];
  let windowBytes = 0;
  let pagesInFlight = 0;

  const storeOldest = async () => {
    const { entry, doc: pendingDoc, bytes } = window.shift()!;
    windowBytes -= bytes;
    let extracted: Extracted = NOT_EXTRACTED;
    if (pendingDoc) {
      pagesInFlight--;
      const t = performance.now();
      try {
        const { doc, scores } = await pendingDoc;
        extracted = { doc, scores, error: null };
      } catch (err) {
        if (err instanceof WorkerPoolError) throw err;
        extracted = { doc: null, scores: [], error: (err as Error).message };
      }
      times.extractMs += performance.now() - t;
    }
    unitStore.store(entry, extracted);
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
  return unitStore.finish();
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
  const pool = opts.pool ?? INLINE_POOL;
  const units = source.units();
  const iterator = Symbol.asyncIterator in units ? units[Symbol.asyncIterator]() : toAsync(units[Symbol.iterator]());
  const { rangeFile } = opts;
  const readRange = pool.readRange?.bind(pool);
  const ranged =
    rangeFile && readRange
      ? new RangeIngest(iterator, rangeFile, {
          pool: { threads: pool.threads, readRange },
          writer: opts.writer,
          hooks: opts.hooks ?? {},
          times: opts.times ?? { readMs: 0, extractMs: 0, storeMs: 0 },
          commitEvery: opts.commitEvery ?? 0,
          rangeBytes: opts.rangeBytes,
        })
      : null;
  try {
    for (;;) {
      const prepared = ranged ? await ranged.next() : null;
      let unit: U;
      if (ranged) {
        if (!prepared) break;
        unit = prepared.unit;
      } else {
        const next = await iterator.next();
        if (next.done) break;
        unit = next.value;
      }
      if (opts.hooks?.shouldStop?.()) {
        out.stopped = true;
        break;
      }
      opts.onUnitStart?.(unit);
      try {
        let s: UnitSummary;
        if (prepared && !prepared.mainThread) {
          s = await ranged!.ingest(prepared);
        } else {
          ranged?.skip();
          s = await ingestUnit(source, unit, opts);
        }
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
  } finally {
    ranged?.close();
  }
  return out;
}

async function* toAsync<T>(it: Iterator<T>): AsyncGenerator<T> {
  for (let n = it.next(); !n.done; n = it.next()) yield n.value;
}

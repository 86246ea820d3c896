/**
 * Ingesting local WARC/WET files whose reading happens on the worker threads: each file is
 * cut into byte ranges (`RangeJob`), the workers read, extract and score them, and the main
 * thread only stores the results, range after range in file order, so checkpoints and
 * resuming work exactly as with the main-thread reader. Ranges of the next files are handed
 * out while the current one is stored, so the workers do not wait at file boundaries; how
 * many ranges are out at once is bounded (memory).
 */
import { performance } from 'node:perf_hooks';
import type { SourceUnit, UnitStat } from '../core/record-source.js';
import type { BeginSourceResult, StoreWriter } from '../store/index.js';
import type { RangeResult } from './range-job.js';
import type { StagePool } from './stage-pool.js';
import { boundMainHeap } from './main-heap.js';
import { UnitStore, type IngestHooks, type StageTimes, type UnitSummary } from './unit-store.js';

/** Compressed bytes per range: small enough to spread one file and bound memory, large enough that the per-range cost (open, two boundary probes) stays small. */
export const RANGE_BYTES = 1024 * 1024;

interface Plan {
  /** Where the next range starts (nominally, unless `exact`). */
  next: number;
  exact: boolean;
  done: boolean;
}

interface Chunk {
  result: Promise<RangeResult>;
}

/** A unit taken from the source ahead of its turn: begun in the store, its ranges planned. */
export interface PreparedUnit<U extends SourceUnit> {
  unit: U;
  /** Read on the main thread instead (not a WARC file, or a resumed multi-record member). */
  mainThread: boolean;
  /** Preparing it failed; rethrown at its turn, so it fails in order like any unit. */
  error?: unknown;
  file?: string;
  info?: UnitStat;
  begun?: BeginSourceResult;
  plan?: Plan;
  chunks: Chunk[];
}

export interface RangeIngestOptions {
  pool: Pick<StagePool, 'threads'> & { readRange: NonNullable<StagePool['readRange']> };
  writer: StoreWriter;
  hooks: IngestHooks;
  times: StageTimes;
  commitEvery: number;
  /** Compressed bytes per range (default RANGE_BYTES). */
  rangeBytes?: number;
}

export class RangeIngest<U extends SourceUnit> {
  private readonly queue: Array<PreparedUnit<U>> = [];
  private exhausted = false;
  private outstanding = 0;
  private readonly maxOutstanding: number;
  private readonly rangeBytes: number;

  constructor(
    private readonly units: AsyncIterator<U>,
    /** The local WARC file a unit is, or null. */
    private readonly fileOf: (unit: U) => string | null,
    private readonly opts: RangeIngestOptions,
  ) {
    // Each worker holds the range it reads and the next one; a few more wait, stored or queued.
    this.maxOutstanding = 2 * opts.pool.threads + 2;
    this.rangeBytes = Math.max(64 * 1024, opts.rangeBytes ?? RANGE_BYTES);
  }

  /** The next unit in source order, prepared; null at the end. */
  async next(): Promise<PreparedUnit<U> | null> {
    if (this.queue.length === 0 && !(await this.prepareNext())) return null;
    return this.queue[0]!;
  }

  /** Ingests the unit `next()` returned (ranges read on the workers), then moves past it. */
  async ingest(p: PreparedUnit<U>): Promise<UnitSummary> {
    try {
      if (p.error !== undefined) throw p.error;
      return await this.store(p);
    } finally {
      this.drop(p);
      this.queue.shift();
    }
  }

  /** Moves past a unit handed to the main-thread reader instead. */
  skip(): void {
    const p = this.queue.shift();
    if (p) this.drop(p);
  }

  /** Forgets every range still out (stopping): their results are ignored. */
  close(): void {
    for (const p of this.queue) this.drop(p);
    this.queue.length = 0;
  }

  private drop(p: PreparedUnit<U>): void {
    this.outstanding -= p.chunks.length;
    p.chunks.length = 0;
    if (p.plan) p.plan.done = true;
  }

  private async prepareNext(): Promise<boolean> {
    if (this.exhausted) return false;
    const next = await this.units.next();
    if (next.done) {
      this.exhausted = true;
      return false;
    }
    this.queue.push(await this.prepare(next.value));
    return true;
  }

  private async prepare(unit: U): Promise<PreparedUnit<U>> {
    const file = this.fileOf(unit);
    if (file === null || unit.source === null || !unit.stat) return { unit, mainThread: true, chunks: [] };
    try {
      const info = await unit.stat();
      const begun = this.opts.writer.beginSource(unit.source, info);
      // Resuming inside a gzip member shared by several records: the main-thread reader knows
      // to skip the records of it already stored.
      if (!begun.alreadyComplete && this.opts.writer.hasRecord(begun.sourceId, begun.resumeOffset)) {
        return { unit, mainThread: true, chunks: [] };
      }
      const plan = { next: begun.resumeOffset, exact: true, done: begun.alreadyComplete || begun.resumeOffset >= info.size };
      return { unit, mainThread: false, file, info, begun, plan, chunks: [] };
    } catch (error) {
      return { unit, mainThread: false, error, chunks: [] };
    }
  }

  private submit(p: PreparedUnit<U>): void {
    const plan = p.plan!;
    const size = p.info!.size;
    const end = plan.next + this.rangeBytes >= size ? size : plan.next + this.rangeBytes;
    const result = this.opts.pool.readRange({ path: p.file!, start: plan.next, exactStart: plan.exact, end, failures: [] });
    result.catch(() => {}); // awaited in order, or dropped
    p.chunks.push({ result });
    this.outstanding++;
    plan.next = end;
    plan.exact = false;
    if (end >= size) plan.done = true;
  }

  /** Hands out ranges until the bound: the current unit's first, then the next units'. */
  private async fill(): Promise<void> {
    for (let i = 0; this.outstanding < this.maxOutstanding; ) {
      if (i >= this.queue.length) {
        if (!(await this.prepareNext())) return;
        continue;
      }
      const p = this.queue[i]!;
      // Nothing is handed out past a unit read on the main thread: it uses the workers itself.
      if (p.mainThread) return;
      if (p.plan && !p.plan.done) this.submit(p);
      else i++;
    }
  }

  private async store(p: PreparedUnit<U>): Promise<UnitSummary> {
    const { writer, hooks, times, commitEvery } = this.opts;
    const unitStore = new UnitStore(writer, p.begun!, p.info!, p.unit.label, hooks, times, commitEvery);
    const summary = unitStore.summary;
    unitStore.start();
    if (summary.skipped) return summary;
    let expected = p.begun!.resumeOffset;
    while (p.chunks.length > 0 || !p.plan!.done) {
      if (p.chunks.length === 0) this.submit(p);
      await this.fill();
      const chunk = p.chunks.shift()!;
      this.outstanding--;
      const t = performance.now();
      const r = await chunk.result;
      times.extractMs += performance.now() - t;
      if (r.start !== expected) {
        // This range began where the one before did not end: read on from where it did.
        this.drop(p);
        p.plan = { next: expected, exact: true, done: false };
        continue;
      }
      for (const it of r.items) {
        if (hooks.shouldStop?.()) {
          summary.stopped = true;
          this.close();
          return unitStore.finish();
        }
        unitStore.store({ item: it.item }, { doc: it.doc ?? null, scores: it.scores ?? [], error: it.extractError ?? null });
      }
      expected = r.end;
      // The stored range's objects are garbage now; the main thread's heap stays bounded.
      boundMainHeap();
      if (r.tookRest) this.drop(p);
    }
    return unitStore.finish();
  }
}

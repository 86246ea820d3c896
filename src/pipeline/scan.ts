/**
 * `scan`: local WARC/WET files and dataset shards (Parquet, JSON Lines; files, directories,
 * globs) through the ingestion loop into a store.
 */
import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { DatasetOptions } from '../sources/dataset/index.js';
import { expandInputPaths, localInputSource, type LocalInputUnit } from '../sources/local/input-files.js';
import { formatShard, type Shard } from '../core/shard.js';
import { warcFileSource, warcFileUnit } from '../sources/local/warc-files.js';
import { listErrors, setRunSampleRate, totals, type StoreWriter, type ErrorInfo, type Totals } from '../store/index.js';
import { ingest, type IngestHooks, type StageTimes, type UnitSummary } from './ingest.js';
import { runWriter, useStore, withRun, type StoreInput } from './run.js';
import { shardUnits } from './shard-units.js';
import { openStagePool, type StagePool } from './stage-pool.js';

export interface ScanOptions {
  /** Store path (created if needed, closed when done) or an open store (left open). */
  db: StoreInput;
  /** WARC/WET files, dataset shards (.parquet, .jsonl[.gz|.zst]), directories or glob patterns. */
  paths: string[];
  /** Dataset shards: field names for unknown layouts, and `sampleRate` (a deterministic id-hashed fraction of rows). */
  dataset?: DatasetOptions;
  /** Worker threads for the extract and score steps; 0 = inline. Default one per core. */
  threads?: number;
  /** Detectors to score with while scanning ([] = every built-in); null/undefined = extract only. */
  detectors?: string[] | null;
  /** Detector plugin modules (paths or package names). */
  detectorModules?: string[];
  /**
   * A stage pool made by the caller (then threads/detectors are ignored and it is left open),
   * or a function that opens one, called only once the store is open (the pool is closed here).
   */
  pool?: StagePool | (() => Promise<StagePool>);
  /** Rows per committed transaction. Default 500. */
  batchSize?: number;
  /** Worker pools: compressed bytes of a WARC file per range a worker reads (default 1 MiB; tests cut small files). */
  rangeBytes?: number;
  /** Read only this shard of the files (contiguous by path, balanced by bytes); null = all. */
  shard?: Shard | null;
  onProgress?(event: ScanProgress): void;
  /** Checked between records: true stops after committing what was read (SIGINT). */
  shouldStop?(): boolean;
}

export type ScanProgress = { type: 'start'; files: number; totalBytes: number } | { type: 'file'; path: string } | { type: 'bytes'; delta: number };

export interface ScanSummary {
  /** Run id; null when there was nothing to read (no run recorded). */
  run: number | null;
  status: 'completed' | 'interrupted' | 'no-input';
  db: string;
  /** Arguments that named no readable WARC file. */
  missing: Array<{ arg: string; reason: string }>;
  /** "i/N" when only one shard of the files was read. */
  shard: string | null;
  /** Files the paths named (all shards). */
  inputFiles: number;
  /** Files read by this run (this shard's). */
  files: number;
  filesAlreadyDone: number;
  filesFailed: number;
  failedFiles: Array<{ path: string; message: string }>;
  recordsRead: number;
  htmlDocuments: number;
  errors: number;
  seconds: number;
  stageSeconds: { read: number; extract: number; store: number };
  /** Row counts of the whole store afterwards. */
  database: Totals | null;
  /** The first few errors this run stored, in file order (`listErrors` gives them all). */
  firstErrors: ErrorInfo[];
}

/** How many of a run's errors the summary names. */
export const SUMMARY_ERRORS = 5;

const round2 = (n: number) => Number(n.toFixed(2));

/**
 * Reads every WARC file named by `paths` into the store: records, HTML documents (extracted,
 * and scored when detectors are given) and error rows with file and offset. Resumable: a
 * re-run continues killed files from their last committed record and adds nothing twice.
 * Throws for unusable detectors, worker pools or stores; unreadable files are counted in
 * `filesFailed` and stored as source errors.
 */
export async function scan(opts: ScanOptions): Promise<ScanSummary> {
  const started = performance.now();
  const expanded = await expandInputPaths(opts.paths);
  const shard = opts.shard && opts.shard.count > 1 ? opts.shard : null;
  const files = shard ? (await shardUnits(expanded.files.map(warcFileUnit), shard)).map((u) => u.source) : expanded.files;
  const summary: ScanSummary = {
    run: null,
    status: 'no-input',
    db: typeof opts.db === 'string' ? opts.db : opts.db.path,
    missing: expanded.missing,
    shard: shard ? formatShard(shard) : null,
    inputFiles: expanded.files.length,
    files: files.length,
    filesAlreadyDone: 0,
    filesFailed: 0,
    failedFiles: [],
    recordsRead: 0,
    htmlDocuments: 0,
    errors: 0,
    seconds: 0,
    stageSeconds: { read: 0, extract: 0, store: 0 },
    database: null,
    firstErrors: [],
  };
  if (files.length === 0) return summary;
  let totalBytes = 0;
  for (const f of files) {
    const size = (await stat(f)).size;
    // An empty file holds no records and gives the reader nothing to complain about.
    if (size === 0) summary.missing.push({ arg: f, reason: 'empty file (0 bytes), no WARC records' });
    totalBytes += size;
  }
  // The store first: an unusable database must fail before any worker thread starts.
  const { store, close } = useStore(opts.db);
  let pool: StagePool | null = null;
  const ownPool = typeof opts.pool !== 'object';
  try {
    pool =
      typeof opts.pool === 'function'
        ? await opts.pool()
        : (opts.pool ?? (await openStagePool({ threads: opts.threads, detectors: opts.detectors, detectorModules: opts.detectorModules })));
    opts.onProgress?.({ type: 'start', files: files.length, totalBytes });
    const times: StageTimes = { readMs: 0, extractMs: 0, storeMs: 0 };
    const sampleRate = opts.dataset?.sampleRate ?? 1;
    const args = {
      paths: opts.paths,
      files: files.length,
      ...(shard ? { shard: summary.shard } : {}),
      ...(sampleRate < 1 ? { sampleRate } : {}),
    };
    await withRun(store, 'scan', args, async (run) => {
      summary.run = run.id;
      setRunSampleRate(store, run.id, sampleRate);
      const writer = runWriter(run, { batchSize: opts.batchSize ?? 500 });
      const result = await ingest(localInputSource(files, opts.dataset), {
        writer,
        pool: pool!,
        times,
        rangeFile: (unit) => ((unit as LocalInputUnit).format === 'warc' ? unit.source : null),
        rangeBytes: opts.rangeBytes,
        onUnitStart: (unit) => opts.onProgress?.({ type: 'file', path: unit.source }),
        hooks: { onBytes: (delta) => opts.onProgress?.({ type: 'bytes', delta }), shouldStop: opts.shouldStop },
      });
      writer.flush();
      for (const u of result.units) {
        summary.recordsRead += u.records;
        summary.htmlDocuments += u.documents;
        summary.errors += u.errors;
        if (u.skipped) summary.filesAlreadyDone++;
      }
      summary.failedFiles = result.failedUnits;
      summary.filesFailed = result.failedUnits.length;
      summary.status = result.stopped || opts.shouldStop?.() ? 'interrupted' : 'completed';
      summary.seconds = round2((performance.now() - started) / 1000);
      const counts = {
        records: summary.recordsRead,
        documents: summary.htmlDocuments,
        errors: summary.errors,
        skipped: summary.filesAlreadyDone,
      };
      return {
        status: summary.status,
        summary: { ...counts, files: files.length, failedFiles: summary.filesFailed, seconds: (performance.now() - started) / 1000 },
        result: undefined,
      };
    });
    summary.errors += summary.filesFailed;
    summary.stageSeconds = { read: round2(times.readMs / 1000), extract: round2(times.extractMs / 1000), store: round2(times.storeMs / 1000) };
    summary.database = totals(store);
    if (summary.run !== null) summary.firstErrors = listErrors(store, { runId: summary.run, limit: SUMMARY_ERRORS });
    return summary;
  } finally {
    try {
      if (ownPool) await pool?.close();
    } finally {
      close();
    }
  }
}

/**
 * Ingests one local WARC file with a writer the caller manages (benchmarks, known-answer
 * runs): the same loop `scan` runs per file (with a worker pool, the workers read it).
 */
export async function scanFile(
  path: string,
  writer: StoreWriter,
  times: StageTimes,
  hooks: IngestHooks = {},
  pool?: StagePool,
): Promise<UnitSummary> {
  const result = await ingest(warcFileSource([path]), { writer, times, hooks, pool, rangeFile: (unit) => unit.source });
  if (result.failedUnits.length > 0) throw new Error(result.failedUnits[0]!.message);
  return result.units[0]!;
}

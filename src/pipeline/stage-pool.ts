/**
 * The pipeline's stage pool: per record, the `extract` step (HTML → document) then the
 * `score` step (detectors) run on worker threads so ingestion uses every core. Two kinds of
 * jobs: one page read by the main thread (`run`), or a byte range of a local WARC file that
 * the worker reads itself (`readRange`), so reading and inflating spread over the cores too
 * and only compact results come back; the SQLite writer stays on the main thread. With
 * `threads: 0` the steps run inline, which is simplest for tiny inputs and tests.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { extractStep, type ExtractJob } from './extract-step.js';
import { loadScorers, scoreStep, type Scorer } from './score-step.js';
import type { DocumentScore, ExtractedDocument } from '../core/types.js';
import type { RangeJob, RangeResult } from './range-job.js';

export type { ExtractJob } from './extract-step.js';

/** The pool itself cannot work (workers fail to start): the scan must stop, not log per record. */
export class WorkerPoolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerPoolError';
  }
}

export interface StageResult {
  doc: ExtractedDocument;
  /** One entry per detector; empty when the pool scores nothing. */
  scores: DocumentScore[];
}

export interface StagePoolOptions {
  /** Worker threads; 0 = run inline on the calling thread. */
  threads?: number;
  /** Detector names to score with (empty array = every built-in); null/undefined = no scoring. */
  detectors?: string[] | null;
  /** Plugin detector modules (paths or package names). */
  detectorModules?: string[];
  /**
   * A page that takes longer than this (pathological HTML, a runaway plugin) fails alone with
   * an `extract-timeout` error; its worker is replaced. Default 60 s. Worker pools only.
   */
  jobTimeoutMs?: number;
  /** Old-generation heap cap per worker in MB (default WORKER_HEAP_MB; see there for the trade-off). */
  workerHeapMb?: number;
  /** Young-generation size per worker in MB (default WORKER_YOUNG_MB). */
  workerYoungMb?: number;
}

export interface StagePool {
  /** Runs the extract step, then the score step when the pool has detectors. */
  run(input: ExtractJob): Promise<StageResult>;
  /**
   * Worker pools only: reads a byte range of a local WARC file on a worker, extracting and
   * scoring its pages there. A page that kills or stalls its worker becomes that item's
   * `extractError` and the range is read again by a fresh worker.
   */
  readRange?(job: RangeJob): Promise<RangeResult>;
  /** Worker pools only: what each live worker thread has done so far (for benchmarks). */
  workerStats?(): WorkerStats[];
  close(): Promise<void>;
  readonly threads: number;
}

/** One worker thread's share of the work, for accounting CPU per thread. */
export interface WorkerStats {
  /** The thread's kernel id (Linux: /proc/self/task/<id>), when the platform has one. */
  threadId: number | null;
  /** Fraction of its life the worker's event loop was busy (not waiting for a job). */
  busy: number;
  /** The heap size V8 allows this worker (old and young generation), in MB. */
  heapLimitMb: number | null;
}

/**
 * Old-generation heap cap per worker thread. It bounds RSS, at a price: V8 lets a capped heap
 * grow by a smaller factor before it collects (the factor reaches its maximum only with a cap
 * of about 2 GB), so a worker runs full collections often, on V8's helper threads mostly.
 * Measured in `npm run bench` (47 MB input, two workers): a 2048 MB cap cut the helper
 * threads' CPU from 6.1 to 4.3 ms per page but raised peak RSS from 377 to 479 MB.
 */
export const WORKER_HEAP_MB = 160;

/**
 * Young-generation size per worker thread. Extraction builds a whole DOM per page; a
 * larger young space keeps more of it from being promoted (faster: 96 MB gave +13 %
 * docs/s on the bench) but every MB is paid per worker in RSS, so this is the compromise
 * that keeps a 2-worker scan near 400 MB.
 */
export const WORKER_YOUNG_MB = 32;

/** Jobs handed to a worker at once: the one it works on and the next, ready when it is done. */
export const WORKER_QUEUE_DEPTH = 2;

/** Default worker count: one per core (the main thread mostly waits on I/O and zlib). */
export function defaultStageThreads(): number {
  return Math.max(1, availableParallelism());
}

function inlinePool(opts: StagePoolOptions): StagePool {
  let scorers: Promise<Scorer[]> | null = null;
  return {
    threads: 0,
    async run(input) {
      const doc = extractStep(input);
      if (!opts.detectors) return { doc, scores: [] };
      scorers ??= loadScorers(opts.detectors, opts.detectorModules);
      return { doc, scores: await scoreStep(await scorers, doc) };
    },
    close: async () => {},
  };
}

export function createStagePool(opts: StagePoolOptions = {}): StagePool {
  const threads = opts.threads ?? defaultStageThreads();
  if (threads <= 0) return inlinePool(opts);

  // Under vitest/tsx the sources are .ts; compiled code runs the .js worker.
  const self = fileURLToPath(import.meta.url);
  const workerFile = self.replace(/stage-pool\.(ts|js)$/, 'stage-worker.$1');
  // Node 20 does not apply `--import tsx` to workers, so a .ts worker registers tsx itself.
  const workerSource = workerFile.endsWith('.ts')
    ? `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(pathToFileURL(workerFile).href)}); })`
    : null;
  const workers: Worker[] = [];
  type JobMessage = { id: number; input: ExtractJob } | { id: number; range: RangeJob };
  const queue: JobMessage[] = [];
  /** Messages of jobs not yet answered, to hand a dead worker's queued jobs to another. */
  const inputs = new Map<number, JobMessage>();
  type Pending = {
    resolve: (r: StageResult & RangeResult) => void;
    reject: (e: Error) => void;
    worker?: Worker;
    timer?: NodeJS.Timeout;
    range?: RangeJob;
  };
  /**
   * Per worker, what its range job is extracting: [even/odd counter (odd = a page is being
   * extracted), that page's item index]. Shared memory, so it is readable when the worker
   * is stuck or dead.
   */
  const progress = new WeakMap<Worker, Int32Array>();
  /** What each worker said when it was ready: its kernel thread id and heap limit. */
  const readyInfo = new WeakMap<Worker, { threadId: number | null; heapLimitMb: number }>();
  const jobTimeoutMs = opts.jobTimeoutMs ?? 60_000;
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let closed = false;
  let broken: WorkerPoolError | null = null;

  /** Jobs posted to each worker, oldest (the one it is working on) first. */
  const posted = new Map<Worker, number[]>();
  const dispatch = () => {
    // Each worker holds up to WORKER_QUEUE_DEPTH jobs, so it starts the next page at once
    // instead of waiting for the main thread (busy reading and inflating) to hand it one.
    for (let depth = 1; depth <= WORKER_QUEUE_DEPTH && queue.length > 0; depth++) {
      for (const worker of workers) {
        if (queue.length === 0) break;
        const mine = posted.get(worker)!;
        if (mine.length >= depth) continue;
        const job = queue.shift()!;
        const p = pending.get(job.id);
        // Answered meanwhile by the worker it was taken from (its answer arrived after its crash).
        if (!p) continue;
        p.worker = worker;
        mine.push(job.id);
        if (mine.length === 1) startTimer(job.id, worker);
        if (p.range) watch();
        // The payload is copied (structured clone): the caller still holds the record.
        worker.postMessage(job);
      }
    }
  };

  const startTimer = (id: number, worker: Worker) => {
    const p = pending.get(id);
    // Range jobs are timed per page by the watchdog.
    if (!p || p.range) return;
    p.timer = setTimeout(() => timeOut(id, worker), jobTimeoutMs);
    p.timer.unref();
  };

  /** A worker that dies takes its current job with it; the jobs queued behind it go to the others. */
  const retire = (worker: Worker) => {
    workers.splice(workers.indexOf(worker), 1);
    const mine = posted.get(worker) ?? [];
    posted.delete(worker);
    const requeue = mine.slice(1).filter((id) => pending.has(id));
    for (const id of requeue.reverse()) {
      const p = pending.get(id)!;
      p.worker = undefined;
      queue.unshift(inputs.get(id)!);
    }
    return mine[0];
  };

  /**
   * The range job a dead or stopped worker was on: if a page was being extracted, that page
   * fails alone and the range goes to another worker; otherwise the range fails.
   */
  const rangeLost = (worker: Worker, id: number, message: string): boolean => {
    const p = pending.get(id);
    if (!p?.range) return false;
    const slot = progress.get(worker)!;
    if (Atomics.load(slot, 0) % 2 === 1) {
      p.range.failures.push({ index: Atomics.load(slot, 1), message });
      p.worker = undefined;
      queue.unshift({ id, range: p.range });
    } else {
      pending.delete(id);
      inputs.delete(id);
      p.reject(new Error(message));
    }
    return true;
  };

  /** Range jobs: a page counter that has not moved for jobTimeoutMs means a stuck page. */
  let watchdog: NodeJS.Timeout | null = null;
  const seen = new WeakMap<Worker, { count: number; since: number }>();
  const watch = () => {
    if (watchdog) return;
    watchdog = setInterval(
      () => {
        const now = Date.now();
        for (const worker of [...workers]) {
          const count = Atomics.load(progress.get(worker)!, 0);
          const last = seen.get(worker);
          if (!last || last.count !== count) seen.set(worker, { count, since: now });
          else if (count % 2 === 1 && now - last.since >= jobTimeoutMs) stopStuck(worker);
        }
      },
      Math.max(5, Math.min(1000, jobTimeoutMs / 4)),
    );
    watchdog.unref();
  };
  const stopStuck = (worker: Worker) => {
    const mine = posted.get(worker) ?? [];
    const current = mine[0];
    retire(worker);
    seen.delete(worker);
    worker.removeAllListeners();
    void worker.terminate();
    if (current !== undefined) rangeLost(worker, current, `extract-timeout: page took longer than ${jobTimeoutMs} ms`);
    if (!closed) {
      spawn();
      dispatch();
    }
  };

  const timeOut = (id: number, worker: Worker) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    inputs.delete(id);
    p.reject(new Error(`extract-timeout: page took longer than ${jobTimeoutMs} ms`));
    retire(worker);
    worker.removeAllListeners();
    void worker.terminate();
    if (!closed) {
      spawn();
      dispatch();
    }
  };

  const spawn = () => {
    // A heap cap makes V8 collect instead of growing (bounded RSS); a page that truly needs
    // more fails alone (the worker dies with ERR_WORKER_OUT_OF_MEMORY and is replaced).
    const resourceLimits = {
      maxOldGenerationSizeMb: opts.workerHeapMb ?? WORKER_HEAP_MB,
      maxYoungGenerationSizeMb: opts.workerYoungMb ?? WORKER_YOUNG_MB,
    };
    const slot = new Int32Array(new SharedArrayBuffer(8));
    const workerData = { detectors: opts.detectors ?? null, detectorModules: opts.detectorModules ?? [], progress: slot };
    const worker = workerSource
      ? new Worker(workerSource, { eval: true, workerData, resourceLimits })
      : new Worker(workerFile, { workerData, resourceLimits });
    let answered = false;
    worker.unref();
    progress.set(worker, slot);
    worker.on(
      'message',
      (
        msg:
          | { id: number; doc?: ExtractedDocument; scores?: DocumentScore[]; range?: RangeResult; error?: string }
          | { ready: true; threadId: number | null; heapLimitMb: number },
      ) => {
        if ('ready' in msg) {
          // Loaded: a crash from now on is a bad page, not a broken installation.
          answered = true;
          readyInfo.set(worker, { threadId: msg.threadId, heapLimitMb: msg.heapLimitMb });
          return;
        }
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        inputs.delete(msg.id);
        if (p?.timer) clearTimeout(p.timer);
        answered = true;
        // A retired worker (crashed, timed out) may still deliver an answer; it has no queue left.
        const mine = posted.get(worker) ?? [];
        const at = mine.indexOf(msg.id);
        if (at >= 0) mine.splice(at, 1);
        if (at === 0 && mine.length > 0) startTimer(mine[0], worker);
        if (p) {
          if (msg.error !== undefined) p.reject(new Error(msg.error));
          else if (msg.range) p.resolve(msg.range as StageResult & RangeResult);
          else p.resolve({ doc: msg.doc!, scores: msg.scores ?? [] } as StageResult & RangeResult);
        }
        dispatch();
      },
    );
    worker.on('error', (err) => {
      const current = retire(worker);
      if (!answered) {
        // Died before doing any work: a broken installation, not a bad page. Fail everything.
        broken = new WorkerPoolError(`stage worker failed to start: ${err.message}`);
        for (const p of pending.values()) p.reject(broken);
        pending.clear();
        inputs.clear();
        queue.length = 0;
        return;
      }
      // A crashed worker fails its own job only; a fresh worker takes its place.
      const p = current === undefined ? undefined : pending.get(current);
      if (current !== undefined && rangeLost(worker, current, err.message)) {
        // The range goes on without the page it was on.
      } else if (p && current !== undefined) {
        pending.delete(current);
        inputs.delete(current);
        p.reject(err);
      }
      if (!closed) {
        spawn();
        dispatch();
      }
    });
    workers.push(worker);
    posted.set(worker, []);
  };
  for (let i = 0; i < threads; i++) spawn();

  const submit = (msg: JobMessage): Promise<StageResult & RangeResult> => {
    if (broken) return Promise.reject(broken);
    if (closed) return Promise.reject(new Error('stage pool is closed'));
    return new Promise((resolve, reject) => {
      pending.set(msg.id, { resolve, reject, range: 'range' in msg ? msg.range : undefined });
      inputs.set(msg.id, msg);
      queue.push(msg);
      dispatch();
    });
  };

  return {
    threads,
    run(input) {
      return submit({ id: nextId++, input });
    },
    readRange(range) {
      return submit({ id: nextId++, range: { ...range, failures: [...range.failures] } });
    },
    workerStats() {
      return workers.map((w) => ({
        threadId: readyInfo.get(w)?.threadId ?? null,
        busy: w.performance.eventLoopUtilization().utilization,
        heapLimitMb: readyInfo.get(w)?.heapLimitMb ?? null,
      }));
    },
    async close() {
      closed = true;
      if (watchdog) clearInterval(watchdog);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * A stage pool for scan/sample settings. Detectors are loaded once here first, so a bad name
 * or plugin fails fast with one clear error instead of failing every document in the workers.
 * With plugins and no explicit names, the pool scores with the built-ins plus the plugins.
 */
export async function openStagePool(opts: StagePoolOptions = {}): Promise<StagePool> {
  const names = opts.detectors ? [...opts.detectors] : null;
  const modules = opts.detectorModules ?? [];
  if (names) {
    const loaded = await loadScorers(names, modules);
    if (modules.length > 0 && names.length === 0) names.push(...loaded.map((d) => d.name));
  }
  return createStagePool({ ...opts, detectors: names, detectorModules: modules });
}

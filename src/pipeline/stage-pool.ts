/**
 * The pipeline's stage pool: per record, the `extract` step (HTML → document) then the
 * `score` step (detectors) run on worker threads so ingestion uses every core; the reader
 * and the SQLite writer stay on the main thread. With `threads: 0` both steps run inline,
 * which is simplest for tiny inputs and tests.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { extractStep, type ExtractJob } from './extract-step.js';
import { loadScorers, scoreStep, type Scorer } from './score-step.js';
import type { DocumentScore, ExtractedDocument } from '../core/types.js';

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
}

export interface StagePool {
  /** Runs the extract step, then the score step when the pool has detectors. */
  run(input: ExtractJob): Promise<StageResult>;
  close(): Promise<void>;
  readonly threads: number;
}

/** Old-generation heap cap per worker thread. */
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
  const workerData = { detectors: opts.detectors ?? null, detectorModules: opts.detectorModules ?? [] };
  const workers: Worker[] = [];
  const queue: Array<{ id: number; input: ExtractJob }> = [];
  /** Inputs of jobs not yet answered, to hand a dead worker's queued jobs to another. */
  const inputs = new Map<number, ExtractJob>();
  type Pending = { resolve: (r: StageResult) => void; reject: (e: Error) => void; worker?: Worker; timer?: NodeJS.Timeout };
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
        // The payload is copied (structured clone): the caller still holds the record.
        worker.postMessage(job);
      }
    }
  };

  const startTimer = (id: number, worker: Worker) => {
    const p = pending.get(id);
    if (!p) return;
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
      queue.unshift({ id, input: inputs.get(id)! });
    }
    return mine[0];
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
    const resourceLimits = { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB };
    const worker = workerSource
      ? new Worker(workerSource, { eval: true, workerData, resourceLimits })
      : new Worker(workerFile, { workerData, resourceLimits });
    let answered = false;
    worker.unref();
    worker.on('message', (msg: { id: number; doc?: ExtractedDocument; scores?: DocumentScore[]; error?: string }) => {
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
        else p.resolve({ doc: msg.doc!, scores: msg.scores ?? [] });
      }
      dispatch();
    });
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
      if (p && current !== undefined) {
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

  return {
    threads,
    run(input) {
      if (broken) return Promise.reject(broken);
      if (closed) return Promise.reject(new Error('stage pool is closed'));
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        inputs.set(id, input);
        queue.push({ id, input });
        dispatch();
      });
    },
    async close() {
      closed = true;
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

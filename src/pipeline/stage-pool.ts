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
  const idle: Worker[] = [];
  const queue: Array<{ id: number; input: ExtractJob }> = [];
  type Pending = { resolve: (r: StageResult) => void; reject: (e: Error) => void; worker?: Worker; timer?: NodeJS.Timeout };
  const jobTimeoutMs = opts.jobTimeoutMs ?? 60_000;
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let closed = false;
  let broken: WorkerPoolError | null = null;

  const dispatch = () => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop()!;
      const job = queue.shift()!;
      const p = pending.get(job.id)!;
      p.worker = worker;
      p.timer = setTimeout(() => timeOut(job.id, worker), jobTimeoutMs);
      p.timer.unref();
      // The payload is copied (structured clone): the caller still holds the record.
      worker.postMessage(job);
    }
  };

  const timeOut = (id: number, worker: Worker) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    p.reject(new Error(`extract-timeout: page took longer than ${jobTimeoutMs} ms`));
    workers.splice(workers.indexOf(worker), 1);
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
      if (p?.timer) clearTimeout(p.timer);
      answered = true;
      idle.push(worker);
      if (p) {
        if (msg.error !== undefined) p.reject(new Error(msg.error));
        else p.resolve({ doc: msg.doc!, scores: msg.scores ?? [] });
      }
      dispatch();
    });
    worker.on('error', (err) => {
      workers.splice(workers.indexOf(worker), 1);
      const idleAt = idle.indexOf(worker);
      if (idleAt >= 0) idle.splice(idleAt, 1);
      if (!answered) {
        // Died before doing any work: a broken installation, not a bad page. Fail everything.
        broken = new WorkerPoolError(`stage worker failed to start: ${err.message}`);
        for (const p of pending.values()) p.reject(broken);
        pending.clear();
        queue.length = 0;
        return;
      }
      // A crashed worker fails its own job only; a fresh worker takes its place.
      for (const [id, p] of pending) {
        if (p.worker === worker) {
          pending.delete(id);
          p.reject(err);
        }
      }
      if (!closed) {
        spawn();
        dispatch();
      }
    });
    workers.push(worker);
    idle.push(worker);
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

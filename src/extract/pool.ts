/**
 * Runs extractDocument on worker threads so a scan uses every core: the reader and
 * the SQLite writer stay on the main thread, HTML parsing (the dominant cost) moves out.
 * With `threads: 0` extraction runs inline, which is simplest for tiny inputs and tests.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { extractDocument } from './index.js';
import type { ExtractInput, ExtractedDocument } from '../types.js';

export type ExtractJob = ExtractInput & { notAfter?: string | null };

export interface ExtractPool {
  extract(input: ExtractJob): Promise<ExtractedDocument>;
  close(): Promise<void>;
  readonly threads: number;
}

/** Default worker count: one per core (the main thread mostly waits on I/O and zlib). */
export function defaultExtractThreads(): number {
  return Math.max(1, availableParallelism());
}

export function createExtractPool(threads = defaultExtractThreads()): ExtractPool {
  if (threads <= 0) {
    return {
      threads: 0,
      extract: async (input) => extractDocument(input),
      close: async () => {},
    };
  }
  // Under vitest/tsx the sources are .ts; compiled code runs the .js worker.
  const self = fileURLToPath(import.meta.url);
  const workerFile = self.replace(/pool\.(ts|js)$/, 'worker.$1');
  const execArgv = workerFile.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const queue: Array<{ id: number; input: ExtractJob }> = [];
  const pending = new Map<number, { resolve: (d: ExtractedDocument) => void; reject: (e: Error) => void; worker?: Worker }>();
  let nextId = 0;
  let closed = false;

  const dispatch = () => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop()!;
      const job = queue.shift()!;
      pending.get(job.id)!.worker = worker;
      // The payload is copied (structured clone): the caller still holds the record.
      worker.postMessage(job);
    }
  };

  const spawn = () => {
    const worker = new Worker(workerFile, { execArgv });
    worker.unref();
    worker.on('message', (msg: { id: number; doc?: ExtractedDocument; error?: string }) => {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      idle.push(worker);
      if (p) {
        if (msg.error !== undefined) p.reject(new Error(msg.error));
        else p.resolve(msg.doc!);
      }
      dispatch();
    });
    worker.on('error', (err) => {
      // A crashed worker fails its own job only; a fresh worker takes its place.
      for (const [id, p] of pending) {
        if (p.worker === worker) {
          pending.delete(id);
          p.reject(err);
        }
      }
      workers.splice(workers.indexOf(worker), 1);
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
    extract(input) {
      if (closed) return Promise.reject(new Error('extract pool is closed'));
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

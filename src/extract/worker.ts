/** Worker-thread side of the extraction pool: one extractDocument call per message. */
import { parentPort } from 'node:worker_threads';
import { extractDocument } from './index.js';
import type { ExtractInput } from '../types.js';

interface Job {
  id: number;
  input: ExtractInput & { notAfter?: string | null };
}

parentPort!.on('message', (job: Job) => {
  try {
    parentPort!.postMessage({ id: job.id, doc: extractDocument(job.input) });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: (err as Error).message });
  }
});

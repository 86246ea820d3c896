/**
 * Worker-thread side of the stage pool: the extract step, then the score step when the
 * pool was created with detectors, so both costs spread over cores — for one page sent by
 * the main thread, or for every page of a byte range of a WARC file this thread reads itself.
 * Jobs run one at a time, in the order they arrive.
 */
import { readlinkSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { extractStep, type ExtractJob } from './extract-step.js';
import { readRange, type RangeJob } from './range-job.js';
import { scoreStep, loadScorers, type Scorer } from './score-step.js';

const detectorNames: string[] | null = workerData?.detectors ?? null;
const detectorModules: string[] = workerData?.detectorModules ?? [];
const scorers: Promise<Scorer[]> = detectorNames ? loadScorers(detectorNames, detectorModules) : Promise.resolve([]);
// Rejections are reported per job; an unobserved one must not kill the thread.
scorers.catch(() => {});
/** Shared with the pool: [counter, odd while a page is extracted; that page's index in its range]. */
const slot: Int32Array = workerData?.progress ?? new Int32Array(2);
const progress = {
  begin(index: number) {
    Atomics.store(slot, 1, index);
    Atomics.add(slot, 0, 1);
  },
  done() {
    Atomics.add(slot, 0, 1);
  },
};

type Job = { id: number; input: ExtractJob } | { id: number; range: RangeJob };

async function run(job: Job): Promise<void> {
  try {
    if ('range' in job) {
      const { result, transfer } = await readRange(job.range, scorers, progress);
      parentPort!.postMessage({ id: job.id, range: result }, transfer);
      return;
    }
    const doc = extractStep(job.input);
    const scores = await scoreStep(await scorers, doc);
    parentPort!.postMessage({ id: job.id, doc, scores });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: (err as Error).message });
  }
}

let chain: Promise<void> = Promise.resolve();
parentPort!.on('message', (job: Job) => {
  chain = chain.then(() => run(job));
});
/** This thread's kernel id where /proc says (Linux), so a benchmark can read its CPU time. */
function kernelThreadId(): number | null {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return null;
  }
}

parentPort!.postMessage({ ready: true, threadId: kernelThreadId(), heapLimitMb: getHeapStatistics().heap_size_limit / (1024 * 1024) });

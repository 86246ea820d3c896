/**
 * Worker-thread side of the extraction pool: extract one page and, when the pool
 * was created with detectors, score it here too, so both costs spread over cores.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { extractDocument } from '../extract/index.js';
import { scoreDocument, loadScorers, type Scorer } from './score-document.js';
import type { ExtractJob } from './pool.js';

const detectorNames: string[] | null = workerData?.detectors ?? null;
const detectorModules: string[] = workerData?.detectorModules ?? [];
const scorers: Promise<Scorer[]> = detectorNames ? loadScorers(detectorNames, detectorModules) : Promise.resolve([]);

parentPort!.on('message', async (job: { id: number; input: ExtractJob }) => {
  try {
    const doc = extractDocument(job.input);
    const scores = await scoreDocument(await scorers, doc);
    parentPort!.postMessage({ id: job.id, doc, scores });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: (err as Error).message });
  }
});

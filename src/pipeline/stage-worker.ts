/**
 * Worker-thread side of the stage pool: the extract step, then the score step when the
 * pool was created with detectors, so both costs spread over cores.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { extractStep, type ExtractJob } from './extract-step.js';
import { scoreStep, loadScorers, type Scorer } from './score-step.js';

const detectorNames: string[] | null = workerData?.detectors ?? null;
const detectorModules: string[] = workerData?.detectorModules ?? [];
const scorers: Promise<Scorer[]> = detectorNames ? loadScorers(detectorNames, detectorModules) : Promise.resolve([]);

parentPort!.on('message', async (job: { id: number; input: ExtractJob }) => {
  try {
    const doc = extractStep(job.input);
    const scores = await scoreStep(await scorers, doc);
    parentPort!.postMessage({ id: job.id, doc, scores });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: (err as Error).message });
  }
});

/**
 * Detector throughput: documents/s per built-in detector (and all of them together) on
 * ~1,000-word documents made of real texts from the heldout split of ../shared/corpora/labeled
 * (consecutive English texts joined with blank lines). One core, one process.
 *
 *   npx tsx bench/detect-bench.ts [--docs 300] [--json]
 *
 * Exported `runDetectBench()` lets the scan bench fold these numbers into `npm run bench`.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadLabeled } from '../src/detect/labeled.js';
import { inSplit, sharedLabeledFiles } from '../src/detect/dataset.js';
import { BUILTIN_NAMES, createBuiltinDetector } from '../detectors/index.js';
import { selectDetectors } from '../detectors/registry.js';
import type { Detector } from '../src/detect/types.js';

export interface DetectBenchRow {
  detector: string;
  /** Documents per CPU-second. */
  docsPerSecond: number;
  /** CPU milliseconds per document. */
  msPerDoc: number;
  /** Wall-clock milliseconds per document (inflated when the machine is busy). */
  wallMsPerDoc: number;
}

export interface DetectBenchResult {
  documents: number;
  meanWords: number;
  rows: DetectBenchRow[];
}

async function benchDocs(n: number): Promise<string[]> {
  const recs = inSplit(await loadLabeled(sharedLabeledFiles()), 'heldout').filter((r) => r.lang === 'eng');
  const docs: string[] = [];
  let cur: string[] = [];
  let words = 0;
  for (let i = 0; docs.length < n; i = (i + 1) % recs.length) {
    cur.push(recs[i].text);
    words += recs[i].text.split(/\s+/).length;
    if (words >= 1000) {
      docs.push(cur.join('\n\n'));
      cur = [];
      words = 0;
    }
  }
  return docs;
}

/**
 * CPU milliseconds (user + system) spent scoring: on a shared machine wall time mostly
 * measures the neighbours, CPU time measures us. Wall time is returned too.
 */
async function timeDetectors(dets: Detector[], docs: string[]): Promise<{ cpuMs: number; wallMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  // Read `version` with every score, as the scan stores it with every score
  // (src/pipeline/score-step.ts): a costly version getter once hid here.
  let versionChars = 0;
  for (const text of docs) {
    for (const d of dets) {
      await d.score({ text, lang: 'eng' });
      versionChars += d.version.length;
    }
  }
  if (versionChars === 0) throw new Error('detectors without a version');
  const c = process.cpuUsage(c0);
  return { cpuMs: (c.user + c.system) / 1000, wallMs: performance.now() - t0 };
}

export async function runDetectBench(nDocs = 300): Promise<DetectBenchResult> {
  const docs = await benchDocs(nDocs);
  const meanWords = docs.reduce((s, d) => s + d.split(/\s+/).length, 0) / docs.length;
  const rows: DetectBenchRow[] = [];
  const measure = async (label: string, dets: Detector[]) => {
    for (const d of dets) await d.init?.();
    await timeDetectors(dets, docs.slice(0, 20)); // warm-up (JIT)
    // Single-detector rows include the text normalisation; in the "all" row the detectors
    // share it (src/detect/prepared.ts), as they do in a scan.
    // Best of three passes: the machine is shared, and the minimum is the least disturbed.
    let ms = Infinity;
    let wall = Infinity;
    for (let r = 0; r < 3; r++) {
      const t = await timeDetectors(dets, docs);
      ms = Math.min(ms, t.cpuMs);
      wall = Math.min(wall, t.wallMs);
    }
    rows.push({ detector: label, docsPerSecond: (docs.length * 1000) / ms, msPerDoc: ms / docs.length, wallMsPerDoc: wall / docs.length });
  };
  for (const name of BUILTIN_NAMES) await measure(name, [createBuiltinDetector(name)]);
  await measure('all built-ins', await selectDetectors({}));
  return { documents: docs.length, meanWords, rows };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { docs: { type: 'string', default: '300' }, json: { type: 'boolean', default: false } } });
  const res = await runDetectBench(Number(values.docs));
  if (values.json) {
    console.log(JSON.stringify(res, null, 2));
    return;
  }
  console.log(`detector throughput on ${res.documents} documents of ~${Math.round(res.meanWords)} words (one core, CPU time; best of 3)`);
  for (const r of res.rows) {
    console.log(
      `${r.detector.padEnd(14)} ${r.docsPerSecond.toFixed(0).padStart(7)} docs/s  ${r.msPerDoc.toFixed(2).padStart(6)} ms/doc  (wall ${r.wallMsPerDoc.toFixed(2)} ms/doc)`,
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(`detect-bench: ${(err as Error).message}`);
    process.exit(1);
  });
}

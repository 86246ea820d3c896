/**
 * What scoring real web pages costs: extracts the HTML pages of the same real WARC files that
 * `npm run bench` (bench/scan-bench.ts) repeats, then times extraction, each built-in detector
 * alone and all of them together over the extracted documents. CPU time (user + system,
 * `process.cpuUsage()`), best of `--passes`: the machine is shared, the minimum is the least
 * disturbed. One core, one process.
 *
 *   npx tsx bench/score-web-bench.ts [--passes 3] [--json]
 *
 * Issue 4's bar is "all built-ins together must not halve the scan throughput", i.e. scoring a
 * page may cost at most what reading + extracting + storing it costs; extraction alone is the
 * lower part of that budget, so the report compares scoring with it.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { extractRecord } from '../src/pipeline/extract-step.js';
import type { ExtractedDocument, WarcRecord } from '../src/core/types.js';
import { BUILTIN_NAMES, createBuiltinDetector } from '../detectors/index.js';
import { selectDetectors } from '../detectors/registry.js';
import { scoreStep as scoreDocument } from '../src/pipeline/score-step.js';
import type { Detector } from '../src/detect/types.js';

import { SOURCE_FILES, loadHtmlRecords } from './sources.js';

export { SOURCE_FILES };

export interface WebBenchRow {
  label: string;
  /** CPU milliseconds per extracted document (best pass). */
  msPerDoc: number;
  /** Wall-clock milliseconds per document (best pass). */
  wallMsPerDoc: number;
}

export interface WebBenchResult {
  documents: number;
  /** Documents with at least MIN_WORDS words, the ones detectors actually score. */
  scorable: number;
  lengths: { words: number[]; chars: number[] };
  rows: WebBenchRow[];
}

const readHtmlRecords = loadHtmlRecords;

function extractAll(records: readonly WarcRecord[]): ExtractedDocument[] {
  const docs: ExtractedDocument[] = [];
  for (const r of records) {
    try {
      docs.push(extractRecord(r));
    } catch {
      // the scan stores these as error rows; nothing to score
    }
  }
  return docs;
}

async function best(passes: number, run: () => Promise<void> | void): Promise<{ cpuMs: number; wallMs: number }> {
  let cpuMs = Infinity;
  let wallMs = Infinity;
  for (let i = 0; i < passes; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await run();
    const c = process.cpuUsage(c0);
    cpuMs = Math.min(cpuMs, (c.user + c.system) / 1000);
    wallMs = Math.min(wallMs, performance.now() - t0);
  }
  return { cpuMs, wallMs };
}

/** Scores as the scan does (src/pipeline/score-step.ts): result, version and details per detector. */
async function scoreAll(dets: readonly Detector[], docs: readonly ExtractedDocument[]): Promise<void> {
  for (const doc of docs) await scoreDocument(dets, doc);
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export async function runWebBench(passes = 3, only?: string[]): Promise<WebBenchResult> {
  const records = await readHtmlRecords();
  extractAll(records.slice(0, 20)); // warm-up (JIT)
  const rows: WebBenchRow[] = [];
  let docs: ExtractedDocument[] = [];
  const ex = await best(passes, () => {
    docs = extractAll(records);
  });
  rows.push({ label: 'extraction', msPerDoc: ex.cpuMs / docs.length, wallMsPerDoc: ex.wallMs / docs.length });
  const measure = async (label: string, dets: Detector[]) => {
    for (const d of dets) await d.init?.();
    await scoreAll(dets, docs.slice(0, 20)); // warm-up (JIT)
    // Single-detector rows include text normalisation; in the "all" row the detectors share it.
    const t = await best(passes, () => scoreAll(dets, docs));
    rows.push({ label, msPerDoc: t.cpuMs / docs.length, wallMsPerDoc: t.wallMs / docs.length });
  };
  for (const name of only ?? BUILTIN_NAMES) await measure(name, [createBuiltinDetector(name)]);
  if (!only) await measure('all built-ins', await selectDetectors({}));
  const words = docs.map((d) => d.words).sort((a, b) => a - b);
  const chars = docs.map((d) => d.text.length).sort((a, b) => a - b);
  return { documents: docs.length, scorable: words.filter((w) => w >= 30).length, lengths: { words, chars }, rows };
}

function describe(label: string, sorted: readonly number[]): string {
  const mean = sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length);
  const qs = [0.1, 0.25, 0.5, 0.75, 0.9, 0.99].map((q) => `p${Math.round(q * 100)} ${quantile(sorted, q)}`).join(', ');
  return `${label}: mean ${mean.toFixed(0)}, ${qs}, max ${sorted[sorted.length - 1]}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      passes: { type: 'string', default: '3' },
      json: { type: 'boolean', default: false },
      detector: { type: 'string', multiple: true },
    },
  });
  const res = await runWebBench(Number(values.passes), values.detector);
  if (values.json) {
    console.log(JSON.stringify({ ...res, lengths: undefined }, null, 2));
    return;
  }
  const { words, chars } = res.lengths;
  console.log(`${res.documents} extracted web pages from ${SOURCE_FILES.length} real WARC files (${res.scorable} with ≥ 30 words)`);
  console.log(describe('words per page', words));
  console.log(describe('chars per page', chars));
  const over = (n: number) => chars.filter((c) => c > n).length;
  console.log(`pages over 10k / 20k / 60k chars: ${over(10_000)} / ${over(20_000)} / ${over(60_000)}`);
  const share = (n: number) => {
    const total = chars.reduce((s, c) => s + c, 0);
    return ((100 * chars.reduce((s, c) => s + Math.max(0, c - n), 0)) / total).toFixed(0);
  };
  console.log(`share of all characters beyond the first 10k / 20k of a page: ${share(10_000)}% / ${share(20_000)}%`);
  console.log(`\nCPU ms per extracted page (one core, best of ${values.passes}):`);
  const extraction = res.rows.find((r) => r.label === 'extraction')!.msPerDoc;
  for (const r of res.rows) {
    const rel = r.label === 'extraction' ? '' : `  (${((100 * r.msPerDoc) / extraction).toFixed(0)}% of extraction)`;
    console.log(`${r.label.padEnd(14)} ${r.msPerDoc.toFixed(2).padStart(7)} ms/doc  (wall ${r.wallMsPerDoc.toFixed(2)})${rel}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(`score-web-bench: ${(err as Error).message}`);
    process.exit(1);
  });
}

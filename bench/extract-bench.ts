/**
 * Extraction-only benchmark: the HTML payloads of the real WARC files used by
 * bench/scan-bench.ts are read once into memory, then `extractDocument` runs
 * over all of them several times. Reports documents/s and CPU ms per document
 * (process.cpuUsage: steadier than wall time on a shared machine) for each
 * pass; the first pass includes JIT warm-up. The summary line gives the best
 * and median warm pass (other work on the machine only ever slows a pass down).
 *
 *   npx tsx bench/extract-bench.ts [--passes 5] [--json] [--top 10] [--out FILE] [--threads N]
 *
 * `--threads N` sends the documents through the worker pool (src/pipeline/stage-pool.ts)
 * with N threads instead of calling extractDocument inline; CPU time then
 * counts every thread (process.cpuUsage is process-wide).
 * `--top N` lists the N slowest documents of the last pass (URL, KiB, ms).
 * `--out FILE` writes every document's result (JSON lines) for before/after diffs.
 * Profile with: node --cpu-prof --import tsx bench/extract-bench.ts --passes 2
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { extractionInput } from '../src/pipeline/extract-step.js';
import { loadHtmlRecords } from './sources.js';
import { extractDocument } from '../src/extract/index.js';
import { createStagePool, type StagePool } from '../src/pipeline/stage-pool.js';

function arg(name: string, dflt: string | null): string | null {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}

type Job = ReturnType<typeof extractionInput>;

async function loadJobs(): Promise<Job[]> {
  return (await loadHtmlRecords()).map(extractionInput);
}

interface PassResult {
  pass: number;
  docs: number;
  cpuMs: number;
  wallMs: number;
  docsPerCpuSecond: number;
  cpuMsPerDoc: number;
}

async function main(): Promise<void> {
  const passes = Number(arg('passes', '5'));
  const top = Number(arg('top', '0'));
  const out = arg('out', null);
  const json = process.argv.includes('--json');
  const threads = Number(arg('threads', '0'));
  const pool: StagePool | null = threads > 0 ? createStagePool({ threads }) : null;
  const jobs = await loadJobs();
  const bytes = jobs.reduce((n, j) => n + j.html.length, 0);
  if (!json) console.log(`${jobs.length} HTML documents, ${(bytes / jobs.length / 1024).toFixed(1)} KiB mean payload`);
  const results: PassResult[] = [];
  const perDoc = new Float64Array(jobs.length);
  let outputs: string[] = [];
  for (let pass = 1; pass <= passes; pass++) {
    const last = pass === passes;
    if (last && out) outputs = [];
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    if (pool) await Promise.all(jobs.map((j) => pool.run(j)));
    else
      for (let i = 0; i < jobs.length; i++) {
        const t = last && top > 0 ? performance.now() : 0;
        const doc = extractDocument(jobs[i]);
        if (last && top > 0) perDoc[i] = performance.now() - t;
        if (last && out) outputs.push(JSON.stringify({ url: jobs[i].url, ...doc }));
      }
    const c = process.cpuUsage(c0);
    const cpuMs = (c.user + c.system) / 1000;
    const r: PassResult = {
      pass,
      docs: jobs.length,
      cpuMs: Math.round(cpuMs),
      wallMs: Math.round(performance.now() - w0),
      docsPerCpuSecond: Math.round((jobs.length / cpuMs) * 1000),
      cpuMsPerDoc: Number((cpuMs / jobs.length).toFixed(3)),
    };
    results.push(r);
    if (json) console.log(JSON.stringify(r));
    else console.log(`pass ${pass}: ${r.docsPerCpuSecond} docs/CPU-s, ${r.cpuMsPerDoc} CPU ms/doc (wall ${r.wallMs} ms)`);
  }
  const warm = results
    .slice(1)
    .map((r) => r.cpuMsPerDoc)
    .sort((a, b) => a - b);
  if (warm.length > 0) {
    // The machine is shared: the fastest warm pass is the least disturbed one.
    const best = warm[0];
    const median = warm[Math.floor((warm.length - 1) / 2)];
    const summary = { docs: jobs.length, bestCpuMsPerDoc: best, medianCpuMsPerDoc: median, bestDocsPerCpuSecond: Math.round(1000 / best) };
    if (json) console.log(JSON.stringify(summary));
    else console.log(`warm passes: best ${best} CPU ms/doc (${summary.bestDocsPerCpuSecond} docs/CPU-s), median ${median}`);
  }
  await pool?.close();
  if (out) writeFileSync(out, outputs.join('\n') + '\n');
  if (top > 0) {
    const order = [...perDoc.keys()].sort((a, b) => perDoc[b] - perDoc[a]).slice(0, top);
    for (const i of order) console.log(`${perDoc[i].toFixed(1)} ms  ${(jobs[i].html.length / 1024).toFixed(0)} KiB  ${jobs[i].url}`);
  }
}

await main();

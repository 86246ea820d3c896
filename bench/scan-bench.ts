/**
 * `npm run bench`: the cost of each stage of `ccaudit scan` over ≥ 100 MB of real
 * Common-Crawl-style WARC data (real records from ../shared, repeated to reach the size).
 *
 * Each phase runs in its own child process so its peak RSS is its own:
 *   gunzip   node:zlib over the same bytes (the floor cost of reading)
 *   read     readWarcFile: every record framed, parsed and its payload decoded
 *   scan           the whole pipeline on one core into a fresh SQLite file (read → extract → store)
 *   scan+score     the same with every built-in detector scoring each document (one core)
 *   scan-parallel  scan+score with the worker pool (one thread per core): the workers read
 *                  1 MiB byte ranges of the file themselves (inflate, parse, extract, score)
 *                  and the main thread only stores their results
 *   2 × scan+score two inline scan+score processes at once: the machine's own ceiling for the
 *                  thread-scaling ratio (cores, caches and memory bandwidth shared, nothing else)
 * For scan phases on Linux it splits CPU per document between the main thread, the workers and
 * V8's compiler/GC helper threads. BENCH_WORKER_HEAP_MB / BENCH_WORKER_YOUNG_MB set the
 * workers' heap limits (the CPU-per-page against RSS trade-off).
 * The three thread-scaling phases then run again in further rounds (BENCH_SCALING_ROUNDS, default 3
 * in all) and the ratios are printed as medians of per-round ratios,
 * then documents/s per detector on ~1,000-word real labeled texts (bench/detect-bench.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { pipeline as streamPipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { SOURCE_FILES, WARC_DIR } from './sources.js';
import { quantileSorted } from '../src/core/stats.js';

const here = fileURLToPath(import.meta.url);
async function buildInput(target: string, minBytes: number): Promise<number> {
  if (existsSync(target) && statSync(target).size >= minBytes) return statSync(target).size;
  const parts = SOURCE_FILES.map((f) => readFileSync(path.join(WARC_DIR, f)));
  const out = createWriteStream(target);
  let written = 0;
  while (written < minBytes) {
    for (const p of parts) {
      if (!out.write(p)) await new Promise<void>((r) => out.once('drain', () => r()));
      written += p.length;
    }
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return written;
}

interface PhaseResult {
  phase: string;
  seconds: number;
  bytes: number;
  records?: number;
  documents?: number;
  errors?: number;
  stages?: Record<string, number>;
  maxRssMb: number;
  cpuSeconds: number;
  /** CPU time of the main thread alone (Linux); the rest is workers and V8's GC helper threads. */
  mainCpuSeconds?: number;
  /** Scan phases on Linux: CPU seconds per kind of thread, read just before the pool closes. */
  threadCpu?: ThreadCpu;
  /** Worker pools: each worker's busy fraction (event-loop utilisation). */
  workerBusy?: number[];
}

/** CPU seconds of the main thread, the pool's worker threads, and every other thread (V8's compiler and GC helpers, libuv). */
interface ThreadCpu {
  main: number;
  workers: number;
  helpers: number;
}

/** CPU seconds (user + system) of one thread of this process, from /proc (Linux only). */
function threadCpuSeconds(tid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

function mainThreadCpuSeconds(): number | undefined {
  return threadCpuSeconds(process.pid);
}

/** Every live thread's CPU, split into main, the given worker threads, and the rest. */
function threadCpu(workerTids: ReadonlyArray<number | null>): ThreadCpu | undefined {
  let tids: number[];
  try {
    tids = readdirSync('/proc/self/task').map(Number);
  } catch {
    return undefined;
  }
  const out = { main: 0, workers: 0, helpers: 0 };
  for (const tid of tids) {
    const cpu = threadCpuSeconds(tid) ?? 0;
    if (tid === process.pid) out.main += cpu;
    else if (workerTids.includes(tid)) out.workers += cpu;
    else out.helpers += cpu;
  }
  return out;
}

async function phaseGunzip(file: string): Promise<Omit<PhaseResult, 'maxRssMb' | 'cpuSeconds'>> {
  const t0 = performance.now();
  await streamPipeline(
    createReadStream(file, { highWaterMark: 1 << 20 }),
    createGunzip(),
    new Writable({
      write(_chunk, _enc, cb) {
        cb();
      },
    }),
  );
  return { phase: 'gunzip', seconds: (performance.now() - t0) / 1000, bytes: statSync(file).size, records: undefined };
}

async function phaseRead(file: string): Promise<Omit<PhaseResult, 'maxRssMb' | 'cpuSeconds'>> {
  const { readWarcFile } = await import('../src/sources/warc/index.js');
  const t0 = performance.now();
  let records = 0;
  let errors = 0;
  for await (const item of readWarcFile(file)) {
    if ((item as { kind?: string }).kind === 'error') errors++;
    else records++;
  }
  return { phase: 'read', seconds: (performance.now() - t0) / 1000, bytes: statSync(file).size, records, errors };
}

async function phaseScan(file: string, db: string, phase: string): Promise<Omit<PhaseResult, 'maxRssMb' | 'cpuSeconds'>> {
  const { scanFile } = await import('../src/pipeline/scan.js');
  const { openStore, StoreWriter } = await import('../src/store/index.js');
  const { createStagePool, defaultStageThreads } = await import('../src/pipeline/stage-pool.js');
  // BENCH_WORKER_HEAP_MB / BENCH_WORKER_YOUNG_MB: the per-worker heap trade-off (CPU per page against RSS).
  const envMb = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
  const pool = createStagePool({
    threads: phase === 'scan-parallel' ? defaultStageThreads() : 0,
    detectors: phase === 'scan' ? null : [],
    workerHeapMb: envMb('BENCH_WORKER_HEAP_MB'),
    workerYoungMb: envMb('BENCH_WORKER_YOUNG_MB'),
  });
  rmSync(db, { force: true });
  const store = openStore(db);
  const writer = new StoreWriter(store, { batchSize: 500 });
  const runId = writer.beginRun('bench', { file });
  const times = { readMs: 0, extractMs: 0, storeMs: 0 };
  const t0 = performance.now();
  const s = await scanFile(file, writer, times, {}, pool);
  // Read before closing: a finished worker's thread leaves /proc with its CPU time.
  const workers = pool.workerStats?.() ?? [];
  const cpu = threadCpu(workers.map((w) => w.threadId));
  await pool.close();
  writer.finishRun(runId, 'completed', { records: s.records, documents: s.documents, errors: s.errors });
  const seconds = (performance.now() - t0) / 1000;
  store.close();
  return {
    phase,
    seconds,
    bytes: statSync(file).size,
    records: s.records,
    documents: s.documents,
    errors: s.errors,
    stages: { read: times.readMs / 1000, extract: times.extractMs / 1000, store: times.storeMs / 1000 },
    threadCpu: cpu,
    workerBusy: workers.map((w) => w.busy),
  };
}

async function child(phase: string, file: string, db: string): Promise<void> {
  const r = phase === 'gunzip' ? await phaseGunzip(file) : phase === 'read' ? await phaseRead(file) : await phaseScan(file, db, phase);
  const usage = process.resourceUsage();
  const maxRssMb = usage.maxRSS / 1024;
  // CPU time of every thread of the process: what the work costs, whatever else runs on the machine.
  const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  process.stdout.write(JSON.stringify({ ...r, maxRssMb, cpuSeconds, mainCpuSeconds: mainThreadCpuSeconds() }) + '\n');
}

/** A phase child's result: the last line it printed. */
function childResult(stdout: string): PhaseResult {
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

/**
 * The machine's own ceiling for the thread-scaling ratio: two inline scan+score processes over
 * the same input started at once share nothing but the hardware (cores, caches, memory
 * bandwidth), so their combined docs/s over one inline scan's is the most two cores give this
 * work here; the worker pool's ratio is read against it.
 */
const TWO_PROCESSES = '2 × scan+score';

async function twoProcesses(childArgs: (phase: string, db: string) => string[]): Promise<PhaseResult | null> {
  const dbs = ['a', 'b'].map((k) => path.join(os.tmpdir(), 'ccaudit-bench', `bench-${process.pid}-${k}.db`));
  const t0 = performance.now();
  const outputs = await Promise.all(
    dbs.map(
      (db) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const c = spawn(process.execPath, childArgs('scan+score', db), { stdio: ['ignore', 'pipe', 'pipe'] });
          let stdout = '';
          let stderr = '';
          c.stdout.on('data', (d) => (stdout += d));
          c.stderr.on('data', (d) => (stderr += d));
          c.on('close', (code) => resolve({ code, stdout, stderr }));
        }),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  for (const db of dbs) rmSync(db, { force: true });
  const failed = outputs.find((o) => o.code !== 0);
  if (failed) {
    console.error(`phase ${TWO_PROCESSES} failed:\n${failed.stderr}`);
    return null;
  }
  const each = outputs.map((o) => childResult(o.stdout));
  const sum = (f: (r: PhaseResult) => number | undefined) => each.reduce((a, r) => a + (f(r) ?? 0), 0);
  return {
    phase: TWO_PROCESSES,
    seconds,
    bytes: sum((r) => r.bytes),
    records: sum((r) => r.records),
    documents: sum((r) => r.documents),
    errors: sum((r) => r.errors),
    // Two processes: each one's peak, not their sum (the row is about speed).
    maxRssMb: Math.max(...each.map((r) => r.maxRssMb)),
    cpuSeconds: sum((r) => r.cpuSeconds),
  };
}

const SCALING_PHASES = ['scan+score', 'scan-parallel', TWO_PROCESSES];

/**
 * The thread-scaling ratios again over more rounds. Each round runs the inline scan, the worker
 * pool and the two-process ceiling back to back and takes the ratios within the round, so a
 * machine whose speed drifts between phases (one inline phase took 21 s and the next 30 s on
 * the shared machine) moves single ratios, not their median. BENCH_SCALING_ROUNDS sets the
 * number of rounds, the table's round included (default 3; 1 = the table's round only).
 */
async function scalingRounds(results: PhaseResult[], runPhase: (phase: string) => Promise<PhaseResult | null>): Promise<void> {
  const rounds = Math.max(1, Math.trunc(Number(process.env.BENCH_SCALING_ROUNDS ?? 3)));
  const docsPerSec = (r: PhaseResult | null | undefined) => (r?.documents ? r.documents / r.seconds : NaN);
  const ratios = (byPhase: Map<string, PhaseResult | null | undefined>) => {
    const inline = docsPerSec(byPhase.get('scan+score'));
    return { pool: docsPerSec(byPhase.get('scan-parallel')) / inline, ceiling: docsPerSec(byPhase.get(TWO_PROCESSES)) / inline };
  };
  const first = ratios(new Map(SCALING_PHASES.map((p) => [p, results.find((r) => r.phase === p)])));
  if (!Number.isFinite(first.pool) || !Number.isFinite(first.ceiling) || rounds < 2) return;
  const all = [first];
  for (let round = 2; round <= rounds; round++) {
    const byPhase = new Map<string, PhaseResult | null>();
    for (const phase of SCALING_PHASES) byPhase.set(phase, await runPhase(phase));
    const r = ratios(byPhase);
    if (!Number.isFinite(r.pool) || !Number.isFinite(r.ceiling)) return;
    all.push(r);
  }
  const summary = (xs: number[], digits = 2) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const median = quantileSorted(sorted, 0.5);
    return `median ${median.toFixed(digits)} (${sorted[0].toFixed(digits)}–${sorted[sorted.length - 1].toFixed(digits)})`;
  };
  console.log(`\nthread scaling over ${all.length} rounds (each: inline, worker pool, two processes, back to back; ratios within a round):`);
  console.log(`  worker pool / inline:            ${summary(all.map((r) => r.pool))}× docs/s (target ≥ 1.7 on 2 cores)`);
  console.log(`  two processes / inline (ceiling): ${summary(all.map((r) => r.ceiling))}×`);
  console.log(
    `  worker pool / ceiling:           ${summary(
      all.map((r) => (100 * r.pool) / r.ceiling),
      0,
    )} %`,
  );
}

async function parent(): Promise<void> {
  const mb = Number(process.env.BENCH_MB ?? 110);
  const dir = path.join(os.tmpdir(), 'ccaudit-bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `cc-style-${mb}mb.warc.gz`);
  // One database per bench process: other people's benches may share the temp directory.
  const db = path.join(dir, `bench-${process.pid}.db`);
  const size = await buildInput(file, mb * 1e6);
  console.log(`input: ${file} (${(size / 1e6).toFixed(1)} MB of real per-record-gzip WARC data, ${SOURCE_FILES.length} files repeated)`);
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load average (1 min) at start: ${os.loadavg()[0].toFixed(1)}\n`,
  );
  const results: PhaseResult[] = [];
  // BENCH_PHASES=scan+score,scan-parallel runs only those (the thread-scaling pair).
  const phases = process.env.BENCH_PHASES?.split(',') ?? ['gunzip', 'read', 'scan', 'scan+score', 'scan-parallel', TWO_PROCESSES];
  // The parent's V8 flags reach every phase (`node --single-threaded dist/bench/scan-bench.js`).
  const childArgs = (phase: string, phaseDb: string) => [...process.execArgv, here, '--child', phase, file, phaseDb];
  const runPhase = async (phase: string): Promise<PhaseResult | null> => {
    if (phase === TWO_PROCESSES) {
      const r = await twoProcesses(childArgs);
      if (!r) process.exitCode = 1;
      return r;
    }
    const r = spawnSync(process.execPath, childArgs(phase, db), { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) {
      console.error(`phase ${phase} failed:\n${r.stderr}`);
      process.exitCode = 1;
      return null;
    }
    return childResult(r.stdout);
  };
  for (const phase of phases) {
    const r = await runPhase(phase);
    if (r) results.push(r);
  }
  const rows = results.map((r) => ({
    phase: r.phase,
    'MB/s (compressed)': (r.bytes / 1e6 / r.seconds).toFixed(1),
    seconds: r.seconds.toFixed(2),
    records: r.records ?? '',
    'records/s': r.records ? (r.records / r.seconds).toFixed(0) : '',
    'HTML docs': r.documents ?? '',
    'docs/s': r.documents ? (r.documents / r.seconds).toFixed(0) : '',
    'peak RSS MB': r.maxRssMb.toFixed(0),
    'CPU s': r.cpuSeconds.toFixed(1),
    'main-thread CPU s': r.mainCpuSeconds?.toFixed(1) ?? '',
  }));
  console.table(rows);
  for (const r of results.filter((x) => x.stages)) {
    const total = Object.values(r.stages!).reduce((a, b) => a + b, 0);
    console.log(
      `${r.phase} time per stage (main-thread time; with workers, reading is done in them and "extract" is time spent waiting for their results):`,
    );
    for (const [k, v] of Object.entries(r.stages!)) {
      console.log(`  ${k.padEnd(8)} ${v.toFixed(2)} s  (${((100 * v) / total).toFixed(0)}%)`);
    }
  }
  const docsPerSec = (p: string) => {
    const r = results.find((x) => x.phase === p);
    return r?.documents ? r.documents / r.seconds : NaN;
  };
  const one = results.find((r) => r.phase === 'scan+score');
  const many = results.find((r) => r.phase === 'scan-parallel');
  const perDoc = (r: PhaseResult | undefined) => {
    if (!r?.threadCpu || !r.documents) return null;
    const ms = (s: number) => ((1000 * s) / r.documents!).toFixed(2);
    const { main, workers, helpers } = r.threadCpu;
    const busy = r.workerBusy?.length ? `; workers busy ${r.workerBusy.map((b) => `${(100 * b).toFixed(0)}%`).join(', ')}` : '';
    return `${ms(main + workers + helpers)} ms (main thread ${ms(main)}, worker threads ${ms(workers)}, V8 compiler/GC helper threads ${ms(helpers)})${busy}`;
  };
  if (one?.threadCpu || many?.threadCpu) {
    // Wall-clock ratios move with the machine's load; CPU per document does not (much).
    console.log('\nCPU per HTML document, every thread of the process:');
    if (perDoc(one)) console.log(`  scan+score (inline):         ${perDoc(one)}`);
    if (perDoc(many)) console.log(`  scan-parallel (${os.cpus().length} workers):   ${perDoc(many)}`);
  }
  if (one && many) {
    console.log(
      `\nthread scaling, this run: ${os.cpus().length} worker threads / inline on one thread = ` +
        `${(docsPerSec('scan-parallel') / docsPerSec('scan+score')).toFixed(2)}× docs/s (target ≥ 1.7 on 2 cores); ` +
        `peak RSS ${one.maxRssMb.toFixed(0)} MB → ${many.maxRssMb.toFixed(0)} MB; load average (1 min): ${os.loadavg()[0].toFixed(1)} (other processes depress the ratio)`,
    );
    const inlineCores = one.cpuSeconds / one.seconds;
    // Not a bound on the ratio: V8's helper threads do less when the cores are busy.
    console.log(`  the inline scan kept ${inlineCores.toFixed(2)} cores busy (V8's compiler and GC threads beside the main one)`);
  }
  const pair = results.find((r) => r.phase === TWO_PROCESSES);
  if (one && pair) {
    const ceiling = docsPerSec(TWO_PROCESSES) / docsPerSec('scan+score');
    const threads = many ? docsPerSec('scan-parallel') / docsPerSec('scan+score') : NaN;
    console.log(
      `  this machine's ceiling, two independent inline scans at once / one: ${ceiling.toFixed(2)}×` +
        (many ? `; the worker pool reached ${((100 * threads) / ceiling).toFixed(0)} % of it` : ''),
    );
  }
  await scalingRounds(results, runPhase);
  const scan = results.find((r) => r.phase === 'scan');
  if (scan) {
    console.log(
      `\nfull scan, one core: ${docsPerSec('scan').toFixed(0)} HTML documents/s (target ≥ 300); ` +
        `with all detectors: ${docsPerSec('scan+score').toFixed(0)} docs/s (${((100 * docsPerSec('scan+score')) / docsPerSec('scan')).toFixed(0)}% of it; target ≥ 50%); ` +
        `worker pool (${os.cpus().length} threads): ${docsPerSec('scan-parallel').toFixed(0)} docs/s`,
    );
    const peak = Math.max(...results.filter((r) => r.phase.startsWith('scan')).map((r) => r.maxRssMb));
    console.log(`peak RSS of any scan phase: ${peak.toFixed(0)} MB (target ≤ 400; the worker pool's threads share the process)`);
  }
  rmSync(db, { force: true });
  if (process.env.BENCH_PHASES) return;
  const { runDetectBench } = await import('./detect-bench.js');
  const det = await runDetectBench(Number(process.env.BENCH_DETECT_DOCS ?? 300));
  console.log(`\ndetectors, ${det.documents} documents of ~1,000 words (real labeled texts), one core:`);
  console.table(
    det.rows.map((r) => ({
      detector: r.detector,
      'docs/s (CPU)': r.docsPerSecond.toFixed(0),
      'ms/doc (CPU)': r.msPerDoc.toFixed(2),
      'ms/doc (wall)': r.wallMsPerDoc.toFixed(2),
    })),
  );
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]!, process.argv[5]!);
} else {
  await parent();
}

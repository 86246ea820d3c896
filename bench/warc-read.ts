/**
 * WARC read throughput: readWarcFile (records fully read, payloads decoded)
 * versus raw node:zlib gunzip of the same bytes, and warcio.js 2.4.11 for
 * reference, on a ~100 MB file of real per-record-gzip Common Crawl records.
 *
 * The input is built by concatenating the real CC files in
 * shared/corpora/warc/cc/ (resiliparse CC-MAIN-2020-34 extract, whirlwind
 * CC-MAIN-2024-22, the CC-MAIN-2025-33 range replies, jwarc cc.warc.gz) until
 * the target size is reached; records repeat, which is fine for throughput.
 *
 *   npx tsx bench/warc-read.ts [--mb 100] [--runs 2] [--no-warcio] [--corpus DIR]
 *   npx tsx bench/warc-read.ts --compare-corpus      # correctness of both readers, file by file
 *
 * Prints one JSON line per phase and a summary line. `--compare-corpus`
 * prints, for every corpus WARC where readWarcFile and warcio.js disagree,
 * both record/type counts plus warcio's NaN status codes and still-encoded
 * (gzip/zstd magic) payloads of HTML responses.
 */
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { readWarcFile } from '../src/sources/warc/index.js';

interface PhaseResult {
  phase: string;
  /** Wall-clock seconds. */
  seconds: number;
  /** CPU seconds (user + system, all threads): steadier than wall time on a shared machine. */
  cpuSeconds: number;
  compressedMBps: number;
  /** Compressed MB per CPU second. */
  compressedMBpsCpu: number;
  uncompressedMBps?: number;
  records?: number;
  errors?: number;
  payloadBytes?: number;
}

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
}

const here = path.dirname(fileURLToPath(import.meta.url));
// shared/ sits beside the checkout; from bench/ (tsx) or dist/bench/ (compiled).
const defaultCorpus = [path.resolve(here, '../../shared/corpora/warc'), path.resolve(here, '../../../shared/corpora/warc')].find((p) =>
  existsSync(p),
);
const corpus = arg('corpus', process.env.CCAUDIT_WARC_CORPUS ?? defaultCorpus ?? '../shared/corpora/warc');
const targetMb = Number(arg('mb', '100'));
const runs = Number(arg('runs', '2'));
const withWarcio = !process.argv.includes('--no-warcio');

function buildInput(): string {
  const parts = [
    'cc/resiliparse/warcfile.warc.gz',
    'cc/whirlwind/whirlwind.warc.gz',
    'cc/jwarc/cc.warc.gz',
    ...readdirSync(path.join(corpus, 'cc/cdx_toolkit-range-fetch'))
      .filter((f) => f.endsWith('.warc.gz'))
      .map((f) => `cc/cdx_toolkit-range-fetch/${f}`),
  ].map((p) => readFileSync(path.join(corpus, p)));
  const unit = Buffer.concat(parts);
  const out = path.join(tmpdir(), `ccaudit-warc-bench-${targetMb}mb.warc.gz`);
  const target = targetMb * 1e6;
  if (existsSync(out) && statSync(out).size >= target && statSync(out).size < target + unit.length) return out;
  writeFileSync(out, unit);
  for (let size = unit.length; size < target; size += unit.length) appendFileSync(out, unit);
  return out;
}

async function phaseGunzip(file: string): Promise<PhaseResult> {
  let out = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await pipeline(
    createReadStream(file, { highWaterMark: 1 << 20 }),
    createGunzip({ chunkSize: 1 << 20 }),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        out += chunk.length;
        cb();
      },
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpuSince(c0);
  const size = statSync(file).size;
  return {
    phase: 'zlib-gunzip',
    seconds,
    cpuSeconds,
    compressedMBps: size / 1e6 / seconds,
    compressedMBpsCpu: size / 1e6 / cpuSeconds,
    uncompressedMBps: out / 1e6 / seconds,
  };
}

async function phaseReadWarcFile(file: string): Promise<PhaseResult> {
  let records = 0;
  let errors = 0;
  let payloadBytes = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for await (const item of readWarcFile(file)) {
    if ('kind' in item) errors++;
    else {
      records++;
      payloadBytes += item.payload?.length ?? 0;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpuSince(c0);
  const size = statSync(file).size;
  return {
    phase: 'readWarcFile',
    seconds,
    cpuSeconds,
    compressedMBps: size / 1e6 / seconds,
    compressedMBpsCpu: size / 1e6 / cpuSeconds,
    records,
    errors,
    payloadBytes,
  };
}

async function phaseWarcio(file: string): Promise<PhaseResult> {
  const { WARCParser } = await import('warcio');
  let records = 0;
  let payloadBytes = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const parser = new WARCParser(createReadStream(file, { highWaterMark: 1 << 20 }));
  for await (const record of parser) {
    const body = await record.readFully(true); // de-chunked, content-decoded payload
    payloadBytes += body.length;
    records++;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpuSince(c0);
  const size = statSync(file).size;
  return {
    phase: 'warcio.js',
    seconds,
    cpuSeconds,
    compressedMBps: size / 1e6 / seconds,
    compressedMBpsCpu: size / 1e6 / cpuSeconds,
    records,
    payloadBytes,
  };
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

async function best(fn: () => Promise<PhaseResult>): Promise<PhaseResult> {
  let top: PhaseResult | null = null;
  for (let i = 0; i < runs; i++) {
    const r = await fn();
    if (top === null || r.cpuSeconds < top.cpuSeconds) top = r;
  }
  return top!;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

const looksEncoded = (b: Uint8Array): boolean =>
  (b[0] === 0x1f && b[1] === 0x8b) || (b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd);

async function compareCorpus(): Promise<void> {
  const { WARCParser } = await import('warcio');
  const files = ['cc', 'edge-cases', 'recent'].flatMap((d) => walk(path.join(corpus, d))).filter((f) => !/\.(md|tsv)$/.test(f));
  let disagreements = 0;
  for (const file of files) {
    const ours: Record<string, number> = {};
    let oursErrors = 0;
    let oursEncoded = 0;
    for await (const item of readWarcFile(file)) {
      if ('kind' in item) {
        oursErrors++;
        continue;
      }
      ours[item.warcType ?? 'null'] = (ours[item.warcType ?? 'null'] ?? 0) + 1;
      if (item.warcType === 'response' && /html/i.test(item.contentType ?? '') && item.payload && looksEncoded(item.payload)) oursEncoded++;
    }
    const theirs: Record<string, number> = {};
    let statusNaN = 0;
    let theirsEncoded = 0;
    let warcioThrew: string | null = null;
    try {
      for await (const record of new WARCParser(createReadStream(file))) {
        theirs[record.warcType ?? 'null'] = (theirs[record.warcType ?? 'null'] ?? 0) + 1;
        const status = record.httpHeaders?.statusCode;
        if (record.warcType === 'response' && record.httpHeaders && Number.isNaN(Number(status))) statusNaN++;
        const ct = record.httpHeaders?.headers.get('content-type') ?? '';
        const body = await record.readFully(true);
        if (record.warcType === 'response' && /html/i.test(ct) && looksEncoded(body)) theirsEncoded++;
      }
    } catch (err) {
      warcioThrew = (err as Error).message;
    }
    const same = JSON.stringify(Object.entries(ours).sort()) === JSON.stringify(Object.entries(theirs).sort());
    if (!same || statusNaN > 0 || theirsEncoded !== oursEncoded || warcioThrew) {
      disagreements++;
      process.stdout.write(
        JSON.stringify({
          file: path.relative(corpus, file),
          readWarcFile: { types: ours, errorItems: oursErrors, encodedHtmlPayloads: oursEncoded },
          warcio: { types: theirs, statusNaN, encodedHtmlPayloads: theirsEncoded, threw: warcioThrew },
        }) + '\n',
      );
    }
  }
  process.stdout.write(JSON.stringify({ files: files.length, disagreements }) + '\n');
}

async function main(): Promise<void> {
  if (process.argv.includes('--compare-corpus')) return compareCorpus();
  mkdirSync(tmpdir(), { recursive: true });
  const file = buildInput();
  const size = statSync(file).size;
  process.stdout.write(JSON.stringify({ input: file, bytes: size, runs }) + '\n');
  const results: PhaseResult[] = [];
  for (const phase of [phaseGunzip, phaseReadWarcFile, ...(withWarcio ? [phaseWarcio] : [])]) {
    const r = await best(() => phase(file));
    results.push(r);
    process.stdout.write(JSON.stringify(r) + '\n');
  }
  const gz = results[0];
  const ours = results[1];
  const summary: Record<string, unknown> = {
    readWarcFile_vs_gunzip_wall: +(ours.compressedMBps / gz.compressedMBps).toFixed(2),
    readWarcFile_vs_gunzip_cpu: +(ours.compressedMBpsCpu / gz.compressedMBpsCpu).toFixed(2),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  if (results[2]) {
    summary.readWarcFile_vs_warcio_wall = +(ours.compressedMBps / results[2].compressedMBps).toFixed(2);
    summary.readWarcFile_vs_warcio_cpu = +(ours.compressedMBpsCpu / results[2].compressedMBpsCpu).toFixed(2);
  }
  process.stdout.write(JSON.stringify(summary) + '\n');
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exitCode = 1;
});

/**
 * `npm run bench:extract`: extraction speed against its floor and its peers, in one process.
 *
 * Real pages from ../shared/corpora/extraction (mozilla-readability and trafilatura-eval, the
 * extraction dev sets) are read into memory once, then every method runs over all of them in
 * interleaved rounds (the method order rotates each round, the first round is warm-up):
 *
 *   floor      htmlparser2 `parseDocument` alone: no extraction at all
 *   ccaudit    `extractDocument` from the page's bytes (charset, main text, title, date, language)
 *   linkedom   linkedom `parseHTML` + Readability.js
 *   jsdom      jsdom + Readability.js
 *
 * Time is CPU time (process.cpuUsage: GC threads included, other load on a shared machine
 * mostly not). A forced GC (node --expose-gc) before every timed run keeps one method's garbage
 * out of the next one's figure. Each method's figure over the sample is the median of its warm rounds; the
 * ratios are what to quote. jsdom keeps about 3 MB per page alive after window.close() (seen
 * with jsdom 29), and a heap grown that way slows every later run's garbage collection (the
 * floor most, which would flatter the ratio), so jsdom runs after the interleaved rounds of the
 * others: `--jsdom-rounds` rounds (default 2: warm-up and one timed round). Linearity is timed
 * between the two, before jsdom's heap can weigh on it: the largest pages one by one (CPU µs per
 * KiB of HTML beside the sample's), and one large page repeated 1, 2, 4 … times up to 4 MiB.
 *
 *   node --expose-gc dist/bench/extract-peers.js [--pages 180] [--rounds 5] [--peers linkedom,jsdom|none]
 *                                               [--jsdom-rounds 2] [--largest 10] [--json]
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseDocument } from 'htmlparser2';
import { extractDocument, MAX_HTML_CHARS } from '../src/extract/index.js';
import { SHARED } from './sources.js';

const SETS = ['mozilla-readability', 'trafilatura-eval'] as const;
/** The tests of mozilla-readability resolve relative links against this base. */
const FAKE_URL = 'http://fakehost/test/page.html';

interface Page {
  key: string;
  url: string;
  bytes: Buffer;
  /** The bytes decoded as UTF-8: what the floor and the peers parse. */
  html: string;
}

interface Method {
  name: string;
  run(page: Page): void;
}

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}

function intArg(name: string, dflt: number): number {
  const v = Number(arg(name, String(dflt)));
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  return v;
}

/** Every page of both sets, in a fixed pseudo-random order (by a hash of set and id). */
function loadAllPages(): Page[] {
  const pages: Array<Page & { order: string }> = [];
  for (const set of SETS) {
    const dir = path.join(SHARED, 'corpora/extraction', set);
    const lines = readFileSync(path.join(dir, 'pages.jsonl'), 'utf8').split('\n');
    for (const line of lines) {
      if (line.trim() === '') continue;
      const p = JSON.parse(line) as { id: string; url: string | null; html_file: string };
      const bytes = gunzipSync(readFileSync(path.join(dir, p.html_file)));
      const key = `${set}/${p.id}`;
      pages.push({ key, url: p.url ?? FAKE_URL, bytes, html: bytes.toString('utf8'), order: createHash('sha1').update(key).digest('hex') });
    }
  }
  return pages.sort((a, b) => (a.order < b.order ? -1 : 1));
}

async function peerMethods(wanted: string[]): Promise<Method[]> {
  const out: Method[] = [];
  if (wanted.length === 0) return out;
  const { Readability } = await import('@mozilla/readability');
  if (wanted.includes('linkedom')) {
    const { parseHTML } = await import('linkedom');
    out.push({
      name: 'linkedom + Readability.js',
      run(page) {
        const { document } = parseHTML(page.html);
        new Readability(document as unknown as Document).parse();
      },
    });
  }
  if (wanted.includes('jsdom')) {
    const { JSDOM, VirtualConsole } = await import('jsdom');
    // Pages log CSS parse errors; a silent console keeps them off the report.
    const virtualConsole = new VirtualConsole();
    out.push({
      name: 'jsdom + Readability.js',
      run(page) {
        const dom = new JSDOM(page.html, { url: page.url, virtualConsole });
        try {
          new Readability(dom.window.document).parse();
        } finally {
          dom.window.close();
        }
      },
    });
  }
  return out;
}

const floor: Method = {
  name: 'htmlparser2 parseDocument (floor)',
  run(page) {
    parseDocument(page.html);
  },
};

const ccaudit: Method = {
  name: 'ccaudit extractDocument',
  run(page) {
    extractDocument({ html: page.bytes, url: page.url, contentType: null });
  },
};

const gc = (globalThis as { gc?: () => void }).gc;

/** CPU milliseconds of one run of `method` over `pages`; a page that throws counts in `errors`. */
function timeRun(method: Method, pages: Page[], errors: Map<string, number>): number {
  gc?.();
  const c0 = process.cpuUsage();
  for (const page of pages) {
    try {
      method.run(page);
    } catch {
      errors.set(method.name, (errors.get(method.name) ?? 0) + 1);
    }
  }
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Least CPU ms of `method` on one page over `rounds` runs (after one warm-up run): one page is short, and other load only adds. */
function timePage(method: Method, page: Page, rounds: number): number {
  const errors = new Map<string, number>();
  timeRun(method, [page], errors);
  let least = Infinity;
  for (let r = 0; r < rounds; r++) least = Math.min(least, timeRun(method, [page], errors));
  return least;
}

/** `page` with its <body> content repeated `times` times (the same markup, `times` × longer). */
function repeatBody(page: Page, times: number): Page {
  const html = page.html;
  const open = html.search(/<body[^>]*>/i);
  const close = html.toLowerCase().lastIndexOf('</body>');
  if (open < 0 || close < 0) throw new Error(`${page.key} has no <body>…</body> to repeat`);
  const start = html.indexOf('>', open) + 1;
  const inner = html.slice(start, close);
  const grown = html.slice(0, start) + inner.repeat(times) + html.slice(close);
  return { key: `${page.key} ×${times}`, url: page.url, bytes: Buffer.from(grown, 'utf8'), html: grown };
}

const kib = (pages: Page[]): number => pages.reduce((n, p) => n + p.bytes.length, 0) / 1024;

/** CPU time of the largest pages one by one, and of one large page repeated up to MAX_HTML_CHARS. */
function linearity(all: Page[], largestCount: number) {
  // Linearity: CPU µs per KiB on the largest pages, beside the same figure over the sample.
  const largest = [...all].sort((a, b) => b.bytes.length - a.bytes.length).slice(0, largestCount);
  const linear = largest.map((page) => {
    const f = timePage(floor, page, 5);
    const c = timePage(ccaudit, page, 5);
    return { page: page.key, kib: kib([page]), floorMs: f, ccauditMs: c, ccauditUsPerKib: perKib(c, [page]), floorUsPerKib: perKib(f, [page]) };
  });
  // Growth: the same page made k times longer; linear time keeps µs/KiB flat.
  const base = largest.find((p) => /<body[^>]*>/i.test(p.html) && p.html.toLowerCase().includes('</body>'))!;
  const growth: Array<{ times: number; kib: number; ccauditMs: number; ccauditUsPerKib: number; floorUsPerKib: number }> = [];
  for (let k = 1; base.html.length * k <= MAX_HTML_CHARS; k *= 2) {
    const page = repeatBody(base, k);
    const c = timePage(ccaudit, page, 5);
    const f = timePage(floor, page, 5);
    growth.push({ times: k, kib: kib([page]), ccauditMs: c, ccauditUsPerKib: perKib(c, [page]), floorUsPerKib: perKib(f, [page]) });
  }
  return { linear, base, growth };
}

const perKib = (ms: number, pages: Page[]): number => (ms * 1000) / kib(pages);

async function main(): Promise<void> {
  const sampleSize = intArg('pages', 180);
  const rounds = intArg('rounds', 5);
  const largestCount = intArg('largest', 10);
  const jsdomRounds = intArg('jsdom-rounds', 2);
  const json = process.argv.includes('--json');
  const peersArg = arg('peers', 'linkedom,jsdom');
  const peers = peersArg === 'none' ? [] : peersArg.split(',');
  for (const p of peers) if (p !== 'linkedom' && p !== 'jsdom') throw new Error(`--peers: unknown peer ${p} (linkedom, jsdom or none)`);
  if (!gc) console.error('extract-peers: run node with --expose-gc for steadier figures (npm run bench:extract does)');

  const all = loadAllPages();
  const sample = all.slice(0, sampleSize);
  const methods = [floor, ccaudit, ...(await peerMethods(peers))];
  const jsdom = methods.find((m) => m.name.startsWith('jsdom'));
  const log = (s: string): void => {
    if (!json) console.log(s);
  };
  log(`${sample.length} real pages (of ${all.length}) from corpora/extraction, ${(kib(sample) / sample.length).toFixed(0)} KiB of HTML on average`);
  log(`${rounds} interleaved rounds, the first one warm-up; CPU time, median of the warm rounds`);
  if (peers.includes('jsdom')) log(`jsdom runs after them (${jsdomRounds} rounds, the first one warm-up): it keeps memory alive across windows`);

  const times = new Map<string, number[]>(methods.map((m) => [m.name, []]));
  const errors = new Map<string, number>();
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < methods.length; k++) {
      const method = methods[(r + k) % methods.length];
      if (method === jsdom) continue;
      const ms = timeRun(method, sample, errors);
      if (r > 0) times.get(method.name)!.push(ms);
    }
    if (!json) process.stderr.write(`round ${r + 1}/${rounds} done\n`);
  }
  // Linearity and growth are timed before jsdom runs: the heap it leaves behind slows every
  // later garbage collection, ccaudit's (which allocates more than the bare parse) the most.
  const { linear, base, growth } = linearity(all, largestCount);
  for (let r = 0; jsdom !== undefined && r < jsdomRounds; r++) {
    const ms = timeRun(jsdom, sample, errors);
    if (r > 0 || jsdomRounds === 1) times.get(jsdom.name)!.push(ms);
  }
  const floorMs = median(times.get(floor.name)!);
  const ccauditMs = median(times.get(ccaudit.name)!);
  const rows = methods.map((m) => {
    const ms = median(times.get(m.name)!);
    return {
      method: m.name,
      cpuMs: ms,
      pagesPerCpuSecond: (sample.length / ms) * 1000,
      vsFloor: floorMs / ms,
      vsCcaudit: ccauditMs / ms,
      errors: errors.get(m.name) ?? 0,
    };
  });
  log('');
  log(`${'method'.padEnd(36)} ${'pages/CPU-s'.padStart(12)} ${'÷ floor'.padStart(8)} ${'÷ ccaudit'.padStart(10)}  errors`);
  for (const row of rows)
    log(
      `${row.method.padEnd(36)} ${row.pagesPerCpuSecond.toFixed(1).padStart(12)} ${row.vsFloor.toFixed(3).padStart(8)} ${row.vsCcaudit.toFixed(3).padStart(10)}  ${row.errors}`,
    );
  const ratio = floorMs / ccauditMs;
  log(`\nccaudit/floor = ${ratio.toFixed(3)} (ccaudit's pages per CPU-second ÷ the bare parse's)`);

  log(
    `\nlargest pages, one at a time (least of 5 runs); sample: ccaudit ${perKib(ccauditMs, sample).toFixed(1)} µs/KiB, floor ${perKib(floorMs, sample).toFixed(1)} µs/KiB`,
  );
  log(
    `${'page'.padEnd(46)} ${'KiB'.padStart(6)} ${'floor ms'.padStart(9)} ${'ccaudit ms'.padStart(11)} ${'µs/KiB'.padStart(7)} ${'÷ floor'.padStart(8)}`,
  );
  for (const l of linear)
    log(
      `${l.page.padEnd(46)} ${l.kib.toFixed(0).padStart(6)} ${l.floorMs.toFixed(2).padStart(9)} ${l.ccauditMs.toFixed(2).padStart(11)} ${l.ccauditUsPerKib.toFixed(1).padStart(7)} ${(l.floorMs / l.ccauditMs).toFixed(3).padStart(8)}`,
    );

  log(`\n${base.key}, <body> repeated k times`);
  log(`${'k'.padStart(3)} ${'KiB'.padStart(6)} ${'ccaudit ms'.padStart(11)} ${'µs/KiB'.padStart(7)} ${'floor µs/KiB'.padStart(13)}`);
  for (const g of growth)
    log(
      `${String(g.times).padStart(3)} ${g.kib.toFixed(0).padStart(6)} ${g.ccauditMs.toFixed(2).padStart(11)} ${g.ccauditUsPerKib.toFixed(1).padStart(7)} ${g.floorUsPerKib.toFixed(1).padStart(13)}`,
    );

  if (json)
    console.log(
      JSON.stringify({ pages: sample.length, meanKib: kib(sample) / sample.length, rounds, ratio, methods: rows, largest: linear, growth }, null, 2),
    );
}

main().catch((err: unknown) => {
  console.error(`extract-peers: ${(err as Error).message}`);
  process.exit(1);
});

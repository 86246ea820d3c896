/**
 * A loopback stand-in for Common Crawl's two servers, speaking their formats exactly
 * (see /work/shared/corpora/warc/FORMATS.md):
 *
 *   GET /collinfo.json                                   crawl list, cdx-api URLs on this server
 *   GET /<crawl>-index?url=…&output=json[&matchType&filter&fl&from&to&limit&page&pageSize&showNumPages]
 *   GET /cc-index/collections/<crawl>/indexes/cluster.idx | cdx-NNNNN.gz      (byte ranges)
 *   GET /crawl-data/<crawl>/segments/fixture/warc/<file>                      (byte ranges)
 *
 * THE FIXTURE: real WARC records from /work/shared/corpora/warc (Common Crawl captures and
 * other real web archives), RE-GROUPED into pseudo-crawls named CC-MAIN-<year>-<ISO week> by
 * the year of their WARC-Date. The files are served byte for byte; the indexes are built at
 * test time with ccaudit's own `index` code. The crawls are not real Common Crawl crawls.
 *
 * Faults are injected on demand (`setFaults`): 503/429/500/504 bursts (with Retry-After), 403,
 * 404, connection resets mid-body, short bodies, slow replies, wrong Content-Range, wrong body.
 * Every request is logged with its arrival time, fault and whether the full body was delivered.
 *
 * `startCcServer` runs the server in a child process (this file, forked with tsx), so that its
 * clock and event loop are not the client's: the client's synchronous work (HTML extraction)
 * cannot distort the arrival times the tests look at. `serveFixture` is the server itself.
 */
import { fork } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { writeFile } from 'node:fs/promises';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { formatCdxApiLine, parseCdxjLine, surt } from '../../src/sources/commoncrawl/cdxj.js';
import { formatEntry, indexWarcFile, sortLines, writeZipnum, type IndexEntry } from '../../src/sources/commoncrawl/index-writer.js';
import { parseClusterIdxLine, blockMayHold } from '../../src/sources/commoncrawl/zipnum.js';

export const CORPUS = '/work/shared/corpora/warc';

/**
 * Real WARC files from the shared corpus used for the fixture: every Common Crawl file and
 * the per-record-gzip or plain files of other archives. Whole-file-gzip and deliberately
 * corrupt files are left out (their records cannot be range-read).
 */
export const FIXTURE_WARCS = [
  'cc/whirlwind/whirlwind.warc.gz',
  'cc/resiliparse/warcfile.warc.gz',
  'cc/jwarc/cc.warc.gz',
  'cc/cdx_toolkit-range-fetch/CC-MAIN-20250802220907-20250803010907-00970_34323482_1219.warc.gz',
  'cc/cdx_toolkit-range-fetch/CC-MAIN-20250804083340-20250804113340-00340_667474763_7063.warc.gz',
  'cc/cdx_toolkit-range-fetch/CC-MAIN-20250804145214-20250804175214-00905_71720_570.warc.gz',
  'edge-cases/pywb/iana.warc.gz',
  'edge-cases/pywb/dupes.warc.gz',
  'edge-cases/pywb/example-wpull.warc.gz',
  'edge-cases/ipwb/sample-1.warc.gz',
  'edge-cases/ipwb/IAH-20080430204825-00000-blackbook.warc.gz',
  'edge-cases/warcio/example.warc.gz',
  'recent/py-wacz/example-iana.warc',
  'recent/js-wacz/lil-projects.warc.gz',
  'recent/replayweb.page/data.warc.gz',
  'recent/wacz2car/data.warc',
  'recent/example-webarchive/rec-20220831121512799474-203de340fdad.warc.gz',
  'recent/warc2zim/solidaritenum.warc.gz',
  'recent/warc2zim/kiwix-with-redirects.warc.gz',
  'recent/warc2zim/qsl.net-encoding-alias.warc.gz',
  'recent/warc2zim/main-entry-403.warc.gz',
  'recent/warcbench/fb.warc.gz',
  'recent/archive-query-log/bing-connecticut-covid-deaths-1628019384.warc.gz',
  'recent/archive-query-log/qwant-administrateur-general-du-cnam-1619206522.warc.gz',
  'recent/archive-query-log/tribunnews-peringatan-dini-bmkg-kamis-18-februari-2021-1632679908.warc.gz',
];

export interface FixtureCrawl {
  id: string;
  from: string;
  to: string;
  /** Sorted CDXJ lines of the crawl (what the zipnum blocks hold). */
  lines: string[];
  /** cluster.idx lines. */
  clusterIdx: string[];
  /** Lines per block actually written, in block order (for uniformity tests). */
  blockLineCounts: number[];
}

export interface CcFixture {
  dir: string;
  linesPerBlock: number;
  shards: number;
  crawls: FixtureCrawl[];
  /** Served path ("crawl-data/…") → real file. */
  files: Map<string, string>;
}

function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = new Date(Date.UTC(t.getUTCFullYear(), 0, 1));
  return Math.ceil(((t.getTime() - yearStart.getTime()) / 86400000 + 1) / 7);
}

const tsToIso = (ts: string) => `${ts.slice(0, 4)}-${ts.slice(4, 6)}-${ts.slice(6, 8)}T${ts.slice(8, 10)}:${ts.slice(10, 12)}:${ts.slice(12, 14)}`;

/**
 * Builds the fixture into `dir`: indexes each real WARC with ccaudit's index writer, assigns
 * each file to the pseudo-crawl of its first record's year, and writes each crawl's zipnum
 * index (`shards` shards of `linesPerBlock`-line blocks, so each shard ends in a short block).
 */
export async function buildCcFixture(dir: string, opts: { linesPerBlock?: number; shards?: number } = {}): Promise<CcFixture> {
  const linesPerBlock = opts.linesPerBlock ?? 8;
  const shards = opts.shards ?? 3;
  const byYear = new Map<string, Array<{ served: string; real: string; entries: IndexEntry[] }>>();
  for (const rel of FIXTURE_WARCS) {
    const real = path.join(CORPUS, rel);
    const servedName = rel.split('/').slice(-2).join('-');
    const entries: IndexEntry[] = [];
    for await (const e of indexWarcFile(real, '@')) entries.push(e);
    if (entries.length === 0) continue;
    const year = entries
      .map((e) => e.timestamp)
      .sort()[0]
      .slice(0, 4);
    if (!byYear.has(year)) byYear.set(year, []);
    byYear.get(year)!.push({ served: servedName, real, entries });
  }
  const files = new Map<string, string>();
  const crawls: FixtureCrawl[] = [];
  for (const [, group] of [...byYear].sort()) {
    const stamps = group.flatMap((g) => g.entries.map((e) => e.timestamp)).sort();
    const first = stamps[0];
    const start = new Date(tsToIso(first) + 'Z');
    const id = `CC-MAIN-${first.slice(0, 4)}-${String(isoWeek(start)).padStart(2, '0')}`;
    const lines: string[] = [];
    for (const g of group) {
      const served = `crawl-data/${id}/segments/fixture/warc/${g.served}`;
      files.set(served, g.real);
      for (const e of g.entries) lines.push(formatEntry({ ...e, fields: { ...e.fields, filename: served } }));
    }
    const sorted = await sortLines(lines);
    const sortedLines: string[] = [];
    for await (const l of sorted.lines()) sortedLines.push(l);
    const zipDir = path.join(dir, 'cc-index', 'collections', id, 'indexes');
    await mkdir(zipDir, { recursive: true });
    await writeZipnum(
      (async function* () {
        yield* sortedLines;
      })(),
      sortedLines.length,
      zipDir,
      { shards, linesPerBlock },
    );
    const clusterIdx = (await readFile(path.join(zipDir, 'cluster.idx'), 'utf8')).split('\n').filter(Boolean);
    // Count the lines really in each block (the short last block of each shard included).
    const blockLineCounts: number[] = [];
    for (const l of clusterIdx) {
      const b = parseClusterIdxLine(l);
      const fh = await open(path.join(zipDir, b.shard), 'r');
      const buf = Buffer.alloc(b.length);
      await fh.read(buf, 0, b.length, b.offset);
      await fh.close();
      blockLineCounts.push(gunzipSync(buf).toString('utf8').split('\n').filter(Boolean).length);
    }
    crawls.push({ id, from: tsToIso(first), to: tsToIso(stamps[stamps.length - 1]), lines: sortedLines, clusterIdx, blockLineCounts });
  }
  const fixture = { dir, linesPerBlock, shards, crawls, files };
  await writeFile(path.join(dir, 'fixture.json'), JSON.stringify({ ...fixture, files: [...files] }));
  return fixture;
}

/** Reads a fixture written by buildCcFixture. */
export async function loadCcFixture(dir: string): Promise<CcFixture> {
  const json = JSON.parse(await readFile(path.join(dir, 'fixture.json'), 'utf8'));
  return { ...json, files: new Map(json.files) };
}

export type FaultKind = '503' | '429' | '500' | '504' | '403' | '404' | 'reset' | 'short' | 'slow' | 'wrong-range' | 'wrong-body';

export type RequestTarget = 'collinfo' | 'cdx' | 'zipnum' | 'data' | 'other';

export interface FaultRule {
  kind: FaultKind;
  /** Which requests it applies to. Default 'data'. */
  target?: RequestTarget | 'any';
  /** Only requests for this path ("crawl-data/…"). */
  path?: string;
  /** Only requests with this Range header ("bytes=10-19"). */
  range?: string;
  /** Apply to the next N matching requests; default: all. */
  times?: number;
  /** Apply to every k-th matching request only (2: every other one, i.e. 50 %); default 1. */
  every?: number;
  /** Retry-After header value for 503/429/403. */
  retryAfter?: string;
  /** 'slow': delay before the headers (ms). */
  delayMs?: number;
}

export interface RequestInfo {
  target: RequestTarget;
  path: string;
  query: string;
  range: string | null;
}

export interface RequestLog extends RequestInfo {
  /** performance.now() at arrival (ms). */
  t: number;
  status: number;
  fault: FaultKind | null;
  /** Body bytes written. */
  bytes: number;
  /** The full reply body was handed to the socket. */
  complete: boolean;
}

/** The server as run in this process. */
export interface FixtureServer {
  url: string;
  fixture: CcFixture;
  log: RequestLog[];
  setFaults(rules: FaultRule[]): void;
  /** Delay every data reply by this many ms (makes a run slow enough to interrupt). */
  setDataDelay(ms: number): void;
  close(): Promise<void>;
}

/** The server running in a child process. */
export interface CcServer {
  url: string;
  fixture: CcFixture;
  setFaults(rules: FaultRule[]): Promise<void>;
  setDataDelay(ms: number): Promise<void>;
  /** Requests so far, in arrival order (times: the server's performance.now(), ms). */
  getLog(): Promise<RequestLog[]>;
  clearLog(): Promise<void>;
  close(): Promise<void>;
}

export interface CcServerOptions {
  /** Blocks per CDX API page (CC uses 5). Default 2. */
  pageSize?: number;
}

/** Starts the server on 127.0.0.1 with an ephemeral port, in this process. */
export async function serveFixture(fixture: CcFixture, opts: CcServerOptions = {}): Promise<FixtureServer> {
  const pageSize = opts.pageSize ?? 2;
  let faults: Array<FaultRule & { left: number; seen: number }> = [];
  let dataDelay = 0;
  const log: RequestLog[] = [];
  const crawlById = new Map(fixture.crawls.map((c) => [c.id, c]));
  let base = '';

  const pickFault = (info: RequestInfo): FaultRule | null => {
    for (const f of faults) {
      if (f.left <= 0) continue;
      const target = f.target ?? 'data';
      if (target !== 'any' && target !== info.target) continue;
      if (f.path !== undefined && f.path !== info.path) continue;
      if (f.range !== undefined && f.range !== info.range) continue;
      if (f.every && f.every > 1 && f.seen++ % f.every !== 0) continue;
      f.left--;
      return f;
    }
    return null;
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end(String(err));
      } else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://x');
    const p = decodeURIComponent(u.pathname).replace(/^\/+/, '');
    const target: RequestTarget =
      p === 'collinfo.json'
        ? 'collinfo'
        : /-index$/.test(p)
          ? 'cdx'
          : p.startsWith('cc-index/')
            ? 'zipnum'
            : p.startsWith('crawl-data/')
              ? 'data'
              : 'other';
    const info: RequestInfo = { target, path: p, query: u.search, range: (req.headers.range as string) ?? null };
    const entry: RequestLog = { ...info, t: performance.now(), status: 0, fault: null, bytes: 0, complete: false };
    log.push(entry);
    const send = (status: number, body: string | Buffer, headers: Record<string, string | number> = {}) => {
      entry.status = status;
      res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
      res.end(body, () => {
        entry.bytes = Buffer.byteLength(body);
        entry.complete = true;
      });
    };

    const fault = pickFault(info);
    entry.fault = fault?.kind ?? null;
    if (fault) {
      const ra: Record<string, string> = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
      switch (fault.kind) {
        case '503':
          return send(503, '<html><body><h1>503 Slow Down</h1></body></html>', { 'content-type': 'text/html', ...ra });
        case '504':
          return send(504, '<html><body><h1>504 Gateway Time-out</h1></body></html>', { 'content-type': 'text/html' });
        case '500':
          return send(500, 'Internal Server Error', { 'content-type': 'text/plain' });
        case '429':
          return send(429, 'Too Many Requests', { 'content-type': 'text/plain', ...ra });
        case '403':
          return send(403, '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>', {
            'content-type': 'application/xml',
            ...ra,
          });
        case '404':
          return send(404, '<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>', {
            'content-type': 'application/xml',
          });
        case 'slow':
          await new Promise((r) => setTimeout(r, fault.delayMs ?? 1000));
          if (res.destroyed || req.socket.destroyed) {
            entry.status = -1;
            return;
          }
          break; // then serve normally
        default:
          break; // body faults are applied while serving the range
      }
    }
    if (target === 'data' && dataDelay > 0) await new Promise((r) => setTimeout(r, dataDelay));

    if (target === 'collinfo') {
      const list = [...fixture.crawls].reverse().map((c) => ({
        id: c.id,
        name: `${c.id} Index (fixture: real records re-grouped by year)`,
        timegate: `${base}/${c.id}/`,
        'cdx-api': `${base}/${c.id}-index`,
        from: c.from,
        to: c.to,
      }));
      return send(200, JSON.stringify(list, null, 2), { 'content-type': 'application/json' });
    }
    if (target === 'cdx') return cdxApi(p.replace(/-index$/, ''), u.searchParams, send);
    if (target === 'zipnum' || target === 'data') {
      const file = target === 'data' ? fixture.files.get(p) : path.join(fixture.dir, ...p.split('/'));
      const size = file ? (await stat(file).catch(() => null))?.size : undefined;
      if (!file || size === undefined) {
        return send(404, '<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>', {
          'content-type': 'application/xml',
        });
      }
      return serveFile(file, size, req, res, entry, fault);
    }
    return send(404, 'not found', { 'content-type': 'text/plain' });
  }

  async function serveFile(
    file: string,
    size: number,
    req: IncomingMessage,
    res: ServerResponse,
    entry: RequestLog,
    fault: FaultRule | null,
  ): Promise<void> {
    const range = req.headers.range;
    let start = 0;
    let end = size - 1;
    let status = 200;
    if (range) {
      const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
      if (!m || (m[1] === '' && m[2] === '')) {
        entry.status = 416;
        res.writeHead(416, { 'content-range': `bytes */${size}` });
        res.end();
        return;
      }
      if (m[1] === '') {
        start = Math.max(0, size - Number(m[2]));
      } else {
        start = Number(m[1]);
        end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
      }
      if (start >= size || start > end) {
        entry.status = 416;
        res.writeHead(416, { 'content-range': `bytes */${size}` });
        res.end();
        return;
      }
      status = 206;
    }
    let from = start;
    let to = end;
    let claimedStart = start;
    let claimedEnd = end;
    if (fault?.kind === 'wrong-range') {
      // Serves (and says) a range one byte later than asked.
      from = Math.min(start + 1, size - 1);
      to = Math.min(end + 1, size - 1);
      claimedStart = from;
      claimedEnd = to;
    }
    if (fault?.kind === 'wrong-body') {
      // Bytes from elsewhere in the file under the requested Content-Range.
      const len = end - start + 1;
      from = start >= len ? start - len : Math.min(size - len, start + len);
      from = Math.max(0, from);
      to = from + len - 1;
    }
    const fh = await open(file, 'r');
    let body: Buffer;
    try {
      body = Buffer.alloc(to - from + 1);
      await fh.read(body, 0, body.length, from);
    } finally {
      await fh.close();
    }
    const headers: Record<string, string | number> = {
      'content-type': 'application/octet-stream',
      'accept-ranges': 'bytes',
      'content-length': body.length,
    };
    if (status === 206) headers['content-range'] = `bytes ${claimedStart}-${claimedEnd}/${size}`;
    entry.status = status;
    if (fault?.kind === 'short') {
      // Consistent headers for fewer bytes than asked: the Content-Length is short.
      const half = body.subarray(0, Math.max(1, Math.floor(body.length / 2)));
      headers['content-length'] = half.length;
      res.writeHead(status, headers);
      res.end(half, () => {
        entry.bytes = half.length;
      });
      return;
    }
    if (fault?.kind === 'reset') {
      // Promise the whole body, send half, then drop the connection.
      res.writeHead(status, headers);
      const half = body.subarray(0, Math.floor(body.length / 2));
      res.write(half, () => {
        entry.bytes = half.length;
        setTimeout(() => req.socket.destroy(), 5);
      });
      return;
    }
    res.writeHead(status, headers);
    res.end(body, () => {
      entry.bytes = body.length;
      entry.complete = true;
    });
  }

  /** pywb-style CDX server over the crawl's sorted lines, paged by zipnum blocks. */
  function cdxApi(
    crawlId: string,
    q: URLSearchParams,
    send: (status: number, body: string, headers?: Record<string, string | number>) => void,
  ): void {
    const crawl = crawlById.get(crawlId);
    if (!crawl) {
      send(404, JSON.stringify({ message: `No such collection: ${crawlId}` }), { 'content-type': 'application/json' });
      return;
    }
    const url = q.get('url');
    if (!url) {
      send(400, JSON.stringify({ message: 'The "url" param is required' }), { 'content-type': 'application/json' });
      return;
    }
    let matchType = q.get('matchType') ?? 'exact';
    let pattern = url;
    if (pattern.startsWith('*.')) {
      matchType = 'domain';
      pattern = pattern.slice(2);
    } else if (pattern.endsWith('*')) {
      matchType = 'prefix';
      pattern = pattern.slice(0, -1);
    }
    const key = surt(pattern);
    const hostKey = key.slice(0, key.indexOf(')'));
    const keyMatches = (k: string): boolean => {
      switch (matchType) {
        case 'prefix':
          return k.startsWith(key.replace(/\/$/, ''));
        case 'host':
          return k.startsWith(hostKey + ')');
        case 'domain':
          return k.startsWith(hostKey + ')') || k.startsWith(hostKey + ',');
        default:
          return k === key;
      }
    };
    const prefixes =
      matchType === 'exact'
        ? [key + ' ']
        : matchType === 'prefix'
          ? [key.replace(/\/$/, '')]
          : matchType === 'host'
            ? [hostKey + ')']
            : [hostKey + ')', hostKey + ','];

    // Blocks (in order) that may hold matching keys: the unit of paging, as in pywb's zipnum.
    const idx = crawl.clusterIdx.map(parseClusterIdxLine);
    const blockIds: number[] = [];
    for (let i = 0; i < idx.length; i++) {
      if (blockMayHold(idx[i].key, i + 1 < idx.length ? idx[i + 1].key : null, prefixes)) blockIds.push(i);
    }
    const ps = Number(q.get('pageSize') ?? pageSize) || pageSize;
    const pages = Math.ceil(blockIds.length / ps);
    if (q.get('showNumPages') === 'true') {
      send(200, JSON.stringify({ pages, pageSize: ps, blocks: blockIds.length }).replace(/,/g, ', ').replace(/:/g, ': '), {
        'content-type': 'text/x-ndjson',
      });
      return;
    }
    // Line ranges of blocks, from the known layout.
    const blockStart: number[] = [];
    let acc = 0;
    for (const n of crawl.blockLineCounts) {
      blockStart.push(acc);
      acc += n;
    }
    let candidates: string[];
    const pageParam = q.get('page');
    if (pageParam !== null) {
      const page = Number(pageParam);
      if (!Number.isInteger(page) || page < 0 || page >= pages) {
        send(400, JSON.stringify({ message: `Page ${pageParam} invalid: First Page is 0, Last Page is ${Math.max(0, pages - 1)}` }), {
          'content-type': 'application/json',
        });
        return;
      }
      candidates = blockIds
        .slice(page * ps, (page + 1) * ps)
        .flatMap((b) => crawl.lines.slice(blockStart[b], blockStart[b] + crawl.blockLineCounts[b]));
    } else candidates = crawl.lines;

    const filters = q.getAll('filter').map(parseFilter);
    const from = q.get('from');
    const to = q.get('to');
    const fl =
      q
        .get('fl')
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean) ?? null;
    const limit = q.get('limit') !== null ? Number(q.get('limit')) : Infinity;
    const out: string[] = [];
    for (const line of candidates) {
      if (out.length >= limit) break;
      const r = parseCdxjLine(line);
      if (!keyMatches(r.urlkey)) continue;
      if (from && r.timestamp < from.padEnd(14, '0')) continue;
      if (to && r.timestamp > to.padEnd(14, '9')) continue;
      const all: Record<string, string> = { urlkey: r.urlkey, timestamp: r.timestamp, ...r.fields };
      if (!filters.every((f) => f(all))) continue;
      if (fl) {
        const picked: Record<string, string> = {};
        for (const k of fl) if (k in all) picked[k] = all[k];
        out.push(JSON.stringify(picked).replace(/","/g, '", "').replace(/":"/g, '": "'));
      } else {
        const { urlkey, timestamp, ...fields } = all;
        out.push(formatCdxApiLine(urlkey, timestamp, fields));
      }
    }
    if (out.length === 0) {
      send(404, JSON.stringify({ message: `No Captures found for: ${url}` }).replace(/":"/g, '": "'), {
        'content-type': 'application/json',
      });
      return;
    }
    send(200, out.join('\n') + '\n', { 'content-type': 'text/x-ndjson' });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    fixture,
    log,
    setFaults(rules) {
      faults = rules.map((r) => ({ ...r, left: r.times ?? Infinity, seen: 0 }));
    },
    setDataDelay(ms) {
      dataDelay = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const THIS_FILE = fileURLToPath(import.meta.url);

/**
 * Starts the server in a child process (this file under tsx) for a fixture built by
 * buildCcFixture, and returns a handle that talks to it over IPC.
 */
export async function startCcServer(fixture: CcFixture, opts: CcServerOptions = {}): Promise<CcServer> {
  const child = fork(THIS_FILE, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, CCAUDIT_CC_SERVER_CHILD: '1', CCAUDIT_CC_FIXTURE: fixture.dir, CCAUDIT_CC_SERVER_OPTS: JSON.stringify(opts) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`cc-server child exited with code ${code} before it was ready`)));
    child.on('message', (m: { type: string; url?: string; id?: number; result?: unknown; error?: string }) => {
      if (m.type === 'ready') resolve(m.url!);
      else if (m.type === 'reply' && m.id !== undefined) {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.error) p?.reject(new Error(m.error));
        else p?.resolve(m.result);
      }
    });
  });
  child.removeAllListeners('exit');
  const rpc = <T>(op: string, arg?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, op, arg });
    });
  return {
    url,
    fixture,
    setFaults: (rules) => rpc('setFaults', rules),
    setDataDelay: (ms) => rpc('setDataDelay', ms),
    getLog: () => rpc<RequestLog[]>('getLog'),
    clearLog: () => rpc('clearLog'),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.disconnect();
      await exited;
    },
  };
}

/** Child-process side of startCcServer. */
async function childMain(): Promise<void> {
  const fixture = await loadCcFixture(process.env.CCAUDIT_CC_FIXTURE!);
  const server = await serveFixture(fixture, JSON.parse(process.env.CCAUDIT_CC_SERVER_OPTS ?? '{}'));
  process.on('message', (m: { id: number; op: string; arg: unknown }) => {
    let result: unknown = null;
    try {
      if (m.op === 'setFaults') server.setFaults(m.arg as FaultRule[]);
      else if (m.op === 'setDataDelay') server.setDataDelay(m.arg as number);
      else if (m.op === 'getLog') result = server.log;
      else if (m.op === 'clearLog') server.log.length = 0;
      else throw new Error(`unknown op ${m.op}`);
      process.send!({ type: 'reply', id: m.id, result });
    } catch (err) {
      process.send!({ type: 'reply', id: m.id, error: (err as Error).message });
    }
  });
  process.on('disconnect', () => {
    void server.close().then(() => process.exit(0));
  });
  process.send!({ type: 'ready', url: server.url });
}

if (process.env.CCAUDIT_CC_SERVER_CHILD === '1' && process.send) {
  childMain().catch((err) => {
    process.stderr.write(`cc-server child: ${(err as Error).stack}\n`);
    process.exit(1);
  });
}

/** pywb filter: [!][=|~]field:expr — exact, contains, or regex matched at the start. */
function parseFilter(spec: string): (fields: Record<string, string>) => boolean {
  let s = spec;
  const invert = s.startsWith('!');
  if (invert) s = s.slice(1);
  let mode: 'regex' | 'exact' | 'contains' = 'regex';
  if (s.startsWith('=')) {
    mode = 'exact';
    s = s.slice(1);
  } else if (s.startsWith('~')) {
    mode = 'contains';
    s = s.slice(1);
  }
  const colon = s.indexOf(':');
  const field = colon < 0 ? null : s.slice(0, colon);
  const expr = colon < 0 ? s : s.slice(colon + 1);
  const re = mode === 'regex' ? new RegExp('^(?:' + expr + ')') : null;
  return (fields) => {
    const value = field === null ? Object.values(fields).join(' ') : (fields[field] ?? '');
    const hit = mode === 'exact' ? value === expr : mode === 'contains' ? value.includes(expr) : re!.test(value);
    return hit !== invert;
  };
}

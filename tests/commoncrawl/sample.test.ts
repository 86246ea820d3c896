/**
 * `ccaudit sample` against a loopback Common Crawl (tests/support/cc-server.ts): real WARC
 * records from /work/shared/corpora/warc, re-grouped into pseudo-crawls by year for the
 * fixture, served with CC's exact layout and protocol, with faults injected on demand.
 * Nothing here touches an address outside 127.0.0.1.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseCdxjLine } from '../../src/sources/commoncrawl/cdxj.js';
import { CdxApiClient } from '../../src/sources/commoncrawl/cdx-api.js';
import { parseCollinfo } from '../../src/sources/commoncrawl/collinfo.js';
import { HttpClient, RecordFetcher } from '../../src/sources/commoncrawl/fetcher.js';
import { runSample, type SampleRunOptions } from '../../src/pipeline/sample.js';
import { drawFromCdxApi, normalizeFilter } from '../../src/sources/commoncrawl/sampler.js';
import { Rng } from '../../src/core/rng.js';
import { BlockReader, openClusterIndex, sampleZipnum } from '../../src/sources/commoncrawl/zipnum.js';
import { register as registerSample } from '../../src/cli/sample.js';
import { register as registerIndex } from '../../src/cli/index-cmd.js';
import { buildCcFixture, CORPUS, startCcServer, type CcServer, type RequestLog } from '../support/cc-server.js';
import { chiSquare, chiSquareCritical, cleanDeliveries, rangeOf, readBytes, readRecords, readSample } from './helpers.js';

let dir: string;
let srv: CcServer;
let dbCount = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccaudit-sample-'));
  const fixture = await buildCcFixture(path.join(dir, 'fixture'), { linesPerBlock: 8, shards: 3 });
  srv = await startCcServer(fixture, { pageSize: 2 });
});

afterAll(async () => {
  await srv?.close();
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await await srv.setFaults([]);
  await srv.setDataDelay(0);
});

const crawlIds = () => srv.fixture.crawls.map((c) => c.id);
/** The pseudo-crawl with most index lines (2008: the IAH Heritrix crawl) and one with many HTML pages. */
const big = () => [...srv.fixture.crawls].sort((a, b) => b.lines.length - a.lines.length)[0];

function opts(over: Partial<SampleRunOptions> = {}): SampleRunOptions {
  return {
    indexUrl: srv.url,
    dataUrl: srv.url,
    crawls: { ids: ['CC-MAIN-2008-18', 'CC-MAIN-2013-15'] },
    perCrawl: 8,
    seed: 'alpha',
    linesPerBlock: 8,
    cacheDir: path.join(dir, 'cache'),
    db: path.join(dir, `db-${++dbCount}.sqlite`),
    concurrency: 4,
    // Long enough that a slow extraction on a busy machine never looks like a server timeout.
    timeoutMs: 15_000,
    retry: { baseDelayMs: 10, maxDelayMs: 100 },
    slowDown: { pauseMs: 50, slowIntervalMs: 5, recoverAfter: 5 },
    ...over,
  };
}

/** Sampled rows must each be fetched, stored once, and delivered cleanly exactly once by the server. */
function expectEachFetchedOnce(dbPath: string, log: RequestLog[]): void {
  const rows = readSample(dbPath);
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.filter((r) => r.state !== 'fetched')).toEqual([]);
  const records = readRecords(dbPath);
  expect(records.filter((r) => r.n !== 1)).toEqual([]);
  expect(records).toHaveLength(rows.length);
  const stored = new Set(records.map((r) => `${r.path}|${r.offset}|${r.length}`));
  for (const r of rows) {
    expect(stored.has(`${srv.url}/${r.filename}|${r.offset}|${r.length}`)).toBe(true);
    expect(cleanDeliveries(log, r.filename, r), `${r.filename} ${rangeOf(r)}`).toBe(1);
  }
}

/**
 * Arrival times held to one request per `intervalMs`: any j−i+1 consecutive arrivals span at
 * least (j−i−1)·interval. One interval of slack, because a request whose turn came may leave a
 * little late (a new connection, a busy event loop) and arrive close to the next one.
 */
function expectRateAtMost(times: number[], intervalMs: number): void {
  for (let i = 0; i < times.length; i++) {
    for (let j = i + 2; j < times.length; j++) {
      expect(times[j] - times[i], `arrivals ${i}..${j}`).toBeGreaterThanOrEqual((j - i - 1) * intervalMs - 1);
    }
  }
}

describe('loopback Common Crawl', () => {
  it('serves collinfo.json pointing at itself and byte ranges with Content-Range', async () => {
    const http = new HttpClient();
    try {
      const list = parseCollinfo(JSON.parse((await http.get(`${srv.url}/collinfo.json`)).body.toString()));
      expect(list.map((c) => c.id).sort()).toEqual(crawlIds().sort());
      expect(list.every((c) => c.cdxApi.startsWith('http://127.0.0.1:'))).toBe(true);
      const line = parseCdxjLine(big().lines[0]);
      const reply = await http.get(`${srv.url}/${line.filename}`, {
        headers: { range: rangeOf(line) },
        okStatuses: [206],
      });
      expect(reply.headers['content-range']).toMatch(new RegExp(`^bytes ${line.offset}-${line.offset + line.length - 1}/\\d+$`));
      const real = srv.fixture.files.get(line.filename)!;
      expect(reply.body.equals(await readBytes(real, line.offset, line.length))).toBe(true);
    } finally {
      await http.close();
    }
  });
});

describe('sampling', () => {
  it('is reproducible for a seed, independent of concurrency and of the other crawls, and differs across seeds', async () => {
    const ids = ['CC-MAIN-2008-18', 'CC-MAIN-2013-15', 'CC-MAIN-2014-04'];
    const a = opts({ crawls: { ids }, concurrency: 1 });
    const b = opts({ crawls: { ids }, concurrency: 8 });
    const c = opts({ crawls: { ids: ['CC-MAIN-2013-15'] } });
    const d = opts({ crawls: { ids }, seed: 'beta' });
    for (const o of [a, b, c, d]) await runSample(o);
    const key = (db: string, crawl?: string) =>
      readSample(db)
        .filter((r) => !crawl || r.crawl === crawl)
        .map((r) => `${r.crawl} ${r.draw_index} ${r.filename} ${r.offset}`);
    expect(key(a.db)).toHaveLength(24);
    expect(key(b.db)).toEqual(key(a.db));
    expect(key(c.db)).toEqual(key(a.db, 'CC-MAIN-2013-15'));
    expect(key(d.db)).not.toEqual(key(a.db));
    // Every drawn line passes the default filter: status 200, HTML, warc subset.
    const byUrl = new Map(srv.fixture.crawls.flatMap((cr) => cr.lines.map((l) => parseCdxjLine(l))).map((r) => [`${r.filename}|${r.offset}`, r]));
    const f = normalizeFilter();
    for (const r of readSample(a.db)) {
      const line = byUrl.get(`${r.filename}|${r.offset}`)!;
      expect(line.status).toBe(200);
      expect(f.mimes).toContain(line.mimeDetected);
    }
  });

  it('draws index lines uniformly: chi-square over zipnum blocks (and a naive block-uniform draw fails it)', async () => {
    const crawl = big();
    const counts = crawl.blockLineCounts;
    const total = counts.reduce((a, b) => a + b, 0);
    expect(new Set(counts).size).toBeGreaterThan(1); // short last blocks make the weighting matter
    const http = new HttpClient({ concurrency: 4 });
    try {
      const { index } = await openClusterIndex(http, srv.url, crawl.id, path.join(dir, 'cache'));
      expect(index.size).toBe(counts.length);
      const reader = new BlockReader(http, srv.url, crawl.id, index);
      const draws = 4000;
      const expected = counts.map((n) => (draws * n) / total);
      const critical = chiSquareCritical(counts.length - 1);
      for (const seed of ['s1', 's2', 's3', 's4', 's5']) {
        const { draws: got } = await sampleZipnum({
          index,
          readBlock: (i) => reader.lines(i),
          rng: Rng.fromText(seed),
          want: draws,
          linesPerBlock: 8,
          withReplacement: true,
          accept: (line) => parseCdxjLine(line),
        });
        const observed = new Array(counts.length).fill(0);
        for (const d of got) observed[d.block]++;
        expect(chiSquare(observed, expected), `seed ${seed}`).toBeLessThan(critical);
      }
      // Negative control: a block chosen uniformly, then a line in it, over-samples short blocks.
      const rng = Rng.fromText('s1');
      const naive = new Array(counts.length).fill(0);
      for (let k = 0; k < draws; k++) naive[rng.int(counts.length)]++;
      expect(chiSquare(naive, expected)).toBeGreaterThan(critical);
    } finally {
      await http.close();
    }
  });

  it('samples without replacement, and stops short with a clear count when few lines qualify', async () => {
    const o = opts({ crawls: { ids: ['CC-MAIN-2020-32'] }, perCrawl: 40, maxDraws: 3000 });
    const s = await runSample(o);
    const rows = readSample(o.db);
    expect(new Set(rows.map((r) => `${r.filename}|${r.offset}`)).size).toBe(rows.length);
    expect(rows).toHaveLength(16); // all 16 HTML responses of the 2020 CC extract
    expect(s.plans[0]).toMatchObject({ wanted: 40, drawn: 16, short: true });
  });
});

describe('fetching', () => {
  it('fetches records whose bytes equal the source files, parsed and checked against the index line', async () => {
    const fetcher = new RecordFetcher({ dataUrl: srv.url, concurrency: 4 });
    try {
      const lines = srv.fixture.crawls.flatMap((c) => c.lines.map(parseCdxjLine)).filter((r) => r.status === 200);
      expect(lines.length).toBeGreaterThan(200);
      await Promise.all(
        lines.map(async (line) => {
          const got = await fetcher.fetch(line);
          const real = await readBytes(srv.fixture.files.get(line.filename)!, line.offset, line.length);
          expect(got.bytes.equals(real)).toBe(true);
          expect(got.record.targetUri).toBe(line.url);
          expect(got.record.offset).toBe(line.offset);
          expect(got.record.source).toBe(`${srv.url}/${line.filename}`);
        }),
      );
    } finally {
      await fetcher.close();
    }
  });

  it("rejects a wrong body that holds the same capture's request or metadata record (same target URI)", async () => {
    // In the 2020 CC extract each response sits between its request and metadata records, so the
    // 'wrong-body' fault (bytes one range-length before or after) begins with a record of the same
    // URL. Only the record's span tells it apart; it must be retried, not stored as the capture.
    const fetcher = new RecordFetcher({ dataUrl: srv.url, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
    try {
      const lines = srv.fixture.crawls
        .find((c) => c.id === 'CC-MAIN-2020-32')!
        .lines.map(parseCdxjLine)
        .filter((r) => r.status === 200);
      for (const line of lines.slice(0, 3)) {
        await srv.setFaults([{ kind: 'wrong-body', path: line.filename, range: rangeOf(line), times: 1 }]);
        await srv.clearLog();
        const got = await fetcher.fetch(line);
        expect(got.attempts, line.url).toBe(2);
        expect(got.record.length).toBe(line.length);
        expect(got.record.warcType).toBe('response');
        expect(got.bytes.equals(await readBytes(srv.fixture.files.get(line.filename)!, line.offset, line.length))).toBe(true);
        expect((await srv.getLog()).map((e) => e.fault)).toEqual(['wrong-body', null]);
      }
    } finally {
      await fetcher.close();
    }
  });

  it('stores every sampled record exactly once through the extract → store path', async () => {
    const o = opts();
    await srv.clearLog();
    const s = await runSample(o);
    expect(s).toMatchObject({ fetched: 16, failed: 0, pending: 0, interrupted: false });
    expect(s.documents).toBeGreaterThan(0);
    expectEachFetchedOnce(o.db, await srv.getLog());
    // A second run finds nothing to fetch and draws nothing.
    await srv.clearLog();
    const s2 = await runSample({ ...o });
    expect(s2.fetched).toBe(0);
    expect(s2.plans.every((p) => p.reused)).toBe(true);
    expect((await srv.getLog()).filter((e) => e.target !== 'collinfo')).toEqual([]);
  });

  it('survives 503/429/500 bursts, resets, short bodies, slow replies, wrong ranges and wrong bodies', async () => {
    await srv.setFaults([
      { kind: '503', times: 3 },
      { kind: 'reset', times: 2 },
      { kind: 'short', times: 2 },
      { kind: 'slow', delayMs: 6000, times: 1 },
      { kind: 'wrong-range', times: 2 },
      { kind: 'wrong-body', times: 1 },
      { kind: '429', retryAfter: '0', times: 1 },
      { kind: '500', times: 1 },
      { kind: '503', target: 'zipnum', times: 2 },
      { kind: 'reset', target: 'zipnum', times: 1 },
    ]);
    // The 2020 CC extract: pages that extract quickly, so the 2.5 s timeout only hits the slow
    // reply. (With a tighter timeout a loaded CI machine can time out a healthy request, whose
    // abandoned connection then absorbs a fault the client never sees: one retry, two faults.)
    const o = opts({ crawls: { ids: ['CC-MAIN-2020-32'] }, perCrawl: 16, timeoutMs: 2500, seed: 'faults' });
    await srv.clearLog();
    const s = await runSample(o);
    expect(s).toMatchObject({ fetched: 16, failed: 0, pending: 0 });
    const faulted = (await srv.getLog()).filter((e) => e.fault !== null);
    expect(faulted.map((e) => e.fault).sort()).toEqual(
      [
        '503',
        '503',
        '503',
        'reset',
        'reset',
        'short',
        'short',
        'slow',
        'wrong-range',
        'wrong-range',
        'wrong-body',
        '429',
        '500',
        '503',
        '503',
        'reset',
      ].sort(),
    );
    // Every faulted range was re-requested until one clean delivery (expectEachFetchedOnce below).
    // The client's own retry counter is only checked loosely: in ~1 run of 8 it counts one retry
    // fewer than the server logged faults. Likely cause: a 'reset' that closes a reused
    // keep-alive socket before any reply is re-sent by undici itself (idempotent GET), so the
    // server sees the fault but our retry loop never does.
    expect(s.http.data.retries).toBeGreaterThanOrEqual(faulted.length - 1);
    expectEachFetchedOnce(o.db, await srv.getLog());
  });

  it('logs and skips a 404, and goes on with the rest', async () => {
    const o = opts({ seed: 'gone' });
    const plan = (await runSample({ ...o, dryRun: true })).plans; // learn the sample without fetching
    const victim = plan[0].toFetch[0];
    await srv.setFaults([{ kind: '404', path: victim.filename, range: rangeOf(victim) }]);
    const events: string[] = [];
    const s = await runSample({ ...o, onEvent: (e) => e.type === 'record' && !e.ok && events.push(`${e.code}`) });
    expect(s.failed).toBe(1);
    expect(s.fetched).toBe(15);
    expect(events).toEqual(['http-404']);
    const failed = readSample(o.db).filter((r) => r.state === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ filename: victim.filename, offset: victim.offset, attempts: 1 });
    expect(failed[0].last_error).toMatch(/^http-404: HTTP 404/);
    // --retry-failed tries it again once the file is back.
    await srv.setFaults([]);
    const s2 = await runSample({ ...o, retryFailed: true });
    expect(s2.fetched).toBe(1);
    expect(readSample(o.db).every((r) => r.state === 'fetched')).toBe(true);
  });

  it('backs off exponentially (with jitter) and honours Retry-After, so retries slow the request rate', async () => {
    const o = opts({
      crawls: { ids: ['CC-MAIN-2019-50'] }, // one record: one request sequence to look at
      perCrawl: 1,
      concurrency: 1,
      retry: { baseDelayMs: 40, maxDelayMs: 10_000, jitter: 0.5 },
    });
    await srv.setFaults([
      { kind: '503', times: 4 },
      { kind: '503', times: 1, retryAfter: '1' },
    ]);
    await srv.clearLog();
    const s = await runSample(o);
    expect(s.fetched).toBe(1);
    const data = (await srv.getLog()).filter((e) => e.target === 'data');
    expect(data.map((e) => e.status)).toEqual([503, 503, 503, 503, 503, 206]);
    const gaps = data.slice(1).map((e, i) => e.t - data[i].t);
    // Lower bounds: backoff d·(1 − jitter) = 20, 40, 80, 160 ms, then Retry-After 1 s.
    const floors = [20, 40, 80, 160, 1000];
    gaps.forEach((g, i) => expect(g, `gap ${i}`).toBeGreaterThanOrEqual(floors[i] - 2));
    expect(s.http.data.retries).toBe(5);
  });

  it('treats 403 as "too many requests": pauses every worker and spaces requests out', async () => {
    const pauseMs = 400;
    const slowIntervalMs = 40;
    const o = opts({
      crawls: { ids: ['CC-MAIN-2020-32'] },
      perCrawl: 16,
      concurrency: 4,
      seed: 'forbidden',
      slowDown: { pauseMs, slowIntervalMs, recoverAfter: 1000 },
    });
    await srv.setFaults([{ kind: '403', times: 1 }]);
    await srv.clearLog();
    const s = await runSample(o);
    expect(s).toMatchObject({ fetched: 16, failed: 0, slowDowns: 1 });
    const log = await srv.getLog();
    const i403 = log.findIndex((e) => e.status === 403);
    expect(i403).toBeGreaterThanOrEqual(0);
    const t403 = log[i403].t;
    // During the pause only requests sent before the client saw the 403 can arrive: at most one
    // in flight and one just sent per other worker. Unthrottled, all 16 would come in a few ms.
    const during = log.filter((e) => e.t > t403 && e.t < t403 + pauseMs - 2);
    expect(during.length).toBeLessThanOrEqual(2 * (4 - 1));
    // After the pause, the whole run is held to one request per slowIntervalMs.
    const after = log.filter((e) => e.t >= t403 + pauseMs - 2);
    expect(after.length).toBeGreaterThan(3);
    expectRateAtMost(
      after.map((e) => e.t),
      slowIntervalMs,
    );
    expectEachFetchedOnce(o.db, log);
  });

  it('keeps to a requests-per-second limit across all workers', async () => {
    const o = opts({ concurrency: 8, rps: 25, seed: 'rps', crawls: { ids: ['CC-MAIN-2013-15'] } });
    await srv.clearLog();
    await runSample(o);
    const log = await srv.getLog();
    expect(log.length).toBeGreaterThan(8);
    expectRateAtMost(
      log.map((e) => e.t),
      1000 / 25,
    );
  });
});

describe('CDX server API back end', () => {
  const crawl = 'CC-MAIN-2014-04';
  const endpoint = () => `${srv.url}/${crawl}-index`;

  it('pages through a domain query, and reads 404 "No Captures" and 400 page-out-of-range as answers', async () => {
    const http = new HttpClient();
    const client = new CdxApiClient(http, endpoint());
    try {
      const q = { url: '*.iana.org' };
      const info = await client.numPages(q);
      expect(info.pages).toBeGreaterThan(1);
      expect(info.pageSize).toBe(2);
      const all: string[] = [];
      for (let p = 0; p < info.pages; p++) {
        const page = await client.page(q, p);
        expect(page.outOfRange).toBe(false);
        all.push(...page.records.map((r) => `${r.urlkey} ${r.timestamp} ${r.offset}`));
      }
      const expected = srv.fixture.crawls
        .find((c) => c.id === crawl)!
        .lines.map(parseCdxjLine)
        .filter((r) => r.urlkey.startsWith('org,iana)') || r.urlkey.startsWith('org,iana,'))
        .map((r) => `${r.urlkey} ${r.timestamp} ${r.offset}`);
      expect(all).toEqual(expected);
      const streamed: string[] = [];
      for await (const r of client.query(q)) streamed.push(`${r.urlkey} ${r.timestamp} ${r.offset}`);
      expect(streamed).toEqual(expected);
      expect((await client.page(q, info.pages)).outOfRange).toBe(true);
      expect(await client.page({ url: 'nothing-here.example/' })).toEqual({ records: [], badLines: 0, outOfRange: false });
      const ok = await client.page({ url: 'iana.org/', matchType: 'prefix', filter: ['=status:200', '~mime:html'] });
      expect(ok.records.length).toBeGreaterThan(0);
      expect(ok.records.every((r) => r.status === 200 && r.mime!.includes('html'))).toBe(true);
    } finally {
      await http.close();
    }
  });

  it('samples a URL pattern reproducibly, retrying 504s from the index server', async () => {
    await srv.setFaults([{ kind: '504', target: 'cdx', times: 2 }]);
    const o = opts({ crawls: { ids: [crawl] }, urlPattern: '*.iana.org', perCrawl: 5, seed: 'cdx', maxPages: 100 });
    const s = await runSample(o);
    expect(s.plans[0]).toMatchObject({ backend: 'cdx-api', drawn: 5 });
    expect(s.http.index.retries).toBe(2);
    expect(s.fetched).toBe(5);
    const rows = readSample(o.db);
    expect(rows.every((r) => new URL(r.url).hostname.endsWith('iana.org'))).toBe(true);
    const http = new HttpClient();
    try {
      const spec = { crawl, seed: 'cdx', want: 5, backend: 'cdx-api' as const, filter: normalizeFilter(), urlPattern: '*.iana.org' };
      const again = await drawFromCdxApi(spec, new CdxApiClient(http, endpoint()), { maxPages: 100 });
      expect(again.records.map((r) => `${r.filename}|${r.offset}`)).toEqual(rows.map((r) => `${r.filename}|${r.offset}`));
    } finally {
      await http.close();
    }
  });
});

describe('CLI', () => {
  async function cli(args: string[]): Promise<{ out: string; err: string; code: number | undefined }> {
    const program = new Command('ccaudit').exitOverride();
    registerSample(program);
    registerIndex(program);
    let out = '';
    let err = '';
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      out += String(c);
      return true;
    });
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
      err += String(c);
      return true;
    });
    const before = process.exitCode;
    try {
      await program.parseAsync(['node', 'ccaudit', ...args]);
      return { out, err, code: process.exitCode as number | undefined };
    } finally {
      o.mockRestore();
      e.mockRestore();
      process.exitCode = before;
    }
  }
  const common = () => ['--index-url', srv.url, '--data-url', srv.url, '--lines-per-block', '8', '--cache-dir', path.join(dir, 'cache')];

  it('sample --dry-run shows what would be fetched and creates no database', async () => {
    const db = path.join(dir, 'dry.sqlite');
    const r = await cli(['sample', '--crawl', 'CC-MAIN-2013-15', '--per-crawl', '3', '--seed', '7', '--dry-run', '--db', db, ...common()]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Dry run/);
    expect(r.out.match(/crawl-data\/CC-MAIN-2013-15\/\S+\t\d+\t\d+\t\S+/g)).toHaveLength(3);
    expect(existsSync(db)).toBe(false);
    // The real run fetches exactly the lines the dry run showed.
    const real = await cli(['sample', '--crawl', 'CC-MAIN-2013-15', '--per-crawl', '3', '--seed', '7', '--db', db, '--json', ...common()]);
    expect(real.code).toBe(0);
    const summary = JSON.parse(real.out);
    expect(summary.fetched).toBe(3);
    const shown = r.out
      .match(/crawl-data\/\S+\t\d+/g)!
      .map((s) => s.replace('\t', '|'))
      .sort();
    expect(
      readSample(db)
        .map((x) => `${x.filename}|${x.offset}`)
        .sort(),
    ).toEqual(shown);
  });

  it('sample reports bad input clearly', async () => {
    const r = await cli(['sample', '--crawl', 'CC-MAIN-1999-01', '--per-crawl', '3', '--db', path.join(dir, 'bad.sqlite'), ...common()]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown crawl id\(s\): CC-MAIN-1999-01/);
    const r2 = await cli([
      'sample',
      '--from',
      '2013-01',
      '--to',
      '2014-12',
      '--per-crawl',
      '2',
      '--url',
      'iana.org/*',
      '--backend',
      'zipnum',
      '--db',
      path.join(dir, 'bad2.sqlite'),
      ...common(),
    ]);
    expect(r2.code).toBe(1);
    expect(r2.err).toMatch(/--url needs the CDX API/);
  });

  it('index writes CDXJ and a zipnum directory for local WARC files', async () => {
    const out = path.join(dir, 'cli-index');
    const r = await cli([
      'index',
      path.join(CORPUS, 'cc/resiliparse/warcfile.warc.gz'),
      path.join(CORPUS, 'cc/whirlwind/whirlwind.warc.gz'),
      '--root',
      CORPUS,
      '--prefix',
      'crawl-data/LOCAL/',
      '-o',
      path.join(out, 'index.cdxj'),
      '--zipnum',
      path.join(out, 'zipnum'),
      '--shards',
      '2',
      '--lines-per-block',
      '5',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary).toMatchObject({ files: 2, lines: 17, zipnum: { lines: 17, blocks: 4, shards: ['cdx-00000.gz', 'cdx-00001.gz'] } });
    expect((await stat(path.join(out, 'zipnum', 'cluster.idx'))).size).toBeGreaterThan(0);
    expect(r.err).toMatch(/warcfile\.warc\.gz: 16 lines/);
  });
});

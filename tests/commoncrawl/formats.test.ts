/**
 * Common Crawl formats against real data from /work/shared/corpora/warc: SURT keys, CDXJ and
 * CDX API lines (with their field drift), collinfo.json, the index writer (compared with
 * pywb's real index of the same WARC) and the zipnum layout.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CdxParseError, formatCdxjLine, parseCdxApiLine, parseCdxjLine, surt, timestampToIso } from '../../src/sources/commoncrawl/cdxj.js';
import { crawlMonth, parseCollinfo, selectCrawls, CollinfoError } from '../../src/sources/commoncrawl/collinfo.js';
import { buildIndex, indexWarcFile, parseCcMetadata, sortLines } from '../../src/sources/commoncrawl/index-writer.js';
import { blockMayHold, loadClusterIndex, parseClusterIdxLine } from '../../src/sources/commoncrawl/zipnum.js';
import { backoffDelay, parseRetryAfter, DEFAULT_RETRY_POLICY, Throttle } from '../../src/core/retry.js';
import { matchesFilter, normalizeFilter, sampleKey } from '../../src/sources/commoncrawl/sampler.js';
import { Rng } from '../../src/core/rng.js';
import { checkRangeReply, parseContentRange } from '../../src/sources/commoncrawl/fetcher.js';

const CORPUS = '/work/shared/corpora/warc';
const INDEX = path.join(CORPUS, 'index');

const shardLines = gunzipSync(readFileSync(path.join(INDEX, 'cdxj/filtered_CC-MAIN-2024-30_cdx-00187.gz')))
  .toString('utf8')
  .split('\n')
  .filter(Boolean);
const ianaCdxj = readFileSync(path.join(INDEX, 'pywb-cdx/iana.cdxj'), 'utf8').split('\n').filter(Boolean);
const apiFiles = [
  'CC-MAIN-2017-34_commoncrawl.org_closest.ndjson',
  'CC-MAIN-2017-51_commoncrawl.org.ndjson',
  'CC-MAIN-2025-33_commoncrawl.org_limit10.ndjson',
  'CC-MAIN-2025-33_commoncrawl.org_non200.ndjson',
  'CC-MAIN-2025-33_example.com.ndjson',
];
const apiLines = apiFiles.flatMap((f) =>
  readFileSync(path.join(INDEX, 'cc-index-api', f), 'utf8')
    .split('\n')
    .filter(Boolean),
);

describe('SURT keys', () => {
  it('reproduces the urlkey of every real CC and pywb index line', () => {
    const pairs = [
      ...shardLines.map((l) => [l.slice(0, l.indexOf(' ')), JSON.parse(l.slice(l.indexOf('{'))).url]),
      ...ianaCdxj.map((l) => [l.slice(0, l.indexOf(' ')), JSON.parse(l.slice(l.indexOf('{'))).url]),
      ...apiLines.map((l) => [JSON.parse(l).urlkey, JSON.parse(l).url]),
    ];
    expect(pairs.length).toBe(1140 + 171 + 34);
    const wrong = pairs.filter(([key, url]) => surt(url) !== key);
    expect(wrong).toEqual([]);
  });

  it('follows the canonicaliser on the documented cases', () => {
    expect(surt('http://www.example.com/')).toBe('com,example)/');
    expect(surt('https://commoncrawl.org/faq/')).toBe('org,commoncrawl)/faq');
    expect(surt('http://Example.COM:8080/A/B/?b=2&a=1#frag')).toBe('com,example:8080)/a/b?a=1&b=2');
    expect(surt('http://example.com:80/x?')).toBe('com,example)/x');
    expect(surt('http://user:pw@www2.example.com/a/./b/../c')).toBe('com,example)/a/c');
    expect(surt('http://example.com/caf%C3%A9')).toBe('com,example)/caf%c3%a9');
    expect(surt('http://bücher.ch/')).toBe('ch,xn--bcher-kva)/');
    expect(surt('example.com/path')).toBe('com,example)/path');
  });
});

describe('CDXJ and CDX API lines', () => {
  it('parses every real shard line and writes it back byte for byte', () => {
    for (const line of shardLines) {
      const r = parseCdxjLine(line);
      expect(formatCdxjLine(r.urlkey, r.timestamp, r.fields)).toBe(line);
    }
    const first = parseCdxjLine(shardLines[0]);
    expect(first).toMatchObject({
      status: 200,
      length: 9754,
      offset: 111440525,
      mimeDetected: 'application/xhtml+xml',
      charset: 'UTF-8',
      languages: ['fra'],
    });
  });

  it('accepts the field drift of real data: encoding vs charset, missing languages, redirects', () => {
    const api2025 = parseCdxApiLine(apiLines.find((l) => l.includes('"example.com') || l.includes('www.example.com'))!);
    expect(api2025.charset).toBe('UTF-8'); // given as "encoding"
    expect(api2025.languages).toEqual(['eng']);
    const api2017 = parseCdxApiLine(apiLines[0]);
    expect(api2017.charset).toBeNull();
    expect(api2017.languages).toBeNull();
    expect(api2017.status).toBe(200);
    const redirect = apiLines.map(parseCdxApiLine).find((r) => r.redirect);
    expect(redirect?.status).toBe(301);
    const multi = shardLines.map(parseCdxjLine).find((r) => (r.languages?.length ?? 0) > 1);
    expect(multi?.languages?.[0]).toBe('fra');
    // every real API line parses
    expect(apiLines.map(parseCdxApiLine)).toHaveLength(34);
  });

  it('rejects unusable lines with a clear error', () => {
    expect(() => parseCdxjLine('garbage')).toThrow(CdxParseError);
    expect(() => parseCdxjLine('com,x)/ 2024 {"url": "http://x.com/"}')).toThrow(/no "filename"/);
    expect(() => parseCdxjLine('com,x)/ 20240101000000 {"url": "u", "filename": "f", "offset": "-1", "length": "5"}')).toThrow(/offset/);
    expect(() => parseCdxApiLine('{"url": "x"')).toThrow(/bad JSON/);
    expect(timestampToIso('20240716153155')).toBe('2024-07-16T15:31:55Z');
  });
});

describe('collinfo.json', () => {
  const all = parseCollinfo(JSON.parse(readFileSync(path.join(INDEX, 'collinfo.json'), 'utf8')));

  it('reads the real crawl list', () => {
    expect(all).toHaveLength(115);
    expect(all[0]).toMatchObject({ id: 'CC-MAIN-2025-33', cdxApi: 'https://index.commoncrawl.org/CC-MAIN-2025-33-index' });
  });

  it('selects by id, month range (one per month or all) and latest N', () => {
    expect(selectCrawls(all, { ids: ['CC-MAIN-2024-22'] }).map((c) => c.id)).toEqual(['CC-MAIN-2024-22']);
    const range = selectCrawls(all, { from: '2020-01', to: '2025-06' });
    const months = range.map(crawlMonth);
    expect(new Set(months).size).toBe(months.length); // one per month
    expect(months.every((m) => m >= '2020-01' && m <= '2025-06')).toBe(true);
    expect(range[0].from < range[range.length - 1].from).toBe(true); // oldest first
    const allInRange = selectCrawls(all, { from: '2020-01', to: '2025-06', perMonth: 'all' });
    expect(allInRange.length).toBeGreaterThanOrEqual(range.length);
    expect(selectCrawls(all, { latest: 3 }).map((c) => c.id)).toEqual(['CC-MAIN-2025-26', 'CC-MAIN-2025-30', 'CC-MAIN-2025-33']);
    expect(() => selectCrawls(all, { ids: ['CC-MAIN-1999-01'] })).toThrow(/unknown crawl id/);
    expect(() => selectCrawls(all, { from: '2020-13' })).toThrow(CollinfoError);
    expect(() => selectCrawls(all, {})).toThrow(/no crawl selected/);
    expect(() => parseCollinfo({ not: 'a list' })).toThrow(/JSON array/);
  });
});

describe('ccaudit index (index writer)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ccaudit-index-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("matches pywb's real index of the same WARC (key, time, url, mime, status, digest, offset, length)", async () => {
    const mine = new Map<string, { urlkey: string; timestamp: string; fields: Record<string, string> }>();
    for await (const e of indexWarcFile(path.join(CORPUS, 'edge-cases/pywb/iana.warc.gz'), 'iana.warc.gz')) {
      mine.set(`${e.fields.offset}/${e.fields.length}`, e);
    }
    expect(mine.size).toBe(171);
    for (const line of ianaCdxj) {
      const ref = parseCdxjLine(line);
      const e = mine.get(`${ref.offset}/${ref.length}`);
      expect(e, line).toBeDefined();
      expect([e!.urlkey, e!.timestamp]).toEqual([ref.urlkey, ref.timestamp]);
      for (const f of ['url', 'mime', 'status', 'digest', 'filename']) expect(e!.fields[f]).toBe(ref.fields[f]);
    }
  });

  it('takes charset and languages from CC metadata records, like the CC index', async () => {
    const entries = [];
    for await (const e of indexWarcFile(path.join(CORPUS, 'cc/whirlwind/whirlwind.warc.gz'), 'w.warc.gz')) entries.push(e);
    expect(entries).toHaveLength(1);
    // The production line of this capture (FORMATS.md §4) has the same key, time, url, status and digest.
    expect(entries[0]).toMatchObject({
      urlkey: 'org,wikipedia,an)/wiki/escopete',
      timestamp: '20240518015810',
      fields: {
        url: 'https://an.wikipedia.org/wiki/Escopete',
        mime: 'text/html',
        'mime-detected': 'text/html',
        status: '200',
        digest: 'RY7PLBUFQNI2FFV5FTUQK72W6SNPXLQU',
        offset: '1023',
        length: '17351',
        charset: 'UTF-8',
        languages: 'spa',
      },
    });
    expect(parseCcMetadata(Buffer.from('charset-detected: GBK\r\nlanguages-cld2: {bad json'))).toEqual({
      charset: 'GBK',
      languages: null,
    });
  });

  it('writes sorted CDXJ and a zipnum layout whose every block starts with its cluster.idx key', async () => {
    const files = ['edge-cases/pywb/iana.warc.gz', 'cc/resiliparse/warcfile.warc.gz', 'recent/py-wacz/example-iana.warc'];
    const summary = await buildIndex(
      files.map((f) => ({ path: path.join(CORPUS, f), filename: f })),
      { cdxjFile: path.join(dir, 'all.cdxj'), zipnumDir: path.join(dir, 'zipnum'), zipnum: { shards: 2, linesPerBlock: 25 }, runLines: 50 },
    );
    const cdxj = (await readFile(path.join(dir, 'all.cdxj'), 'utf8')).split('\n').filter(Boolean);
    expect(cdxj).toHaveLength(summary.lines);
    expect(summary.lines).toBe(171 + 16 + 58);
    expect([...cdxj].sort()).toEqual(cdxj); // byte order, as LC_ALL=C sort
    const idx = (await readFile(path.join(dir, 'zipnum', 'cluster.idx'), 'utf8')).split('\n').filter(Boolean);
    expect(summary.zipnum).toMatchObject({ lines: summary.lines, blocks: idx.length, shards: ['cdx-00000.gz', 'cdx-00001.gz'] });
    const fromBlocks: string[] = [];
    for (const [i, l] of idx.entries()) {
      const b = parseClusterIdxLine(l);
      expect(b.block).toBe(i + 1);
      const shard = await readFile(path.join(dir, 'zipnum', b.shard));
      const lines = gunzipSync(shard.subarray(b.offset, b.offset + b.length))
        .toString('utf8')
        .split('\n')
        .filter(Boolean);
      expect(lines[0].startsWith(b.key + ' ')).toBe(true);
      expect(lines.length).toBeLessThanOrEqual(25);
      fromBlocks.push(...lines);
    }
    expect(fromBlocks).toEqual(cdxj);
    // Each shard ends with a short block: 245 lines / 2 shards = 123 per shard = 4×25 + 23.
    const sizes = idx.map(parseClusterIdxLine);
    expect(sizes.filter((b) => b.shard === 'cdx-00000.gz')).toHaveLength(5);
  });

  it('sorts with spilled runs exactly as in memory', async () => {
    const lines = shardLines.map((l, i) => (i % 2 ? l : l.toUpperCase()));
    const spilled = await sortLines(lines, { runLines: 97 });
    const got: string[] = [];
    for await (const l of spilled.lines()) got.push(l);
    await spilled.cleanup();
    expect(got).toEqual([...lines].sort());
  });
});

describe('zipnum index', () => {
  it('parses the real pywb cluster index and restricts blocks to SURT prefixes', async () => {
    const lines = readFileSync(path.join(INDEX, 'zipnum-pywb/zipnum-sample.idx'), 'utf8').split('\n');
    const all = await loadClusterIndex(lines);
    expect(all.size).toBe(38);
    expect(all.block(0)).toEqual({ shard: 'zipnum', offset: 0, length: 275 });
    const onlyExample = await loadClusterIndex(lines, { prefixes: ['com,example)'] });
    expect(onlyExample.size).toBe(1); // block 1 holds all four com,example lines; block 2 starts at org,iana
    expect(onlyExample.block(0)).toEqual(all.block(0));
    const iana = await loadClusterIndex(lines, { prefixes: ['org,iana)'] });
    expect(iana.size).toBe(38); // block 1 reaches into org,iana, and every later block is iana
    expect(blockMayHold('com,a)/ 1', 'com,c)/ 1', ['com,b'])).toBe(true);
    expect(blockMayHold('com,c)/ 1', 'com,d)/ 1', ['com,b'])).toBe(false);
    expect(() => parseClusterIdxLine('no tabs here')).toThrow(/cluster.idx/);
  });
});

describe('sampling helpers', () => {
  it('has a seeded generator that is reproducible and unbiased enough', () => {
    const a = Rng.fromText('seed');
    const b = Rng.fromText('seed');
    const xs = Array.from({ length: 1000 }, () => a.int(7));
    expect(Array.from({ length: 1000 }, () => b.int(7))).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => Rng.fromText('other').int(7))).not.toEqual(xs);
    const counts = new Array(7).fill(0);
    const r = Rng.fromText('u');
    for (let i = 0; i < 70_000; i++) counts[r.int(7)]++;
    // chi-square, 6 degrees of freedom, p = 0.001 critical value 22.46
    const chi = counts.reduce((s, c) => s + (c - 10_000) ** 2 / 10_000, 0);
    expect(chi).toBeLessThan(22.46);
    const f = r.uniform();
    expect(f >= 0 && f < 1).toBe(true);
  });

  it('filters lines by status, detected MIME, language, host and TLD', () => {
    const recs = shardLines.map(parseCdxjLine);
    const html = recs.filter((r) => matchesFilter(r, normalizeFilter()));
    expect(html.length).toBeGreaterThan(1000);
    expect(html.every((r) => r.status === 200 && r.filename.includes('/warc/'))).toBe(true);
    const fraEng = recs.filter((r) => matchesFilter(r, normalizeFilter({ languages: ['eng'] })));
    expect(fraEng.every((r) => r.languages?.[0] === 'eng')).toBe(true);
    const host = recs.filter((r) => matchesFilter(r, normalizeFilter({ hosts: ['missiondefrance.fr'] })));
    expect(host.length).toBeGreaterThan(0);
    expect(host.every((r) => new URL(r.url).hostname.endsWith('missiondefrance.fr'))).toBe(true);
    expect(recs.filter((r) => matchesFilter(r, normalizeFilter({ tlds: ['de'] })))).toEqual([]);
    const spec = { crawl: 'c', seed: 's', want: 5, backend: 'zipnum' as const, filter: normalizeFilter() };
    expect(sampleKey(spec)).toBe(sampleKey({ ...spec, filter: normalizeFilter({}) }));
    expect(sampleKey(spec)).not.toBe(sampleKey({ ...spec, seed: 't' }));
  });

  it('computes backoff with jitter, Retry-After, and the 403 slow-down', async () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000, jitter: 0.5 };
    expect(backoffDelay(1, p, () => 0)).toBe(100);
    expect(backoffDelay(1, p, () => 0.999)).toBeGreaterThanOrEqual(50);
    expect(backoffDelay(3, p, () => 0)).toBe(400);
    expect(backoffDelay(10, p, () => 0)).toBe(1000);
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(parseRetryAfter('soon')).toBeNull();
    // The throttle with a fake clock: a 403 pauses everyone and widens the spacing.
    let now = 0;
    const slept: number[] = [];
    const sleepFake = async (ms: number) => {
      slept.push(ms);
      now += ms;
    };
    const t = new Throttle({ pauseMs: 500, slowIntervalMs: 100, now: () => now, sleep: sleepFake });
    await t.acquire();
    await t.acquire();
    expect(slept).toEqual([]); // no rps limit: no waiting
    t.slowDown();
    await Promise.all([t.acquire(), t.acquire(), t.acquire()]);
    expect(slept).toEqual([500, 100, 100]); // the pause, then turns spaced 100 ms apart
    expect(t.stats.slowDowns).toBe(1);
  });

  it('checks range replies strictly', () => {
    const reply = (status: number, cr: string | undefined, len: number) => ({
      url: 'u',
      status,
      headers: cr ? { 'content-range': cr } : {},
      body: Buffer.alloc(len),
      attempt: 1,
    });
    expect(parseContentRange('bytes 34323482-34324700/952861306')).toEqual({ start: 34323482, end: 34324700, total: 952861306 });
    expect(() => checkRangeReply(reply(206, 'bytes 34323482-34324700/952861306', 1219), 34323482, 1219)).not.toThrow();
    expect(() => checkRangeReply(reply(206, 'bytes 34323483-34324701/952861306', 1219), 34323482, 1219)).toThrow(/Content-Range/);
    expect(() => checkRangeReply(reply(206, undefined, 1219), 34323482, 1219)).toThrow(/Content-Range/);
    expect(() => checkRangeReply(reply(206, 'bytes 34323482-34324700/952861306', 600), 34323482, 1219)).toThrow(/got 600/);
    expect(() => checkRangeReply(reply(200, undefined, 5000), 10, 1219)).toThrow(/ignored the Range/);
  });
});

/**
 * The cluster.idx cache and the zipnum block size, against two loopback Common Crawl servers
 * that publish different zipnum indexes (8- and 5-line blocks) of the same pseudo-crawls.
 */
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSample, type SampleEvent, type SampleRunOptions } from '../../src/pipeline/sample.js';
import { clusterIdxCacheFile, zipnumUrl } from '../../src/sources/commoncrawl/zipnum.js';
import { buildCcFixture, startCcServer, type CcServer } from '../support/cc-server.js';
import { readSample } from './helpers.js';

const CRAWL = 'CC-MAIN-2013-15';
let dir: string;
let a: CcServer;
let b: CcServer;
let n = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccaudit-zipnum-cache-'));
  [a, b] = await Promise.all([
    buildCcFixture(path.join(dir, 'fixture-a'), { linesPerBlock: 8, shards: 3 }).then((f) => startCcServer(f)),
    buildCcFixture(path.join(dir, 'fixture-b'), { linesPerBlock: 5, shards: 3 }).then((f) => startCcServer(f)),
  ]);
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await rm(dir, { recursive: true, force: true });
});

function opts(srv: CcServer, cacheDir: string, over: Partial<SampleRunOptions> = {}): SampleRunOptions {
  return {
    indexUrl: srv.url,
    dataUrl: srv.url,
    crawls: { ids: [CRAWL] },
    perCrawl: 6,
    seed: 'cache',
    cacheDir,
    db: path.join(dir, `db-${++n}.sqlite`),
    concurrency: 2,
    timeoutMs: 15_000,
    retry: { baseDelayMs: 10, maxDelayMs: 100 },
    ...over,
  };
}

describe('cluster.idx cache', () => {
  it('keeps one copy per server: a sample against a second server does not reuse the first one’s index', async () => {
    const cache = path.join(dir, 'cache-two');
    const first = await runSample(opts(a, cache, { linesPerBlock: 8 }));
    expect(first).toMatchObject({ fetched: 6, failed: 0 });
    const second = await runSample(opts(b, cache, { linesPerBlock: 5 }));
    expect(second).toMatchObject({ fetched: 6, failed: 0 });
    const fa = clusterIdxCacheFile(cache, a.url, CRAWL);
    const fb = clusterIdxCacheFile(cache, b.url, CRAWL);
    expect(fa).not.toBe(fb);
    expect(await readFile(fa, 'utf8')).toBe(a.fixture.crawls.find((c) => c.id === CRAWL)!.clusterIdx.join('\n') + '\n');
    expect(await readFile(fb, 'utf8')).toBe(b.fixture.crawls.find((c) => c.id === CRAWL)!.clusterIdx.join('\n') + '\n');
  });

  it('downloads a cached copy again when its blocks do not read back, and when it was cut short', async () => {
    const cache = path.join(dir, 'cache-stale');
    await runSample(opts(a, cache, { linesPerBlock: 8 }));
    const file = clusterIdxCacheFile(cache, a.url, CRAWL);
    // The server's index changed since: the cached copy (with a matching sidecar) is another one.
    await copyFile(path.join(b.fixture.dir, 'cc-index', 'collections', CRAWL, 'indexes', 'cluster.idx'), file);
    const size = (await stat(file)).size;
    await writeFile(file + '.json', JSON.stringify({ url: zipnumUrl(a.url, CRAWL, 'cluster.idx'), bytes: size }));
    const events: SampleEvent[] = [];
    const again = await runSample(opts(a, cache, { linesPerBlock: 8, seed: 'stale', onEvent: (e) => events.push(e) }));
    expect(again).toMatchObject({ fetched: 6, failed: 0 });
    expect(events.some((e) => e.type === 'log' && /downloaded it again/.test(e.message))).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(a.fixture.crawls.find((c) => c.id === CRAWL)!.clusterIdx.join('\n') + '\n');

    // A copy cut short (size differs from the sidecar) is not trusted either.
    await writeFile(file, (await readFile(file, 'utf8')).slice(0, 100));
    await a.clearLog();
    expect(await runSample(opts(a, cache, { linesPerBlock: 8, seed: 'cut' }))).toMatchObject({ fetched: 6, failed: 0 });
    expect((await a.getLog()).filter((e) => e.path.endsWith('/cluster.idx'))).toHaveLength(1);
  });
});

describe('zipnum block size', () => {
  it('is read from the index when --lines-per-block is not given, and gives the same draw as the right flag', async () => {
    const cache = path.join(dir, 'cache-size');
    const events: SampleEvent[] = [];
    const auto = await runSample(opts(b, cache, { perCrawl: 20, dryRun: true, onEvent: (e) => events.push(e) }));
    expect(auto.plans[0]).toMatchObject({ drawn: 20, short: false });
    expect(events.some((e) => e.type === 'log' && /blocks hold up to 5 lines/.test(e.message))).toBe(true);
    const flag = await runSample(opts(b, cache, { perCrawl: 20, dryRun: true, linesPerBlock: 5 }));
    expect(auto.plans[0].toFetch.map((r) => `${r.filename}|${r.offset}`)).toEqual(flag.plans[0].toFetch.map((r) => `${r.filename}|${r.offset}`));
  });

  it('warns when a block size given by flag is far too large and few lines are found', async () => {
    const cache = path.join(dir, 'cache-size');
    const events: SampleEvent[] = [];
    const r = await runSample(opts(b, cache, { perCrawl: 20, dryRun: true, linesPerBlock: 3000, maxDraws: 400, onEvent: (e) => events.push(e) }));
    expect(r.plans[0].short).toBe(true);
    const warning = events.find((e) => e.type === 'log' && /^warning:/.test(e.message));
    expect(warning && warning.type === 'log' && warning.message).toMatch(
      /only \d+ of 20 eligible lines found; \d+% of draws fell past the end of a block/,
    );
  });

  it('a stored sample is still found by a run that reads the block size from the index', async () => {
    const cache = path.join(dir, 'cache-key');
    const db = path.join(dir, 'key.sqlite');
    await runSample(opts(a, cache, { db, linesPerBlock: 3000, maxDraws: 50 }));
    const rows = readSample(db);
    const again = await runSample(opts(a, cache, { db }));
    // Detected 8 ≠ 3000 would be another sample; absent flag hashes as before (3000), so it is reused.
    expect(again.plans[0].reused).toBe(true);
    expect(readSample(db)).toHaveLength(rows.length);
  });
});

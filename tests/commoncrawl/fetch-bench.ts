/**
 * Throughput of the range-fetch path against the loopback Common Crawl (not a test; no
 * assertions). Run: npx tsx tests/commoncrawl/fetch-bench.ts [fetches=2000]
 *
 * 1. fetch only: RecordFetcher.fetch (keep-alive pool, throttle, Range request, Content-Range
 *    and length checks, WARC parse, target-URI check) over every 200 line of the fixture,
 *    round-robin, at concurrency 1, 4 and 16;
 * 2. the whole `sample` fetch phase (fetch → extract → store, one commit per record).
 * The server runs in its own process (tests/support/cc-server.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseCdxjLine } from '../../src/sources/commoncrawl/cdxj.js';
import { RecordFetcher } from '../../src/sources/commoncrawl/fetcher.js';
import { runSample } from '../../src/pipeline/sample.js';
import { buildCcFixture, startCcServer } from '../support/cc-server.js';

const total = Number(process.argv[2] ?? 2000);
const dir = await mkdtemp(path.join(tmpdir(), 'ccaudit-bench-'));
const srv = await startCcServer(await buildCcFixture(path.join(dir, 'fixture'), { linesPerBlock: 8, shards: 3 }));
try {
  const lines = srv.fixture.crawls.flatMap((c) => c.lines.map(parseCdxjLine)).filter((r) => r.status === 200);
  const meanBytes = lines.reduce((n, r) => n + r.length, 0) / lines.length;
  console.log(`${lines.length} distinct records, mean ${(meanBytes / 1024).toFixed(1)} KiB; ${total} fetches per setting`);
  // The HTTP part alone: the same range requests without checks or WARC parsing.
  for (const concurrency of [1, 4, 16]) {
    const fetcher = new RecordFetcher({ dataUrl: srv.url, concurrency });
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const r = lines[next++ % lines.length];
          await fetcher.http.get(fetcher.urlFor(r.filename), {
            headers: { range: `bytes=${r.offset}-${r.offset + r.length - 1}` },
            okStatuses: [206],
          });
        }
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    await fetcher.close();
    console.log(`HTTP only    c=${String(concurrency).padStart(2)}: ${(total / secs).toFixed(0)} records/s`);
  }
  for (const concurrency of [1, 4, 16]) {
    const fetcher = new RecordFetcher({ dataUrl: srv.url, concurrency });
    let next = 0;
    let bytes = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const r = lines[next++ % lines.length];
          const got = await fetcher.fetch(r);
          bytes += got.bytes.length;
        }
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await fetcher.close();
    console.log(
      `fetch only   c=${String(concurrency).padStart(2)}: ${(total / secs).toFixed(0)} records/s, ` +
        `${(bytes / secs / 1e6).toFixed(1)} MB/s, client CPU ${(((cpu.user + cpu.system) / 1e6 / secs) * 100).toFixed(0)}%`,
    );
  }
  for (const concurrency of [1, 4, 16]) {
    const s = await runSample({
      indexUrl: srv.url,
      dataUrl: srv.url,
      crawls: { ids: srv.fixture.crawls.map((c) => c.id) },
      perCrawl: 1000,
      seed: `bench-${concurrency}`,
      linesPerBlock: 8,
      cacheDir: path.join(dir, 'cache'),
      db: path.join(dir, `bench-${concurrency}.sqlite`),
      concurrency,
    });
    console.log(
      `sample phase c=${String(concurrency).padStart(2)}: ${s.recordsPerSecond.toFixed(0)} records/s ` +
        `(${s.fetched} records, ${s.documents} documents, ${(s.fetchMs / 1000).toFixed(2)} s)`,
    );
  }
} finally {
  await srv.close();
  await rm(dir, { recursive: true, force: true });
}

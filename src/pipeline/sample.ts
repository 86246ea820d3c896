/**
 * `ccaudit sample` end to end: crawl list → draw each crawl's sample (zipnum or CDX API) →
 * store it as `pending` rows → range-fetch the pending rows → extract → store, marking each
 * row `fetched` in the same transaction as its record. A killed run resumes from the stored
 * sample and fetches only rows still pending.
 */
import { existsSync } from 'node:fs';
import { openStore, type Store, type StoreWriter } from '../store/index.js';
import { runWriter, withRun } from './run.js';
import { defaultCacheDir, drawZipnum, endpoints, loadCrawlList, ZipnumIndexes, type ZipnumDrawInfo } from './sample-draw.js';

export { defaultCacheDir, endpoints, loadCrawlList } from './sample-draw.js';
import { countRowsToFetch, findSampleDraw, rowsToFetch, sampleCounts, sampleIdRange, sampleSize, saveSampleDraw } from '../store/sample.js';
import { blockBounds, formatShard } from '../core/shard.js';
import { CdxApiClient, cdxEndpoint } from '../sources/commoncrawl/cdx-api.js';
import { selectCrawls, type CrawlInfo } from '../sources/commoncrawl/collinfo.js';
import { HttpClient, RecordFetcher } from '../sources/commoncrawl/fetcher.js';
import { ingest } from './ingest.js';
import type { SampleRunOptions, SampleStratum, SampleSummary } from './sample-types.js';

export type { CrawlPlan, SampleEvent, SampleRunOptions, SampleStratum, SampleSummary } from './sample-types.js';
import { pendingRowsSource, type SampleFetchTally } from './sample-source.js';
import { AbortedError, Throttle } from '../core/retry.js';
import {
  drawFromCdxApi,
  normalizeFilter,
  sampleKey,
  type DrawResult,
  type NormalizedFilter,
  type SampleSpec,
} from '../sources/commoncrawl/sampler.js';
import { CC_LINES_PER_BLOCK } from '../sources/commoncrawl/zipnum.js';

export async function runSample(opts: SampleRunOptions): Promise<SampleSummary> {
  const started = Date.now();
  const { indexUrl, dataUrl } = endpoints(opts);
  if (!Number.isInteger(opts.perCrawl) || opts.perCrawl <= 0) throw new Error('--per-crawl must be a positive integer');
  for (const st of opts.strata ?? []) {
    if (!Number.isInteger(st.want) || st.want <= 0) throw new Error(`stratum ${st.id}: quota must be a positive integer, got ${st.want}`);
  }
  const filter = normalizeFilter(opts.filter);
  // One sub-sample per stratum, or the classic single sample per crawl.
  const draws: Array<{ stratum?: SampleStratum; filter: NormalizedFilter; want: number }> = opts.strata
    ? opts.strata.map((st) => ({ stratum: st, filter: normalizeFilter({ ...opts.filter, ...st.filter }), want: st.want }))
    : [{ filter, want: opts.perCrawl }];
  const backendChoice = opts.backend ?? 'auto';
  const backend: 'zipnum' | 'cdx-api' = backendChoice === 'auto' ? (opts.urlPattern ? 'cdx-api' : 'zipnum') : backendChoice;
  if (backend === 'cdx-api' && !opts.urlPattern) throw new Error('the CDX API back end needs --url PATTERN');
  if (backend === 'zipnum' && opts.urlPattern) {
    throw new Error('--url needs the CDX API back end (zipnum samples whole crawls; use --host/--tld to restrict it)');
  }

  const throttle = new Throttle({ rps: opts.rps, ...opts.slowDown });
  const onRetry = (info: { url: string; code: string; attempt: number; delayMs: number }) => opts.onEvent?.({ type: 'retry', ...info });
  const common = { throttle, timeoutMs: opts.timeoutMs, retry: opts.retry, onRetry, signal: opts.signal };
  const indexHttp = new HttpClient({ ...common, concurrency: opts.indexConcurrency ?? 1 });
  const fetcher = new RecordFetcher({ ...common, dataUrl, concurrency: opts.concurrency ?? 2 });

  let store: Store | null = null;
  const summary: SampleSummary = {
    runId: null,
    dryRun: !!opts.dryRun,
    plans: [],
    fetched: 0,
    failed: 0,
    documents: 0,
    pending: 0,
    interrupted: false,
    elapsedMs: 0,
    fetchMs: 0,
    recordsPerSecond: 0,
    bytes: 0,
    http: { index: indexHttp.stats, data: fetcher.http.stats },
    slowDowns: 0,
    counts: [],
    failures: {},
  };

  try {
    const all = opts.crawlList ?? (await loadCrawlList(indexHttp, indexUrl, opts.collinfoFile));
    const crawls = selectCrawls(all, opts.crawls);
    opts.onEvent?.({ type: 'crawls', crawls: crawls.map((c) => c.id) });

    const ctx: DrawContext = { opts, summary, draws, backend, indexUrl, dataUrl, indexHttp, fetcher };
    // A stop while drawing keeps the crawls already drawn (each is saved when done).
    const drawAll = (runId: number | null) =>
      drawSamples(ctx, crawls, store, runId).catch((err) => {
        if (!(err instanceof AbortedError)) throw err;
        summary.interrupted = true;
      });
    if (opts.dryRun) {
      // Look at an existing store without changing it; never create one.
      if (existsSync(opts.db)) {
        try {
          store = openStore(opts.db, { readonly: true });
        } catch {
          store = null;
        }
      }
      await drawAll(null);
      if (store) summary.counts = sampleCounts(store, fetchKeys(store, summary, opts));
      summary.pending = summary.counts.reduce((n, c) => n + c.pending, 0);
      return summary;
    }
    const open = openStore(opts.db);
    store = open;
    const args = {
      crawls: crawls.map((c) => c.id),
      perCrawl: opts.perCrawl,
      seed: opts.seed,
      backend,
      urlPattern: opts.urlPattern ?? null,
      filter,
      ...(opts.planOnly ? { planOnly: true } : {}),
      ...(opts.shard ? { shard: formatShard(opts.shard) } : {}),
      ...opts.runArgs,
    };
    await withRun(open, 'sample', args, async (run) => {
      summary.runId = run.id;
      const writer = runWriter(run, { batchSize: 1000 });
      await drawAll(run.id);
      if (!summary.interrupted && !opts.planOnly) await fetchPending(open, writer, fetcher, summary, opts, run.id);
      summary.counts = sampleCounts(open, fetchKeys(open, summary, opts));
      summary.pending = summary.counts.reduce((n, c) => n + c.pending, 0);
      return {
        status: summary.interrupted ? 'interrupted' : 'completed',
        summary: { fetched: summary.fetched, failed: summary.failed, pending: summary.pending, failures: summary.failures },
        result: undefined,
      };
    });
    return summary;
  } finally {
    summary.elapsedMs = Date.now() - started;
    summary.slowDowns = throttle.stats.slowDowns;
    await Promise.all([indexHttp.close(), fetcher.close()]);
    store?.close();
  }
}

interface DrawContext {
  opts: SampleRunOptions;
  summary: SampleSummary;
  draws: Array<{ stratum?: SampleStratum; filter: NormalizedFilter; want: number }>;
  backend: 'zipnum' | 'cdx-api';
  indexUrl: string;
  dataUrl: string;
  indexHttp: HttpClient;
  fetcher: RecordFetcher;
}

/**
 * Draws (or finds stored) each crawl's samples and records their plans; a new draw is
 * saved as pending rows unless this is a dry run.
 */
async function drawSamples(ctx: DrawContext, crawls: CrawlInfo[], store: Store | null, runId: number | null): Promise<void> {
  const { opts, summary, draws, backend, indexUrl, dataUrl, indexHttp, fetcher } = ctx;
  const zipnum = new ZipnumIndexes(fetcher.http, dataUrl, opts.cacheDir ?? defaultCacheDir());
  for (const crawl of crawls) {
    zipnum.forCrawl(crawl.id);
    for (const draw of draws) {
      const stratum = draw.stratum?.id;
      const spec: SampleSpec = {
        crawl: crawl.id,
        seed: draw.stratum?.seed ?? opts.seed,
        want: draw.want,
        backend,
        filter: draw.filter,
        urlPattern: opts.urlPattern ?? null,
        matchType: opts.matchType ?? null,
        // Undefined: read from the index when drawing. The key still hashes 3000 then, so
        // samples stored before the block size was detected keep their keys.
        linesPerBlock: backend === 'zipnum' ? opts.linesPerBlock : undefined,
      };
      const key = (draw.stratum?.keyPrefix ?? '') + sampleKey(spec);
      const stored = store ? findSampleDraw(store, crawl.id, key) : undefined;
      if (stored && store) {
        const rows = opts.dryRun ? rowsToFetch(store, [key], { includeFailed: opts.retryFailed, limit: 1_000_000 }) : [];
        summary.plans.push({
          crawl: crawl.id,
          stratum,
          sampleKey: key,
          backend,
          wanted: stored.wanted,
          drawn: stored.drawn,
          reused: true,
          short: stored.drawn < stored.wanted,
          toFetch: rows,
        });
        opts.onEvent?.({ type: 'draw-done', crawl: crawl.id, stratum, drawn: stored.drawn, wanted: stored.wanted, reused: true, indexRequests: 0 });
        continue;
      }
      opts.onEvent?.({ type: 'draw-start', crawl: crawl.id, backend, stratum });
      const result: DrawResult & { zipnum?: ZipnumDrawInfo } =
        backend === 'zipnum'
          ? await drawZipnum(spec, zipnum, opts.maxDraws)
          : await drawFromCdxApi(spec, new CdxApiClient(indexHttp, cdxEndpoint(indexUrl, crawl.id, crawl.cdxApi)), {
              maxPages: opts.maxPages,
            });
      const name = `${crawl.id}${stratum ? ` ${stratum}` : ''}`;
      const z = result.zipnum;
      if (z) {
        if (z.refetched)
          opts.onEvent?.({ type: 'log', message: `${name}: the cached cluster.idx did not match the server's shards; downloaded it again` });
        if (z.detected && z.linesPerBlock !== CC_LINES_PER_BLOCK) {
          opts.onEvent?.({ type: 'log', message: `${name}: zipnum blocks hold up to ${z.linesPerBlock} lines (read from the index)` });
        }
      }
      if (result.short && result.records.length < spec.want / 2) {
        const d = result.details;
        const why =
          z && d.draws > 0 && d.beyondBlock / d.draws > 0.9
            ? `; ${Math.round((100 * d.beyondBlock) / d.draws)}% of draws fell past the end of a block: is --lines-per-block ${z.linesPerBlock} too large?`
            : '; the filters match few lines';
        opts.onEvent?.({ type: 'log', message: `warning: ${name}: only ${result.records.length} of ${spec.want} eligible lines found${why}` });
      }
      if (store && !opts.dryRun) {
        saveSampleDraw(
          store,
          { crawl: crawl.id, sampleKey: key, settings: spec, wanted: spec.want, indexRequests: result.indexRequests, runId },
          result.records,
        );
      }
      summary.plans.push({
        crawl: crawl.id,
        stratum,
        sampleKey: key,
        backend,
        wanted: spec.want,
        drawn: result.records.length,
        reused: false,
        short: result.short,
        toFetch: opts.dryRun ? result.records : [],
      });
      opts.onEvent?.({
        type: 'draw-done',
        crawl: crawl.id,
        stratum,
        drawn: result.records.length,
        wanted: spec.want,
        reused: false,
        indexRequests: result.indexRequests,
      });
    }
  }
}

/** Sample keys this run fetches and counts: its draws' and any the caller adds. */
function fetchKeys(store: Store, summary: SampleSummary, opts: SampleRunOptions): string[] {
  const own = summary.plans.map((p) => p.sampleKey);
  return opts.fetchKeys ? [...new Set([...own, ...opts.fetchKeys(store, own)])] : own;
}

/**
 * Fetches every pending row of the run's samples through the ingestion loop; each row's
 * state commits with its record, every `commitEvery` rows.
 */
async function fetchPending(
  store: Store,
  writer: StoreWriter,
  fetcher: RecordFetcher,
  summary: SampleSummary,
  opts: SampleRunOptions,
  runId: number | null,
): Promise<void> {
  const keys = fetchKeys(store, summary, opts);
  // A shard fetches one contiguous block of the plan's rows (all states, id order), so copies of
  // one plan split it the same way however far each shard has got.
  const bounds = opts.shard ? blockBounds(sampleSize(store, keys), opts.shard) : null;
  const idRange = bounds ? sampleIdRange(store, keys, bounds.start, bounds.end) : undefined;
  const total = idRange
    ? countRowsToFetch(store, keys, { includeFailed: opts.retryFailed, idRange })
    : sampleCounts(store, keys).reduce((n, c) => n + c.pending + (opts.retryFailed ? c.failed : 0), 0);
  opts.onEvent?.({ type: 'fetch-start', total });
  const t0 = Date.now();
  const tally: SampleFetchTally = { fetched: 0, failed: 0, bytes: 0, failures: summary.failures };
  const source = pendingRowsSource({
    store,
    fetcher,
    sampleKeys: keys,
    runId,
    includeFailed: opts.retryFailed,
    idRange,
    concurrency: opts.concurrency ?? 2,
    shouldStop: () => !!opts.shouldStop?.() || !!opts.signal?.aborted,
    tally,
    onRow: (row, r) =>
      opts.onEvent?.(
        r.ok
          ? { type: 'record', ok: true, crawl: row.crawl, url: row.url }
          : { type: 'record', ok: false, crawl: row.crawl, url: row.url, code: r.code, message: r.message },
      ),
  });
  try {
    const result = await ingest(source, {
      writer,
      pool: opts.pool,
      commitEvery: Math.max(1, opts.commitEvery ?? 1),
      maxInFlight: 1,
      // No shouldStop here: the source stops starting requests and still yields (and so stores)
      // the ones in flight, which the server has already delivered.
    });
    summary.interrupted = result.stopped || !!opts.shouldStop?.() || !!opts.signal?.aborted;
    summary.documents += result.units.reduce((n, u) => n + u.documents, 0);
  } finally {
    writer.flush();
    summary.fetched = tally.fetched;
    summary.failed = tally.failed;
    summary.bytes = tally.bytes;
    summary.fetchMs = Date.now() - t0;
    summary.recordsPerSecond = summary.fetchMs > 0 ? (summary.fetched * 1000) / summary.fetchMs : 0;
  }
}

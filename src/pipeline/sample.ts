/**
 * `ccaudit sample` end to end: crawl list → draw each crawl's sample (zipnum or CDX API) →
 * store it as `pending` rows → range-fetch the pending rows → extract → store, marking each
 * row `fetched` in the same transaction as its record. A killed run resumes from the stored
 * sample and fetches only rows still pending.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { openStore, StoreWriter, markAbandonedRuns, type Store } from '../store/index.js';
import {
  findSampleDraw,
  markSampleFailed,
  markSampleFetched,
  rowsToFetch,
  sampleCounts,
  saveSampleDraw,
  type SampleCounts,
  type SampleRow,
} from '../store/sample.js';
import type { CdxRecord } from '../sources/commoncrawl/cdxj.js';
import { CdxApiClient, cdxEndpoint, type MatchType } from '../sources/commoncrawl/cdx-api.js';
import { parseCollinfo, selectCrawls, type CrawlInfo, type CrawlSelection } from '../sources/commoncrawl/collinfo.js';
import { DEFAULT_DATA_URL, DEFAULT_INDEX_URL, HttpClient, RecordFetcher, type HttpStats } from '../sources/commoncrawl/fetcher.js';
import { ingestRecord } from './ingest-record.js';
import type { ExtractPool } from './pool.js';
import { GaveUpError, Throttle, type RetryPolicy } from '../core/retry.js';
import {
  drawFromCdxApi,
  drawFromZipnum,
  filterSurtPrefixes,
  normalizeFilter,
  sampleKey,
  type NormalizedFilter,
  type SampleFilter,
  type SampleSpec,
} from '../sources/commoncrawl/sampler.js';
import { BlockReader, CC_LINES_PER_BLOCK, openClusterIndex, type ClusterIndex } from '../sources/commoncrawl/zipnum.js';

export interface SampleRunOptions {
  /** Extraction/scoring pool (worker threads, detectors); default: inline extraction, no scoring. */
  pool?: ExtractPool;
  /** Index server (collinfo.json, CDX API). Default $CCAUDIT_INDEX_URL or https://index.commoncrawl.org. */
  indexUrl?: string;
  /** Data server (WARC files, zipnum index). Default $CCAUDIT_DATA_URL or https://data.commoncrawl.org. */
  dataUrl?: string;
  /** Read the crawl list from this local file instead of <index-url>/collinfo.json. */
  collinfoFile?: string;
  /** The crawl list, already loaded (then neither collinfoFile nor the index server is read). */
  crawlList?: CrawlInfo[];
  crawls: CrawlSelection;
  perCrawl: number;
  /**
   * Draw these sub-samples from every crawl instead of one sample of `perCrawl` lines
   * (baseline strata). Each has its own quota, filter, random stream and store key.
   */
  strata?: SampleStratum[];
  /**
   * More sample keys whose pending rows this run fetches besides its own draws' (a baseline
   * re-run finishes earlier draws of the same strata). Called with the open store.
   */
  fetchKeys?(store: Store, planKeys: string[]): string[];
  /** Extra fields for the run's `args` in the runs table. */
  runArgs?: Record<string, unknown>;
  seed: string;
  /** 'auto': CDX API when a URL pattern is given, else zipnum. */
  backend?: 'auto' | 'zipnum' | 'cdx-api';
  urlPattern?: string;
  matchType?: MatchType;
  filter?: SampleFilter;
  linesPerBlock?: number;
  /** Where cluster.idx files are kept between runs. */
  cacheDir?: string;
  /** Concurrent range requests. Default 2 (the service is shared). */
  concurrency?: number;
  /** Concurrent index-server requests. Default 1. */
  indexConcurrency?: number;
  rps?: number;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** 403 slow-down tuning (tests shorten it). */
  slowDown?: { pauseMs?: number; slowIntervalMs?: number; recoverAfter?: number };
  db: string;
  dryRun?: boolean;
  /** Fetch rows that failed before (not only pending ones). */
  retryFailed?: boolean;
  /**
   * Commit after this many finished rows. Default 1: a commit is cheap next to a range request
   * (WAL, synchronous=NORMAL), and a killed run then re-fetches at most the requests in flight.
   */
  commitEvery?: number;
  /** CDX API: most pages to read per crawl. Default 10. */
  maxPages?: number;
  /** zipnum: most line draws per crawl. */
  maxDraws?: number;
  /** Stop fetching (after in-flight requests) when this returns true (SIGINT). */
  shouldStop?(): boolean;
  onEvent?(event: SampleEvent): void;
}

/** One sub-sample drawn from every crawl of a run (a baseline stratum). */
export interface SampleStratum {
  /** Names it in plans and events ("eng/com"). */
  id: string;
  /** Lines wanted from each crawl (> 0). */
  want: number;
  /** Merged over the run's filter (statuses and MIME types stay the run's). */
  filter: Pick<SampleFilter, 'languages' | 'tlds' | 'hosts' | 'exclude'>;
  /** Seed of its random stream: distinct per stratum, so strata draws are independent. */
  seed: string;
  /** Put before the spec hash to form the store key ("baseline:2022-11-30:eng/com:"). */
  keyPrefix: string;
}

export type SampleEvent =
  | { type: 'crawls'; crawls: string[] }
  | { type: 'draw-start'; crawl: string; backend: string; stratum?: string }
  | { type: 'draw-done'; crawl: string; drawn: number; wanted: number; reused: boolean; indexRequests: number; stratum?: string }
  | { type: 'fetch-start'; total: number }
  | { type: 'record'; ok: boolean; crawl: string; url: string; code?: string; message?: string }
  | { type: 'retry'; url: string; code: string; attempt: number; delayMs: number }
  | { type: 'log'; message: string };

export interface CrawlPlan {
  crawl: string;
  /** The stratum of a stratified (baseline) run. */
  stratum?: string;
  sampleKey: string;
  backend: 'zipnum' | 'cdx-api';
  wanted: number;
  drawn: number;
  reused: boolean;
  short: boolean;
  /** Rows (dry run: drawn lines) still to fetch. */
  toFetch: Array<Pick<CdxRecord, 'url' | 'filename' | 'offset' | 'length'>>;
}

export interface SampleSummary {
  runId: number | null;
  dryRun: boolean;
  plans: CrawlPlan[];
  fetched: number;
  failed: number;
  documents: number;
  /** Rows left pending (interrupted run). */
  pending: number;
  interrupted: boolean;
  elapsedMs: number;
  fetchMs: number;
  /** Records fetched per second during the fetch phase. */
  recordsPerSecond: number;
  bytes: number;
  http: { index: HttpStats; data: HttpStats };
  slowDowns: number;
  counts: SampleCounts[];
  failures: Record<string, number>;
}

export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(base, 'ccaudit');
}

/** Endpoints from options, then environment, then Common Crawl's. */
export function endpoints(opts: { indexUrl?: string; dataUrl?: string }): { indexUrl: string; dataUrl: string } {
  const clean = (u: string) => u.replace(/\/+$/, '');
  return {
    indexUrl: clean(opts.indexUrl ?? process.env.CCAUDIT_INDEX_URL ?? DEFAULT_INDEX_URL),
    dataUrl: clean(opts.dataUrl ?? process.env.CCAUDIT_DATA_URL ?? DEFAULT_DATA_URL),
  };
}

export async function loadCrawlList(http: HttpClient, indexUrl: string, file?: string): Promise<CrawlInfo[]> {
  if (file) return parseCollinfo(JSON.parse(await readFile(file, 'utf8')), file);
  const url = `${indexUrl}/collinfo.json`;
  const reply = await http.get(url);
  let json: unknown;
  try {
    json = JSON.parse(reply.body.toString('utf8'));
  } catch {
    throw new Error(`${url} is not JSON`);
  }
  return parseCollinfo(json, url);
}

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
  const backend: 'zipnum' | 'cdx-api' =
    backendChoice === 'auto' ? (opts.urlPattern ? 'cdx-api' : 'zipnum') : backendChoice;
  if (backend === 'cdx-api' && !opts.urlPattern) throw new Error('the CDX API back end needs --url PATTERN');
  if (backend === 'zipnum' && opts.urlPattern) {
    throw new Error('--url needs the CDX API back end (zipnum samples whole crawls; use --host/--tld to restrict it)');
  }

  const throttle = new Throttle({ rps: opts.rps, ...opts.slowDown });
  const onRetry = (info: { url: string; code: string; attempt: number; delayMs: number }) =>
    opts.onEvent?.({ type: 'retry', ...info });
  const common = { throttle, timeoutMs: opts.timeoutMs, retry: opts.retry, onRetry };
  const indexHttp = new HttpClient({ ...common, concurrency: opts.indexConcurrency ?? 1 });
  const fetcher = new RecordFetcher({ ...common, dataUrl, concurrency: opts.concurrency ?? 2 });

  let store: Store | null = null;
  let writer: StoreWriter | null = null;
  let runId: number | null = null;
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

    if (opts.dryRun) {
      // Look at an existing store without changing it; never create one.
      if (existsSync(opts.db)) {
        try {
          store = openStore(opts.db, { readonly: true });
        } catch {
          store = null;
        }
      }
    } else {
      store = openStore(opts.db);
      markAbandonedRuns(store);
      writer = new StoreWriter(store, { batchSize: 1000 });
      runId = writer.beginRun('sample', {
        crawls: crawls.map((c) => c.id),
        perCrawl: opts.perCrawl,
        seed: opts.seed,
        backend,
        urlPattern: opts.urlPattern ?? null,
        filter,
        ...opts.runArgs,
      });
      summary.runId = runId;
    }

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
          linesPerBlock: opts.linesPerBlock ?? CC_LINES_PER_BLOCK,
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
        const result =
          backend === 'zipnum'
            ? await drawZipnum(spec, zipnum, opts.maxDraws)
            : await drawFromCdxApi(spec, new CdxApiClient(indexHttp, cdxEndpoint(indexUrl, crawl.id, crawl.cdxApi)), {
                maxPages: opts.maxPages,
              });
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

    if (!opts.dryRun && store && writer) {
      await fetchPending(store, writer, fetcher, summary, opts, runId);
    }
    if (store) summary.counts = sampleCounts(store, fetchKeys(store, summary, opts));
    summary.pending = summary.counts.reduce((n, c) => n + c.pending, 0);
    if (writer && runId !== null) {
      writer.finishRun(runId, summary.interrupted ? 'interrupted' : 'completed', {
        fetched: summary.fetched,
        failed: summary.failed,
        pending: summary.pending,
        failures: summary.failures,
      });
    }
    return summary;
  } catch (err) {
    if (writer && runId !== null) {
      try {
        writer.finishRun(runId, 'failed', { error: (err as Error).message });
      } catch {
        /* keep the original error */
      }
    }
    throw err;
  } finally {
    summary.elapsedMs = Date.now() - started;
    summary.slowDowns = throttle.stats.slowDowns;
    await Promise.all([indexHttp.close(), fetcher.close()]);
    store?.close();
  }
}

interface ZipnumEntry {
  index: ClusterIndex;
  reader: BlockReader;
  /** cluster.idx was downloaded for it and no draw has counted that request yet. */
  uncountedDownload: boolean;
}

/**
 * The zipnum indexes of the crawl being drawn, one per SURT-prefix restriction, each with its
 * block reader: strata of one crawl share the parsed cluster.idx (≈100 MB for a recent crawl)
 * and the block cache instead of loading them once per stratum.
 */
class ZipnumIndexes {
  private crawl = '';
  private readonly byPrefixes = new Map<string, Promise<ZipnumEntry>>();

  constructor(
    readonly http: HttpClient,
    readonly dataUrl: string,
    readonly cacheDir: string,
  ) {}

  /** Drops the previous crawl's indexes (bounded memory: one crawl at a time). */
  forCrawl(crawl: string): void {
    if (crawl !== this.crawl) this.byPrefixes.clear();
    this.crawl = crawl;
  }

  get(prefixes: string[] | null) {
    const k = JSON.stringify(prefixes);
    let entry = this.byPrefixes.get(k);
    if (!entry) {
      const crawl = this.crawl;
      entry = openClusterIndex(this.http, this.dataUrl, crawl, this.cacheDir, { prefixes: prefixes ?? undefined }).then(
        ({ index, downloaded }) => ({ index, reader: new BlockReader(this.http, this.dataUrl, crawl, index), uncountedDownload: downloaded }),
      );
      entry.catch(() => this.byPrefixes.delete(k));
      this.byPrefixes.set(k, entry);
    }
    return entry;
  }
}

async function drawZipnum(spec: SampleSpec, zipnum: ZipnumIndexes, maxDraws?: number) {
  const entry = await zipnum.get(filterSurtPrefixes(spec.filter));
  const { index, reader } = entry;
  const readsBefore = reader.reads;
  const download = entry.uncountedDownload ? 1 : 0;
  entry.uncountedDownload = false;
  const result = await drawFromZipnum(spec, index, (i) => reader.lines(i), { maxDraws });
  // Count HTTP requests, not block look-ups (cached blocks cost nothing).
  return { ...result, indexRequests: reader.reads - readsBefore + download };
}

/** Sample keys this run fetches and counts: its draws' and any the caller adds. */
function fetchKeys(store: Store, summary: SampleSummary, opts: SampleRunOptions): string[] {
  const own = summary.plans.map((p) => p.sampleKey);
  return opts.fetchKeys ? [...new Set([...own, ...opts.fetchKeys(store, own)])] : own;
}

/**
 * Fetches every pending row of the run's samples with `concurrency` workers. Results are
 * committed every `commitEvery` rows: writer rows and row states in one transaction.
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
  const total = sampleCounts(store, keys).reduce((n, c) => n + c.pending + (opts.retryFailed ? c.failed : 0), 0);
  opts.onEvent?.({ type: 'fetch-start', total });
  const t0 = Date.now();
  const commitEvery = Math.max(1, opts.commitEvery ?? 1);
  let fetchedBatch: Array<{ id: number; attempts: number }> = [];
  let failedBatch: Array<{ id: number; reason: string; attempts: number }> = [];
  const commit = store.db.transaction(() => {
    writer.flush();
    markSampleFetched(store, fetchedBatch, runId);
    for (const f of failedBatch) markSampleFailed(store, f.id, f.reason, f.attempts, runId);
  });
  const commitNow = () => {
    if (fetchedBatch.length === 0 && failedBatch.length === 0) return;
    commit.immediate();
    fetchedBatch = [];
    failedBatch = [];
  };

  // Rows are read page by page so a huge sample is never all in memory.
  let afterId = 0;
  let page: SampleRow[] = [];
  let exhausted = false;
  const nextRow = (): SampleRow | null => {
    if (page.length === 0 && !exhausted) {
      page = rowsToFetch(store, keys, { includeFailed: opts.retryFailed, afterId, limit: 500 });
      if (page.length === 0) exhausted = true;
      else afterId = page[page.length - 1].id;
    }
    return page.shift() ?? null;
  };

  const worker = async () => {
    for (;;) {
      if (opts.shouldStop?.()) {
        summary.interrupted = true;
        return;
      }
      const row = nextRow();
      if (!row) return;
      try {
        const got = await fetcher.fetch(row);
        const r = await ingestRecord(got.record, writer, opts.pool);
        summary.bytes += got.bytes.length;
        if (r.document) summary.documents++;
        fetchedBatch.push({ id: row.id, attempts: got.attempts });
        summary.fetched++;
        opts.onEvent?.({ type: 'record', ok: true, crawl: row.crawl, url: row.url });
      } catch (err) {
        const code = err instanceof GaveUpError ? err.code : 'error';
        const attempts = err instanceof GaveUpError ? err.attempts : 1;
        const message = (err as Error).message;
        failedBatch.push({ id: row.id, reason: `${code}: ${message}`, attempts });
        summary.failed++;
        summary.failures[code] = (summary.failures[code] ?? 0) + 1;
        opts.onEvent?.({ type: 'record', ok: false, crawl: row.crawl, url: row.url, code, message });
      }
      if (fetchedBatch.length + failedBatch.length >= commitEvery) commitNow();
    }
  };
  const n = Math.max(1, opts.concurrency ?? 2);
  try {
    await Promise.all(Array.from({ length: n }, worker));
  } finally {
    commitNow();
    summary.fetchMs = Date.now() - t0;
    summary.recordsPerSecond = summary.fetchMs > 0 ? (summary.fetched * 1000) / summary.fetchMs : 0;
  }
}

/** Options, events and results of a Common Crawl sample run. */
import type { Store } from '../store/index.js';
import type { SampleCounts } from '../store/sample.js';
import type { CdxRecord } from '../sources/commoncrawl/cdxj.js';
import type { MatchType } from '../sources/commoncrawl/cdx-api.js';
import type { CrawlInfo, CrawlSelection } from '../sources/commoncrawl/collinfo.js';
import type { HttpStats } from '../sources/commoncrawl/fetcher.js';
import type { RetryPolicy } from '../core/retry.js';
import type { SampleFilter } from '../sources/commoncrawl/sampler.js';
import type { StagePool } from './stage-pool.js';
import type { Shard } from '../core/shard.js';

export interface SampleRunOptions {
  /** Extraction/scoring pool (worker threads, detectors); default: inline extraction, no scoring. */
  pool?: StagePool;
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
  /** Draw and store the sample plan, fetch nothing (shards then fetch their parts of copies of it). */
  planOnly?: boolean;
  /** Fetch only this shard's rows: contiguous blocks of the plan's rows in id order. */
  shard?: Shard | null;
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
  /**
   * Aborting it stops the run within moments: throttle waits and back-offs end, no request
   * starts, replies already in flight are stored, rows not fetched stay pending.
   */
  signal?: AbortSignal;
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

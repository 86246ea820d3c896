/**
 * `ccaudit sample --baseline`: a pre-AI baseline sample drawn from crawls that ended
 * before the cutoff, split into (language, TLD) strata in the audited documents' proportions.
 *
 * Crawls: only crawls whose whole capture window ends before the cutoff day; by default the N
 * newest of them (topics close to the audited months). Strata: src/sources/commoncrawl/baseline-strata.ts.
 * Each stratum of each crawl is one stored draw with its own random stream (seed, stratum,
 * crawl) and sample key `baseline:<cutoff>:<stratum>:<hash>` (src/store/sample.ts), so draws
 * are reproducible per seed, resumable like normal samples, and told apart from them.
 */
import { existsSync } from 'node:fs';
import { openStore } from '../store/index.js';
import { auditStrataCounts, baselineDraws, baselineKeyPrefix } from '../store/baseline-samples.js';
import { DEFAULT_CUTOFF } from '../store/baseline-queries.js';
import {
  allocateBaseline,
  BaselineStrataError,
  parseMatchStrata,
  type BaselineAllocation,
  type StratumCell,
} from '../sources/commoncrawl/baseline-strata.js';
import { CollinfoError, crawlMonth, selectCrawls, type CrawlInfo } from '../sources/commoncrawl/collinfo.js';
import { HttpClient } from '../sources/commoncrawl/fetcher.js';
import { endpoints, loadCrawlList, runSample, type SampleRunOptions, type SampleStratum, type SampleSummary } from './sample.js';

/** Default number of pre-cutoff crawls drawn from (the newest ones). */
export const DEFAULT_BASELINE_CRAWLS = 2;

/** Bad flags or a refused crawl: the CLI exits 2. */
export class BaselineUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineUsageError';
  }
}

/** Checks a cutoff day (YYYY-MM-DD, a real date) and returns it. */
export function parseCutoff(text: string): string {
  const t = text.trim();
  const ms = Date.parse(`${t}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(t) || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== t) {
    throw new BaselineUsageError(`--cutoff "${text}" is not a date YYYY-MM-DD`);
  }
  return t;
}

/** Does the crawl's whole capture window end before the cutoff day (00:00 UTC)? */
export function endsBeforeCutoff(crawl: CrawlInfo, cutoff: string): boolean {
  return Date.parse(crawl.to + 'Z') < Date.parse(`${cutoff}T00:00:00Z`);
}

export interface BaselineCrawlSelection {
  cutoff: string;
  /** Explicit crawl ids: each must end before the cutoff. */
  ids?: string[];
  /** Month range (YYYY-MM, by crawl month), within the pre-cutoff range. */
  from?: string;
  to?: string;
  perMonth?: 'one' | 'all';
  /** The N newest pre-cutoff crawls (of the range, if given). Default 2 without ids or range. */
  count?: number;
}

/**
 * Pre-cutoff crawls to draw from, oldest first, and the crawls of the month range left out
 * because they end on or after the cutoff. Refuses (BaselineUsageError) explicit crawls or
 * ranges after the cutoff; CollinfoError for unknown ids or an empty selection.
 */
export function selectBaselineCrawls(all: CrawlInfo[], sel: BaselineCrawlSelection): { crawls: CrawlInfo[]; leftOut: CrawlInfo[] } {
  const cutoffMonth = sel.cutoff.slice(0, 7);
  const byId = new Map(all.map((c) => [c.id, c]));
  const ids = sel.ids ?? [];
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    throw new CollinfoError(`unknown crawl id(s): ${unknown.join(', ')} (collinfo lists ${all.length} crawls, newest ${all[0]?.id ?? 'none'})`);
  }
  for (const id of ids) {
    const c = byId.get(id)!;
    if (!endsBeforeCutoff(c, sel.cutoff)) {
      throw new BaselineUsageError(
        `crawl ${id} (${c.from.slice(0, 10)} to ${c.to.slice(0, 10)}) does not end before the baseline cutoff ${sel.cutoff}; ` +
          `baseline crawls must end before it`,
      );
    }
  }
  for (const [flag, m] of [
    ['--from', sel.from],
    ['--to', sel.to],
  ] as const) {
    if (m !== undefined && /^\d{4}-\d{2}$/.test(m) && m > cutoffMonth) {
      throw new BaselineUsageError(`${flag} ${m} is after the baseline cutoff ${sel.cutoff}; baseline crawls must end before it`);
    }
  }
  const pre = all.filter((c) => endsBeforeCutoff(c, sel.cutoff));
  if (pre.length === 0) throw new CollinfoError(`no crawl in collinfo.json ends before the baseline cutoff ${sel.cutoff}`);
  const hasRange = sel.from !== undefined || sel.to !== undefined;
  const count = sel.count ?? (ids.length > 0 || hasRange ? undefined : DEFAULT_BASELINE_CRAWLS);
  const crawls = selectCrawls(pre, { ids, from: sel.from, to: sel.to, perMonth: sel.perMonth, latest: count });
  const inRange = (c: CrawlInfo) => {
    const m = crawlMonth(c);
    return (sel.from === undefined || m >= sel.from) && (sel.to === undefined || m <= sel.to);
  };
  const leftOut = hasRange ? all.filter((c) => !endsBeforeCutoff(c, sel.cutoff) && inRange(c)) : [];
  return { crawls, leftOut };
}

/** Where the strata proportions come from. */
export type BaselineMatch =
  /** The audited store: its documents crawled on or after the cutoff. */
  | { db: string }
  /** Hand-given weights (--match-strata text). */
  | { strata: string };

/** The audited (lang, tld) counts or hand-given weights, with a description of the source. */
export function matchCells(match: BaselineMatch, cutoff: string): { cells: StratumCell[]; source: string } {
  if ('strata' in match) {
    try {
      return { cells: parseMatchStrata(match.strata), source: '--match-strata' };
    } catch (err) {
      throw err instanceof BaselineStrataError ? new BaselineUsageError(err.message) : err;
    }
  }
  if (!existsSync(match.db)) {
    throw new BaselineStrataError(`no audit store at ${match.db}: give --match-db AUDIT.db or --match-strata LANG:TLD=WEIGHT,…`);
  }
  let rows: Array<{ lang: string | null; tld: string | null; n: number }>;
  try {
    const store = openStore(match.db, { readonly: true });
    try {
      rows = auditStrataCounts(store, cutoff);
    } finally {
      store.close();
    }
  } catch (err) {
    throw new BaselineStrataError(`cannot read the audit store ${match.db}: ${(err as Error).message}`);
  }
  if (rows.length === 0) {
    throw new BaselineStrataError(
      `the audit store ${match.db} has no documents crawled on or after the cutoff ${cutoff} to match: ` +
        `scan or sample the audited months first, or give --match-strata`,
    );
  }
  return { cells: rows.map((r) => ({ lang: r.lang, tld: r.tld, count: r.n })), source: match.db };
}

export interface BaselineRunOptions
  extends Omit<SampleRunOptions, 'crawls' | 'strata' | 'crawlList' | 'fetchKeys' | 'urlPattern' | 'matchType' | 'backend'> {
  /** Default DEFAULT_CUTOFF (2022-11-30). */
  cutoff?: string;
  crawls: Omit<BaselineCrawlSelection, 'cutoff'>;
  match: BaselineMatch;
  /** Default DEFAULT_MIN_SHARE for an audit store, 0 for hand-given strata. */
  minShare?: number;
}

/** What a baseline run draws (the dry run stops here). */
export interface BaselinePlan {
  cutoff: string;
  /** Pre-cutoff crawls drawn from, oldest first. */
  crawls: CrawlInfo[];
  /** Crawls of the month range left out because they end on or after the cutoff. */
  leftOut: CrawlInfo[];
  /** The audit store's path, or "--match-strata". */
  matchedTo: string;
  allocation: BaselineAllocation;
  /** Random-stream seed of each stratum (its draws in every crawl). */
  seeds: Record<string, string>;
}

export interface BaselineResult {
  plan: BaselinePlan;
  /** Null on a dry run. */
  summary: SampleSummary | null;
}

/** A stratum's seed: the user's seed and the stratum, so strata draw independent streams. */
export function stratumSeed(seed: string, stratum: string): string {
  return `${seed}\u0000baseline\u0000${stratum}`;
}

/** Allocation and crawl choice, without drawing: what `--dry-run` shows. */
export async function planBaseline(opts: BaselineRunOptions, http?: HttpClient): Promise<BaselinePlan> {
  const cutoff = opts.cutoff === undefined ? DEFAULT_CUTOFF : parseCutoff(opts.cutoff);
  // The allocation first: it needs no network, and its errors are the likelier ones.
  const { cells, source } = matchCells(opts.match, cutoff);
  const minShare = opts.minShare ?? ('strata' in opts.match ? 0 : undefined);
  const allocation = allocateBaseline(cells, { perCrawl: opts.perCrawl, minShare });
  const own = http ?? new HttpClient({ rps: opts.rps, timeoutMs: opts.timeoutMs, retry: opts.retry });
  let all: CrawlInfo[];
  try {
    all = await loadCrawlList(own, endpoints(opts).indexUrl, opts.collinfoFile);
  } finally {
    if (!http) await own.close();
  }
  const { crawls, leftOut } = selectBaselineCrawls(all, { ...opts.crawls, cutoff });
  const seeds = Object.fromEntries(allocation.strata.map((s) => [s.id, stratumSeed(opts.seed, s.id)]));
  return { cutoff, crawls, leftOut, matchedTo: source, allocation, seeds };
}

/** Plans, then (unless a dry run) draws every stratum of every crawl and fetches the rows. */
export async function runBaselineSample(opts: BaselineRunOptions): Promise<BaselineResult> {
  const plan = await planBaseline(opts);
  if (plan.leftOut.length > 0) {
    opts.onEvent?.({
      type: 'log',
      message: `left out ${plan.leftOut.map((c) => c.id).join(', ')}: not ended before the cutoff ${plan.cutoff}`,
    });
  }
  if (opts.dryRun) return { plan, summary: null };
  const strata: SampleStratum[] = plan.allocation.strata
    .filter((s) => s.quota > 0)
    .map((s) => ({
      id: s.id,
      want: s.quota,
      filter: s.filter,
      seed: plan.seeds[s.id],
      keyPrefix: baselineKeyPrefix(plan.cutoff, s.id),
    }));
  const crawlIds = plan.crawls.map((c) => c.id);
  const summary = await runSample({
    ...opts,
    backend: 'zipnum',
    crawlList: plan.crawls,
    crawls: { ids: crawlIds },
    strata,
    // Also finish rows left pending by earlier draws of the same strata and seed in these crawls
    // (a re-run after the audit store grew draws with new quotas, and overlapping lines keep
    // the key of the draw that stored them first).
    fetchKeys: (store) =>
      baselineDraws(store, { cutoff: plan.cutoff, crawls: crawlIds })
        .filter((d) => d.spec.seed === plan.seeds[d.stratum])
        .map((d) => d.sample_key),
    runArgs: {
      baseline: {
        cutoff: plan.cutoff,
        matchedTo: plan.matchedTo,
        minShare: plan.allocation.minShare,
        strata: plan.allocation.strata.map((s) => ({ id: s.id, count: s.count, quota: s.quota })),
      },
    },
  });
  return { plan, summary };
}

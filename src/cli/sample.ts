import { InvalidArgumentError, Option, type Command } from 'commander';
import { sample, sampleBaseline, type BaselinePlan, type SampleOptions, type SampleSummary } from '../pipeline/index.js';
import { openStagePool, type StagePool } from '../pipeline/stage-pool.js';
import { BaselineUsageError, DEFAULT_BASELINE_CRAWLS, parseCutoff } from '../pipeline/baseline-sample.js';
import { baselinePlanJson, formatBaselinePlan, formatSummary, SampleProgress, summaryJson } from './sample-output.js';
import { DEFAULT_MIN_SHARE, parseMatchStrata } from '../sources/commoncrawl/baseline-strata.js';
import { DEFAULT_CUTOFF } from '../store/baseline-queries.js';
import { collect, collectInt, collectList, DEFAULT_DB, positiveInt } from './options.js';
import { addScoringOptions, stageSettings, type ScoringFlags } from './scoring-options.js';
import { addShardFlag } from './shard-flag.js';
import type { Shard } from '../core/shard.js';

interface SampleCliOptions extends ScoringFlags {
  crawl: string[];
  from?: string;
  to?: string;
  allPerMonth?: boolean;
  latest?: number;
  perCrawl: number;
  seed: string;
  url?: string;
  matchType?: 'exact' | 'prefix' | 'host' | 'domain';
  backend: 'auto' | 'zipnum' | 'cdx-api';
  lang: string[];
  host: string[];
  tld: string[];
  status: number[];
  mime: string[];
  concurrency: number;
  rps?: number;
  timeout: number;
  maxAttempts: number;
  db: string;
  indexUrl?: string;
  dataUrl?: string;
  collinfo?: string;
  cacheDir?: string;
  linesPerBlock?: number;
  maxPages: number;
  retryFailed?: boolean;
  dryRun?: boolean;
  planOnly?: boolean;
  shard?: Shard;
  json?: boolean;
  baseline?: boolean;
  cutoff?: string;
  baselineCrawls?: number;
  matchDb?: string;
  matchStrata?: string;
  minShare?: number;
}

const positiveNumber = (v: string) => {
  const n = Number(v);
  if (!(n > 0)) throw new InvalidArgumentError(`expected a positive number, got "${v}"`);
  return n;
};
const shareArg = (v: string) => {
  const n = Number(v);
  if (!(n >= 0 && n < 1)) throw new InvalidArgumentError(`expected a share in [0, 1), got "${v}"`);
  return n;
};

const BASELINE_HELP = `
Baseline mode (--baseline): a pre-AI calibration sample. Crawls: only crawls
whose whole capture window ends before --cutoff (default ${DEFAULT_CUTOFF}); by default
the ${DEFAULT_BASELINE_CRAWLS} newest of them (--baseline-crawls N), or --crawl ids / --from/--to months
before the cutoff (a crawl after it is refused, exit 2). Strata: each crawl's
--per-crawl quota is split across (language, TLD) strata in the proportions of
the audited documents crawled on or after the cutoff in --match-db (default: the
--db store), or of hand-given weights (--match-strata
eng:com=3,eng:*=1,other=1). Quotas use largest-remainder rounding and sum to the
quota exactly. Cells below --min-share (default ${DEFAULT_MIN_SHARE} with --match-db, 0 with
--match-strata) are pooled: the rest of a language into "<lang>/*" (its other
TLDs), the rest into "other" (every line not in a named stratum). Languages are
the index's ISO 639-3 codes (franc's cmn, arb, pes … are matched as zho, ara,
fas …). Length cannot be filtered from the index: it is matched later by
post-stratification in the estimator. Rows are stored with sample keys
"baseline:<cutoff>:<stratum>:<hash>"; re-running the same command resumes.
--dry-run prints the allocation table and draws nothing.
`;

export function register(program: Command): void {
  const cmd = program
    .command('sample')
    .description(
      'Draw a reproducible random sample of HTML pages from Common Crawl crawls, range-fetch each record and ' +
        'store it like `scan` does. The sample is stored before fetching; re-running the same command resumes ' +
        'and never fetches a record twice.',
    )
    .option('--crawl <id>', 'crawl id, e.g. CC-MAIN-2024-22 (repeatable)', collect, [])
    .option('--from <YYYY-MM>', 'first month of a crawl range')
    .option('--to <YYYY-MM>', 'last month of a crawl range')
    .option('--all-per-month', 'with --from/--to: every crawl of each month, not only the newest')
    .option('--latest <n>', 'the N newest crawls', positiveInt)
    .requiredOption('--per-crawl <n>', 'records to sample from each crawl', positiveInt)
    .option('--seed <text>', 'random seed; the same seed gives the same sample', '1')
    .option('--url <pattern>', 'restrict to a URL pattern via the CDX API ("example.com/*", "*.example.com")')
    .addOption(new Option('--match-type <type>', 'CDX API matchType').choices(['exact', 'prefix', 'host', 'domain']))
    .addOption(
      new Option('--backend <name>', 'index back end (auto: CDX API with --url, else zipnum)').choices(['auto', 'zipnum', 'cdx-api']).default('auto'),
    )
    .option(
      '--lang <codes>',
      'primary language(s), ISO 639-3 (e.g. eng,deu); lines without languages (crawls before 2018) are left out; repeatable',
      collectList,
      [],
    )
    .option('--host <name>', 'host (and its subdomains); repeatable', collectList, [])
    .option('--tld <tld>', 'top-level domain(s), e.g. de; repeatable', collectList, [])
    .option('--status <code>', 'HTTP status to keep (default 200); repeatable', collectInt, [])
    .option('--mime <type>', 'detected MIME type to keep (default text/html, application/xhtml+xml); repeatable', collect, [])
    .option('--concurrency <n>', 'concurrent range requests (keep it small: the service is shared)', positiveInt, 2)
    .option('--rps <n>', 'at most this many requests per second', positiveNumber)
    .option('--timeout <ms>', 'per-request timeout', positiveInt, 60_000)
    .option('--max-attempts <n>', 'attempts per request before giving up', positiveInt, 8)
    .option('--db <path>', 'SQLite database', DEFAULT_DB)
    .option('--index-url <url>', 'index server (env CCAUDIT_INDEX_URL; default https://index.commoncrawl.org)')
    .option('--data-url <url>', 'data server (env CCAUDIT_DATA_URL; default https://data.commoncrawl.org)')
    .option('--collinfo <file>', 'read the crawl list from a local collinfo.json')
    .option('--cache-dir <dir>', 'where downloaded cluster.idx files are kept (default ~/.cache/ccaudit)')
    .option('--lines-per-block <n>', 'zipnum lines per block (default: read from the index; 3000 for Common Crawl)', positiveInt)
    .option('--max-pages <n>', 'CDX API: most result pages read per crawl', positiveInt, 10)
    .option('--retry-failed', 'also fetch records that failed in earlier runs')
    .option(
      '--dry-run',
      'draw (or load) the sample and show what would be fetched; fetch and store nothing (--baseline: print the allocation, draw nothing)',
    )
    .option('--plan-only', 'draw the sample and store it as pending rows, fetch nothing (copy the store to each shard, then --shard i/N)')
    .option('--json', 'print the summary as JSON on stdout')
    .option('--baseline', 'draw a pre-AI baseline sample matched to the audited strata (see below)')
    .option('--cutoff <YYYY-MM-DD>', `--baseline: crawls must end before this day (default ${DEFAULT_CUTOFF})`)
    .option('--baseline-crawls <n>', `--baseline: the N newest crawls ending before the cutoff (default ${DEFAULT_BASELINE_CRAWLS})`, positiveInt)
    .option('--match-db <file>', '--baseline: audit store whose documents after the cutoff give the strata shares (default: --db)')
    .option('--match-strata <list>', '--baseline: strata weights by hand, LANG:TLD=W,LANG:*=W,other=W')
    .option('--min-share <x>', '--baseline: cells with a smaller share of the audit are pooled', shareArg)
    .addHelpText('after', BASELINE_HELP);
  addShardFlag(cmd, "the stored sample's rows (contiguous blocks in draw order, all states)");
  addScoringOptions(cmd).action(async (opts: SampleCliOptions) => {
    process.exitCode = await runSampleCommand(opts);
  });
}

/** Flags that do not go together; null when the combination is fine. */
export function flagConflict(opts: SampleCliOptions): string | null {
  if (opts.planOnly && opts.shard) return '--plan-only draws the whole plan; give --shard to the runs that fetch it';
  if (opts.planOnly && opts.dryRun) return 'give --plan-only or --dry-run, not both';
  if (!opts.baseline) {
    const only = (
      [
        ['--cutoff', opts.cutoff],
        ['--baseline-crawls', opts.baselineCrawls],
        ['--match-db', opts.matchDb],
        ['--match-strata', opts.matchStrata],
        ['--min-share', opts.minShare],
      ] as const
    ).find(([, v]) => v !== undefined);
    return only ? `${only[0]} needs --baseline` : null;
  }
  if (opts.matchDb !== undefined && opts.matchStrata !== undefined) return 'give --match-db or --match-strata, not both';
  if (opts.lang.length || opts.tld.length || opts.host.length) {
    return '--baseline sets the language and TLD of each stratum itself: use --match-strata instead of --lang/--tld/--host';
  }
  if (opts.url !== undefined || opts.matchType !== undefined || opts.backend === 'cdx-api') {
    return '--baseline samples whole crawls (zipnum); --url, --match-type and --backend cdx-api do not apply';
  }
  if (opts.latest !== undefined) return 'with --baseline use --baseline-crawls N instead of --latest N';
  return null;
}

/** Runs the command; returns the exit code. */
export async function runSampleCommand(opts: SampleCliOptions): Promise<number> {
  let conflict = flagConflict(opts);
  if (!conflict && opts.baseline) {
    // Checked before the scoring pool starts: bad flag values are refused at once.
    try {
      if (opts.cutoff !== undefined) parseCutoff(opts.cutoff);
      if (opts.matchStrata !== undefined) parseMatchStrata(opts.matchStrata);
    } catch (err) {
      conflict = (err as Error).message;
    }
  }
  if (conflict) {
    process.stderr.write(`ccaudit sample: ${conflict}\n`);
    return 2;
  }
  let pool: StagePool | undefined;
  if (!opts.dryRun && !opts.planOnly) {
    try {
      pool = await openStagePool(stageSettings(opts));
    } catch (err) {
      process.stderr.write(`ccaudit sample: ${(err as Error).message}\n`);
      return 2;
    }
  }
  const progress = new SampleProgress(!!opts.json);
  let stop = false;
  const abort = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (stop) process.exit(130);
    stop = true;
    const again = sig === 'SIGINT' ? 'Ctrl-C again' : `${sig} again`;
    progress.note(`${sig} received: stopping now (replies in flight are stored, the rest stays pending; ${again} to quit at once)`);
    abort.abort(new Error(`stopped by ${sig}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const runOpts: SampleOptions = {
    indexUrl: opts.indexUrl,
    dataUrl: opts.dataUrl,
    collinfoFile: opts.collinfo,
    crawls: {
      ids: opts.crawl,
      from: opts.from,
      to: opts.to,
      perMonth: opts.allPerMonth ? 'all' : 'one',
      latest: opts.latest,
    },
    perCrawl: opts.perCrawl,
    seed: opts.seed,
    backend: opts.backend,
    urlPattern: opts.url,
    matchType: opts.matchType,
    filter: {
      languages: opts.lang,
      hosts: opts.host,
      tlds: opts.tld,
      statuses: opts.status.length ? opts.status : undefined,
      mimes: opts.mime.length ? opts.mime : undefined,
    },
    linesPerBlock: opts.linesPerBlock,
    cacheDir: opts.cacheDir,
    concurrency: opts.concurrency,
    rps: opts.rps,
    timeoutMs: opts.timeout,
    retry: { maxAttempts: opts.maxAttempts },
    db: opts.db,
    dryRun: opts.dryRun,
    planOnly: opts.planOnly,
    shard: opts.shard,
    retryFailed: opts.retryFailed,
    maxPages: opts.maxPages,
    shouldStop: () => stop,
    signal: abort.signal,
    pool,
    onEvent: (e) => progress.event(e),
  };
  let summary: SampleSummary | null;
  let plan: BaselinePlan | null = null;
  try {
    if (opts.baseline) {
      const result = await sampleBaseline(baselineOptions(runOpts, opts));
      plan = result.plan;
      summary = result.summary;
    } else summary = await sample(runOpts);
  } catch (err) {
    progress.stop();
    process.stderr.write(`ccaudit sample: ${(err as Error).message}\n`);
    return err instanceof BaselineUsageError ? 2 : 1;
  } finally {
    await pool?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  progress.stop();
  if (opts.json) {
    const json = plan ? { baseline: baselinePlanJson(plan), ...(summary ? summaryJson(summary) : { dryRun: true }) } : summaryJson(summary!);
    process.stdout.write(JSON.stringify(json, null, 2) + '\n');
  } else {
    if (plan) process.stdout.write(formatBaselinePlan(plan) + (summary ? '' : 'Dry run: nothing drawn, fetched or stored.\n'));
    if (summary) process.stdout.write(formatSummary(summary));
  }
  return summary?.interrupted ? 130 : 0;
}

function baselineOptions(run: SampleOptions, opts: SampleCliOptions): Parameters<typeof sampleBaseline>[0] {
  const { crawls, perCrawl, urlPattern: _u, matchType: _m, backend: _b, ...rest } = run;
  return {
    ...rest,
    perCrawl,
    cutoff: opts.cutoff,
    crawls: { ids: crawls.ids, from: crawls.from, to: crawls.to, perMonth: crawls.perMonth, count: opts.baselineCrawls },
    match: opts.matchStrata !== undefined ? { strata: opts.matchStrata } : { db: opts.matchDb ?? opts.db },
    minShare: opts.minShare,
  };
}

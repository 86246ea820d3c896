/**
 * `ccaudit synthesize`: AI references for domain-matched calibration. Asks an
 * OpenAI-compatible chat model to write an article imitating each chosen pre-cutoff page
 * and stores the answers in reference_texts. Heavy lifting lives in src/synthesize/.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_CUTOFF } from '../store/baseline-queries.js';
import { openStore, type Store } from '../store/index.js';
import { withRun } from '../pipeline/run.js';
import { defaultSetName, runSynthesis, type SynthesisEvent } from '../synthesize/run.js';
import { synthesisDryRun } from '../synthesize/dry-run.js';
import { formatSummary, type SynthesisSummary } from '../synthesize/summary.js';
import { chatCompletionsUrl } from '../synthesize/chat-client.js';
import type { SelectionOptions } from '../synthesize/select.js';
import { DEFAULT_DB, positiveInt } from './options.js';
import { countProgress, type CountProgress } from './progress.js';
import { addReferenceScoringOptions, formatReferenceScoring, scoreReferences, type ReferenceScoringFlags } from './reference-scoring.js';

interface SynthesizeFlags extends ReferenceScoringFlags {
  db: string;
  llmUrl: string;
  model: string;
  n: number;
  cutoff: string;
  dateBasis: 'crawl' | 'publication';
  set?: string;
  apiKeyEnv: string;
  concurrency: number;
  rps?: number;
  timeout: number;
  maxTokens: number;
  maxAttempts: number;
  temperature: number;
  seed: string;
  minWords: number;
  stratify: boolean;
  priceIn?: number;
  priceOut?: number;
  json?: boolean;
  dryRun?: boolean;
}

const positiveNumber = (v: string): number => {
  const n = Number(v);
  if (!(Number.isFinite(n) && n > 0)) throw new InvalidArgumentError(`expected a positive number, got "${v}"`);
  return n;
};

const nonNegativeNumber = (v: string): number => {
  const n = Number(v);
  if (!(Number.isFinite(n) && n >= 0)) throw new InvalidArgumentError(`expected a number ≥ 0, got "${v}"`);
  return n;
};

const temperature = (v: string): number => {
  const n = Number(v);
  if (!(Number.isFinite(n) && n >= 0 && n <= 2)) throw new InvalidArgumentError(`expected a temperature between 0 and 2, got "${v}"`);
  return n;
};

/** YYYY-MM-DD that is a real calendar date. */
export function isoDate(v: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const d = m ? new Date(`${v}T00:00:00Z`) : null;
  if (!m || !d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
    throw new InvalidArgumentError(`expected a date YYYY-MM-DD, got "${v}"`);
  }
  return v;
}

const httpUrl = (v: string): string => {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new InvalidArgumentError(`expected an http(s) URL such as http://127.0.0.1:8080/v1, got "${v}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InvalidArgumentError(`expected an http(s) URL, got "${v}"`);
  return v;
};

const envName = (v: string): string => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) throw new InvalidArgumentError(`expected an environment variable name, got "${v}"`);
  return v;
};

export function register(program: Command): void {
  const cmd = program
    .command('synthesize')
    .description(
      'Write AI references for domain-matched calibration: for a seeded sample of stored pages from before the cutoff, ' +
        'ask an OpenAI-compatible chat model for an article on the same title and topic, in the same language and of about ' +
        'the same length, and store each answer as an AI reference (re-running resumes; nothing is asked twice)',
    )
    .option('--db <file>', 'SQLite store with scanned pages', DEFAULT_DB)
    .requiredOption(
      '--llm-url <url>',
      'API base of an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1 (POST <url>/chat/completions)',
      httpUrl,
    )
    .requiredOption('--model <name>', 'model name sent with each request (also the generator recorded)')
    .option('--n <n>', 'pages to imitate', positiveInt, 100)
    .option('--cutoff <YYYY-MM-DD>', 'pages dated strictly before this day are the human baseline', isoDate, DEFAULT_CUTOFF)
    .addOption(
      new Option('--date-basis <basis>', 'date compared with the cutoff: crawl (WARC-Date) or publication (extracted)')
        .choices(['crawl', 'publication'])
        .default('crawl'),
    )
    .option('--min-words <n>', 'fewest words a page needs', positiveInt, 100)
    .option('--no-stratify', 'plain random sample instead of one allocated proportionally over language × TLD')
    .option('--seed <text>', 'random seed of the page sample; the same seed picks the same pages', '1')
    .option('--set <name>', 'reference set name (default synth:<model>)')
    .option('--api-key-env <name>', 'environment variable holding the API key (unset: no Authorization header)', envName, 'OPENAI_API_KEY')
    .option('--concurrency <n>', 'requests in flight', positiveInt, 2)
    .option('--rps <n>', 'at most this many requests per second', positiveNumber)
    .option('--timeout <seconds>', 'per-request timeout', positiveNumber, 120)
    .option('--max-attempts <n>', 'attempts per request on 429/5xx/resets/timeouts', positiveInt, 6)
    .option('--max-tokens <n>', 'cap on max_tokens (the length asked for shrinks to fit)', positiveInt, 2048)
    .option('--temperature <t>', 'sampling temperature', temperature, 0.7)
    .option('--price-in <usd>', 'USD per 1M prompt tokens (for the cost estimate)', nonNegativeNumber)
    .option('--price-out <usd>', 'USD per 1M completion tokens (for the cost estimate)', nonNegativeNumber)
    .option('--dry-run', 'show the chosen pages and the first prompt; send and store nothing')
    .option('--json', 'print the summary as JSON on stdout');
  addReferenceScoringOptions(cmd).action(async (flags: SynthesizeFlags) => {
    process.exitCode = await runSynthesizeCommand(flags);
  });
}

function selectionOf(f: SynthesizeFlags): SelectionOptions {
  return { cutoff: f.cutoff, basis: f.dateBasis, minWords: f.minWords, n: f.n, seed: f.seed, stratify: f.stratify };
}

/** Runs the command; returns the exit code. */
export async function runSynthesizeCommand(f: SynthesizeFlags): Promise<number> {
  const setName = f.set ?? defaultSetName(f.model);
  let store: Store;
  try {
    store = openStore(f.db);
  } catch (err) {
    process.stderr.write(`ccaudit synthesize: ${(err as Error).message}\n`);
    return 1;
  }
  try {
    if (f.dryRun) return dryRun(store, f, setName);
    return await synthesize(store, f, setName);
  } finally {
    store.close();
  }
}

function dryRun(store: Store, f: SynthesizeFlags, setName: string): number {
  const { selection, pages, skipped, firstPrompt: first } = synthesisDryRun(store, { selection: selectionOf(f), setName, maxTokens: f.maxTokens });
  const endpoint = chatCompletionsUrl(f.llmUrl);
  if (f.json) {
    process.stdout.write(
      `${JSON.stringify({ dryRun: true, setName, model: f.model, endpoint, eligible: selection.eligible, requested: pages.length, skipped, strata: selection.strata, pages, firstPrompt: first }, null, 2)}\n`,
    );
    return 0;
  }
  const out: string[] = [
    `dry run: ${pages.length} pages chosen of ${selection.eligible} with ${f.dateBasis} date < ${f.cutoff} (${skipped} already in ${setName}); nothing is sent to ${endpoint}`,
  ];
  for (const p of pages) {
    const title = (p.title ?? '').replace(/\s+/g, ' ').slice(0, 60);
    out.push(
      `${p.done ? 'done' : 'todo'}  doc ${String(p.documentId).padEnd(7)} ${`${p.lang}/${p.tld ?? '-'}`.padEnd(10)} ${String(p.words).padStart(6)} words  ${title}  ${p.url ?? ''}`,
    );
  }
  if (first) out.push('', `first prompt (max_tokens ${first.maxTokens}):`, first.prompt);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

async function synthesize(store: Store, f: SynthesizeFlags, setName: string): Promise<number> {
  const apiKey = process.env[f.apiKeyEnv];
  if (!apiKey) process.stderr.write(`ccaudit synthesize: $${f.apiKeyEnv} is not set; sending requests without an Authorization header\n`);

  let stop = false;
  const onSignal = () => {
    if (stop) process.exit(130);
    stop = true;
    process.stderr.write('\nccaudit synthesize: stopping after the requests in flight (Ctrl-C again to abort)\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const progress = new SynthesisProgress(f.json === true);
  const args = { setName, model: f.model, llmUrl: f.llmUrl, n: f.n, cutoff: f.cutoff, dateBasis: f.dateBasis, seed: f.seed };
  let summary: SynthesisSummary;
  try {
    summary = await withRun(store, 'synthesize', args, async (run) => {
      const s = await runSynthesis(store, {
        model: f.model,
        setName,
        temperature: f.temperature,
        maxTokens: f.maxTokens,
        concurrency: f.concurrency,
        rps: f.rps,
        selection: selectionOf(f),
        client: {
          baseUrl: f.llmUrl,
          apiKey: apiKey || null,
          apiKeyEnv: f.apiKeyEnv,
          timeoutMs: Math.round(f.timeout * 1000),
          retry: { maxAttempts: f.maxAttempts },
        },
        priceIn: f.priceIn,
        priceOut: f.priceOut,
        runId: run.id,
        shouldStop: () => stop,
        onEvent: (e) => progress.event(e),
      });
      return { status: s.fatal ? 'failed' : s.interrupted ? 'interrupted' : 'completed', summary: s, result: s };
    });
  } catch (err) {
    progress.stop();
    process.stderr.write(`ccaudit synthesize: ${(err as Error).message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  progress.stop();

  let scoring: Awaited<ReturnType<typeof scoreReferences>> | null = null;
  if (f.score && summary.stored > 0) {
    try {
      scoring = await scoreReferences(store, f);
    } catch (err) {
      process.stderr.write(`ccaudit synthesize: scoring the references failed: ${(err as Error).message} (run \`ccaudit score --db\` later)\n`);
    }
  }
  process.stderr.write(formatSummary(summary));
  if (scoring) process.stderr.write(`  ${formatReferenceScoring(scoring)}\n`);
  if (f.json) process.stdout.write(`${JSON.stringify({ ...summary, scoring }, null, 2)}\n`);
  if (summary.fatal) {
    process.stderr.write(`ccaudit synthesize: ${summary.fatal}\n`);
    return 1;
  }
  return summary.interrupted ? 130 : 0;
}

/** Bar on a terminal; otherwise one line per retry or failure (CI logs), nothing per success. */
class SynthesisProgress {
  private bar: CountProgress | null = null;
  private stored = 0;
  private failed = 0;
  private retries = 0;
  private readonly tty = !!process.stderr.isTTY && !process.env.CI;

  constructor(private readonly quiet: boolean) {}

  event(e: SynthesisEvent): void {
    switch (e.type) {
      case 'selected':
        if (e.selection.eligible === 0) {
          process.stderr.write(
            'ccaudit synthesize: no stored page qualifies as baseline (dated before the cutoff, enough words): scan older WARCs first, or check --cutoff/--date-basis\n',
          );
        } else if (e.selection.eligible < e.wanted) {
          process.stderr.write(`ccaudit synthesize: only ${e.selection.eligible} baseline pages qualify; fewer than --n ${e.wanted}\n`);
        }
        this.log(`${e.selection.pages.length} pages chosen of ${e.selection.eligible} baseline pages; ${e.skipped} already done, ${e.todo} to write`);
        if (e.todo > 0) this.bar = countProgress(e.todo, 'synthesize', 'pages');
        break;
      case 'page':
        if (e.outcome === 'stored') this.stored++;
        else {
          this.failed++;
          if (!this.tty) this.log(`doc ${e.documentId}: failed (${e.reason})`);
        }
        this.bar?.setStatus(this.status());
        this.bar?.add(1);
        break;
      case 'retry':
        this.retries++;
        if (!this.tty) this.log(`retry after ${e.code} (attempt ${e.attempt}) in ${(e.delayMs / 1000).toFixed(1)} s`);
        this.bar?.setStatus(this.status());
        break;
    }
  }

  private status(): string {
    return `${this.stored} stored, ${this.failed} failed, ${this.retries} retries`;
  }

  private log(line: string): void {
    if (this.quiet && !this.tty) return;
    if (this.tty && this.bar) return;
    process.stderr.write(`ccaudit synthesize: ${line}\n`);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

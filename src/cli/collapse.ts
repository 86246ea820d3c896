/** `ccaudit collapse`: project recursive-training effects from measured (or assumed) AI shares. */
import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { openStore } from '../store/index.js';
import { shareSeriesFromStore } from '../estimate/assemble/store.js';
import { HEADLINE_METHOD } from '../estimate/model.js';
import { PERIOD_KINDS, type PeriodKind } from '../estimate/periods.js';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { renderHtml } from '../collapse/html.js';
import { renderCsv, renderJson, renderTable } from '../collapse/render.js';
import { runCollapse, type CollapseInput } from '../collapse/run.js';
import { DEFAULT_PARAMS, MODEL_NAMES, type ModelName, type ModelParams } from '../collapse/scenarios.js';

const FORMATS = ['table', 'json', 'csv', 'html'] as const;

function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer in [${min}, ${max}], got "${value}"`);
    return n;
  };
}

function fraction(opts: { openLow?: boolean; openHigh?: boolean } = {}) {
  return (value: string): number => {
    const x = Number(value);
    const lowOk = opts.openLow ? x > 0 : x >= 0;
    const highOk = opts.openHigh ? x < 1 : x <= 1;
    if (value.trim() === '' || !Number.isFinite(x) || !lowOk || !highOk) {
      throw new InvalidArgumentError(`expected a number in ${opts.openLow ? '(' : '['}0, 1${opts.openHigh ? ')' : ']'}, got "${value}"`);
    }
    return x;
  };
}

function positiveNumber(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || x <= 0) throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return x;
}

function shareList(value: string): number[] {
  const parts = value.split(',').map((v) => Number(v.trim()));
  if (parts.length < 2 || parts.some((x) => !Number.isFinite(x) || x <= 0)) {
    throw new InvalidArgumentError(`expected two or more positive comma-separated shares like 0.85,0.10,0.05, got "${value}"`);
  }
  return parts;
}

interface CollapseFlags {
  shares?: string;
  db?: string;
  date: 'publication' | 'crawl';
  minDocs: number;
  period: PeriodKind;
  method?: string;
  synthetic?: number;
  horizon: number;
  monthsPerGeneration: number;
  ceiling: number;
  bootstrap: number;
  generations: number;
  runs: number;
  seed: number;
  model: ModelName[];
  format: (typeof FORMATS)[number];
  out?: string;
  types: number;
  samples: number;
  zipf: number;
  gaussianSamples: number;
  features: number;
  rows: number;
  dialects: number[];
  decodeSamples: number;
  temperature: number;
  topP: number;
  bestOf: number;
  freshSamples: number;
  freshShare: number;
}

export function register(program: Command): void {
  const d = DEFAULT_PARAMS;
  program
    .command('collapse')
    .description(
      'Project what recursive training on a web with the measured AI share does to diversity and quality\n' +
        '(tail extinction, Gaussian refit, replace vs accumulate, decoding, fresh-data anchoring).',
    )
    .addOption(
      new Option('--shares <file>', 'AI-share series from `ccaudit report --format json` (or the same as CSV)').conflicts(['db', 'synthetic']),
    )
    .addOption(new Option('--db <path>', 'compute the AI-share series from a scanned and scored ccaudit database').conflicts(['synthetic']))
    .option('--method <name>', "which estimator's series to use (default: the report's headline series when present, else corrected:classifier)")
    .addOption(new Option('--date <basis>', 'with --db: month of publication or of crawl').choices(['publication', 'crawl']).default('crawl'))
    .option('--min-docs <n>', 'with --db: periods with fewer scored documents are left out', integer(1), 30)
    .addOption(
      new Option('--period <kind>', 'with --db: calendar months, quarters, years, or auto (as `report --period`)')
        .choices(PERIOD_KINDS)
        .default('month'),
    )
    .addOption(new Option('--synthetic <fraction>', 'fixed synthetic share for every generation instead of a trend').argParser(fraction()))
    .option('--horizon <months>', 'months to project the trend past the last measured month', integer(0, 1200), 36)
    .option('--months-per-generation <months>', 'months between the crawls successive generations train on', integer(1, 1200), 12)
    .option('--ceiling <fraction>', 'ceiling of the logistic trend', fraction({ openLow: true }), 1)
    .option('--bootstrap <n>', 'bootstrap draws of the trend', integer(1, 100_000), 200)
    .option('--generations <n>', 'generations to simulate after generation 0', integer(1, 1_000_000), 20)
    .option('--runs <n>', 'Monte Carlo runs per scenario', integer(1, 1_000_000), 100)
    .option('--seed <n>', 'random seed (same seed, same numbers)', integer(0), 1)
    .addOption(new Option('--model <names...>', 'models to run').choices(MODEL_NAMES).default([...MODEL_NAMES]))
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('table'))
    .option('--out <file>', 'write the output here instead of stdout')
    .option('--types <k>', 'tail/anchoring: vocabulary size K', integer(2, 10_000_000), d.tail.types)
    .option('--samples <n>', 'tail/anchoring: samples per generation N', integer(1, 100_000_000), d.tail.samples)
    .option('--zipf <s>', 'tail/anchoring: Zipf exponent of the human distribution', positiveNumber, d.tail.zipf)
    .option('--gaussian-samples <n>', 'gaussian: samples per generation', integer(2, 100_000_000), d.gaussian.samples)
    .option('--features <d>', 'regression: feature count', integer(1, 200), d.regression.features)
    .option('--rows <t>', 'regression: rows per generation (> features + 1)', integer(3, 10_000_000), d.regression.rows)
    .option('--dialects <shares>', 'decoding: human shares of the types, comma-separated', shareList, d.decoding.dialects)
    .option('--decode-samples <n>', 'decoding: samples per generation', integer(1, 100_000_000), d.decoding.samples)
    .option('--temperature <t>', 'decoding: sampling temperature to compare with T=1', positiveNumber, d.decoding.temperature)
    .option('--top-p <p>', 'decoding: nucleus mass', fraction({ openLow: true }), d.decoding.topP)
    .option('--best-of <n>', 'decoding: candidates per best-of-n selection', integer(1, 1_000_000), d.decoding.bestOf)
    .option('--fresh-samples <m>', 'anchoring: fixed fresh human samples per generation', integer(0), d.anchoring.freshSamples)
    .option('--fresh-share <fraction>', 'anchoring: fixed fresh human share per generation', fraction(), d.anchoring.freshShare)
    .action(async (flags: CollapseFlags) => {
      const output = await runCommand(flags);
      if (flags.out) await writeFile(flags.out, output);
      else process.stdout.write(output);
    });
}

/** The report's headline series (else the classifier's corrected one), read straight from a store. */
function sharesFromStore(flags: CollapseFlags): CollapseInput {
  if (!existsSync(flags.db!)) throw new Error(`collapse: store not found: ${flags.db}`);
  const store = openStore(flags.db!, { readonly: true });
  try {
    const doc = shareSeriesFromStore(store, { dateBasis: flags.date, minDocs: flags.minDocs, period: flags.period, seed: flags.seed });
    if (doc.series.length === 0) {
      throw new Error(
        `collapse: ${flags.db} has no period with ≥ ${flags.minDocs} scored documents; scan and score more, group by --period quarter, year or auto, or lower --min-docs`,
      );
    }
    const methods = new Set(doc.series.map((p) => p.method));
    const method =
      flags.method ?? (methods.has(HEADLINE_METHOD) ? HEADLINE_METHOD : methods.has('corrected:classifier') ? 'corrected:classifier' : undefined);
    return { kind: 'series', doc, source: flags.db!, method };
  } finally {
    store.close();
  }
}

async function runCommand(flags: CollapseFlags): Promise<string> {
  let input: CollapseInput;
  if (flags.db !== undefined) input = sharesFromStore(flags);
  else if (flags.shares !== undefined) input = { kind: 'shares', path: flags.shares, method: flags.method };
  else if (flags.synthetic !== undefined) input = { kind: 'fixed', synthetic: flags.synthetic };
  else throw new Error('collapse needs --shares FILE (a measured share series) or --synthetic FRACTION');
  if (flags.rows <= flags.features + 1) throw new Error(`--rows (${flags.rows}) must exceed --features + 1 (${flags.features + 1})`);

  const params: ModelParams = {
    tail: { ...DEFAULT_PARAMS.tail, types: flags.types, samples: flags.samples, zipf: flags.zipf },
    gaussian: { samples: flags.gaussianSamples },
    regression: { ...DEFAULT_PARAMS.regression, features: flags.features, rows: flags.rows },
    decoding: { dialects: flags.dialects, samples: flags.decodeSamples, temperature: flags.temperature, topP: flags.topP, bestOf: flags.bestOf },
    anchoring: { freshSamples: flags.freshSamples, freshShare: flags.freshShare },
  };
  const report = await runCollapse({
    input,
    horizon: flags.horizon,
    monthsPerGeneration: flags.monthsPerGeneration,
    ceiling: flags.ceiling,
    bootstrap: flags.bootstrap,
    generations: flags.generations,
    runs: flags.runs,
    seed: flags.seed,
    models: [...new Set(flags.model)],
    params,
  });
  switch (flags.format) {
    case 'json':
      return renderJson(report);
    case 'csv':
      return renderCsv(report);
    case 'html':
      return renderHtml(report);
    default:
      return renderTable(report);
  }
}

/** `ccaudit report` flags for domain-matched calibration, with parsers that reject bad values. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_CUTOFF } from '../store/baseline-queries.js';
import { STRATUM_DIMS, type StratumDim } from '../estimate/baseline/types.js';
import { DEFAULT_STRATA } from '../estimate/baseline/strata.js';
import type { DomainCalibrationOptions } from '../estimate/assemble/domain-calibration.js';
import { collect, isoDay, openFraction, positiveInt } from './options.js';

export interface BaselineFlags {
  calibrate: 'development' | 'baseline' | 'both';
  cutoff: string;
  baselineDate: 'crawl' | 'publication';
  humanReference: 'auto' | 'baseline' | 'control' | 'both';
  aiSet?: string[];
  strata: StratumDim[];
  lengthBands: number[];
  minBaseline: number;
  minAi: number;
  baselineFpr: number;
  drift: 'auto' | 'off' | { a: [string, string]; b: [string, string] };
  control?: string[];
  controlDb?: string[];
}

function dims(value: string): StratumDim[] {
  const out = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const d of out)
    if (!STRATUM_DIMS.includes(d as StratumDim)) throw new InvalidArgumentError(`unknown stratum "${d}" (choose from ${STRATUM_DIMS.join(', ')})`);
  if (new Set(out).size !== out.length) throw new InvalidArgumentError(`a stratum is listed twice in "${value}"`);
  return out as StratumDim[];
}

function edges(value: string): number[] {
  const out = value.split(',').map((s) => Number(s.trim()));
  if (out.length === 0 || !out.every((e, i) => Number.isInteger(e) && e > 0 && (i === 0 || e > out[i - 1]))) {
    throw new InvalidArgumentError(`expected increasing positive word counts like "300,1000", got "${value}"`);
  }
  return out;
}

const MONTH_RANGE = /^(\d{4}-(?:0[1-9]|1[0-2]))\.\.(\d{4}-(?:0[1-9]|1[0-2]))$/;

/** "auto", "off" or "2019-01..2019-12,2021-01..2021-12". */
export function driftSpec(value: string): BaselineFlags['drift'] {
  if (value === 'auto' || value === 'off') return value;
  const parts = value.split(',');
  const ranges = parts.map((p) => MONTH_RANGE.exec(p.trim()));
  if (parts.length !== 2 || ranges.some((r) => !r || r[1] > r[2])) {
    throw new InvalidArgumentError(`expected auto, off or two month ranges like "2019-01..2019-12,2021-01..2021-12", got "${value}"`);
  }
  return { a: [ranges[0]![1], ranges[0]![2]], b: [ranges[1]![1], ranges[1]![2]] };
}

export function addBaselineFlags(cmd: Command): Command {
  cmd
    .addOption(
      new Option(
        '--calibrate <mode>',
        'error rates from labelled development corpora, from the baseline (pre-cutoff pages + AI references), or both series',
      )
        .choices(['development', 'baseline', 'both'])
        .default('both'),
    )
    .option('--cutoff <date>', 'pages dated before this day are the human baseline', isoDay, DEFAULT_CUTOFF)
    .addOption(
      new Option('--baseline-date <basis>', 'which date makes a page baseline: crawl (WARC-Date) or extracted publication date')
        .choices(['crawl', 'publication'])
        .default('crawl'),
    )
    .addOption(
      new Option(
        '--human-reference <which>',
        'human reference: pre-cutoff pages, stored control texts (`references import --as control`), both, or auto',
      )
        .choices(['auto', 'baseline', 'control', 'both'])
        .default('auto'),
    )
    .option('--control <file.jsonl>', 'human-only corpus (JSONL with text, lang, domain) scored now and used as the baseline (repeatable)', collect)
    .option('--control-db <file>', 'another ccaudit store whose documents are all human-written, used as the baseline (repeatable)', collect)
    .option('--ai-set <name>', 'only AI references of this set (repeatable; default all)', collect);
  return addDomainModelFlags(cmd);
}

/** The strata, threshold and drift flags of the domain-matched estimators (`report` and `estimate`). */
export function addDomainModelFlags(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--strata <dims>',
        `stratum dimensions (${STRATUM_DIMS.join(', ')}); the last one listed is dropped first when a stratum is too small`,
      )
        .argParser(dims)
        .default(DEFAULT_STRATA.dims, DEFAULT_STRATA.dims.join(',')),
    )
    .addOption(
      new Option('--length-bands <words>', 'upper word-count edges of the length bands')
        .argParser(edges)
        .default(DEFAULT_STRATA.lengthEdges, DEFAULT_STRATA.lengthEdges.join(',')),
    )
    .option(
      '--min-baseline <n>',
      'baseline pages a stratum needs before it stands alone (else it falls back to a coarser one)',
      positiveInt,
      DEFAULT_STRATA.minBaseline,
    )
    .option('--min-ai <n>', 'AI references a stratum needs for its own TPR and score distribution', positiveInt, DEFAULT_STRATA.minAi)
    .option('--baseline-fpr <f>', 'threshold of the baseline-corrected count: the score flagging this share of the baseline', openFraction, 0.05)
    .option(
      '--drift <spec>',
      'drift check: auto (split the baseline where its pages divide most evenly), off, or "A0..A1,B0..B1" month ranges',
      driftSpec,
      'auto' as BaselineFlags['drift'],
    );
}

export function domainOptions(o: BaselineFlags): NonNullable<Omit<DomainCalibrationOptions, 'level' | 'replicates' | 'seed' | 'lang'>> {
  return {
    calibration: o.calibrate,
    cutoff: o.cutoff,
    baselineDateBasis: o.baselineDate,
    human: o.humanReference,
    aiSets: o.aiSet,
    ...domainModelOptions(o),
  };
}

export type DomainModelFlags = Pick<BaselineFlags, 'strata' | 'lengthBands' | 'minBaseline' | 'minAi' | 'baselineFpr' | 'drift'>;

/** The options of the flags `addDomainModelFlags` adds. */
export function domainModelOptions(o: DomainModelFlags): Pick<DomainCalibrationOptions, 'strata' | 'baselineFpr' | 'drift'> {
  return {
    strata: { dims: o.strata, lengthEdges: o.lengthBands, minBaseline: o.minBaseline, minAi: o.minAi },
    baselineFpr: o.baselineFpr,
    drift: o.drift,
  };
}

/** Flags shared by `ccaudit report` and `ccaudit estimate`, with parsers that reject bad values. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { collect, intAtLeast, month, openFraction } from './options.js';
import { ESTIMATORS, METHOD_NAMES, findEstimator } from '../estimate/registry.js';
import { DEFAULT_BASELINE_BEFORE, DEFAULT_REPLICATES, DEFAULT_SEED } from '../estimate/types.js';
import { REPORT_FORMATS, type MethodsShown, type ReportFormat } from '../report/render.js';
import { PERIOD_KINDS, type PeriodKind } from '../estimate/periods.js';

export { REPORT_FORMATS, type ReportFormat };

/** "naive,corrected" → estimator names (aliases resolved); unknown names are flag errors. */
export function methodList(value: string, previous?: string[]): string[] {
  const out = new Set(previous ?? []);
  for (const raw of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = findEstimator(raw);
    if (!m) throw new InvalidArgumentError(`unknown method "${raw}" (choose from ${METHOD_NAMES.join(', ')})`);
    out.add(m.name);
  }
  if (out.size === 0) throw new InvalidArgumentError('expected at least one method');
  return [...out];
}

export interface CommonReportFlags {
  detector?: string[];
  method?: string[];
  format: ReportFormat;
  /** Table and HTML: the headline per period only, or every method as well. */
  methods: MethodsShown;
  out?: string;
  minDocs: number;
  period: PeriodKind;
  level: number;
  replicates: number;
  seed: number;
  pageFraction: number;
  reference?: string;
  lexicon?: string;
  calibration?: string;
  baselineBefore: string;
  baseline: 'mean' | 'linear';
}

/** The estimator options both `report` and `estimate` pass on, from the shared flags. */
export function estimatorOptions(o: CommonReportFlags) {
  return {
    detectors: o.detector,
    methods: new Set<string>(o.method ?? METHOD_NAMES),
    methodsExplicit: o.method !== undefined,
    minDocs: o.minDocs,
    period: o.period,
    level: o.level,
    replicates: o.replicates,
    seed: o.seed,
    pageFraction: o.pageFraction,
    referencePath: o.reference,
    lexiconPath: o.lexicon,
    calibrationPath: o.calibration,
    baselineBefore: o.baselineBefore,
    baseline: o.baseline,
  };
}

/**
 * Adds the estimator and output flags to a command. `excessBaselineFlag` names the GPT-word
 * counterfactual flag (`estimate` has `--baseline FILE` for the human baseline texts).
 */
export function addReportFlags(
  cmd: Command,
  defaultFormat: ReportFormat,
  excessBaselineFlag: '--baseline' | '--excess-baseline' = '--baseline',
): Command {
  return cmd
    .option('--detector <name[@version]>', 'detector whose scores to use (repeatable; default: all)', collect)
    .option(
      '--method <list>',
      `estimators, comma-separated (default: all):\n${ESTIMATORS.map((e) => `  ${e.name}: ${e.describe}`).join('\n')}`,
      methodList,
    )
    .addOption(new Option('--format <format>', 'output format').choices([...REPORT_FORMATS]).default(defaultFormat))
    .addOption(
      new Option('--methods <which>', 'table and HTML: the headline estimate per period, or every method too (CSV and JSON always hold all)')
        .choices(['headline', 'all'])
        .default('headline'),
    )
    .option('--out <file>', 'write to FILE instead of stdout')
    .option('--min-docs <n>', 'groups with fewer documents say "too few documents"', intAtLeast(1), 30)
    .addOption(
      new Option(
        '--period <kind>',
        'with month grouping: calendar months, quarters (YYYY-Qn), years, or auto (per year: months if each has --min-docs documents, else quarters if each has, else the year)',
      )
        .choices([...PERIOD_KINDS])
        .default('month'),
    )
    .option('--level <p>', 'confidence level of the intervals', openFraction, 0.95)
    .option('--replicates <n>', 'bootstrap replicates', intAtLeast(50), DEFAULT_REPLICATES)
    .option('--seed <n>', 'bootstrap seed', intAtLeast(0), DEFAULT_SEED)
    .option('--page-fraction <f>', 'page share with at least this fraction of AI chunks', openFraction, 0.25)
    .option('--reference <file>', 'mixture reference JSON (default data/reference/mixture-reference.json)')
    .option('--lexicon <file>', 'marker-word lexicon: JSON or CSV with a "word" column (default data/reference/marker-words.json)')
    .option('--calibration <file>', 'calibration JSON for detectors without a stored calibration (default data/calibration.json)')
    .option('--baseline-before <month>', 'GPT-word baseline: months before this one', month, DEFAULT_BASELINE_BEFORE)
    .addOption(
      new Option(`${excessBaselineFlag} <mode>`, 'GPT-word counterfactual: pooled mean or non-decreasing linear trend')
        .choices(['mean', 'linear'])
        .default('mean'),
    );
}

/** `ccaudit estimate --jsonl FILE`: the report's estimators over a JSONL corpus outside any store. */
import { createReadStream, existsSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { buildJsonlReport } from '../estimate/assemble/jsonl.js';
import { addReportFlags, estimatorOptions, type CommonReportFlags } from './report-flags.js';
import { renderReport, writeReport } from './report-output.js';
import { collect } from './options.js';
import { addDomainModelFlags, domainModelOptions, type DomainModelFlags } from './baseline-flags.js';

interface EstimateFlags extends Omit<CommonReportFlags, 'baseline'>, DomainModelFlags {
  jsonl: string;
  by?: 'month' | 'all';
  detectorModule?: string[];
  /** Human baseline texts (a file path; the GPT-word mode is --excess-baseline here). */
  baseline?: string;
  references?: string;
  excessBaseline: 'mean' | 'linear';
}

export function register(program: Command): void {
  const cmd = program
    .command('estimate')
    .description(
      'Estimate the AI share of a JSONL corpus: lines {id, text, month?, lang?, url?} (scored here) or\n' +
        '{id, scores: {detector: score}, text?, month?} (already scored). Writes the report JSON by default.\n' +
        'With --baseline (human texts of the domain from before AI) and --references (AI texts imitating it,\n' +
        'with optional "generator" or "set"), also the domain-matched estimates a store report gives.',
    )
    .requiredOption('--jsonl <file>', 'input JSONL ("-" = stdin)')
    .addOption(
      new Option('--by <key>', 'group by the lines\' "month" or use one group (default: month when the first line has one)').choices([
        'month',
        'all',
      ]),
    )
    .option('--detector-module <spec>', 'load detector plugins from a module (repeatable)', collect)
    .option('--baseline <file.jsonl>', 'human baseline texts of the audited domain: {text, lang?, month?, url?, domain?, scores?} lines')
    .option('--references <file.jsonl>', 'AI reference texts: {text, lang?, generator?, set?, domain?, scores?} lines');
  addDomainModelFlags(addReportFlags(cmd, 'json', '--excess-baseline')).action(async (o: EstimateFlags) => {
    if (o.period !== 'month' && o.by === 'all') cmd.error(`error: --period ${o.period} needs month grouping, not --by all`, { exitCode: 2 });
    if (o.period === 'auto' && o.jsonl === '-')
      cmd.error('error: --period auto reads the input twice: give --jsonl a file, not stdin', { exitCode: 2 });
    if (o.baseline === 'mean' || o.baseline === 'linear') {
      cmd.error(`error: --baseline takes the human baseline JSONL here; the GPT-word counterfactual is --excess-baseline ${o.baseline}`, {
        exitCode: 2,
      });
    }
    if (Boolean(o.baseline) !== Boolean(o.references)) {
      cmd.error('error: --baseline and --references go together (human texts and AI texts of the domain)', { exitCode: 2 });
    }
    if (o.jsonl !== '-' && !existsSync(o.jsonl)) throw new Error(`estimate: ${o.jsonl}: file not found`);
    const input = o.jsonl === '-' ? process.stdin : createReadStream(o.jsonl, { encoding: 'utf8' });
    let bad = 0;
    const report = await buildJsonlReport(o.jsonl, input, {
      by: o.by,
      ...estimatorOptions({ ...o, baseline: o.excessBaseline }),
      detectorModules: o.detectorModule,
      reopen: o.jsonl === '-' ? undefined : () => createReadStream(o.jsonl, { encoding: 'utf8' }),
      baselinePath: o.baseline,
      referencesPath: o.references,
      domain: domainModelOptions(o),
      onBadLine: (n, msg) => {
        bad++;
        process.stderr.write(`ccaudit estimate: ${o.jsonl}:${n}: ${msg} (skipped)\n`);
      },
    });
    await writeReport(await renderReport(report, o.format, { methods: o.methods }), o.out, 'estimate');
    if (bad > 0) process.exitCode = 1;
  });
}

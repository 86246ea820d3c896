/** `ccaudit estimate --jsonl FILE`: the report's estimators over a JSONL corpus outside any store. */
import { createReadStream, existsSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { buildJsonlReport } from '../estimate/assemble/jsonl.js';
import { addReportFlags, estimatorOptions, type CommonReportFlags } from './report-flags.js';
import { renderReport, writeReport } from './report-output.js';
import { collect } from './options.js';

interface EstimateFlags extends CommonReportFlags {
  jsonl: string;
  by?: 'month' | 'all';
  detectorModule?: string[];
}

export function register(program: Command): void {
  const cmd = program
    .command('estimate')
    .description(
      'Estimate the AI share of a JSONL corpus: lines {id, text, month?, lang?} (scored here) or\n' +
        '{id, scores: {detector: score}, text?, month?} (already scored). Writes the report JSON by default.',
    )
    .requiredOption('--jsonl <file>', 'input JSONL ("-" = stdin)')
    .addOption(
      new Option('--by <key>', 'group by the lines\' "month" or use one group (default: month when the first line has one)').choices([
        'month',
        'all',
      ]),
    )
    .option('--detector-module <spec>', 'load detector plugins from a module (repeatable)', collect);
  addReportFlags(cmd, 'json').action(async (o: EstimateFlags) => {
    if (o.period !== 'month' && o.by === 'all') cmd.error(`error: --period ${o.period} needs month grouping, not --by all`, { exitCode: 2 });
    if (o.period === 'auto' && o.jsonl === '-')
      cmd.error('error: --period auto reads the input twice: give --jsonl a file, not stdin', { exitCode: 2 });
    if (o.jsonl !== '-' && !existsSync(o.jsonl)) throw new Error(`estimate: ${o.jsonl}: file not found`);
    const input = o.jsonl === '-' ? process.stdin : createReadStream(o.jsonl, { encoding: 'utf8' });
    let bad = 0;
    const report = await buildJsonlReport(o.jsonl, input, {
      by: o.by,
      ...estimatorOptions(o),
      detectorModules: o.detectorModule,
      reopen: o.jsonl === '-' ? undefined : () => createReadStream(o.jsonl, { encoding: 'utf8' }),
      onBadLine: (n, msg) => {
        bad++;
        process.stderr.write(`ccaudit estimate: ${o.jsonl}:${n}: ${msg} (skipped)\n`);
      },
    });
    await writeReport(await renderReport(report, o.format), o.out, 'estimate');
    if (bad > 0) process.exitCode = 1;
  });
}

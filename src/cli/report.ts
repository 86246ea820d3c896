/** `ccaudit report`: AI share by month (or crawl, language, domain, TLD) from a store. */
import { existsSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { openStore } from '../store/index.js';
import { buildReport } from '../estimate/assemble/store.js';
import { addReportFlags, estimatorOptions, type CommonReportFlags } from './report-flags.js';
import { renderReport, writeReport } from './report-output.js';
import { DEFAULT_DB, nonNegativeInt } from './options.js';
import { addBaselineFlags, domainOptions, type BaselineFlags } from './baseline-flags.js';

interface ReportFlags extends CommonReportFlags, BaselineFlags {
  db: string;
  by: 'month' | 'crawl' | 'lang' | 'domain' | 'tld';
  date: 'publication' | 'crawl';
  lang?: string;
  examples: number;
}

export function register(program: Command): void {
  const cmd = program
    .command('report')
    .description(
      'AI share over time from a scored store, by several estimators with 95% intervals: classify-and-count, ' +
        'error-corrected (Rogan–Gladen with calibrated TPR/FPR), word-occurrence mixture MLE (Liang et al. 2024), ' +
        'primarily-AI page shares, and the excess-vocabulary lower bound (Kobak et al. 2024). With a baseline (pages ' +
        'crawled before --cutoff, or control texts) and scored AI references (`synthesize`, `references import`), also ' +
        'domain-matched estimates per stratum: baseline-corrected counts, score-distribution and word mixtures, with a ' +
        'drift band from two baseline periods.',
    )
    .option('--db <path>', 'SQLite store written by scan/score', DEFAULT_DB)
    .addOption(new Option('--by <key>', 'group documents by').choices(['month', 'crawl', 'lang', 'domain', 'tld']).default('month'))
    .addOption(
      new Option('--date <basis>', 'month of publication (extracted date) or of crawl (WARC-Date)')
        .choices(['publication', 'crawl'])
        .default('publication'),
    )
    .option('--lang <code>', 'only documents in this language (ISO 639-3, e.g. eng)')
    .option('--examples <n>', 'highest-scoring documents to list in the HTML report', nonNegativeInt, 10);
  addBaselineFlags(addReportFlags(cmd, 'table')).action(async (o: ReportFlags) => {
    if (o.period !== 'month' && o.by !== 'month')
      cmd.error(`error: --period ${o.period} needs month grouping (--by month), not --by ${o.by}`, { exitCode: 2 });
    if (!existsSync(o.db)) throw new Error(`report: store not found: ${o.db}`);
    const store = openStore(o.db, { readonly: true });
    try {
      const report = await buildReport(store, {
        by: o.by,
        dateBasis: o.date,
        ...estimatorOptions(o),
        lang: o.lang,
        examples: o.examples,
        domain: domainOptions(o),
        controls: { files: o.control, databases: o.controlDb },
      });
      await writeReport(await renderReport(report, o.format, { methods: o.methods }), o.out, 'report');
    } finally {
      store.close();
    }
  });
}

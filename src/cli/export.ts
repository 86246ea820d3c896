/** `ccaudit export`: per-document scores out of a store, keyed by the input's own ids. */
import { type Command, Option } from 'commander';
import { exportStore, type ExportFormat } from '../export/index.js';
import { openStore } from '../store/index.js';
import { DEFAULT_CUTOFF } from '../store/baseline-queries.js';
import { collect, DEFAULT_DB, isoDay, openFraction, positiveInt } from './options.js';

interface ExportFlags {
  db: string;
  format: ExportFormat;
  out: string;
  detector?: string[];
  flagAtFpr?: number;
  cutoff: string;
  baselineDate: 'crawl' | 'publication';
  minBaseline: number;
  calibration?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('export')
    .description('Write per-document scores keyed by the input ids: Dolma attribute files (one per input shard, same names) or one Parquet/CSV table')
    .option('--db <path>', 'SQLite store to read', DEFAULT_DB)
    .addOption(new Option('--format <format>', 'attributes | parquet | csv').choices(['attributes', 'parquet', 'csv']).makeOptionMandatory())
    .requiredOption('--out <dir>', 'output directory (created if needed)')
    .option('--detector <name>', 'only this detector (repeatable; default every detector with stored scores)', collect)
    .option(
      '--flag-at-fpr <p>',
      "add a flag per detector at this false-positive rate: threshold from the audit's baseline when it has enough documents, else the development calibration",
      openFraction,
    )
    .option('--cutoff <date>', 'documents dated before this day are the human baseline (for --flag-at-fpr)', isoDay, DEFAULT_CUTOFF)
    .addOption(new Option('--baseline-date <basis>', 'which date makes a document baseline').choices(['crawl', 'publication']).default('crawl'))
    .option('--min-baseline <n>', 'fewest scored baseline documents to calibrate a threshold on', positiveInt, 200)
    .option('--calibration <file>', 'development calibration JSON (default data/calibration.json)')
    .option('--json', 'print the summary as JSON')
    .action(async (f: ExportFlags) => {
      // Read-only: a mistyped --db fails instead of creating an empty store.
      const store = openStore(f.db, { readonly: true });
      try {
        const flag =
          f.flagAtFpr === undefined
            ? undefined
            : { fpr: f.flagAtFpr, cutoff: f.cutoff, baselineDate: f.baselineDate, minBaseline: f.minBaseline, calibrationFile: f.calibration };
        const s = await exportStore(store, { format: f.format, outDir: f.out, detectors: f.detector, flag });
        if (f.json) {
          process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
          return;
        }
        process.stdout.write(`exported ${s.documents} documents, ${s.detectors.length} detector(s), ${s.files.length} file(s) under ${f.out}\n`);
        for (const t of s.flags ?? []) {
          const label = t.calibration === 'baseline' ? 'baseline calibration' : 'DEVELOPMENT calibration (no usable baseline)';
          process.stdout.write(`  ${t.detector}_flagged: score >= ${t.threshold.toFixed(4)} at FPR ${t.fpr}, ${label}: ${t.basis}\n`);
        }
      } finally {
        store.close();
      }
    });
}

/** `ccaudit evaluate`: detector accuracy on labeled data, with bootstrap intervals. */
import type { Command } from 'commander';
import { findCalibration, readCalibrationFile } from '../detect/calibration.js';
import { DEFAULT_FILES } from '../detect/paths.js';
import type { Split } from '../detect/splits.js';
import { evaluateScores, formatEvaluationTable, scoreRecords, DEFAULT_EVALUATE, type SliceKind } from '../detect/evaluate.js';
import { collect } from './options.js';
import { addSelectionFlags, fraction, intArg, labeledRecords, readyDetectors, splitArg, type SelectionFlags } from './detector-flags.js';

export function register(program: Command): void {
  addSelectionFlags(
    program
      .command('evaluate')
      .description('AUROC, TPR at 1%/5% FPR, accuracy and F1 (bootstrap 95% CIs) per detector and per file/domain/generator/language'),
  )
    .option('--labeled <file>', 'labeled JSONL (repeatable; default: ../shared/corpora/labeled, heldout split)', collect)
    .option('--split <split>', 'train | calib | heldout | all', splitArg)
    .option('--replicates <n>', 'bootstrap replicates', intArg, 500)
    .option('--threshold <t>', 'threshold for accuracy/F1 (default: calibrated, else 0.5)', fraction)
    .option('--by <slices>', 'comma-separated breakdowns: file,domain,generator,family,variant,lang', 'file,domain,generator,family,variant,lang')
    .option('--json', 'print JSON rows')
    .action(
      async (
        o: SelectionFlags & { labeled?: string[]; split?: Split | 'all'; replicates: number; threshold?: number; by: string; json?: boolean },
      ) => {
        const breakdowns = o.by
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        for (const b of breakdowns)
          if (!['file', 'domain', 'generator', 'family', 'variant', 'lang'].includes(b)) throw new Error(`evaluate: unknown --by slice "${b}"`);
        const { records } = await labeledRecords(o.labeled, o.split, 'heldout');
        const dets = await readyDetectors(o);
        const cal = readCalibrationFile(DEFAULT_FILES.calibration());
        const rows = [];
        for (const d of dets) {
          const scores = await scoreRecords(d, records);
          const threshold = o.threshold ?? findCalibration(cal, d.name, d.version)?.threshold ?? 0.5;
          rows.push(
            ...evaluateScores(d, records, scores, {
              ...DEFAULT_EVALUATE,
              threshold,
              replicates: o.replicates,
              breakdowns: breakdowns as SliceKind[],
            }),
          );
        }
        process.stdout.write(o.json ? `${JSON.stringify(rows, null, 1)}\n` : `${formatEvaluationTable(rows)}\n`);
      },
    );
}

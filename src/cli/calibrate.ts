/** `ccaudit calibrate`: each detector's threshold at a target FPR, to a file and/or the store. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { calibrate, type CalibrationFile } from '../detect/calibration.js';
import { DEFAULT_FILES } from '../detect/paths.js';
import { scoreRecords } from '../detect/evaluate.js';
import type { Split } from '../detect/splits.js';
import { openStore, saveCalibration } from '../store/index.js';
import { collect } from './options.js';
import { addSelectionFlags, fraction, labeledRecords, readyDetectors, splitArg, type SelectionFlags } from './detector-flags.js';

export function register(program: Command): void {
  addSelectionFlags(
    program
      .command('calibrate')
      .description("Choose each detector's threshold at a target FPR on labeled data and store it with TPR/FPR and Wilson 95% CIs"),
  )
    .option('--labeled <file>', 'labeled JSONL (repeatable; default: ../shared/corpora/labeled, calib split)', collect)
    .option('--split <split>', 'train | calib | heldout | all', splitArg)
    .option('--target-fpr <p>', 'false-positive rate the threshold is chosen for', fraction, 0.05)
    .option('--db <path>', 'store the calibrations in this SQLite store (calibrations table)')
    .option('--out <file>', 'write a calibration JSON file (default data/calibration.json when --db is not given)')
    .action(async (o: SelectionFlags & { labeled?: string[]; split?: Split | 'all'; targetFpr: number; db?: string; out?: string }) => {
      const { records, label } = await labeledRecords(o.labeled, o.split, 'calib');
      const dets = await readyDetectors(o);
      const labels = records.map((r) => (r.label === 'ai' ? 1 : 0) as 0 | 1);
      const entries = [];
      for (const d of dets) entries.push(calibrate(d.name, d.version, await scoreRecords(d, records), labels, o.targetFpr, label));
      const outPath = o.out ?? (o.db ? undefined : DEFAULT_FILES.calibration());
      if (outPath) {
        const file: CalibrationFile = {
          format: 'ccaudit-calibration-v1',
          method: `threshold = lowest score with FPR <= ${o.targetFpr} on ${label}; TPR/FPR with Wilson 95% intervals on the same rows`,
          entries,
        };
        mkdirSync(dirname(outPath), { recursive: true });
        writeFileSync(outPath, `${JSON.stringify(file, null, 1)}\n`);
      }
      if (o.db) {
        const store = openStore(o.db);
        try {
          for (const e of entries) {
            if (e.nPos === 0 || e.nNeg === 0) continue;
            saveCalibration(store, { ...e });
          }
        } finally {
          store.close();
        }
      }
      for (const e of entries) {
        process.stdout.write(
          `${e.detector.padEnd(14)} threshold ${e.threshold.toFixed(4)}  TPR ${e.tpr.toFixed(3)} [${e.tprLo.toFixed(3)}, ${e.tprHi.toFixed(3)}]  FPR ${e.fpr.toFixed(3)} [${e.fprLo.toFixed(3)}, ${e.fprHi.toFixed(3)}]  n=${e.nPos}+${e.nNeg}\n`,
        );
      }
      if (outPath) process.stdout.write(`wrote ${outPath}\n`);
      if (o.db) process.stdout.write(`saved to ${o.db}\n`);
    });
}

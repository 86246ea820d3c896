/** `ccaudit detectors`: the available detectors with their calibration. */
import type { Command } from 'commander';
import { selectDetectors } from '../../detectors/registry.js';
import { BUILTIN_DETECTORS } from '../../detectors/index.js';
import { DEFAULT_FILES } from '../detect/paths.js';
import { findCalibration, readCalibrationFile } from '../detect/calibration.js';
import { collect } from './options.js';

export function register(program: Command): void {
  program
    .command('detectors')
    .description('List the available AI-text detectors (built-ins and --detector-module plugins) with their calibration')
    .option('--detector-module <spec>', 'also load detector plugins from this module (repeatable)', collect)
    .option('--json', 'print JSON')
    .action(async (o: { detectorModule?: string[]; json?: boolean }) => {
      const cal = readCalibrationFile(DEFAULT_FILES.calibration());
      const dets = await selectDetectors({ modules: o.detectorModule });
      const rows = dets.map((d) => {
        try {
          const c = findCalibration(cal, d.name, d.version);
          return {
            name: d.name,
            version: d.version,
            languages: [...d.languages],
            description: d.description,
            builtin: BUILTIN_DETECTORS.some((b) => b.name === d.name),
            calibration: c && c.detectorVersion === d.version ? { threshold: c.threshold, tpr: c.tpr, fpr: c.fpr, auroc: c.auroc } : null,
          };
        } catch (err) {
          return { name: d.name, version: 'unavailable', languages: [], description: (err as Error).message, builtin: true, calibration: null };
        }
      });
      if (o.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      for (const r of rows) {
        const c = r.calibration
          ? `threshold ${r.calibration.threshold.toFixed(3)} (TPR ${r.calibration.tpr.toFixed(2)} @ FPR ${r.calibration.fpr.toFixed(3)})`
          : 'not calibrated';
        process.stdout.write(`${r.name.padEnd(14)} ${r.version.padEnd(18)} [${r.languages.join(',')}] ${c}\n    ${r.description}\n`);
      }
    });
}

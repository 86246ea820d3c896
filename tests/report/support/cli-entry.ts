// Runs scan, score and the report commands with the same error handling as src/cli/main.ts
// (flag errors exit 2 with commander's one-line message; other errors exit 1).
import { Command, CommanderError } from 'commander';
import { register as registerScan } from '../../../src/cli/scan.js';
import { register as registerDetect } from '../../../src/cli/detect.js';
import { register as registerReport } from '../../../src/cli/report.js';
import { register as registerEstimate } from '../../../src/cli/estimate.js';

const program = new Command().name('ccaudit');
registerScan(program);
registerDetect(program);
registerReport(program);
registerEstimate(program);
program.exitOverride();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exitCode = err.exitCode === 0 ? 0 : 2;
  else {
    process.stderr.write(`ccaudit: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}

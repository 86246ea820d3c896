// Runs only the detector commands, with the same error handling as src/cli/main.ts
// (flag errors exit 2 with commander's one-line message; other errors exit 1).
import { Command, CommanderError } from 'commander';
import { register } from '../../../src/cli/detect.js';

const program = new Command().name('ccaudit');
register(program);
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

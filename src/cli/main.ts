import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { register as registerScan } from './scan.js';
import { register as registerExtract } from './extract.js';
import { register as registerCollapse } from './collapse.js';
import { register as registerDetectors } from './detectors.js';
import { register as registerScore } from './score.js';
import { register as registerTrain } from './train.js';
import { register as registerEvaluate } from './evaluate.js';
import { register as registerCalibrate } from './calibrate.js';
import { register as registerReport } from './report.js';
import { register as registerEstimate } from './estimate.js';
import { register as registerSample } from './sample.js';
import { register as registerIndex } from './index-cmd.js';
import { register as registerSynthesize } from './synthesize.js';
import { register as registerReferences } from './references.js';
import { register as registerErrors } from './errors.js';
import { register as registerExport } from './export.js';
import { register as registerMerge } from './merge.js';

function packageVersion(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const up of ['../../..', '../..']) {
    try {
      return JSON.parse(readFileSync(path.join(here, up, 'package.json'), 'utf8')).version;
    } catch {
      /* try the next layout (compiled vs. tsx) */
    }
  }
  return '0.0.0';
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('ccaudit')
    .description(
      'Audit web corpora (Common Crawl or local WARC files) for AI-generated text:\n' +
        'read → extract → score → store → estimate AI share over time → project model collapse.',
    )
    .version(packageVersion())
    .showSuggestionAfterError(true)
    // Before the commands are added, so every subcommand inherits it (flag errors → exit 2).
    .exitOverride();
  registerScan(program);
  registerExtract(program);
  registerSample(program);
  registerIndex(program);
  registerDetectors(program);
  registerScore(program);
  registerTrain(program);
  registerEvaluate(program);
  registerCalibrate(program);
  registerReport(program);
  registerEstimate(program);
  registerSynthesize(program);
  registerReferences(program);
  registerErrors(program);
  registerExport(program);
  registerMerge(program);
  registerCollapse(program);
  return program;
}

/** Entry point used by bin/ccaudit.js. Flag errors exit 2 with commander's one-line message. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help/version are "errors" with exit code 0; real flag errors were already printed.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`ccaudit: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}

/** The extraction/scoring flags shared by `scan` and `sample`, and the stage settings they map to. */
import type { Command } from 'commander';
import { defaultStageThreads, type StagePoolOptions } from '../pipeline/stage-pool.js';
import { collect, nonNegativeInt } from './options.js';

export interface ScoringFlags {
  threads: number;
  /** false with --no-score */
  score: boolean;
  detector: string[];
  detectorModule: string[];
}

export function addScoringOptions(cmd: Command): Command {
  return cmd
    .option('--threads <n>', 'extraction/scoring worker threads (0 = on the main thread)', nonNegativeInt, defaultStageThreads())
    .option('--detector <name>', 'score with this detector (repeatable; default: every built-in)', collect, [])
    .option('--detector-module <spec>', 'also load detectors from this module path or package (repeatable)', collect, [])
    .option('--no-score', 'extract and store only; score later with `ccaudit score`');
}

/** Stage-pool settings for the flags (no detectors with --no-score). */
export function stageSettings(flags: ScoringFlags): Required<Pick<StagePoolOptions, 'threads' | 'detectors' | 'detectorModules'>> {
  return {
    threads: flags.threads,
    detectors: flags.score === false ? null : [...flags.detector],
    detectorModules: flags.detectorModule,
  };
}

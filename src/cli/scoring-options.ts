/** The extraction/scoring flags shared by `scan` and `sample`, and the stage settings they map to. */
import type { Command } from 'commander';
import { defaultStageThreads, WORKER_HEAP_MB, type StagePoolOptions } from '../pipeline/stage-pool.js';
import { collect, intAtLeast, nonNegativeInt } from './options.js';

/** Below this a worker cannot hold the detectors and one large page. */
const MIN_WORKER_HEAP_MB = 64;

export interface ScoringFlags {
  threads: number;
  /** false with --no-score */
  score: boolean;
  detector: string[];
  detectorModule: string[];
  workerHeapMb: number;
}

export function addScoringOptions(cmd: Command): Command {
  return cmd
    .option('--threads <n>', 'extraction/scoring worker threads (0 = on the main thread)', nonNegativeInt, defaultStageThreads())
    .option('--detector <name>', 'score with this detector (repeatable; default: every built-in)', collect, [])
    .option('--detector-module <spec>', 'also load detectors from this module path or package (repeatable)', collect, [])
    .option(
      '--worker-heap-mb <n>',
      `old-generation heap cap per worker thread in MB: more is faster (fewer collections), less keeps RSS down`,
      intAtLeast(MIN_WORKER_HEAP_MB),
      WORKER_HEAP_MB,
    )
    .option('--no-score', 'extract and store only; score later with `ccaudit score`');
}

/** Stage-pool settings for the flags (no detectors with --no-score). */
export function stageSettings(flags: ScoringFlags): Required<Pick<StagePoolOptions, 'threads' | 'detectors' | 'detectorModules' | 'workerHeapMb'>> {
  return {
    threads: flags.threads,
    workerHeapMb: flags.workerHeapMb,
    detectors: flags.score === false ? null : [...flags.detector],
    detectorModules: flags.detectorModule,
  };
}

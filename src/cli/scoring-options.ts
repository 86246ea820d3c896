/** The extraction/scoring flags shared by `scan` and `sample`, and the pool they configure. */
import type { Command } from 'commander';
import { createExtractPool, defaultExtractThreads, type ExtractPool } from '../pipeline/pool.js';
import { loadScorers } from '../pipeline/score-document.js';
import { nonNegativeInt } from './options.js';

export interface ScoringFlags {
  threads: number;
  /** false with --no-score */
  score: boolean;
  detector: string[];
  detectorModule: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function addScoringOptions(cmd: Command): Command {
  return cmd
    .option('--threads <n>', 'extraction/scoring worker threads (0 = on the main thread)', nonNegativeInt, defaultExtractThreads())
    .option('--detector <name>', 'score with this detector (repeatable; default: every built-in)', collect, [])
    .option('--detector-module <spec>', 'also load detectors from this module path or package (repeatable)', collect, [])
    .option('--no-score', 'extract and store only; score later with `ccaudit score`');
}

/**
 * Builds the pool for the flags. Detectors are loaded once here first, so a bad name or
 * plugin fails fast with one clear line instead of failing every document in the workers.
 */
export async function createScoringPool(flags: ScoringFlags): Promise<ExtractPool> {
  const names = flags.score === false ? null : [...flags.detector];
  if (names) {
    const loaded = await loadScorers(names, flags.detectorModule);
    // With plugins and no explicit names, score with the built-ins plus the plugins.
    if (flags.detectorModule.length > 0 && names.length === 0) names.push(...loaded.map((d) => d.name));
  }
  return createExtractPool({ threads: flags.threads, detectors: names, detectorModules: flags.detectorModule });
}

/**
 * Scoring reference texts right after `synthesize` / `references import` store them
 * (skipped with --no-score; `ccaudit score --db` catches up later).
 */
import type { Command } from 'commander';
import type { Store } from '../store/index.js';
import { prepareDetectors } from '../../detectors/registry.js';
import { collect } from './options.js';
import { scoreStoredReferences } from '../pipeline/score-references.js';
import type { StoreScoringSummary } from '../pipeline/score-store.js';

export interface ReferenceScoringFlags {
  /** false with --no-score */
  score: boolean;
  detector: string[];
  detectorModule: string[];
}

export function addReferenceScoringOptions(cmd: Command): Command {
  return cmd
    .option('--detector <name>', 'score the new references with this detector (repeatable; default: every built-in)', collect, [])
    .option('--detector-module <spec>', 'also load detectors from this module path or package (repeatable)', collect, [])
    .option('--no-score', 'store only; score later with `ccaudit score --db`');
}

/** Scores every reference text that lacks a score from the chosen detectors. */
export async function scoreReferences(store: Store, flags: ReferenceScoringFlags): Promise<StoreScoringSummary[]> {
  return scoreStoredReferences(store, await prepareDetectors({ names: flags.detector, modules: flags.detectorModule }));
}

/** "reference texts scored: gpt-words 8 (2 unsupported), classifier 8" */
export function formatReferenceScoring(summaries: readonly StoreScoringSummary[]): string {
  const parts = summaries.map((s) => {
    const extra = [s.unsupported ? `${s.unsupported} unsupported` : '', s.errors ? `${s.errors} errors` : ''].filter(Boolean).join(', ');
    return `${s.detector} ${s.scored}${extra ? ` (${extra})` : ''}`;
  });
  return `reference texts scored: ${parts.join(', ')}`;
}

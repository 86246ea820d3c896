/**
 * Scores stored reference texts (AI references, imported labelled texts, control corpora;
 * table reference_texts) that have no score yet from a detector's current version, the same
 * way score-store.ts scores crawl documents: in batches, idempotent, a new detector version
 * re-scores everything.
 */
import type { Store } from '../store/index.js';
import { referencesMissingScorePaged, upsertReferenceScores } from '../store/index.js';
import type { Detector } from '../detect/types.js';
import { scoreMissing, type StoreScoringOptions, type StoreScoringSummary } from './score-store.js';

export function scoreStoredReferences(store: Store, detectors: readonly Detector[], opts: StoreScoringOptions = {}): Promise<StoreScoringSummary[]> {
  return scoreMissing(
    {
      missing: (detector, version, batchSize) => referencesMissingScorePaged(store, detector, version, batchSize),
      write: (items, det, version, results) =>
        upsertReferenceScores(
          store,
          results.map((r, i) => ({ referenceId: items[i].id, detector: det.name, detectorVersion: version, score: r.score, raw: r.raw ?? null })),
        ),
    },
    detectors,
    opts,
  );
}

/** Texts handled over all detectors (for "scored N reference texts" lines). */
export function referencesHandled(summaries: readonly StoreScoringSummary[]): number {
  return summaries.reduce((a, s) => a + s.scored + s.unsupported + s.errors, 0);
}

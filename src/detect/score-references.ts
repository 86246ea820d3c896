/**
 * Scores stored reference texts (AI references, imported labelled texts, control corpora;
 * table reference_texts) that have no score yet from a detector's current version, the same
 * way score-store.ts scores crawl documents: in batches, idempotent, a new detector version
 * re-scores everything.
 */
import type { Store } from '../store/index.js';
import { referencesMissingScorePaged, upsertReferenceScores } from '../store/index.js';
import type { Detector } from './types.js';
import { safeScoreMany } from './runner.js';
import type { StoreScoringOptions, StoreScoringSummary } from './score-store.js';

export async function scoreStoredReferences(store: Store, detectors: readonly Detector[], opts: StoreScoringOptions = {}): Promise<StoreScoringSummary[]> {
  const batchSize = opts.batchSize ?? 256;
  const summaries: StoreScoringSummary[] = [];
  for (const det of detectors) {
    const version = det.version;
    const summary: StoreScoringSummary = { detector: det.name, version, scored: 0, unsupported: 0, errors: 0 };
    summaries.push(summary);
    let batch: Array<{ id: number; text: string; lang: string | null; words: number }> = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const results = await safeScoreMany(det, batch.map((r) => ({ text: r.text, lang: r.lang, words: r.words })));
      upsertReferenceScores(
        store,
        results.map((r, i) => ({ referenceId: batch[i].id, detector: det.name, detectorVersion: version, score: r.score, raw: r.raw ?? null })),
      );
      for (const r of results) {
        if (r.score !== null) summary.scored++;
        else if (r.reason === 'error') summary.errors++;
        else summary.unsupported++;
      }
      batch = [];
      opts.onBatch?.(det.name, summary.scored + summary.unsupported + summary.errors);
    };
    for (const ref of referencesMissingScorePaged(store, det.name, version, batchSize)) {
      batch.push(ref);
      if (batch.length >= batchSize) {
        await flush();
        if (opts.shouldStop?.()) return summaries;
      }
    }
    await flush();
    if (opts.shouldStop?.()) return summaries;
  }
  return summaries;
}

/** Texts handled over all detectors (for "scored N reference texts" lines). */
export function referencesHandled(summaries: readonly StoreScoringSummary[]): number {
  return summaries.reduce((a, s) => a + s.scored + s.unsupported + s.errors, 0);
}

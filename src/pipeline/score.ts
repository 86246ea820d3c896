/** `score`: stored documents and reference texts that lack a score from a detector version. */
import type { Detector } from '../detect/types.js';
import { prepareDetectors, type DetectorSelection } from '../../detectors/registry.js';
import { referencesHandled, scoreStoredReferences } from './score-references.js';
import { scoreStoredDocuments, type StoreScoringSummary } from './score-store.js';
import { useStore, withRun, type StoreInput } from './run.js';
import { blockBounds, formatShard, type Shard } from '../core/shard.js';
import { documentCount, documentIdRange } from '../store/index.js';

export interface ScoreOptions {
  /** Store path (must exist: scoring never creates a store) or an open store (left open). */
  db: StoreInput;
  /** Ready detectors, or a selection to prepare (default: every built-in). */
  detectors?: readonly Detector[] | DetectorSelection;
  /** Texts per transaction. Default 256. */
  batchSize?: number;
  /** Score reference texts too, after the documents. Default true. */
  references?: boolean;
  onProgress?(event: { kind: 'documents' | 'references'; detector: string; done: number }): void;
  /** Checked between batches: true stops after the current batch (SIGINT). */
  shouldStop?(): boolean;
  /**
   * Score only this shard's documents (contiguous blocks in id order) on a copy of the store;
   * reference texts are scored by shard 0 only. `ccaudit merge` joins the copies' scores.
   */
  shard?: Shard | null;
}

export interface ScoreSummary {
  runId: number;
  status: 'completed' | 'interrupted';
  documents: StoreScoringSummary[];
  references: StoreScoringSummary[];
}

/**
 * Scores every stored document (then every reference text) missing a score from each
 * detector's current version, as a recorded `score` run. Idempotent: re-running scores only
 * what is missing; a new detector version scores everything again.
 */
export async function score(opts: ScoreOptions): Promise<ScoreSummary> {
  const detectors = Array.isArray(opts.detectors)
    ? (opts.detectors as readonly Detector[])
    : await prepareDetectors((opts.detectors as DetectorSelection | undefined) ?? {});
  const batchSize = Math.max(1, opts.batchSize ?? 256);
  const { store, close } = useStore(opts.db, { create: false });
  try {
    const shard = opts.shard && opts.shard.count > 1 ? opts.shard : null;
    const detectorArgs = detectors.map((d) => `${d.name}@${d.version}`);
    const args = shard ? { detectors: detectorArgs, shard: formatShard(shard) } : { detectors: detectorArgs };
    const bounds = shard ? blockBounds(documentCount(store), shard) : null;
    const idRange = bounds ? documentIdRange(store, bounds.start, bounds.end) : undefined;
    return await withRun(store, 'score', args, async (run) => {
      const documents = await scoreStoredDocuments(store, detectors, {
        batchSize,
        shouldStop: opts.shouldStop,
        idRange,
        onBatch: (detector, done) => opts.onProgress?.({ kind: 'documents', detector, done }),
      });
      const stopped = () => !!opts.shouldStop?.();
      const references =
        stopped() || opts.references === false || (shard !== null && shard.index !== 0)
          ? []
          : await scoreStoredReferences(store, detectors, {
              batchSize,
              shouldStop: opts.shouldStop,
              onBatch: (detector, done) => opts.onProgress?.({ kind: 'references', detector, done }),
            });
      const status = stopped() ? 'interrupted' : 'completed';
      const result: ScoreSummary = { runId: run.id, status, documents, references };
      return { status, summary: referencesHandled(references) > 0 ? { documents, references } : documents, result };
    });
  } finally {
    close();
  }
}

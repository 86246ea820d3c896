/**
 * `ccaudit score --db`: scores stored documents that have no score yet from a detector's
 * current version, in batches, through src/store's documentsMissingScore/upsertScores.
 * Idempotent: re-running only scores what is missing; a new detector version re-scores all.
 */
import type { Store } from '../store/index.js';
import { documentsMissingScore, upsertScores, type DocumentIdRange, type ScoreRow } from '../store/index.js';
import type { Detector, DetectorResult } from '../detect/types.js';
import { safeScoreMany } from '../detect/runner.js';

export interface StoreScoringOptions {
  /** Documents per transaction (default 256). */
  batchSize?: number;
  /** Checked between batches; true stops early (SIGINT). */
  shouldStop?(): boolean;
  onBatch?(detector: string, scoredSoFar: number): void;
  /** Only documents with ids in this range (one shard's). */
  idRange?: DocumentIdRange;
}

export interface StoreScoringSummary {
  detector: string;
  version: string;
  scored: number;
  unsupported: number;
  errors: number;
}

/** The details JSON kept with a score: the refusal reason and the detector's own extras. */
export function detailsOf(r: DetectorResult): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  if (r.score === null) out.reason = r.reason;
  if (r.details) Object.assign(out, r.details);
  if ('spans' in r && r.spans && r.spans.length > 0) out.spans = r.spans;
  return Object.keys(out).length > 0 ? out : null;
}

export function toScoreRow(documentId: number, detector: Detector, version: string, r: DetectorResult): ScoreRow {
  return { documentId, detector: detector.name, detectorVersion: version, score: r.score, raw: r.raw ?? null, details: detailsOf(r) };
}

/** Where the texts missing a score come from and where their scores go (documents or reference texts). */
export interface MissingScoreSource<T extends { id: number; text: string; lang: string | null; words: number }> {
  missing(detector: string, version: string, batchSize: number): Iterable<T>;
  write(items: readonly T[], detector: Detector, version: string, results: readonly DetectorResult[]): void;
}

/** Scores every text a source reports as missing a score, per detector, batch by batch. */
export async function scoreMissing<T extends { id: number; text: string; lang: string | null; words: number }>(
  source: MissingScoreSource<T>,
  detectors: readonly Detector[],
  opts: StoreScoringOptions = {},
): Promise<StoreScoringSummary[]> {
  const batchSize = opts.batchSize ?? 256;
  const summaries: StoreScoringSummary[] = [];
  for (const det of detectors) {
    const version = det.version;
    const summary: StoreScoringSummary = { detector: det.name, version, scored: 0, unsupported: 0, errors: 0 };
    summaries.push(summary);
    let batch: T[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const results = await safeScoreMany(
        det,
        batch.map((d) => ({ text: d.text, lang: d.lang, words: d.words })),
      );
      source.write(batch, det, version, results);
      for (const r of results) {
        if (r.score !== null) summary.scored++;
        else if (r.reason === 'error') summary.errors++;
        else summary.unsupported++;
      }
      batch = [];
      opts.onBatch?.(det.name, summary.scored + summary.unsupported + summary.errors);
    };
    for (const item of source.missing(det.name, version, batchSize)) {
      batch.push(item);
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

export function scoreStoredDocuments(store: Store, detectors: readonly Detector[], opts: StoreScoringOptions = {}): Promise<StoreScoringSummary[]> {
  return scoreMissing(
    {
      missing: (detector, version, batchSize) => documentsMissingScore(store, detector, version, batchSize, opts.idRange),
      write: (items, det, version, results) =>
        upsertScores(
          store,
          results.map((r, i) => toScoreRow(items[i].id, det, version, r)),
        ),
    },
    detectors,
    opts,
  );
}

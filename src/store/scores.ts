/** Detector scores and calibrations: the store side of src/detect/. */
import type { Store } from './db.js';
import { StoreError } from './errors.js';

/** One detector output for one document. */
export interface ScoreRow {
  documentId: number;
  detector: string;
  detectorVersion: string;
  /** Probability-like score in the detector's own scale; null = detector does not support this document. */
  score: number | null;
  /** Uncalibrated raw value (log-likelihood ratio, logit …), if the detector has one. */
  raw?: number | null;
  /** Anything else worth keeping (JSON-serialisable). */
  details?: unknown;
}

/** A document waiting to be scored by a detector. */
export interface DocumentToScore {
  id: number;
  text: string;
  lang: string;
  words: number;
}

/** Operating point of a detector measured on a labelled set, with confidence intervals. */
export interface Calibration {
  detector: string;
  detectorVersion: string;
  threshold: number;
  tpr: number;
  tprLo: number | null;
  tprHi: number | null;
  fpr: number;
  fprLo: number | null;
  fprHi: number | null;
  nPos: number;
  nNeg: number;
  /** Which labelled data set it was measured on. */
  dataset: string;
  /** ISO timestamp; set by saveCalibration when omitted. */
  created?: string;
}

function finiteOrNull(name: string, value: number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new StoreError('bad-input', `${name} must be a finite number or null, got ${String(value)}`);
  }
  return value;
}

/**
 * Inserts or replaces scores (keyed by document, detector, detector version) in one
 * transaction. Returns the number of rows written.
 */
export function upsertScores(store: Store, rows: Iterable<ScoreRow>): number {
  const stmt = store.statement(
    `INSERT INTO scores (document_id, detector, detector_version, score, raw, details, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (document_id, detector, detector_version) DO UPDATE SET
       score = excluded.score, raw = excluded.raw, details = excluded.details, created_at = excluded.created_at`,
  );
  const write = store.db.transaction((items: Iterable<ScoreRow>) => {
    const created = new Date().toISOString();
    let n = 0;
    for (const r of items) {
      if (!r.detector || !r.detectorVersion) {
        throw new StoreError('bad-input', 'a score needs a detector name and version');
      }
      stmt.run(
        r.documentId,
        r.detector,
        r.detectorVersion,
        finiteOrNull('score', r.score),
        finiteOrNull('raw', r.raw),
        r.details === undefined || r.details === null ? null : JSON.stringify(r.details),
        created,
      );
      n++;
    }
    return n;
  });
  return write(rows);
}

/** Document ids [from, to): one shard's documents. */
export interface DocumentIdRange {
  from: number;
  to: number;
}

/** Ids of the documents at positions start..end in id order (a block of one shard). */
export function documentIdRange(store: Store, start: number, end: number): DocumentIdRange {
  const at = store.statement(`SELECT id FROM documents ORDER BY id LIMIT 1 OFFSET ?`);
  const idAt = (pos: number) => (at.get(pos) as { id: number } | undefined)?.id ?? Number.MAX_SAFE_INTEGER;
  return { from: start >= end ? Number.MAX_SAFE_INTEGER : idAt(start), to: idAt(end) };
}

/** Number of stored documents. */
export function documentCount(store: Store): number {
  return (store.statement(`SELECT count(*) AS n FROM documents`).get() as { n: number }).n;
}

/**
 * Documents without a score from (detector, version), in id order, fetched `batchSize` at a
 * time. Each batch is read completely before it is yielded, so the caller may call
 * upsertScores between items; documents it skips are not offered again by this iterator.
 */
export function* documentsMissingScore(
  store: Store,
  detector: string,
  detectorVersion: string,
  batchSize = 256,
  idRange: DocumentIdRange = { from: 0, to: Number.MAX_SAFE_INTEGER },
): Generator<DocumentToScore> {
  const size = Math.max(1, Math.trunc(batchSize));
  const stmt = store.statement(
    `SELECT d.id, d.text, d.lang, d.words FROM documents d
     WHERE d.id > ? AND d.id >= ? AND d.id < ? AND NOT EXISTS (
       SELECT 1 FROM scores s WHERE s.document_id = d.id AND s.detector = ? AND s.detector_version = ?)
     ORDER BY d.id LIMIT ?`,
  );
  let after = 0;
  for (;;) {
    const batch = stmt.all(after, idRange.from, idRange.to, detector, detectorVersion, size) as DocumentToScore[];
    if (batch.length === 0) return;
    after = batch[batch.length - 1].id;
    yield* batch;
    if (batch.length < size) return;
  }
}

/** Stores (or replaces) the calibration of one detector version. */
export function saveCalibration(store: Store, c: Calibration): void {
  for (const [k, v] of [
    ['threshold', c.threshold],
    ['tpr', c.tpr],
    ['fpr', c.fpr],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new StoreError('bad-input', `calibration ${k} must be a finite number, got ${String(v)}`);
    }
  }
  for (const [k, v] of [
    ['nPos', c.nPos],
    ['nNeg', c.nNeg],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new StoreError('bad-input', `calibration ${k} must be a non-negative integer, got ${String(v)}`);
    }
  }
  store
    .statement(
      `INSERT OR REPLACE INTO calibrations (detector, detector_version, threshold, tpr, tpr_lo, tpr_hi,
         fpr, fpr_lo, fpr_hi, n_pos, n_neg, dataset, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      c.detector,
      c.detectorVersion,
      c.threshold,
      c.tpr,
      finiteOrNull('tprLo', c.tprLo),
      finiteOrNull('tprHi', c.tprHi),
      c.fpr,
      finiteOrNull('fprLo', c.fprLo),
      finiteOrNull('fprHi', c.fprHi),
      c.nPos,
      c.nNeg,
      c.dataset,
      c.created ?? new Date().toISOString(),
    );
}

/** The calibration of one detector version, or null if none was saved. */
export function getCalibration(store: Store, detector: string, detectorVersion: string): Calibration | null {
  const row = store
    .statement(
      `SELECT detector, detector_version AS detectorVersion, threshold, tpr, tpr_lo AS tprLo, tpr_hi AS tprHi,
         fpr, fpr_lo AS fprLo, fpr_hi AS fprHi, n_pos AS nPos, n_neg AS nNeg, dataset, created_at AS created
       FROM calibrations WHERE detector = ? AND detector_version = ?`,
    )
    .get(detector, detectorVersion) as Calibration | undefined;
  return row ?? null;
}

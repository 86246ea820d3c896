/**
 * One flush of the writer: every buffered row, the sources' checkpoints and completions,
 * the row counters and any caller actions, written inside the caller's transaction.
 */
import type { DocumentScore } from '../core/types.js';
import type { Store } from './db.js';
import type { ErrorParams } from './error-rows.js';
import { INSERT_ERROR_SQL } from './error-rows.js';
import { RECORD_SQL, type DocumentParams, type RecordParams } from './record-rows.js';
import { SOURCE_SQL } from './sources.js';

export interface Counts {
  records: number;
  documents: number;
  errors: number;
}

export interface PendingRecord {
  record: RecordParams;
  doc: DocumentParams | null;
  scores: DocumentScore[] | null;
}

export interface PendingBatch {
  records: readonly PendingRecord[];
  errors: readonly ErrorParams[];
  checkpoints: ReadonlyMap<number, number>;
  completions: ReadonlySet<number>;
  actions: ReadonlyArray<() => void>;
}

const RUN_COUNTS_SQL = `UPDATE runs SET records_added = records_added + ?, documents_added = documents_added + ?,
      errors_added = errors_added + ?, sources_completed = sources_completed + ? WHERE id = ?`;

function now(): string {
  return new Date().toISOString();
}

/** Writes a batch; must run inside a transaction (rows and resume offsets commit together). */
export function writeBatch(store: Store, batch: PendingBatch, runId: number | null): Counts {
  const insertRecord = store.statement(RECORD_SQL.insertRecord);
  const recordId = store.statement(RECORD_SQL.recordId);
  const insertDocument = store.statement(RECORD_SQL.insertDocument);
  const insertError = store.statement(INSERT_ERROR_SQL);
  const perSource = new Map<number, Counts>();
  const tally = (sourceId: number): Counts => {
    let c = perSource.get(sourceId);
    if (!c) perSource.set(sourceId, (c = { records: 0, documents: 0, errors: 0 }));
    return c;
  };
  const counts: Counts = { records: 0, documents: 0, errors: 0 };

  const documentId = store.statement(RECORD_SQL.documentId);
  const insertScore = store.statement(RECORD_SQL.insertScore);
  const scoredAt = now();
  for (const { record, doc, scores } of batch.records) {
    const inserted = insertRecord.get(record) as { id: number } | undefined;
    let pk: number | undefined = inserted?.id;
    if (inserted) {
      counts.records++;
      tally(record.source_id).records++;
    } else if (doc) {
      // Record stored earlier (maybe without a document): attach the document if missing.
      pk = (recordId.get(record.source_id, record.offset) as { id: number }).id;
    }
    if (doc && pk !== undefined) {
      doc.record_pk = pk;
      if (insertDocument.run(doc).changes > 0) {
        counts.documents++;
        tally(record.source_id).documents++;
      }
      if (scores) {
        const docId = (documentId.get(pk) as { id: number }).id;
        for (const sc of scores) {
          insertScore.run(docId, sc.detector, sc.detectorVersion, sc.score, sc.raw, sc.details ? JSON.stringify(sc.details) : null, scoredAt);
        }
      }
    }
  }
  for (const error of batch.errors) {
    if (insertError.run(error).changes > 0) {
      counts.errors++;
      tally(error.source_id).errors++;
    }
  }
  for (const [sourceId, offset] of batch.checkpoints) store.statement(SOURCE_SQL.checkpoint).run(offset, sourceId);
  let completed = 0;
  const at = now();
  for (const sourceId of batch.completions) completed += store.statement(SOURCE_SQL.complete).run(at, sourceId).changes;
  for (const [sourceId, c] of perSource) {
    store.statement(SOURCE_SQL.sourceCounts).run(c.records, c.documents, c.errors, sourceId);
  }
  if (runId !== null) {
    store.statement(RUN_COUNTS_SQL).run(counts.records, counts.documents, counts.errors, completed, runId);
  }
  for (const action of batch.actions) action();
  return counts;
}

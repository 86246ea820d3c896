/**
 * Hands a fetched Common Crawl record to the shared pipeline steps: HTML responses are
 * extracted and scored (on the extraction pool's worker threads when it has any), every
 * record becomes a `records` row, a failed extraction becomes an `errors` row.
 */
import { extractionInput, INLINE_POOL, isHtmlResponse } from './scan-file.js';
import { WorkerPoolError, type ExtractPool } from './pool.js';
import type { StoreWriter } from '../store/index.js';
import type { DocumentScore, ExtractedDocument, WarcRecord } from '../core/types.js';

export interface IngestResult {
  /** An HTML page was extracted into a document. */
  document: boolean;
  /** Extraction failed (stored as an error row). */
  error: string | null;
}

/** Extracts, scores and buffers one fetched record into the writer (committed by the caller). */
export async function ingestRecord(record: WarcRecord, writer: StoreWriter, pool: ExtractPool = INLINE_POOL): Promise<IngestResult> {
  const { sourceId } = writer.beginSource(record.source);
  let doc: ExtractedDocument | null = null;
  let scores: DocumentScore[] = [];
  let error: string | null = null;
  if (isHtmlResponse(record)) {
    try {
      ({ doc, scores } = await pool.extract(extractionInput(record)));
    } catch (err) {
      if (err instanceof WorkerPoolError) throw err;
      error = (err as Error).message;
      writer.addError({
        sourceId,
        offset: record.offset,
        offsetKind: record.offsetKind,
        code: 'extract-failed',
        message: error,
      });
    }
  }
  writer.add(sourceId, record, doc, scores);
  return { document: doc !== null, error };
}

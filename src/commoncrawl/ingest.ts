/**
 * INTEGRATION POINT between `ccaudit sample` and the shared pipeline (src/pipeline.ts).
 *
 * A fetched Common Crawl record goes through the same steps as a record of a local file in
 * `scan`: HTML responses are extracted, every record becomes a `records` row, a failed
 * extraction becomes an `errors` row. When pipeline.ts grows a per-record entry point
 * (`processItem(item, ctx)` with detectors), replace the body of `ingestRecord` with a call
 * to it; nothing else in src/commoncrawl/ needs to change.
 */
import { extractRecord, isHtmlResponse } from '../pipeline.js';
import type { StoreWriter } from '../store/index.js';
import type { ExtractedDocument, WarcRecord } from '../types.js';

export interface IngestResult {
  /** An HTML page was extracted into a document. */
  document: boolean;
  /** Extraction failed (stored as an error row). */
  error: string | null;
}

/** Extracts and buffers one fetched record into the writer (committed by the caller). */
export function ingestRecord(record: WarcRecord, writer: StoreWriter): IngestResult {
  const { sourceId } = writer.beginSource(record.source);
  let doc: ExtractedDocument | null = null;
  let error: string | null = null;
  if (isHtmlResponse(record)) {
    try {
      doc = extractRecord(record);
    } catch (err) {
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
  writer.add(sourceId, record, doc);
  return { document: doc !== null, error };
}

/**
 * Wires the stages for local files: read WARC records → pick HTML responses →
 * extract → (score) → store. One source file at a time; resumable through the
 * sink's per-source checkpoint, which is committed with the records before it.
 */
import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { readWarcFile } from '../sources/warc/index.js';
import { extractDocument } from '../extract/index.js';
import type { DocumentScore, ExtractedDocument, WarcItem, WarcRecord, WarcReadError } from '../core/types.js';
import { createExtractPool, type ExtractJob, type ExtractPool, type ExtractResult, WorkerPoolError } from './pool.js';
import { isReadError } from '../core/types.js';

/** Where the pipeline puts its results (implemented by the SQLite store writer). */
export interface PipelineSink {
  beginSource(path: string, info: { size: number; mtimeMs: number }): {
    sourceId: number;
    resumeOffset: number;
    alreadyComplete: boolean;
  };
  add(sourceId: number, record: WarcRecord, doc: ExtractedDocument | null, scores?: DocumentScore[]): void;
  addError(sourceId: number, error: WarcReadError): void;
  /** Next record to read starts at `nextOffset`; committed atomically with the rows before it. */
  checkpoint(sourceId: number, nextOffset: number): void;
  completeSource(sourceId: number): void;
}

/** Inline extraction (no worker threads). */
export const INLINE_POOL: ExtractPool = createExtractPool({ threads: 0 });

export interface StageTimes {
  readMs: number;
  extractMs: number;
  storeMs: number;
}

export interface SourceSummary {
  path: string;
  skipped: boolean;
  resumedFrom: number;
  records: number;
  documents: number;
  errors: number;
  bytes: number;
}

export interface ScanHooks {
  onBytes?(delta: number): void;
  onRecord?(summary: SourceSummary): void;
  /** Checked between records: true stops the scan of this file after the current record (SIGINT). */
  shouldStop?(): boolean;
}

const HTML_TYPES = /^\s*(text\/html|application\/xhtml\+xml)\b/i;

/** Only successful HTML responses become documents; everything else is kept as a record row. */
export function isHtmlResponse(record: WarcRecord): boolean {
  if (record.payload === null || record.payload.length === 0) return false;
  if (record.warcType === 'response') {
    if (record.httpStatus === null || record.httpStatus < 200 || record.httpStatus >= 300) return false;
  } else if (record.warcType !== 'resource') {
    return false;
  }
  if (record.contentType) return HTML_TYPES.test(record.contentType);
  return looksLikeHtml(record.payload);
}

/** Sniff a payload without a Content-Type: does it open like an HTML document? */
function looksLikeHtml(payload: Uint8Array): boolean {
  const head = Buffer.from(payload.subarray(0, 512)).toString('latin1').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || /<(head|body|title)[\s>]/.test(head);
}

export function extractionInput(record: WarcRecord): ExtractJob {
  return {
    html: record.payload!,
    contentType: record.contentType,
    url: record.targetUri,
    notAfter: record.warcDate,
  };
}

export function extractRecord(record: WarcRecord): ExtractedDocument {
  return extractDocument(extractionInput(record));
}

/** How many records may be between the reader and the store at once (bounds memory). */
const MAX_IN_FLIGHT = 64;
const MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;

interface InFlight {
  item: WarcItem;
  doc: Promise<ExtractResult> | null;
  bytes: number;
}

/**
 * Scan one local WARC file into the sink. Never throws for bad content: read
 * errors become error rows; an extraction crash on one page becomes an error row
 * for that record's offset and the scan goes on. Extraction may run on worker
 * threads (`pool`); results are stored strictly in file order so the resume
 * checkpoint never passes a record that is not committed.
 */
export async function scanFile(
  path: string,
  sink: PipelineSink,
  times: StageTimes,
  progress: ScanHooks = {},
  pool: ExtractPool = INLINE_POOL,
): Promise<SourceSummary> {
  const info = await stat(path);
  const { sourceId, resumeOffset, alreadyComplete } = sink.beginSource(path, {
    size: info.size,
    mtimeMs: info.mtimeMs,
  });
  const summary: SourceSummary = {
    path,
    skipped: alreadyComplete,
    resumedFrom: resumeOffset,
    records: 0,
    documents: 0,
    errors: 0,
    bytes: 0,
  };
  if (alreadyComplete) {
    progress.onBytes?.(info.size);
    return summary;
  }
  if (resumeOffset > 0) progress.onBytes?.(Math.min(resumeOffset, info.size));
  let lastFileOffset = resumeOffset;
  const window: InFlight[] = [];
  let windowBytes = 0;

  const storeOldest = async () => {
    const { item, doc: pendingDoc, bytes } = window.shift()!;
    windowBytes -= bytes;
    if (isReadError(item)) {
      sink.addError(sourceId, item);
      summary.errors++;
      return;
    }
    let doc: ExtractedDocument | null = null;
    let scores: DocumentScore[] = [];
    if (pendingDoc) {
      const t = performance.now();
      try {
        ({ doc, scores } = await pendingDoc);
      } catch (err) {
        if (err instanceof WorkerPoolError) throw err;
        sink.addError(sourceId, {
          kind: 'error',
          source: path,
          offset: item.offset,
          offsetKind: item.offsetKind,
          code: 'extract-failed',
          message: (err as Error).message,
        });
        summary.errors++;
      }
      times.extractMs += performance.now() - t;
    }
    const t2 = performance.now();
    sink.add(sourceId, item, doc, scores);
    summary.records++;
    if (doc) summary.documents++;
    const next = item.offset + item.length;
    sink.checkpoint(sourceId, next);
    if (item.offsetKind === 'file' && next > lastFileOffset) {
      progress.onBytes?.(next - lastFileOffset);
      summary.bytes += next - lastFileOffset;
      lastFileOffset = next;
    }
    times.storeMs += performance.now() - t2;
    progress.onRecord?.(summary);
  };

  const reader = readWarcFile(path, { startOffset: resumeOffset });
  let stopped = false;
  let t0 = performance.now();
  for await (const item of reader) {
    times.readMs += performance.now() - t0;
    if (progress.shouldStop?.()) {
      stopped = true;
      break;
    }
    let doc: Promise<ExtractResult> | null = null;
    let bytes = 0;
    if (!isReadError(item)) {
      bytes = item.payload?.length ?? 0;
      if (isHtmlResponse(item)) {
        const t = performance.now();
        doc = pool.extract(extractionInput(item));
        doc.catch(() => {}); // handled in storeOldest, in order
        times.extractMs += performance.now() - t;
      }
    }
    window.push({ item, doc, bytes });
    windowBytes += bytes;
    while (window.length >= MAX_IN_FLIGHT || windowBytes > MAX_IN_FLIGHT_BYTES) await storeOldest();
    t0 = performance.now();
  }
  while (window.length > 0) await storeOldest();
  if (stopped) return summary;
  sink.completeSource(sourceId);
  if (info.size > lastFileOffset) progress.onBytes?.(info.size - lastFileOffset);
  return summary;
}

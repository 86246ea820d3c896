/**
 * The pipeline's extract step: which records become documents, and the extraction of one
 * record. Knows nothing about detectors (that is the score step).
 */
import { documentFromText, extractDocument } from '../extract/index.js';
import type { ExtractInput, ExtractedDocument, WarcRecord } from '../core/types.js';

/**
 * One record's extraction. `plainText`: the payload is already the document's text (WET
 * conversion records, dataset rows), so HTML extraction is skipped; `documentDate` is the
 * date the input gives for it.
 */
export type ExtractJob = ExtractInput & { notAfter?: string | null; plainText?: boolean; documentDate?: string | null };

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

const TEXT_TYPES = /^\s*text\/plain\b/i;

/**
 * Plain-text documents: Common Crawl WET `conversion` records and dataset rows (carried as
 * conversion records). Their text is the document; no HTML is extracted.
 */
export function isTextDocument(record: WarcRecord): boolean {
  if (record.warcType !== 'conversion' || record.payload === null || record.payload.length === 0) return false;
  return record.contentType === null || TEXT_TYPES.test(record.contentType);
}

/** Records that become documents: HTML responses and plain-text documents. */
export function becomesDocument(record: WarcRecord): boolean {
  return isHtmlResponse(record) || isTextDocument(record);
}

/** Sniff a payload without a Content-Type: does it open like an HTML document? */
function looksLikeHtml(payload: Uint8Array): boolean {
  const head = Buffer.from(payload.subarray(0, 512)).toString('latin1').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || /<(head|body|title)[\s>]/.test(head);
}

/** The extract step's input for a record (the payload is passed by reference, not copied). */
export function extractionInput(record: WarcRecord): ExtractJob {
  if (isTextDocument(record)) {
    return {
      html: record.payload!,
      contentType: record.contentType,
      url: record.targetUri,
      plainText: true,
      documentDate: record.documentDate ?? null,
    };
  }
  return {
    html: record.payload!,
    contentType: record.contentType,
    url: record.targetUri,
    notAfter: record.warcDate,
  };
}

export function extractStep(job: ExtractJob): ExtractedDocument {
  if (job.plainText) return documentFromText({ text: job.html, date: job.documentDate });
  return extractDocument(job);
}

export function extractRecord(record: WarcRecord): ExtractedDocument {
  return extractStep(extractionInput(record));
}

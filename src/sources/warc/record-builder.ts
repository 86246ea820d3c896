/**
 * Turns a framed record (WARC headers + raw block) into the pipeline's
 * `WarcRecord`: HTTP head parsed for HTTP blocks, payload de-chunked and
 * decoded, dates and URIs normalised.
 */
import type { WarcRecord } from '../../core/types.js';
import type { FramedRecord } from './framer.js';
import { decodeHttpBody, parseHttpHead } from './http-payload.js';
import { cleanTargetUri, getHeader, normaliseWarcDate } from './warc-headers.js';

const HTTP_BLOCK_TYPES = new Set(['response', 'request', 'revisit']);

/** Is the block an HTTP message according to the WARC headers (or, failing those, its first bytes)? */
function blockIsHttp(warcType: string | null, warcContentType: string | null, block: Uint8Array): boolean {
  if (warcContentType !== null) {
    const ct = warcContentType.toLowerCase();
    return ct.startsWith('application/http') || ct.startsWith('message/http');
  }
  if (warcType === null || !HTTP_BLOCK_TYPES.has(warcType.toLowerCase())) return false;
  const head = Buffer.from(block.buffer, block.byteOffset, Math.min(block.length, 16)).toString('latin1');
  return /^(HTTP\/\d|[A-Z]+ \S)/.test(head);
}

export function buildWarcRecord(f: FramedRecord, source: string, maxPayloadBytes: number): WarcRecord {
  const h = f.headers;
  const warcType = getHeader(h, 'WARC-Type');
  const warcDateRaw = getHeader(h, 'WARC-Date');
  const warcContentType = getHeader(h, 'Content-Type');
  const notes = [...f.notes];
  let payloadTruncated = f.blockTruncated;
  const warcTruncated = getHeader(h, 'WARC-Truncated');
  if (warcTruncated !== null) {
    payloadTruncated = true;
    notes.push(`WARC-Truncated: ${warcTruncated}`);
  }

  let httpStatus: number | null = null;
  let httpHeaders: Array<[string, string]> | null = null;
  let contentType: string | null = warcContentType;
  let payload: Uint8Array | null = f.block;

  if (blockIsHttp(warcType, warcContentType, f.block)) {
    const head = parseHttpHead(f.block);
    if (head === null) {
      notes.push('block is declared as HTTP but does not start with an HTTP message; payload is the raw block');
      contentType = null;
    } else {
      notes.push(...head.notes);
      httpHeaders = head.headers;
      httpStatus = head.kind === 'response' ? head.status : null;
      contentType = getHeader(head.headers, 'Content-Type');
      const body = f.block.subarray(head.bodyStart);
      if (body.length === 0) {
        payload = null;
      } else {
        const decoded = decodeHttpBody(body, head.headers, { truncated: payloadTruncated, maxBytes: maxPayloadBytes });
        payload = decoded.payload;
        notes.push(...decoded.notes);
        if (decoded.truncated) payloadTruncated = true;
      }
    }
  }
  if (payload !== null && payload.length === 0) payload = null;

  return {
    source,
    offset: f.offset,
    length: f.length,
    offsetKind: f.offsetKind,
    resumeOffset: f.resumeOffset,
    warcVersion: f.version,
    warcType,
    targetUri: cleanTargetUri(getHeader(h, 'WARC-Target-URI')),
    warcDate: normaliseWarcDate(warcDateRaw),
    warcDateRaw,
    recordId: getHeader(h, 'WARC-Record-ID'),
    warcHeaders: h,
    httpStatus,
    httpHeaders,
    contentType,
    payload,
    payloadTruncated,
    notes,
  };
}

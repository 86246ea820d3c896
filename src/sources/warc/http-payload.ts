/**
 * HTTP message parsing and payload decoding for WARC blocks.
 *
 * Real archives disagree about what the stored body is, so nothing here trusts
 * a header without looking at the bytes:
 * - Status lines are parsed leniently: `HTTP/1.1 HTTP/1.1 200 OK`
 *   (archive-query-log's Wayback replays), bare LF line endings, folded and
 *   repeated headers.
 * - `Transfer-Encoding: chunked` is undone only if the body really starts with
 *   a chunk-size line whose chunk ends in CRLF (pywb/iana and node-warc keep the
 *   header but store de-chunked bodies).
 * - `Content-Encoding` gzip/deflate/br/zstd is decoded only when the bytes are
 *   encoded (magic-byte check for gzip, zlib-deflate and zstd; a trial decode
 *   for br and raw deflate). Common Crawl, Browsertrix and Wayback rename the
 *   original header (`X-Crawler-Content-Encoding`, `x-orig-content-encoding`,
 *   `x-archive-orig-content-encoding`) and store decoded bytes; those renamed
 *   headers are never acted on, so nothing is decoded twice.
 * - A decode failure keeps the bytes as they were and adds a note.
 *
 * Decoders: node:zlib (gzip, deflate, brotli) and fzstd (zstd).
 */
import zlib from 'node:zlib';
import { Decompress as ZstdStream } from 'fzstd';
import { asBuffer, decodeHeaderText, findEndOfHeaderBlock, LF, CR } from './bytes.js';
import { inflateMemberAt } from './gzip-member.js';
import { getHeader, type HeaderList } from './warc-headers.js';

export interface HttpHead {
  kind: 'response' | 'request';
  /** Status code for responses (null if unreadable), null for requests. */
  status: number | null;
  /** The first line as written. */
  startLine: string;
  headers: HeaderList;
  /** Offset of the body in the block. */
  bodyStart: number;
  notes: string[];
}

const STATUS_LINE = /^(?:HTTP\/\d+(?:\.\d+)?[ \t]+)+(\d{3})(?:[ \t]|$)/i;
const HTTP_VERSION_ONLY = /^HTTP\/\d+(?:\.\d+)?/i;
const REQUEST_LINE = /^(?:HTTP\/\d+(?:\.\d+)?[ \t]+)?([A-Z][A-Z-]*)[ \t]+\S+(?:[ \t]+HTTP\/\d+(?:\.\d+)?)?[ \t]*$/;

/** Maximum size of an HTTP header block we are willing to parse. */
const MAX_HTTP_HEAD = 1024 * 1024;

/**
 * Parse the HTTP start line and headers at the start of `block`.
 * Returns null if the block does not start with an HTTP message.
 */
export function parseHttpHead(block: Uint8Array): HttpHead | null {
  const buf = asBuffer(block);
  const notes: string[] = [];
  let headEnd = findEndOfHeaderBlock(buf, 0, MAX_HTTP_HEAD);
  let bodyStart = headEnd;
  if (headEnd < 0) {
    // No blank line: a header-only block (revisit without body, truncated record).
    headEnd = Math.min(buf.length, MAX_HTTP_HEAD);
    bodyStart = buf.length;
    if (buf.length > 0 && !(buf[buf.length - 1] === LF)) notes.push('HTTP headers not terminated by a blank line');
  }
  const text = decodeHeaderText(buf.subarray(0, headEnd));
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const startLine = lines[0].trim();
  let kind: 'response' | 'request';
  let status: number | null = null;
  const statusMatch = STATUS_LINE.exec(startLine);
  if (statusMatch) {
    kind = 'response';
    status = Number(statusMatch[1]);
    if ((startLine.match(/HTTP\//gi) ?? []).length > 1) notes.push(`malformed status line repaired: "${startLine.slice(0, 60)}"`);
  } else if (REQUEST_LINE.test(startLine)) {
    kind = 'request';
    if (HTTP_VERSION_ONLY.test(startLine)) notes.push(`malformed request line: "${startLine.slice(0, 60)}"`);
  } else if (HTTP_VERSION_ONLY.test(startLine)) {
    kind = 'response';
    notes.push(`HTTP status line without a status code: "${startLine.slice(0, 60)}"`);
  } else {
    return null;
  }
  const headers: HeaderList = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    if ((line[0] === ' ' || line[0] === '\t') && headers.length > 0) {
      const last = headers[headers.length - 1];
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      notes.push(`HTTP header line without a name ignored: "${line.slice(0, 60)}"`);
      continue;
    }
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { kind, status, startLine, headers, bodyStart, notes };
}

// ------------------------------------------------------------------ chunked

export interface DechunkResult {
  body: Uint8Array;
  /** The body ended before the terminating zero-size chunk. */
  incomplete: boolean;
}

const CHUNK_LINE_MAX = 1024;

/** Read a chunk-size line at `p`: returns [size, index after the line] or null. */
function readChunkSizeLine(b: Uint8Array, p: number): [number, number] | null | 'short' {
  let q = p;
  let size = 0;
  let digits = 0;
  while (q < b.length) {
    const c = b[q];
    const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (v < 0) break;
    size = size * 16 + v;
    digits++;
    q++;
    if (digits > 12) return null;
  }
  if (digits === 0) return q >= b.length ? 'short' : null;
  // optional whitespace and chunk extensions up to the line end
  const rel = asBuffer(b)
    .subarray(q, Math.min(b.length, q + CHUNK_LINE_MAX))
    .indexOf(LF);
  if (rel < 0) return b.length - q >= CHUNK_LINE_MAX ? null : 'short';
  const lineEnd = q + rel;
  for (let k = q; k < lineEnd; k++) {
    const c = b[k];
    if (c === 0x3b) break; // ';' extension
    if (c !== 0x20 && c !== 0x09 && c !== CR) return null;
  }
  return [size, lineEnd + 1];
}

/**
 * Does `body` really look chunked? The first line must be a hex size and the
 * first chunk must end in CRLF. Only if the body is known to be cut short
 * (`mayBeCut`) may the first chunk run past its end.
 */
export function looksChunked(body: Uint8Array, mayBeCut = false): boolean {
  const first = readChunkSizeLine(body, 0);
  if (first === null || first === 'short') return false;
  const [size, dataStart] = first;
  const after = dataStart + size;
  if (after >= body.length) return mayBeCut && size > 0;
  if (body[after] === CR && body[after + 1] === LF) return true;
  return body[after] === LF;
}

/** Undo chunked transfer coding. Stops at the zero chunk (trailers dropped) or where the data ends. */
export function dechunk(body: Uint8Array): DechunkResult {
  const parts: Uint8Array[] = [];
  let total = 0;
  let p = 0;
  for (;;) {
    const line = readChunkSizeLine(body, p);
    if (line === null || line === 'short') break;
    const [size, dataStart] = line;
    if (size === 0) return { body: Buffer.concat(parts, total), incomplete: false };
    const end = Math.min(dataStart + size, body.length);
    parts.push(body.subarray(dataStart, end));
    total += end - dataStart;
    if (dataStart + size >= body.length) break;
    p = dataStart + size;
    if (body[p] === CR) p++;
    if (body[p] === LF) p++;
  }
  return { body: Buffer.concat(parts, total), incomplete: true };
}

// ------------------------------------------------------------------ content coding

export interface DecodeOptions {
  /** The body is known to be incomplete (record cut short or capped). */
  truncated: boolean;
  /** Cap on decoded size. */
  maxBytes: number;
}

export interface DecodedPayload {
  payload: Uint8Array;
  notes: string[];
  /** Decoding hit the end of the data (stream incomplete) or the size cap. */
  truncated: boolean;
}

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}
function isZlib(b: Uint8Array): boolean {
  return b.length >= 2 && (b[0] & 0x0f) === 8 && b[0] >> 4 <= 7 && ((b[0] << 8) | b[1]) % 31 === 0;
}
function isZstd(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd;
}

type Coding = 'gzip' | 'deflate' | 'br' | 'zstd';

interface DecodeOne {
  out: Uint8Array;
  /** The encoded stream ended early. */
  incomplete: boolean;
  /** The decoded output was cut at the size cap. */
  capped?: boolean;
  note?: string;
}

function isTooLarge(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError;
}

type PartialDecoder = (input: Uint8Array, maxOut: number) => Buffer;

/**
 * Run a node:zlib sync decoder with a finishing flush; if the stream is
 * incomplete ("unexpected end of file") decode again with a partial flush to
 * keep what is there; if the output exceeds `maxBytes`, keep the largest
 * decodable prefix that fits (binary search over input prefixes: with a
 * partial flush, output only grows with input). The cap case is rare (CC caps
 * payloads at 1 MiB; the default cap is 32 MiB), so its extra cost is fine.
 */
function zlibDecode(full: (maxOut: number) => Buffer, partial: PartialDecoder, data: Uint8Array, maxBytes: number): DecodeOne {
  try {
    return { out: full(maxBytes), incomplete: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'Z_BUF_ERROR') {
      try {
        return { out: partial(data, maxBytes), incomplete: true };
      } catch (err2) {
        if (!isTooLarge(err2)) throw err2;
      }
    } else if (!isTooLarge(err)) {
      throw err;
    }
  }
  let lo = 1;
  let hi = data.length;
  let best: Buffer = Buffer.alloc(0);
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    try {
      best = partial(data.subarray(0, mid), maxBytes);
      lo = mid + 1;
    } catch {
      hi = mid - 1;
    }
  }
  // One more input byte can add a long match; decode it with some room and cut at the cap.
  try {
    const over = partial(data.subarray(0, Math.min(data.length, lo)), 2 * maxBytes + (1 << 20));
    if (over.length > best.length) best = over.subarray(0, maxBytes);
  } catch {
    /* keep the prefix that fitted */
  }
  return { out: best, incomplete: false, capped: true };
}

const SYNC = zlib.constants.Z_SYNC_FLUSH;
const CHUNK = 64 * 1024;

/** gzip body: one or more members, possibly followed by junk, possibly cut short. */
function gunzipBody(data: Uint8Array, maxBytes: number): DecodeOne {
  const buf = asBuffer(data);
  const parts: Uint8Array[] = [];
  let total = 0;
  let p = 0;
  let incomplete = false;
  let note: string | undefined;
  while (p < buf.length) {
    const step = inflateMemberAt(buf, p, buf.length, true, maxBytes - total);
    if (step.kind === 'member') {
      parts.push(step.output);
      total += step.output.length;
      if (step.trailerProblem) note = step.trailerProblem;
      p = step.memberEnd;
    } else if (step.kind === 'truncated') {
      parts.push(step.output);
      total += step.output.length;
      incomplete = true;
      break;
    } else if (step.kind === 'too-large') {
      const rest = zlibDecode(
        () => {
          throw new RangeError('too large');
        },
        (input, maxOut) => zlib.gunzipSync(input, { finishFlush: SYNC, maxOutputLength: maxOut, chunkSize: CHUNK }),
        buf.subarray(p),
        maxBytes - total,
      );
      parts.push(rest.out);
      total += rest.out.length;
      return { out: Buffer.concat(parts, total), incomplete: false, capped: true, note };
    } else if (p === 0) {
      throw new Error(step.kind === 'need-more' ? 'incomplete gzip header' : step.message);
    } else {
      note = `${buf.length - p} bytes after the gzip data ignored`;
      break;
    }
  }
  return { out: Buffer.concat(parts, total), incomplete, note };
}

/** zstd (fzstd, streaming so the output can be capped). */
function zstdDecode(data: Uint8Array, maxBytes: number): DecodeOne {
  const parts: Uint8Array[] = [];
  let total = 0;
  let capped = false;
  const stop = new Error('size cap reached');
  const stream = new ZstdStream((chunk) => {
    const room = maxBytes - total;
    if (chunk.length > room) {
      parts.push(chunk.subarray(0, room));
      total += room;
      capped = true;
      throw stop;
    }
    parts.push(chunk);
    total += chunk.length;
  });
  let incomplete = false;
  try {
    stream.push(data, true);
  } catch (err) {
    if (err !== stop) {
      if (total === 0) throw err;
      incomplete = true; // fzstd emits whole blocks: we keep the blocks decoded before the end/damage
    }
  }
  return { out: Buffer.concat(parts, total), incomplete, capped };
}

/** Decode one content coding. Throws on failure; returns null if the bytes are not in that coding. */
function decodeOne(coding: Coding, data: Uint8Array, maxBytes: number): DecodeOne | null {
  switch (coding) {
    case 'gzip':
      return isGzip(data) ? gunzipBody(data, maxBytes) : null;
    case 'deflate': {
      // zlib-wrapped deflate has a header; some servers send raw deflate, which only a trial decode can tell.
      const inflate = isZlib(data) ? zlib.inflateSync : zlib.inflateRawSync;
      return zlibDecode(
        (maxOut) => inflate(data, { maxOutputLength: maxOut, chunkSize: CHUNK }),
        (input, maxOut) => inflate(input, { finishFlush: SYNC, maxOutputLength: maxOut, chunkSize: CHUNK }),
        data,
        maxBytes,
      );
    }
    case 'br': {
      const r = zlibDecode(
        (maxOut) => zlib.brotliDecompressSync(data, { maxOutputLength: maxOut }),
        (input, maxOut) =>
          zlib.brotliDecompressSync(input, {
            finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
            maxOutputLength: maxOut,
          }),
        data,
        maxBytes,
      );
      if (r.out.length === 0) throw new Error('brotli produced no output');
      return r;
    }
    case 'zstd':
      return isZstd(data) ? zstdDecode(data, maxBytes) : null;
  }
}

function normaliseCoding(token: string): Coding | 'identity' | null {
  switch (token.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return 'gzip';
    case 'deflate':
      return 'deflate';
    case 'br':
      return 'br';
    case 'zstd':
      return 'zstd';
    case '':
    case 'identity':
    case 'none':
      return 'identity';
    default:
      return null;
  }
}

/** Text-like start (`<`, `{`, `[` after optional BOM/whitespace): the body is plainly not compressed. */
function looksLikePlainText(b: Uint8Array): boolean {
  let i = 0;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
  while (i < b.length && i < 64 && (b[i] === 0x20 || b[i] === 0x09 || b[i] === CR || b[i] === LF)) i++;
  return b[i] === 0x3c || b[i] === 0x7b || b[i] === 0x5b;
}

/**
 * Undo Transfer-Encoding and Content-Encoding of an HTTP body, checking the
 * bytes before each step. Never throws.
 */
export function decodeHttpBody(body: Uint8Array, headers: HeaderList, opts: DecodeOptions): DecodedPayload {
  const notes: string[] = [];
  let data = body;
  let truncated = false;

  const te = getHeader(headers, 'Transfer-Encoding');
  if (te !== null && /chunked/i.test(te) && data.length > 0) {
    if (looksChunked(data, opts.truncated)) {
      const r = dechunk(data);
      data = r.body;
      if (r.incomplete) {
        if (opts.truncated) truncated = true;
        else notes.push('chunked body ends without the final zero-size chunk');
      }
    } else {
      notes.push('Transfer-Encoding: chunked header but body is not chunked; kept as is');
    }
  }

  const ce = getHeader(headers, 'Content-Encoding');
  if (ce !== null && data.length > 0) {
    const codings = ce.split(',').map(normaliseCoding);
    for (let k = codings.length - 1; k >= 0; k--) {
      const coding = codings[k];
      if (coding === 'identity') continue;
      if (coding === null) {
        notes.push(`unsupported Content-Encoding "${ce}"; body kept as is`);
        break;
      }
      if ((coding === 'br' || coding === 'deflate') && looksLikePlainText(data)) {
        notes.push(`Content-Encoding: ${coding} header but body is not encoded; kept as is`);
        break;
      }
      try {
        const r = decodeOne(coding, data, opts.maxBytes);
        if (r === null) {
          notes.push(`Content-Encoding: ${coding} header but body is not ${coding}; kept as is`);
          break;
        }
        data = r.out;
        if (r.note) notes.push(r.note);
        if (r.incomplete) {
          truncated = true;
          if (!opts.truncated) notes.push(`${coding} stream incomplete; decoded what was there`);
        }
        if (r.capped) {
          truncated = true;
          notes.push(`decoded ${coding} payload capped at ${opts.maxBytes} bytes`);
        }
      } catch (err) {
        notes.push(`could not decode Content-Encoding ${coding} (${(err as Error).message}); body kept as is`);
        break;
      }
    }
  }
  return { payload: data, notes, truncated };
}

/**
 * Small byte helpers shared by the WARC reading modules.
 */
import { isAscii, isUtf8 } from 'node:buffer';

export const CR = 0x0d;
export const LF = 0x0a;

/** Bytes allowed between records: CR, LF, space, tab. */
export function isInterRecordWhitespace(b: number): boolean {
  return b === LF || b === CR || b === 0x20 || b === 0x09;
}

/** View any Uint8Array as a Buffer without copying (for indexOf / toString). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decode header bytes: UTF-8 when valid (WARC 1.1 says headers are UTF-8),
 * otherwise latin1 so that no byte is lost.
 */
export function decodeHeaderText(bytes: Uint8Array): string {
  const buf = asBuffer(bytes);
  if (isAscii(buf)) return buf.toString('latin1'); // fastest decode, same result for ASCII
  return isUtf8(buf) ? buf.toString('utf8') : buf.toString('latin1');
}

/** Printable preview of some bytes for error messages, e.g. `"1 200 OK\r\nDate"`. */
export function previewBytes(bytes: Uint8Array, max = 32): string {
  let s = '';
  const n = Math.min(max, bytes.length);
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === CR) s += '\\r';
    else if (b === LF) s += '\\n';
    else if (b === 0x5c) s += '\\\\';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += '\\x' + b.toString(16).padStart(2, '0');
  }
  return bytes.length > max ? s + '…' : s;
}

/**
 * Index just past the first empty line (`\n\n`, `\r\n\r\n` or mixed) at or after
 * `from`, searching no further than `limit`; -1 if none.
 */
export function findEndOfHeaderBlock(buf: Buffer, from: number, limit: number): number {
  const end = Math.min(limit, buf.length);
  let lineStart = from;
  while (lineStart < end) {
    const nl = buf.indexOf(LF, lineStart);
    if (nl < 0 || nl >= end) return -1;
    const next = nl + 1;
    if (next < end && buf[next] === LF) return next + 1;
    if (next + 1 < end && buf[next] === CR && buf[next + 1] === LF) return next + 2;
    lineStart = next;
  }
  return -1;
}

/** Concatenate byte arrays into one new Uint8Array. */
export function concatBytes(parts: Uint8Array[], total?: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  return Buffer.concat(parts, total);
}

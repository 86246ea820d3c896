/**
 * Gzip member framing with native zlib (RFC 1952).
 *
 * A `.warc.gz` is a concatenation of gzip members. To report each member's
 * exact position (so a Range request returns exactly one record) we parse the
 * member header ourselves, inflate the raw deflate data with
 * `zlib.inflateRawSync(…, { info: true })` — whose engine's `bytesWritten` is
 * the number of compressed bytes consumed — and check the 8-byte trailer
 * (CRC-32 and ISIZE) that follows.
 *
 * `Z_SYNC_FLUSH` is used as the finish flush so an incomplete member never
 * throws: "all input consumed" means "member continues past this buffer"
 * (need more bytes, or truncated at end of file), and we still get the
 * partial output for truncated files.
 */
import zlib from 'node:zlib';

export const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);

const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const FRESERVED = 0xe0;

export type GzipHeaderResult = { kind: 'ok'; dataStart: number } | { kind: 'short' } | { kind: 'bad'; message: string };

/** True if `buf[at..]` starts with the gzip magic and deflate method. */
export function isGzipMagicAt(buf: Uint8Array, at: number): boolean {
  return buf[at] === 0x1f && buf[at + 1] === 0x8b && buf[at + 2] === 0x08;
}

/** Parse the gzip member header at `start` (FEXTRA, FNAME, FCOMMENT, FHCRC skipped). */
export function parseGzipHeader(buf: Uint8Array, start: number, end: number): GzipHeaderResult {
  if (end - start < 10) return { kind: 'short' };
  if (!isGzipMagicAt(buf, start)) return { kind: 'bad', message: 'no gzip magic' };
  const flags = buf[start + 3];
  if (flags & FRESERVED) return { kind: 'bad', message: `reserved gzip flag bits set (0x${flags.toString(16)})` };
  let p = start + 10;
  if (flags & FEXTRA) {
    if (end - p < 2) return { kind: 'short' };
    p += 2 + (buf[p] | (buf[p + 1] << 8));
    if (p > end) return { kind: 'short' };
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (flags & flag) {
      while (p < end && buf[p] !== 0) p++;
      if (p >= end) return { kind: 'short' };
      p++;
    }
  }
  if (flags & FHCRC) p += 2;
  if (p > end) return { kind: 'short' };
  return { kind: 'ok', dataStart: p };
}

export type MemberStep =
  /** A complete member: `memberEnd` is just past its trailer. */
  | { kind: 'member'; output: Buffer; dataStart: number; memberEnd: number; trailerProblem: string | null }
  /** The member continues past `end`; read more and retry. */
  | { kind: 'need-more' }
  /** At end of file the member is incomplete: `output` is what could be inflated. */
  | { kind: 'truncated'; output: Buffer; message: string }
  /** Decompressed size exceeds the sync cap: inflate this member in streaming mode. */
  | { kind: 'too-large' }
  /** Not a gzip member at all. */
  | { kind: 'not-gzip'; message: string }
  /** Deflate data error. */
  | { kind: 'corrupt'; message: string };

/** Check the gzip trailer (CRC-32 and ISIZE) against the inflated output. */
export function checkGzipTrailer(trailer: Uint8Array, crc: number, size: number): string | null {
  const view = new DataView(trailer.buffer, trailer.byteOffset, 8);
  const wantCrc = view.getUint32(0, true);
  const wantSize = view.getUint32(4, true);
  if (wantSize !== size % 2 ** 32) return `gzip ISIZE ${wantSize} but inflated ${size} bytes`;
  if (wantCrc !== crc) return `gzip CRC-32 mismatch (trailer ${wantCrc.toString(16)}, data ${crc.toString(16)})`;
  return null;
}

const crc32: ((data: Uint8Array, value?: number) => number) | undefined = (
  zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }
).crc32;

/** CRC-32 of `data`, continuing from `value` (native zlib.crc32 on Node ≥ 20.15). */
export function gzipCrc32(data: Uint8Array, value = 0): number {
  if (crc32) return crc32(data, value);
  return slowCrc32(data, value);
}

let crcTable: Uint32Array | null = null;
function slowCrc32(data: Uint8Array, value: number): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = ~value >>> 0;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const DEFAULT_CHUNK = 64 * 1024;
const MIN_CHUNK = 16 * 1024;

/**
 * Output buffer size for one member. If another gzip member starts further on
 * in the buffer, the 4 bytes before it are probably this member's ISIZE, and
 * an output buffer of exactly that size avoids growing and concatenating
 * chunks. Only a performance hint: a wrong guess (magic bytes inside
 * compressed data) just means more chunks, and is clamped to sane sizes.
 */
function outputSizeHint(buf: Buffer, dataStart: number, end: number, maxOutput: number): number {
  const next = buf.subarray(0, end).indexOf(GZIP_MAGIC, dataStart + 2);
  if (next < 0 || next - dataStart < 6) return DEFAULT_CHUNK;
  const isize = buf.readUInt32LE(next - 4);
  const compressed = next - dataStart;
  if (isize < MIN_CHUNK || isize > compressed * 64 || isize >= maxOutput) return DEFAULT_CHUNK;
  return isize + 1; // +1: a full buffer makes zlib allocate one more chunk before it sees the end
}

/**
 * Inflate the gzip member that starts at `buf[start]`, using only `buf[start..end)`.
 * `eof` says whether `end` is the end of the file (so "need more" becomes "truncated").
 */
export function inflateMemberAt(buf: Buffer, start: number, end: number, eof: boolean, maxOutput: number): MemberStep {
  const header = parseGzipHeader(buf, start, end);
  if (header.kind === 'short') {
    if (!eof) return { kind: 'need-more' };
    if (end - start >= 3 && isGzipMagicAt(buf, start)) {
      return { kind: 'truncated', output: Buffer.alloc(0), message: 'file ends inside a gzip member header' };
    }
    return { kind: 'not-gzip', message: 'too few bytes for a gzip member' };
  }
  if (header.kind === 'bad') return { kind: 'not-gzip', message: header.message };
  const dataStart = header.dataStart;
  let result: { buffer: Buffer; engine: zlib.InflateRaw };
  try {
    result = zlib.inflateRawSync(buf.subarray(dataStart, end), {
      info: true,
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
      maxOutputLength: maxOutput,
      chunkSize: outputSizeHint(buf, dataStart, end, maxOutput),
    }) as unknown as { buffer: Buffer; engine: zlib.InflateRaw };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) return { kind: 'too-large' };
    return { kind: 'corrupt', message: `gzip data error: ${e.message}` };
  }
  const consumed = result.engine.bytesWritten;
  const available = end - dataStart;
  if (consumed >= available) {
    // The deflate stream did not end inside the buffer (or ended exactly at its end,
    // leaving no room for the trailer).
    if (!eof) return { kind: 'need-more' };
    return {
      kind: 'truncated',
      output: result.buffer,
      message: 'file ends inside a gzip member (no end of deflate stream / trailer)',
    };
  }
  const trailerStart = dataStart + consumed;
  if (end - trailerStart < 8) {
    if (!eof) return { kind: 'need-more' };
    return { kind: 'truncated', output: result.buffer, message: 'file ends inside a gzip member trailer' };
  }
  const trailerProblem = checkGzipTrailer(buf.subarray(trailerStart, trailerStart + 8), gzipCrc32(result.buffer), result.buffer.length);
  return { kind: 'member', output: result.buffer, dataStart, memberEnd: trailerStart + 8, trailerProblem };
}

/**
 * Where to cut a large gzip WARC file into byte ranges: the first gzip member at or after an
 * offset that opens a WARC record. Readers of neighbouring ranges call it with the same offset
 * and get the same answer, so they meet without talking to each other; a reader checks that
 * its own sequential read lands exactly there (`ReadWarcOptions.onEnd`), so a false match
 * (gzip magic bytes inside compressed data that also inflate to "WARC/") is caught, not trusted.
 */
import { open } from 'node:fs/promises';
import zlib from 'node:zlib';
import { GZIP_MAGIC, isGzipMagicAt, parseGzipHeader } from './gzip-member.js';

/** Bytes read per probe window. */
const WINDOW = 256 * 1024;
/** Compressed bytes inflated to check that a candidate member opens a WARC record. */
const PROBE_BYTES = 16 * 1024;
const WARC_START = /^[\r\n]*WARC\/\d/;

/** Does a gzip member start at `buf[at]` whose first inflated bytes are a WARC version line? */
function opensWarcRecord(buf: Buffer, at: number, end: number): boolean {
  const header = parseGzipHeader(buf, at, end);
  if (header.kind !== 'ok') return false;
  try {
    const out = zlib.inflateRawSync(buf.subarray(header.dataStart, Math.min(end, header.dataStart + PROBE_BYTES)), {
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
      maxOutputLength: 64 * PROBE_BYTES,
    });
    return WARC_START.test(out.subarray(0, 16).toString('latin1'));
  } catch {
    return false;
  }
}

/**
 * The file offset of the first gzip member at or after `from` whose data starts a WARC
 * record; the file's size when there is none, or when the file is not gzip-compressed
 * (an uncompressed file is read as one range).
 */
export async function warcMemberAtOrAfter(path: string, from: number): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    if (from >= size) return size;
    const head = Buffer.alloc(3);
    const { bytesRead } = await fh.read(head, 0, 3, 0);
    if (bytesRead < 3 || !isGzipMagicAt(head, 0)) return size;
    const buf = Buffer.allocUnsafe(WINDOW + PROBE_BYTES);
    for (let pos = Math.max(0, from); pos < size; pos += WINDOW) {
      // Each window overlaps the next by the probe length, so a candidate near its end is checked whole.
      let n = 0;
      while (n < buf.length) {
        const r = await fh.read(buf, n, buf.length - n, pos + n);
        if (r.bytesRead === 0) break;
        n += r.bytesRead;
      }
      // Candidates start inside this window; the magic may end just past it.
      const searched = buf.subarray(0, Math.min(n, WINDOW + GZIP_MAGIC.length - 1));
      for (let i = searched.indexOf(GZIP_MAGIC); i >= 0 && i < WINDOW; i = searched.indexOf(GZIP_MAGIC, i + 1)) {
        if (opensWarcRecord(buf, i, n)) return pos + i;
      }
    }
    return size;
  } finally {
    await fh.close();
  }
}

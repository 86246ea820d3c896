/**
 * Reading WARC records from bytes already in memory (HTTP range replies,
 * re-read records), synchronously. Same framing and decoding as the file
 * reader; gzip vs plain is decided by magic bytes.
 */
import type { WarcItem, WarcRecord } from '../../core/types.js';
import { isReadError } from '../../core/types.js';
import { asBuffer } from './bytes.js';
import { RecordFramer } from './framer.js';
import { gzipDriver, MemberFeeder, type StreamOutcome } from './gzip-driver.js';
import { isGzipMagicAt } from './gzip-member.js';
import { drainFramer, readError, resolveOptions, type ReadWarcOptions } from './items.js';

const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/** True if the bytes start a zstd frame (a `.warc.zst` file), which this reader does not support. */
export function isZstdFrameAt(b: Uint8Array, at: number): boolean {
  return ZSTD_MAGIC.every((m, k) => b[at + k] === m);
}

/**
 * All items in an in-memory WARC byte range. `baseOffset` is the file offset of
 * `bytes[0]` (e.g. the Range start), so reported offsets are file offsets.
 * Gzip members too large to inflate in one call (see `syncOutputCap`) are
 * reported as errors here; the file reader streams them instead.
 */
export function* readWarcBytes(
  bytes: Uint8Array,
  source: string,
  baseOffset = 0,
  options?: Pick<ReadWarcOptions, 'maxPayloadBytes'>,
): Generator<WarcItem> {
  const opts = resolveOptions(options);
  const buf = asBuffer(bytes);
  if (buf.length === 0) return;
  if (isZstdFrameAt(buf, 0)) {
    yield readError(source, baseOffset, 'file', 'unsupported-format', 'zstd-compressed WARC (.warc.zst) is not supported');
    return;
  }
  if (!isGzipMagicAt(buf, 0)) {
    const framer = new RecordFramer({ mode: 'plain', base: baseOffset, maxBlockBytes: opts.maxPayloadBytes });
    framer.push(buf, true);
    framer.finish();
    yield* drainFramer(framer, source, opts);
    return;
  }
  const framer = new RecordFramer({ mode: 'gzip', base: 0, maxBlockBytes: opts.maxPayloadBytes });
  const feeder = new MemberFeeder(framer, 0, 0);
  const win = { buf, start: baseOffset, end: baseOffset + buf.length, eof: true };
  const driver = gzipDriver({ source, win, framer, feeder, opts, startFile: baseOffset });
  let reply: StreamOutcome | undefined;
  for (;;) {
    const step = driver.next(reply);
    reply = undefined;
    if (step.done) return;
    const v = step.value;
    if (v.type === 'item') yield v.item;
    else if (v.type === 'stream-member') reply = { kind: 'unavailable' };
    // 'more' is never requested: the window holds everything and is at EOF.
  }
}

/**
 * Parse one record from an HTTP range reply (one gzip member, or plain WARC
 * bytes). `offset` is the file offset the range started at. Returns the first
 * record, with the messages of any read errors in the range appended to its
 * notes; if there is no record, the first error. Never throws on bad bytes.
 */
export function parseWarcRecordBytes(
  bytes: Uint8Array,
  source: string,
  offset: number,
  options?: Pick<ReadWarcOptions, 'maxPayloadBytes'>,
): WarcItem {
  let record: WarcRecord | null = null;
  let firstError: WarcItem | null = null;
  const errorNotes: string[] = [];
  let extraRecords = 0;
  for (const item of readWarcBytes(bytes, source, offset, options)) {
    if (isReadError(item)) {
      firstError ??= item;
      errorNotes.push(`read error ${item.code} at ${item.offset}: ${item.message}`);
    } else if (record === null) {
      record = item;
    } else {
      extraRecords++;
    }
  }
  if (record === null) {
    return firstError ?? readError(source, offset, 'file', 'no-record', `no WARC record in ${bytes.length} bytes`);
  }
  record.notes.push(...errorNotes);
  if (extraRecords > 0) record.notes.push(`range holds ${extraRecords} more record(s) after this one`);
  return record;
}

/**
 * Options shared by the readers, and conversion of framer output to `WarcItem`s.
 */
import type { OffsetKind, WarcItem, WarcReadError } from '../../core/types.js';
import type { FramerItem, RecordFramer } from './framer.js';
import { buildWarcRecord } from './record-builder.js';

export interface ReadWarcOptions {
  /**
   * Start reading here instead of at the beginning: a record's `resumeOffset` (with
   * startOffsetKind 'file'; resumes after that record, re-reading the rest of a shared gzip
   * member), a gzip member's offset, or a record's `offset` when it is not inside a shared member.
   */
  startOffset?: number;
  /**
   * Coordinate system of `startOffset`. Default: 'file' for uncompressed files;
   * for gzip files 'file' if a gzip member starts at `startOffset`, else
   * 'uncompressed' (the file is decompressed from the start and bytes before
   * `startOffset` are skipped).
   */
  startOffsetKind?: 'file' | 'uncompressed';
  /**
   * gzip files: stop before the first gzip member that starts at or after this file offset, so
   * a large file can be read in byte ranges that meet at member boundaries. Ignored for
   * uncompressed files.
   */
  endOffset?: number;
  /**
   * Called when reading stopped at `endOffset`: the member offset where it stopped (≥ endOffset)
   * and whether no record was in progress there (then a read starting there gives what this
   * read would have given next).
   */
  onEnd?(at: number, clean: boolean): void;
  /** Keep at most this many bytes of a record block / decoded payload (default 32 MiB). */
  maxPayloadBytes?: number;
  /**
   * gzip members whose compressed size exceeds this are inflated with a streaming
   * inflater instead of in one native call (default 2 MiB). Mostly a tuning knob;
   * tests lower it to exercise the streaming path on small real files.
   */
  maxSyncMemberBytes?: number;
}

export const DEFAULT_MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;
export const DEFAULT_MAX_SYNC_MEMBER_BYTES = 2 * 1024 * 1024;

export interface ResolvedOptions {
  maxPayloadBytes: number;
  maxSyncMemberBytes: number;
  /** Cap on one member's output in a single native inflate call. */
  syncOutputCap: number;
}

export function resolveOptions(opts: ReadWarcOptions | undefined): ResolvedOptions {
  const maxPayloadBytes = positive(opts?.maxPayloadBytes, DEFAULT_MAX_PAYLOAD_BYTES, 'maxPayloadBytes');
  const maxSyncMemberBytes = positive(opts?.maxSyncMemberBytes, DEFAULT_MAX_SYNC_MEMBER_BYTES, 'maxSyncMemberBytes');
  return {
    maxPayloadBytes,
    maxSyncMemberBytes,
    syncOutputCap: Math.max(64 * 1024 * 1024, maxPayloadBytes + 1024 * 1024),
  };
}

function positive(v: number | undefined, dflt: number, name: string): number {
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  return v;
}

export function readError(source: string, offset: number, offsetKind: OffsetKind, code: string, message: string): WarcReadError {
  return { kind: 'error', source, offset, offsetKind, code, message };
}

/** Convert one framer item to a pipeline item. */
export function toWarcItem(item: FramerItem, source: string, opts: ResolvedOptions): WarcItem {
  if (item.kind === 'record') return buildWarcRecord(item.record, source, opts.maxPayloadBytes);
  const e = item.error;
  return readError(source, e.offset, e.offsetKind, e.code, e.message);
}

/** Take everything the framer has produced so far. */
export function* drainFramer(framer: RecordFramer, source: string, opts: ResolvedOptions): Generator<WarcItem> {
  const out = framer.out;
  if (out.length === 0) return;
  const items = out.splice(0, out.length);
  for (const it of items) yield toWarcItem(it, source, opts);
}

/**
 * The gzip reading loop, written once as a synchronous coroutine and driven by
 * two wrappers: the in-memory reader (all bytes present, fully synchronous)
 * and the file reader (async: refills a read window, and inflates members too
 * big for one native call with a streaming inflater).
 *
 * The coroutine yields items for the caller plus two kinds of requests:
 * - `more`: keep the window from file offset `from` on and append more bytes
 *   (or set `eof`);
 * - `stream-member`: inflate the member whose deflate data starts at
 *   `dataStart` in streaming mode, feeding `feeder`, and resume the coroutine
 *   with the outcome.
 */
import type { WarcItem } from '../../core/types.js';
import { isInterRecordWhitespace, previewBytes } from './bytes.js';
import type { RecordFramer } from './framer.js';
import { GZIP_MAGIC, inflateMemberAt, parseGzipHeader } from './gzip-member.js';
import { drainFramer, readError, type ResolvedOptions } from './items.js';

/** Bytes of the file currently held in memory: `buf[0]` is file offset `start`. */
export interface ReadWindow {
  buf: Buffer;
  start: number;
  /** File offset just past the last valid byte in `buf`. */
  end: number;
  /** `end` is the end of the data. */
  eof: boolean;
  /** Read no further than this unless the reader needs more (a byte-range read); default: fill the buffer. */
  readLimit?: number;
}

export type StreamOutcome =
  | { kind: 'member'; memberEnd: number; trailerProblem: string | null }
  | { kind: 'truncated'; message: string; fileEnd: number }
  | { kind: 'corrupt'; message: string }
  /** The driver cannot stream (in-memory reader). */
  | { kind: 'unavailable' };

export type DriverYield =
  | { type: 'item'; item: WarcItem }
  | { type: 'more'; from: number }
  | { type: 'stream-member'; memberStart: number; dataStart: number };

/**
 * Passes member output to the framer, skipping decompressed bytes before an
 * uncompressed start offset, and tells the framer where members begin and end.
 */
export class MemberFeeder {
  /** Uncompressed position of the next output byte. */
  uc: number;
  private memberFile = 0;
  private begun = false;
  private skippedInMember = false;

  constructor(
    private readonly framer: RecordFramer,
    ucStart: number,
    private readonly skipUntil: number,
  ) {
    this.uc = ucStart;
  }

  begin(fileStart: number): void {
    this.memberFile = fileStart;
    this.begun = false;
    this.skippedInMember = false;
  }

  data(chunk: Uint8Array, owned: boolean): void {
    let c = chunk;
    if (this.uc < this.skipUntil) {
      const cut = Math.min(c.length, this.skipUntil - this.uc);
      this.uc += cut;
      c = c.subarray(cut);
      this.skippedInMember = true;
      if (c.length === 0) return;
    }
    if (!this.begun) {
      this.framer.beginMember(this.memberFile, this.skippedInMember);
      this.begun = true;
    }
    this.framer.push(c, owned);
    this.uc += c.length;
  }

  end(fileEnd: number): void {
    if (this.begun) this.framer.endMember(fileEnd);
    this.begun = false;
  }
}

export interface GzipDriverContext {
  source: string;
  win: ReadWindow;
  framer: RecordFramer;
  feeder: MemberFeeder;
  opts: ResolvedOptions;
  /** File offset of the first member to read. */
  startFile: number;
  /** Stop before the first member that starts at or after this file offset (a byte-range read). */
  endFile?: number;
  /** Called when reading stops at `endFile`: the member offset reached and whether no record was in progress. */
  onEnd?(at: number, clean: boolean): void;
}

/** The gzip member loop. See the module comment for the protocol. */
export function* gzipDriver(ctx: GzipDriverContext): Generator<DriverYield, void, StreamOutcome | undefined> {
  const { win, framer, feeder, source, opts } = ctx;
  const lookahead = opts.maxSyncMemberBytes;
  const items = function* (): Generator<DriverYield> {
    for (const item of drainFramer(framer, source, opts)) yield { type: 'item', item };
  };
  const fileError = (offset: number, code: string, message: string): DriverYield => ({
    type: 'item',
    item: readError(source, offset, 'file', code, message),
  });

  /** Find the next plausible gzip member at or after `from`; returns its offset or `win.end` at EOF. */
  function* resync(from: number): Generator<DriverYield, number, StreamOutcome | undefined> {
    let q = from;
    for (;;) {
      if (!win.eof && win.end - q < lookahead) {
        yield { type: 'more', from: q };
        continue;
      }
      const idx = win.buf.subarray(0, win.end - win.start).indexOf(GZIP_MAGIC, q - win.start);
      if (idx < 0) {
        if (win.eof) return win.end;
        q = Math.max(q, win.end - 2);
        yield { type: 'more', from: q };
        continue;
      }
      const cand = win.start + idx;
      if (!win.eof && win.end - cand < lookahead) {
        q = cand;
        yield { type: 'more', from: q };
        continue;
      }
      const step = inflateMemberAt(win.buf, idx, win.end - win.start, win.eof, opts.syncOutputCap);
      if (step.kind !== 'corrupt' && step.kind !== 'not-gzip') return cand;
      q = cand + 1;
    }
  }

  /** Report the bytes from `at` that are not a usable member, and find where to go on. */
  function* skipBad(at: number, code: string, what: string): Generator<DriverYield, number, StreamOutcome | undefined> {
    const preview = previewBytes(win.buf.subarray(at - win.start, Math.min(at - win.start + 32, win.end - win.start)));
    const next = yield* resync(at + 1);
    const tail = next >= win.end && win.eof ? 'to the end of the file' : `to the next gzip member at ${next}`;
    yield fileError(at, code, `${what} ("${preview}"); skipped ${next - at} bytes ${tail}`);
    return next;
  }

  let p = ctx.startFile;
  for (;;) {
    if (ctx.endFile !== undefined && p >= ctx.endFile) {
      ctx.onEnd?.(p, framer.idle);
      return;
    }
    if (!win.eof && win.end - p < lookahead) {
      yield { type: 'more', from: p };
      continue;
    }
    if (p >= win.end) break;
    const idx = p - win.start;
    const len = win.end - win.start;
    if (isInterRecordWhitespace(win.buf[idx])) {
      // Stray CR/LF between members (some writers add them): harmless.
      let q = idx;
      while (q < len && isInterRecordWhitespace(win.buf[q])) q++;
      p = win.start + q;
      continue;
    }
    const step = inflateMemberAt(win.buf, idx, len, win.eof, opts.syncOutputCap);
    switch (step.kind) {
      case 'member': {
        feeder.begin(p);
        feeder.data(step.output, true);
        feeder.end(win.start + step.memberEnd);
        yield* items();
        if (step.trailerProblem) yield fileError(p, 'gzip-trailer', `gzip member at ${p}: ${step.trailerProblem}`);
        p = win.start + step.memberEnd;
        break;
      }
      case 'truncated': {
        feeder.begin(p);
        feeder.data(step.output, true);
        framer.finish(win.end, false);
        yield* items();
        yield fileError(p, 'truncated-gzip', `gzip member at ${p}: ${step.message}`);
        p = win.end;
        break;
      }
      case 'need-more':
      case 'too-large':
      case 'corrupt': {
        // Too big for one native call, or corrupt (stream it to salvage the records before the damage).
        const header = parseGzipHeader(win.buf, idx, len);
        const dataStart = header.kind === 'ok' ? win.start + header.dataStart : p + 10;
        feeder.begin(p);
        const outcome = yield { type: 'stream-member', memberStart: p, dataStart };
        yield* items();
        if (outcome === undefined || outcome.kind === 'unavailable') {
          framer.discontinuity(p, 'gzip member could not be inflated');
          yield* items();
          const what =
            step.kind === 'corrupt' ? `corrupt gzip member at ${p}: ${step.message}` : `gzip member at ${p} is too large to inflate in memory`;
          p = yield* skipBad(p, step.kind === 'corrupt' ? 'bad-gzip' : 'too-large', what);
        } else if (outcome.kind === 'member') {
          feeder.end(outcome.memberEnd);
          yield* items();
          if (outcome.trailerProblem) {
            yield fileError(p, 'gzip-trailer', `gzip member at ${p}: ${outcome.trailerProblem}`);
          }
          p = outcome.memberEnd;
        } else if (outcome.kind === 'truncated') {
          framer.finish(outcome.fileEnd, false);
          yield* items();
          yield fileError(p, 'truncated-gzip', `gzip member at ${p}: ${outcome.message}`);
          return;
        } else {
          framer.discontinuity(null, `gzip member corrupt: ${outcome.message}`);
          yield* items();
          p = yield* skipBad(p, 'bad-gzip', `corrupt gzip member at ${p}: ${outcome.message}`);
        }
        break;
      }
      case 'not-gzip': {
        framer.discontinuity(p, 'data after this point is not gzip');
        yield* items();
        p = yield* skipBad(p, 'junk', 'bytes where a gzip member should start');
        break;
      }
    }
  }
  framer.finish(win.end);
  yield* items();
}

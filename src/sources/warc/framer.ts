/**
 * Push-based WARC record framer: finds record boundaries in a stream of
 * (decompressed) bytes and says where each record lies in the source file.
 *
 * Feed it with `push()`; in gzip mode bracket each member's output with
 * `beginMember()` / `endMember()`. Completed records and problems collect in
 * `out`, which the caller drains. Memory is bounded: a record keeps at most
 * `maxBlockBytes` of its block, headers at most `maxHeaderBytes`.
 *
 * Addressing rules
 * - plain (uncompressed) files: a record runs from its "WARC/" line to the next
 *   record's "WARC/" line (trailing CRLFs included); offsetKind 'file'.
 * - gzip: a record is file-addressable when the gzip members it touches hold no
 *   other record, i.e. only CR/LF precede it in its first member and only
 *   CR/LF follow its block in its last member. Then offset/length are the
 *   members' span, so reading that byte range yields exactly this record. This
 *   also covers members that split a record (warcio/example-wrong-chunks: the
 *   response spans members 1–2; member 3 starts with the response's trailing
 *   CRLFs and then the request, which is addressable at member 3).
 *   Otherwise the record shares a member with other records:
 *   - in the file's first member (at file offset 0; whole-file gzip is the
 *     common case) it gets offsetKind 'uncompressed': its position in the
 *     decompressed stream, which starts with that member;
 *   - in any later member it gets offsetKind 'member': offset = the file
 *     offset of the member its first byte is in + its index among the record
 *     starts in that member (0, 1, …) and length = its decompressed length.
 *     Both depend only on that member, so a read that starts at any member
 *     boundary before it gives the same offset (an uncompressed position
 *     would depend on where reading began). The index stays below the
 *     member's compressed size (every record is longer than a byte), so it
 *     cannot reach the next member's offset.
 * - Every record also says where a later read must start so that everything
 *   after it is read again (`resumeOffset`, always a file offset): the end of
 *   its last member when it ends there, else the last member boundary where no
 *   record was in progress (the reader re-reads the partly consumed member —
 *   for whole-file gzip the whole file — and the store's offset keys drop what
 *   is already stored).
 * - Junk (bytes that are not a record where one should start) is reported once
 *   per stretch with its length, then the framer resynchronises at the next
 *   "WARC/<digit>" at a line start, or at the next gzip member.
 */
import type { OffsetKind } from '../../core/types.js';
import { asBuffer, concatBytes, findEndOfHeaderBlock, isInterRecordWhitespace, LF, previewBytes } from './bytes.js';
import { type HeaderList, parseWarcHeaderBlock, startsWithWarcMagic } from './warc-headers.js';

export interface FramedRecord {
  version: string;
  headers: HeaderList;
  /** Declared block length. */
  contentLength: number;
  /** Retained block bytes (at most maxBlockBytes). */
  block: Uint8Array;
  /** Block bytes actually present in the source (< contentLength if the source was cut). */
  blockBytesSeen: number;
  /** True if the block was cut short by the size cap or by the end of the data. */
  blockTruncated: boolean;
  offset: number;
  length: number;
  offsetKind: OffsetKind;
  /** Where to start reading again so that every later record is read (see the module comment). */
  resumeOffset: number;
  notes: string[];
}

export interface FramerError {
  code: string;
  message: string;
  offset: number;
  offsetKind: OffsetKind;
}

export type FramerItem = { kind: 'record'; record: FramedRecord } | { kind: 'error'; error: FramerError };

export interface FramerOptions {
  mode: 'plain' | 'gzip';
  /** Position of the first pushed byte (file offset in plain mode, uncompressed offset in gzip mode). */
  base: number;
  maxBlockBytes: number;
  maxHeaderBytes?: number;
}

type State = 'seek' | 'header' | 'block' | 'trailer' | 'junk';

/** Where an item starts, in the coordinates it is reported in. */
interface Address {
  offset: number;
  kind: OffsetKind;
  /** gzip: the last member boundary before it with no record in progress. */
  resumeFile: number | null;
}

interface Current {
  startPos: number;
  addr: Address;
  /** gzip: file offset of the member holding the record's first byte, if nothing else precedes it there. */
  cleanStartFile: number | null;
  version: string;
  headers: HeaderList;
  contentLength: number;
  remaining: number;
  block: Uint8Array | null;
  kept: number;
  notes: string[];
}

interface PendingJunk {
  code: string;
  message: string;
  startPos: number;
  addr: Address;
}

const DEFAULT_MAX_HEADER = 256 * 1024;
const WARC_SLASH = Buffer.from('WARC/');
const EMPTY = new Uint8Array(0);

export class RecordFramer {
  readonly out: FramerItem[] = [];
  private readonly mode: 'plain' | 'gzip';
  private readonly maxBlock: number;
  private readonly maxHeader: number;
  private state: State = 'seek';
  /** Stream position of the next byte to be pushed. */
  private pos: number;
  // gzip member bookkeeping
  private memberFileStart = 0;
  private memberDirty = false;
  private memberFirstPush = false;
  /** Record starts (headers begun) so far in the current member. */
  private memberSlots = 0;
  /** Last member start at which no record was in progress. */
  private cleanBoundary = 0;
  // header accumulation
  private headerParts: Uint8Array[] = [];
  private headerBytes = 0;
  private headerStartPos = 0;
  private headerCleanStart: number | null = null;
  private headerAddr: Address = { offset: 0, kind: 'file', resumeFile: null };
  // current record
  private cur: Current | null = null;
  // junk handling
  private junk: PendingJunk | null = null;
  private carry: Uint8Array = EMPTY;
  private carryPos = 0;
  private carryPrevLF = false;
  private lastByteWasLF = true;

  constructor(opts: FramerOptions) {
    this.mode = opts.mode;
    this.pos = opts.base;
    this.maxBlock = opts.maxBlockBytes;
    this.maxHeader = opts.maxHeaderBytes ?? DEFAULT_MAX_HEADER;
  }

  /** No record or junk is in progress: a read starting at the next member boundary sees what this one sees. */
  get idle(): boolean {
    return this.state === 'seek';
  }

  /** gzip mode: a new member starts at file offset `fileStart`. `dirty` if its first bytes were skipped. */
  beginMember(fileStart: number, dirty = false): void {
    this.memberFileStart = fileStart;
    this.memberSlots = 0;
    if (!dirty && (this.state === 'seek' || this.state === 'junk')) this.cleanBoundary = fileStart;
    this.memberDirty = dirty || this.state === 'header' || this.state === 'block';
    this.memberFirstPush = !dirty;
  }

  /** gzip mode: the current member ended just before file offset `fileEnd`. */
  endMember(fileEnd: number): void {
    if (this.state === 'trailer') {
      this.emitRecord(fileEnd);
      this.state = 'seek';
    } else if (this.state === 'junk') {
      this.flushJunk();
      this.state = 'seek';
    }
  }

  /** Feed decompressed bytes. `owned`: the framer may keep views into `chunk` (no copy). */
  push(chunk: Uint8Array, owned: boolean): void {
    if (this.memberFirstPush) {
      this.memberFirstPush = false;
      if (this.state === 'block' && startsWithWarcMagic(chunk, 0)) this.cutOverrunningRecord();
    }
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      switch (this.state) {
        case 'seek': {
          while (i < n && isInterRecordWhitespace(chunk[i])) i++;
          if (i < n) this.beginHeader(this.pos + i);
          break;
        }
        case 'header':
          i = this.feedHeader(chunk, i);
          break;
        case 'block':
          i = this.feedBlock(chunk, i, owned);
          break;
        case 'trailer': {
          while (i < n && isInterRecordWhitespace(chunk[i])) i++;
          if (i < n) {
            // Something follows the block inside the same member / stream.
            if (!startsWithWarcMagic(chunk, i) && i + 6 <= n) {
              this.cur!.notes.push('unexpected bytes after the record block: Content-Length may be wrong');
            }
            this.emitRecord(null, this.pos + i);
            this.state = 'seek';
          }
          break;
        }
        case 'junk':
          i = this.feedJunk(chunk, i);
          break;
      }
    }
    if (n > 0) this.lastByteWasLF = chunk[n - 1] === LF;
    this.pos += n;
  }

  /**
   * The byte stream is broken here (corrupt or truncated gzip member, junk
   * between members). A record in progress is emitted as truncated, ending at
   * file offset `fileEnd` (gzip) with `note`.
   */
  discontinuity(fileEnd: number | null, note: string): void {
    if (this.state === 'block' || this.state === 'trailer') {
      if (this.state === 'block') this.cur!.notes.push(note);
      this.emitRecord(fileEnd);
    } else if (this.state === 'junk') {
      this.flushJunk();
    }
    this.resetRecordState();
  }

  /** End of data. Emits a truncated record and a 'truncated-record' error if one was in progress. */
  finish(fileEnd: number | null = null, reportTruncation = true): void {
    switch (this.state) {
      case 'header': {
        const head = asBuffer(concatBytes(this.headerParts, this.headerBytes));
        const looksLikeWarc = WARC_SLASH.subarray(0, Math.min(5, head.length)).equals(head.subarray(0, 5));
        if (!looksLikeWarc) {
          this.error('junk', `bytes where a WARC record should start: "${previewBytes(head)}"`, this.headerAddr);
        } else if (reportTruncation) {
          this.error('truncated-header', 'data ends inside a WARC header', this.headerAddr);
        }
        break;
      }
      case 'block': {
        const c = this.cur!;
        const seen = c.contentLength - c.remaining;
        const rec = this.emitRecord(fileEnd);
        if (reportTruncation) {
          // Reported where the record is (same coordinates as the record itself).
          this.out.push({
            kind: 'error',
            error: {
              code: 'truncated-record',
              message: `data ends inside a record block: ${seen} of ${c.contentLength} declared bytes present`,
              offset: rec.offset,
              offsetKind: rec.offsetKind,
            },
          });
        }
        break;
      }
      case 'trailer':
        this.emitRecord(fileEnd);
        break;
      case 'junk':
        this.flushJunk();
        break;
    }
    this.resetRecordState();
  }

  // ---------------------------------------------------------------- internals

  /**
   * gzip: a block still wants bytes, but the next member starts with a WARC
   * version line. Writers put one record per member, so the declared
   * Content-Length is too large: end the record at the member boundary rather
   * than swallow the records that follow. (Members that merely split a record,
   * as in example-wrong-chunks, continue with block bytes, not "WARC/".)
   */
  private cutOverrunningRecord(): void {
    const c = this.cur!;
    const missing = c.remaining;
    c.notes.push('block runs into the next gzip member, which starts a new WARC record: Content-Length too large');
    const rec = this.emitRecord(this.memberFileStart);
    this.out.push({
      kind: 'error',
      error: {
        code: 'bad-length',
        message: `record declares ${c.contentLength} block bytes but the next gzip member (at ${this.memberFileStart}) starts a new record ${missing} bytes early`,
        offset: rec.offset,
        offsetKind: rec.offsetKind,
      },
    });
    this.resetRecordState();
    this.memberDirty = false;
    // Nothing is in progress at this member's start any more: reading can resume here.
    this.cleanBoundary = this.memberFileStart;
  }

  private resetRecordState(): void {
    this.state = 'seek';
    this.cur = null;
    this.headerParts = [];
    this.headerBytes = 0;
    this.carry = EMPTY;
  }

  private error(code: string, message: string, addr: Address): void {
    this.out.push({ kind: 'error', error: { code, message, offset: addr.offset, offsetKind: addr.kind } });
  }

  /** Address of a record (or junk) starting at stream position `startPos` in the current member. */
  private addressOf(startPos: number): Address {
    if (this.mode === 'plain') return { offset: startPos, kind: 'file', resumeFile: null };
    if (this.memberFileStart === 0) return { offset: startPos, kind: 'uncompressed', resumeFile: this.cleanBoundary };
    return { offset: this.memberFileStart + this.memberSlots, kind: 'member', resumeFile: this.cleanBoundary };
  }

  private beginHeader(startPos: number): void {
    this.state = 'header';
    this.headerParts = [];
    this.headerBytes = 0;
    this.headerStartPos = startPos;
    this.headerAddr = this.addressOf(startPos);
    this.memberSlots++;
    this.headerCleanStart = this.mode === 'gzip' && !this.memberDirty ? this.memberFileStart : null;
    this.memberDirty = true;
  }

  /** Accumulate header bytes; returns the index in `chunk` where processing continues. */
  private feedHeader(chunk: Uint8Array, i: number): number {
    const n = chunk.length;
    // Fast path: whole header inside this chunk.
    if (this.headerParts.length === 0 && n - i >= 6) {
      if (!startsWithWarcMagic(chunk, i)) {
        return this.startJunk(chunk, i, 'junk', 'bytes where a WARC record should start');
      }
      const buf = asBuffer(chunk);
      const end = findEndOfHeaderBlock(buf, i, i + this.maxHeader);
      if (end >= 0) {
        this.headerParsed(buf.subarray(i, end));
        return end;
      }
    }
    // Slow path: the header spans chunks. First make sure it starts with "WARC/<digit>".
    if (this.headerBytes < 6) {
      const need = Math.min(6 - this.headerBytes, n - i);
      this.headerParts.push(chunk.slice(i, i + need));
      this.headerBytes += need;
      i += need;
      if (this.headerBytes < 6) return i;
      const head = asBuffer(concatBytes(this.headerParts, this.headerBytes));
      this.headerParts = [head];
      if (!startsWithWarcMagic(head, 0)) {
        this.headerParts = [];
        this.headerBytes = 0;
        this.junk = {
          code: 'junk',
          message: `bytes where a WARC record should start: "${previewBytes(head)}"`,
          startPos: this.headerStartPos,
          addr: this.headerAddr,
        };
        this.state = 'junk';
        this.carry = head.slice(1);
        this.carryPos = this.headerStartPos + 1;
        this.carryPrevLF = head[0] === LF;
        return i;
      }
    }
    const take = Math.min(this.maxHeader - this.headerBytes, n - i);
    const prevBytes = this.headerBytes;
    this.headerParts.push(chunk.slice(i, i + take));
    this.headerBytes += take;
    const joined = asBuffer(concatBytes(this.headerParts, this.headerBytes));
    this.headerParts = [joined];
    const end = findEndOfHeaderBlock(joined, 0, joined.length);
    if (end >= 0) {
      this.headerParts = [];
      this.headerBytes = 0;
      this.headerParsed(joined.subarray(0, end));
      return i + (end - prevBytes);
    }
    if (this.headerBytes >= this.maxHeader) {
      this.headerParts = [];
      this.headerBytes = 0;
      this.junk = {
        code: 'bad-header',
        message: `no end of WARC header within ${this.maxHeader} bytes`,
        startPos: this.headerStartPos,
        addr: this.headerAddr,
      };
      this.state = 'junk';
      this.carry = EMPTY;
      return i + take;
    }
    return n;
  }

  private headerParsed(headerBytes: Uint8Array): void {
    const parsed = parseWarcHeaderBlock(headerBytes);
    if (!parsed.ok) {
      this.junk = { code: 'bad-header', message: parsed.message, startPos: this.headerStartPos, addr: this.headerAddr };
      this.state = 'junk';
      this.carry = EMPTY;
      return;
    }
    const v = parsed.value;
    this.cur = {
      startPos: this.headerStartPos,
      addr: this.headerAddr,
      cleanStartFile: this.headerCleanStart,
      version: v.version,
      headers: v.headers,
      contentLength: v.contentLength,
      remaining: v.contentLength,
      block: null,
      kept: 0,
      notes: v.notes,
    };
    this.state = v.contentLength === 0 ? 'trailer' : 'block';
  }

  private feedBlock(chunk: Uint8Array, i: number, owned: boolean): number {
    const c = this.cur!;
    const n = chunk.length;
    const take = Math.min(c.remaining, n - i);
    const keepLimit = Math.min(c.contentLength, this.maxBlock);
    if (c.kept < keepLimit) {
      const keep = Math.min(take, keepLimit - c.kept);
      if (c.block === null && owned && keep === keepLimit) {
        c.block = chunk.subarray(i, i + keep); // whole retained block in this chunk: no copy
      } else {
        if (c.block === null) c.block = new Uint8Array(keepLimit);
        c.block.set(chunk.subarray(i, i + keep), c.kept);
      }
      c.kept += keep;
    }
    c.remaining -= take;
    if (c.remaining === 0) this.state = 'trailer';
    return i + take;
  }

  /** Enter junk state at chunk[i]; returns where scanning continues. */
  private startJunk(chunk: Uint8Array, i: number, code: string, what: string): number {
    // Only reached from feedHeader, so the junk starts where the header began.
    this.junk = { code, message: `${what}: "${previewBytes(chunk.subarray(i, i + 32))}"`, startPos: this.pos + i, addr: this.headerAddr };
    this.state = 'junk';
    this.carry = EMPTY;
    return this.feedJunk(chunk, i + 1);
  }

  /**
   * Scan for "WARC/<digit>" at a line start. Up to 5 bytes that could begin a
   * candidate are carried over to the next chunk (junk is rare, so joining
   * the carry with the next chunk by copying is fine).
   */
  private feedJunk(chunk: Uint8Array, i: number): number {
    const n = chunk.length;
    const carry = this.carry;
    const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(i)]) : asBuffer(chunk).subarray(i);
    const dataPos = carry.length > 0 ? this.carryPos : this.pos + i;
    const prevLF0 = carry.length > 0 ? this.carryPrevLF : i === 0 ? this.lastByteWasLF : chunk[i - 1] === LF;
    this.carry = EMPTY;
    let from = 0;
    for (;;) {
      const at = data.indexOf(WARC_SLASH, from);
      if (at < 0 || at + 6 > data.length) break;
      const prevLF = at === 0 ? prevLF0 : data[at - 1] === LF;
      if (prevLF && startsWithWarcMagic(data, at)) {
        const startPos = dataPos + at;
        this.flushJunk(startPos);
        this.beginHeader(startPos);
        if (at < carry.length) {
          this.headerParts = [carry.slice(at)];
          this.headerBytes = carry.length - at;
          return i;
        }
        return i + (at - carry.length);
      }
      from = at + 1;
    }
    const keep = Math.min(5, data.length);
    this.carry = data.slice(data.length - keep);
    this.carryPos = dataPos + data.length - keep;
    this.carryPrevLF = data.length - keep - 1 >= 0 ? data[data.length - keep - 1] === LF : prevLF0;
    return n;
  }

  private flushJunk(endPos?: number): void {
    const j = this.junk;
    if (!j) return;
    this.junk = null;
    const end = endPos ?? this.pos;
    const skipped = end > j.startPos ? ` (${end - j.startPos} bytes skipped)` : '';
    this.error(j.code, `${j.message}${skipped}`, j.addr);
  }

  /**
   * Emit the current record. `fileEnd` (gzip) is the file offset where the record's
   * last member ends, when the record ends cleanly there; `streamEnd` is the
   * stream position where the record ends otherwise.
   */
  private emitRecord(fileEnd: number | null, streamEnd?: number): FramedRecord {
    const c = this.cur!;
    this.cur = null;
    const end = streamEnd ?? this.pos;
    const seen = c.contentLength - c.remaining;
    const truncatedByCap = c.kept < Math.min(c.contentLength, seen);
    const truncatedByData = c.remaining > 0;
    if (truncatedByCap) c.notes.push(`block capped at ${c.kept} of ${c.contentLength} bytes`);
    if (truncatedByData) {
      c.notes.push(`record cut short: ${seen} of ${c.contentLength} declared block bytes present`);
    }
    let offset: number;
    let length: number;
    let offsetKind: OffsetKind;
    let resumeOffset: number;
    const endsAtMember = fileEnd !== null && streamEnd === undefined;
    if (this.mode === 'plain') {
      offset = c.startPos;
      length = end - c.startPos;
      offsetKind = 'file';
      resumeOffset = offset + length;
    } else if (c.cleanStartFile !== null && endsAtMember) {
      offset = c.cleanStartFile;
      length = fileEnd - c.cleanStartFile;
      offsetKind = 'file';
      resumeOffset = fileEnd;
    } else {
      offset = c.addr.offset;
      length = end - c.startPos;
      offsetKind = c.addr.kind;
      // Always a member boundary (a file offset), never a stream position: a stream position
      // could not be told apart from a file offset, and a read that starts there would count
      // from the wrong place.
      resumeOffset = endsAtMember ? fileEnd : (c.addr.resumeFile ?? 0);
    }
    const block = c.block === null ? new Uint8Array(0) : c.block.subarray(0, c.kept);
    const record: FramedRecord = {
      version: c.version,
      headers: c.headers,
      contentLength: c.contentLength,
      block,
      blockBytesSeen: seen,
      blockTruncated: truncatedByCap || truncatedByData,
      offset,
      length,
      offsetKind,
      resumeOffset,
      notes: c.notes,
    };
    this.out.push({ kind: 'record', record });
    return record;
  }
}

/**
 * A byte range of a local WARC/WET file read on a worker thread: the worker opens the file,
 * inflates and parses the range's records, extracts and scores the pages, and hands back
 * compact results for the main thread to store in file order. Ranges of one file meet at
 * gzip members that open a record (`warcMemberAtOrAfter`), found by both neighbours alike.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { readWarcFile, warcMemberAtOrAfter } from '../sources/warc/index.js';
import { isReadError, type DocumentScore, type ExtractedDocument, type WarcItem } from '../core/types.js';
import { becomesDocument, extractionInput, extractStep } from './extract-step.js';
import { scoreStep, type Scorer } from './score-step.js';

export interface RangeJob {
  path: string;
  /** Where to start: a known resume point when `exactStart`, else the first record member at or after it. */
  start: number;
  exactStart: boolean;
  /** Nominal end: the range stops at the first record member at or after it (the file's end if beyond). */
  end: number;
  /**
   * Items (by index within the range) whose page killed or stalled a worker before: they are
   * stored as records with this extraction error instead of being extracted again.
   */
  failures: Array<{ index: number; message: string }>;
}

/** One item of a range, as the store needs it. */
export interface RangeItem {
  item: WarcItem;
  /** The extracted page (absent: not a page, or extraction failed). */
  doc?: ExtractedDocument;
  scores?: DocumentScore[];
  /** Extraction failed; stored as an `extract-failed` error row. */
  extractError?: string;
}

export interface RangeResult {
  /** Where the range really started and ended (member offsets). */
  start: number;
  end: number;
  items: RangeItem[];
  /**
   * The sequential read did not land cleanly on `end` (damaged or unusual gzip framing), so
   * this range read on to the end of the file; later ranges of the file must be dropped.
   */
  tookRest: boolean;
}

/** What a worker publishes while extracting, for the main thread's time limit and crash handling. */
export interface RangeProgress {
  /** The index of the item being extracted, or -1 while reading. */
  begin(index: number): void;
  done(): void;
}

/** Reads one range; page failures become `extractError`s, anything else throws. */
export async function readRange(
  job: RangeJob,
  scorers: Promise<readonly Scorer[]>,
  progress: RangeProgress,
): Promise<{ result: RangeResult; transfer: ArrayBuffer[] }> {
  const size = (await stat(job.path)).size;
  const start = job.exactStart ? job.start : await warcMemberAtOrAfter(job.path, job.start);
  const end = job.end >= size ? size : await warcMemberAtOrAfter(job.path, job.end);
  const items: RangeItem[] = [];
  const transfer: ArrayBuffer[] = [];
  const failed = new Map(job.failures.map((f) => [f.index, f.message]));
  let index = 0;

  const take = async (item: WarcItem) => {
    const i = index++;
    const out: RangeItem = { item };
    if (!isReadError(item) && item.payload) {
      const message = failed.get(i);
      if (message !== undefined) {
        out.extractError = message;
      } else if (becomesDocument(item)) {
        progress.begin(i);
        try {
          const doc = extractStep(extractionInput(item));
          out.scores = await scoreStep(await scorers, doc);
          out.doc = doc;
        } catch (err) {
          out.extractError = (err as Error).message;
        } finally {
          progress.done();
        }
      }
      // The store keeps the payload's length and digest, not its bytes: send only those.
      out.item = {
        ...item,
        payload: null,
        payloadLength: item.payload.byteLength,
        payloadSha1: createHash('sha1').update(item.payload).digest('hex'),
      };
    }
    items.push(out);
  };

  if (start >= end) return { result: { start, end, items, tookRest: false }, transfer };
  // Where a bounded read stopped (set by the reader's onEnd callback).
  const stop = { at: -1, clean: false };
  const bounded = end < size ? { endOffset: end, onEnd: (at: number, clean: boolean) => Object.assign(stop, { at, clean }) } : {};
  for await (const item of readWarcFile(job.path, { startOffset: start, startOffsetKind: 'file', ...bounded })) await take(item);
  const landed = end >= size || (stop.at === end && stop.clean);
  if (!landed) {
    // What was read is a prefix of an unbounded read from the same start: go on from there.
    const already = index;
    let seen = 0;
    for await (const item of readWarcFile(job.path, { startOffset: start, startOffsetKind: 'file' })) {
      if (seen++ < already) continue;
      await take(item);
    }
  }
  return { result: { start, end: landed ? end : size, items, tookRest: !landed }, transfer };
}

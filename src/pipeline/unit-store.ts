/**
 * Storing one unit's items on the main thread, in source order: record and error rows, the
 * unit's resume checkpoint after each record, progress in bytes, commits every N items.
 * Both ways of reading a unit (main-thread reader, worker byte ranges) store through this.
 */
import { performance } from 'node:perf_hooks';
import type { SourceItem, UnitStat } from '../core/record-source.js';
import { isReadError, type DocumentScore, type ExtractedDocument, type WarcItem } from '../core/types.js';
import type { BeginSourceResult, StoreWriter } from '../store/index.js';

export interface StageTimes {
  readMs: number;
  extractMs: number;
  storeMs: number;
}

export interface UnitSummary {
  /** The unit's label (a file path for local files). */
  path: string;
  /** Already complete before this run. */
  skipped: boolean;
  resumedFrom: number;
  records: number;
  documents: number;
  errors: number;
  bytes: number;
  /** shouldStop() ended the unit early. */
  stopped: boolean;
}

/** What happened to one stored item (after it was handed to the writer, before commit). */
export interface ItemOutcome {
  item: WarcItem | null;
  document: boolean;
  /** Extraction failed (stored as an `extract-failed` error row). */
  extractError: string | null;
}

export interface IngestHooks {
  /** Bytes of the unit's file now behind the reader (progress). */
  onBytes?(delta: number): void;
  onItem?(outcome: ItemOutcome, unit: UnitSummary): void;
  /** Checked before each item: true stops after the items already read (SIGINT). */
  shouldStop?(): boolean;
}

/** An item's extraction result: a document with its scores, a failure, or neither (not a page). */
export interface Extracted {
  doc: ExtractedDocument | null;
  scores: DocumentScore[];
  error: string | null;
}

export const NOT_EXTRACTED: Extracted = { doc: null, scores: [], error: null };

export class UnitStore {
  readonly summary: UnitSummary;
  private lastFileOffset: number;
  private sinceCommit = 0;

  constructor(
    private readonly writer: StoreWriter,
    private readonly begun: BeginSourceResult | null,
    private readonly info: UnitStat | null,
    label: string,
    private readonly hooks: IngestHooks,
    private readonly times: StageTimes,
    private readonly commitEvery: number,
  ) {
    this.summary = {
      path: label,
      skipped: begun?.alreadyComplete ?? false,
      resumedFrom: begun?.resumeOffset ?? 0,
      records: 0,
      documents: 0,
      errors: 0,
      bytes: 0,
      stopped: false,
    };
    this.lastFileOffset = begun?.resumeOffset ?? 0;
  }

  /** Progress for a unit already complete, or for the part a resumed unit skips. */
  start(): void {
    if (!this.info) return;
    if (this.begun?.alreadyComplete) this.hooks.onBytes?.(this.info.size);
    else if (this.lastFileOffset > 0) this.hooks.onBytes?.(Math.min(this.lastFileOffset, this.info.size));
  }

  store(entry: SourceItem, extracted: Extracted): void {
    const { writer, begun, summary } = this;
    const { item } = entry;
    // Registered first: a flush triggered while adding this item's rows must carry its state too.
    if (entry.atCommit) writer.atNextFlush(entry.atCommit);
    const outcome: ItemOutcome = { item, document: false, extractError: null };
    if (item && isReadError(item)) {
      if (begun) writer.addError(begun.sourceId, item);
      else writer.addError(item);
      summary.errors++;
    } else if (item) {
      const sourceId = begun ? begun.sourceId : writer.beginSource(item.source).sourceId;
      if (extracted.error !== null) {
        outcome.extractError = extracted.error;
        // A 'member' offset is a file position: the store keeps it as 'file'.
        const offsetKind = item.offsetKind === 'member' ? 'file' : item.offsetKind;
        writer.addError({ sourceId, offset: item.offset, offsetKind, code: 'extract-failed', message: extracted.error });
        summary.errors++;
      }
      const t = performance.now();
      writer.add(sourceId, item, extracted.doc, extracted.scores);
      summary.records++;
      if (extracted.doc) summary.documents++;
      outcome.document = extracted.doc !== null;
      if (begun) {
        // Not offset + length: inside a multi-record gzip member that would be a stream position.
        const next = item.resumeOffset ?? item.offset + item.length;
        writer.checkpoint(begun.sourceId, next);
        if (item.offsetKind !== 'uncompressed' && next > this.lastFileOffset) {
          this.hooks.onBytes?.(next - this.lastFileOffset);
          summary.bytes += next - this.lastFileOffset;
          this.lastFileOffset = next;
        }
      }
      this.times.storeMs += performance.now() - t;
    }
    if (this.commitEvery > 0 && ++this.sinceCommit >= this.commitEvery) {
      writer.flush();
      this.sinceCommit = 0;
    }
    this.hooks.onItem?.(outcome, summary);
  }

  /** After the last item: commits what is left and, unless stopped, marks the unit complete. */
  finish(): UnitSummary {
    if (this.commitEvery > 0 && this.sinceCommit > 0) this.writer.flush();
    if (this.summary.stopped || !this.begun) return this.summary;
    this.writer.completeSource(this.begun.sourceId);
    if (this.info && this.info.size > this.lastFileOffset) this.hooks.onBytes?.(this.info.size - this.lastFileOffset);
    return this.summary;
  }
}

/**
 * What the ingestion pipeline reads from. A source is a list of units (a local WARC file,
 * the pending rows of a Common Crawl sample, later a dataset shard); each unit yields its
 * records in order. Sources know nothing about the store: resuming is either by offset
 * (the pipeline checkpoints each unit's `source`) or by the unit's own state, committed
 * with the rows through `atCommit`.
 */
import type { WarcItem } from './types.js';

export interface UnitStat {
  size: number;
  mtimeMs: number;
}

export interface SourceUnit {
  /** Name for progress and summaries (a file path, "CC-MAIN-2024-10 sample"). */
  readonly label: string;
  /**
   * The stored source all of this unit's records belong to, resumed by offset: the pipeline
   * checkpoints `offset + length` after each item and skips a unit already complete.
   * null: each record names its own source (`record.source`) and the unit resumes by its own state.
   */
  readonly source: string | null;
  /** Size and mtime of the unit's file (noticing a changed file, progress); called once per ingest. */
  stat?(): Promise<UnitStat>;
}

export interface SourceItem {
  /** A record or a read error to store; null when the item only carries `atCommit` state. */
  item: WarcItem | null;
  /**
   * Runs inside the transaction that commits this item's rows, for state that must commit
   * atomically with them (a sample row marked fetched or failed).
   */
  atCommit?: () => void;
}

export interface RecordSource<U extends SourceUnit = SourceUnit> {
  units(): AsyncIterable<U> | Iterable<U>;
  /** The unit's items from `resumeOffset` (0 for units without a `source`), in order. */
  open(unit: U, resumeOffset: number): AsyncIterable<SourceItem>;
}

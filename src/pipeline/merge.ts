/**
 * `merge`: shard stores (one per array task: SQLite is not shared over a network filesystem)
 * folded into one output store, recorded as a `merge` run. Idempotent: merging a shard again
 * adds nothing; a killed merge is resumed by running it again.
 */
import { checkMergeable, mergeShard, totals, type ShardMergeResult, type Totals } from '../store/index.js';
import { useStore, withRun, type StoreInput } from './run.js';

export interface MergeOptions {
  /** Output store (created when missing). */
  db: StoreInput;
  /** Shard stores, merged in this order (shard order keeps one process's row order). */
  shards: readonly string[];
  onShard?(result: ShardMergeResult, done: number, of: number): void;
}

export interface MergeSummary {
  runId: number;
  shards: ShardMergeResult[];
  /** Rows added per table, over all shards. */
  added: Record<string, number>;
  database: Totals;
}

/**
 * Merges every shard into the output store, each in its own transaction, after checking all
 * of them (schema version, merge rules, detector versions). Throws StoreError with a one-line
 * message on a refused merge; shards merged before a conflict stay merged.
 */
export async function merge(opts: MergeOptions): Promise<MergeSummary> {
  if (opts.shards.length === 0) throw new Error('merge: name at least one shard store');
  const { store, close } = useStore(opts.db);
  try {
    checkMergeable(store, opts.shards);
    const results: ShardMergeResult[] = [];
    const added: Record<string, number> = {};
    const runId = await withRun(store, 'merge', { shards: opts.shards }, async (run) => {
      for (const shard of opts.shards) {
        const r = mergeShard(store, shard);
        results.push(r);
        for (const t of r.tables) added[t.table] = (added[t.table] ?? 0) + t.added;
        opts.onShard?.(r, results.length, opts.shards.length);
      }
      return { status: 'completed', summary: { shards: opts.shards.length, added }, result: run.id };
    });
    return { runId, shards: results, added, database: totals(store) };
  } finally {
    close();
  }
}

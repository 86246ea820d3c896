/**
 * The pending rows of Common Crawl samples as a record source: one unit whose items are the
 * rows range-fetched `concurrency` at a time and yielded in row order. A fetched row is marked
 * `fetched` (a failed one `failed`) in the transaction that stores its record, so a killed run
 * resumes by fetching only rows still pending.
 */
import type { RecordSource, SourceItem, SourceUnit } from '../core/record-source.js';
import { AbortedError, GaveUpError } from '../core/retry.js';
import type { FetchedRecord, RecordFetcher } from '../sources/commoncrawl/fetcher.js';
import { markSampleFailed, markSampleFetched, rowsToFetch, type SampleIdRange, type SampleRow } from '../store/sample.js';
import type { Store } from '../store/index.js';

export interface SampleFetchTally {
  fetched: number;
  failed: number;
  bytes: number;
  failures: Record<string, number>;
}

export interface PendingRowsOptions {
  store: Store;
  fetcher: RecordFetcher;
  sampleKeys: string[];
  runId: number | null;
  /** Fetch rows that failed before too. */
  includeFailed?: boolean;
  /** Only rows with ids in this range (one shard's rows). */
  idRange?: SampleIdRange;
  /** Concurrent range requests. */
  concurrency: number;
  /** Checked before each new request. */
  shouldStop?(): boolean;
  /** Counts fetched/failed rows as they are read. */
  tally: SampleFetchTally;
  onRow?(row: SampleRow, result: { ok: true } | { ok: false; code: string; message: string }): void;
}

type Fetched = { ok: true; got: FetchedRecord } | { ok: false; err: unknown };

export function pendingRowsSource(opts: PendingRowsOptions): RecordSource {
  const { store, runId } = opts;
  const unit: SourceUnit = { label: 'sample', source: null };
  return {
    units: () => [unit],
    async *open(): AsyncIterable<SourceItem> {
      // Rows are read page by page so a huge sample is never all in memory.
      let afterId = 0;
      let page: SampleRow[] = [];
      let exhausted = false;
      const nextRow = (): SampleRow | null => {
        if (page.length === 0 && !exhausted) {
          page = rowsToFetch(store, opts.sampleKeys, { includeFailed: opts.includeFailed, afterId, limit: 500, idRange: opts.idRange });
          if (page.length === 0) exhausted = true;
          else afterId = page[page.length - 1].id;
        }
        return page.shift() ?? null;
      };
      const inFlight: Array<{ row: SampleRow; result: Promise<Fetched> }> = [];
      const fill = () => {
        while (inFlight.length < Math.max(1, opts.concurrency) && !opts.shouldStop?.()) {
          const row = nextRow();
          if (!row) return;
          const result = opts.fetcher.fetch(row).then(
            (got): Fetched => ({ ok: true, got }),
            (err): Fetched => ({ ok: false, err }),
          );
          inFlight.push({ row, result });
        }
      };
      // Refilled only when the consumer asks for the next row: requests in flight plus the row
      // being stored never exceed `concurrency`, so a kill re-fetches at most that many.
      for (fill(); inFlight.length > 0; fill()) {
        const { row, result } = inFlight.shift()!;
        const r = await result;
        if (r.ok) {
          opts.tally.fetched++;
          opts.tally.bytes += r.got.bytes.length;
          opts.onRow?.(row, { ok: true });
          const attempts = r.got.attempts;
          yield { item: r.got.record, atCommit: () => markSampleFetched(store, [{ id: row.id, attempts }], runId) };
        } else if (!(r.err instanceof AbortedError)) {
          // An AbortedError (stopped while waiting to retry) yields nothing: the row stays pending.
          const code = r.err instanceof GaveUpError ? r.err.code : 'error';
          const attempts = r.err instanceof GaveUpError ? r.err.attempts : 1;
          // The row names the file and range already; the stored error stays the server's answer.
          const message = r.err instanceof GaveUpError ? r.err.detail : (r.err as Error).message;
          opts.tally.failed++;
          opts.tally.failures[code] = (opts.tally.failures[code] ?? 0) + 1;
          opts.onRow?.(row, { ok: false, code, message });
          yield { item: null, atCommit: () => markSampleFailed(store, row.id, `${code}: ${message}`, attempts, runId) };
        }
      }
    },
  };
}

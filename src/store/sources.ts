/**
 * The sources table: one row per WARC file or URL, with its resume offset, completion
 * and row counters (kept up to date inside the writer's transactions).
 */
import type { Store } from './db.js';
import { sourceKind } from './derive.js';
import { StoreError } from './errors.js';

/** What the writer compares to notice that a source changed since it was last scanned. */
export interface SourceStat {
  size?: number | null;
  mtimeMs?: number | null;
}

export interface BeginSourceResult {
  sourceId: number;
  /** Offset to start reading at: the last committed checkpoint (0 for a new source). */
  resumeOffset: number;
  /** completeSource() was committed for this source: nothing left to read. */
  alreadyComplete: boolean;
}

export interface SourceRow {
  id: number;
  size: number | null;
  mtime_ms: number | null;
  completed_at: string | null;
  resume_offset: number;
}

export const SOURCE_SQL = {
  checkpoint: `UPDATE sources SET resume_offset = ? WHERE id = ?`,
  complete: `UPDATE sources SET completed_at = ? WHERE id = ? AND completed_at IS NULL`,
  sourceCounts: `UPDATE sources SET records = records + ?, documents = documents + ?, errors = errors + ? WHERE id = ?`,
} as const;

export function findSource(store: Store, path: string): SourceRow | undefined {
  return store.statement(`SELECT id, size, mtime_ms, completed_at, resume_offset FROM sources WHERE path = ?`).get(path) as SourceRow | undefined;
}

export function insertSource(store: Store, path: string, size: number | null, mtimeMs: number | null, runId: number | null): number {
  const row = store
    .statement(
      `INSERT INTO sources (path, kind, size, mtime_ms, first_run_id, created_at)
    VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
    )
    .get(path, sourceKind(path), size, mtimeMs, runId, new Date().toISOString()) as { id: number };
  return row.id;
}

/** Records a size/mtime the source row did not have yet (first stat after a URL-less registration). */
export function fillSourceStat(store: Store, sourceId: number, size: number | null, mtimeMs: number | null): void {
  store.statement(`UPDATE sources SET size = coalesce(size, ?), mtime_ms = coalesce(mtime_ms, ?) WHERE id = ?`).run(size, mtimeMs, sourceId);
}

export function sourceExists(store: Store, sourceId: number): boolean {
  return store.statement(`SELECT 1 FROM sources WHERE id = ?`).get(sourceId) !== undefined;
}

/** Deletes every stored row of a changed source (documents and scores cascade) and restarts it. */
export function resetSource(store: Store, sourceId: number, size: number | null, mtimeMs: number | null): void {
  store.db.transaction(() => {
    store.statement(`DELETE FROM records WHERE source_id = ?`).run(sourceId);
    store.statement(`DELETE FROM errors WHERE source_id = ?`).run(sourceId);
    store
      .statement(
        `UPDATE sources SET size = ?, mtime_ms = ?, resume_offset = 0, completed_at = NULL,
             records = 0, documents = 0, errors = 0 WHERE id = ?`,
      )
      .run(size, mtimeMs, sourceId);
  })();
}

/**
 * Finds or creates the row of `path`. A stored source whose size or mtime differ changed
 * since it was stored: `onChange: 'error'` throws StoreError('source-changed'); 'rescan'
 * deletes its rows and restarts it at offset 0.
 */
export function registerSource(
  store: Store,
  path: string,
  size: number | null,
  mtimeMs: number | null,
  opts: { runId: number | null; onChange: 'error' | 'rescan'; beforeReset(): void },
): SourceRow {
  const row = findSource(store, path);
  if (!row) {
    const id = insertSource(store, path, size, mtimeMs, opts.runId);
    return { id, size, mtime_ms: mtimeMs, completed_at: null, resume_offset: 0 };
  }
  const changes: string[] = [];
  if (size !== null && row.size !== null && size !== row.size) changes.push(`size ${row.size} → ${size}`);
  if (mtimeMs !== null && row.mtime_ms !== null && mtimeMs !== row.mtime_ms) {
    changes.push(`mtime ${new Date(row.mtime_ms).toISOString()} → ${new Date(mtimeMs).toISOString()}`);
  }
  if (changes.length > 0) {
    if (opts.onChange === 'error') {
      throw new StoreError(
        'source-changed',
        `${path} changed since it was stored (${changes.join(', ')}); its stored offsets no longer match. ` +
          `Rescan it from the start (writer option onSourceChange: "rescan") or use a new database.`,
      );
    }
    opts.beforeReset();
    resetSource(store, row.id, size, mtimeMs);
    return findSource(store, path)!;
  }
  if ((size !== null && row.size === null) || (mtimeMs !== null && row.mtime_ms === null)) {
    fillSourceStat(store, row.id, size, mtimeMs);
  }
  return row;
}

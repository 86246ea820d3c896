/**
 * The runs table: one row per command invocation. Every command that records runs goes
 * through beginRun/finishRun, and marks runs of killed processes before starting its own.
 */
import { hostname } from 'node:os';
import type { Store } from './db.js';
import { StoreError } from './errors.js';

export type RunStatus = 'running' | 'completed' | 'interrupted' | 'failed';
export type FinalRunStatus = Exclude<RunStatus, 'running'>;
const FINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'interrupted', 'failed']);

/** Inserts a `running` run for this process and returns its id. */
export function beginRun(store: Store, command: string, args: unknown = []): number {
  const row = store
    .statement(
      `INSERT INTO runs (command, args, started_at, status, pid, hostname)
       VALUES (?, ?, ?, 'running', ?, ?) RETURNING id`,
    )
    .get(command, JSON.stringify(args ?? []), new Date().toISOString(), process.pid, hostname()) as { id: number };
  return row.id;
}

/** Records a run's final status, finish time and a caller summary (JSON). */
export function finishRun(store: Store, runId: number, status: FinalRunStatus, summary?: unknown): void {
  if (!FINAL_STATUSES.has(status)) {
    throw new StoreError('bad-input', `run status must be completed, interrupted or failed, got ${String(status)}`);
  }
  const changes = store
    .statement(`UPDATE runs SET status = ?, finished_at = ?, summary = ? WHERE id = ?`)
    .run(status, new Date().toISOString(), summary === undefined ? null : JSON.stringify(summary), runId).changes;
  if (changes === 0) throw new StoreError('no-run', `no run with id ${runId}`);
}

/**
 * Marks runs left "running" by processes on this host that no longer exist as
 * "interrupted" (a SIGKILLed command never gets to call finishRun). Returns the ids changed.
 */
export function markAbandonedRuns(store: Store): number[] {
  const host = hostname();
  const running = store.statement(`SELECT id, pid, hostname FROM runs WHERE status = 'running'`).all() as Array<{
    id: number;
    pid: number | null;
    hostname: string | null;
  }>;
  const abandoned = running.filter((r) => r.hostname === host && r.pid !== null && !processAlive(r.pid));
  const mark = store.statement(`UPDATE runs SET status = 'interrupted' WHERE id = ? AND status = 'running'`);
  for (const r of abandoned) mark.run(r.id);
  return abandoned.map((r) => r.id);
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

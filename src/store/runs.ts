/**
 * The runs table: one row per command invocation. Every command that records runs goes
 * through beginRun/finishRun, and marks runs of killed processes before starting its own.
 */
import { readFileSync } from 'node:fs';
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
 * A run is abandoned when its pid is gone, or (where the process start time is known, Linux)
 * when the pid now belongs to a process that started after the run did: pids are reused.
 * Runs of other hosts are left alone: their processes cannot be checked from here.
 */
export function markAbandonedRuns(store: Store): number[] {
  const host = hostname();
  const running = store.statement(`SELECT id, pid, hostname, started_at FROM runs WHERE status = 'running'`).all() as Array<{
    id: number;
    pid: number | null;
    hostname: string | null;
    started_at: string;
  }>;
  const abandoned = running.filter((r) => r.hostname === host && r.pid !== null && !runProcessAlive(r.pid, Date.parse(r.started_at)));
  const mark = store.statement(`UPDATE runs SET status = 'interrupted' WHERE id = ? AND status = 'running'`);
  for (const r of abandoned) mark.run(r.id);
  return abandoned.map((r) => r.id);
}

/** Slack for comparing a process start time (1/100 s ticks, boot time in whole seconds) with a run's start. */
const START_SLACK_MS = 2000;

function runProcessAlive(pid: number, runStartedMs: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = processStartMs(pid);
  // The process holding this pid began after the run: the run's own process is gone.
  return started === null || Number.isNaN(runStartedMs) || started <= runStartedMs + START_SLACK_MS;
}

/** Wall-clock start of `pid` from /proc (Linux); null where that is not available. */
export function processStartMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; starttime is field 22.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(btime)) return null;
    // USER_HZ is 100 on every Linux architecture Node supports.
    return btime * 1000 + ticks * 10;
  } catch {
    return null;
  }
}

/** Records the fraction of input rows a run kept (`scan --sample-rate`); 1 or null = every row. */
export function setRunSampleRate(store: Store, runId: number, rate: number | null): void {
  if (rate !== null && !(rate > 0 && rate <= 1)) throw new StoreError('bad-input', `sample rate must be in (0, 1], got ${String(rate)}`);
  store.statement(`UPDATE runs SET sample_rate = ? WHERE id = ?`).run(rate === null || rate === 1 ? null : rate, runId);
}

/**
 * The distinct sample rates of runs that stored documents (ascending); empty when every run
 * read all its rows. A report states them: its shares are of the sampled rows.
 */
export function storedSampleRates(store: Store): number[] {
  const rows = store
    .statement(`SELECT DISTINCT sample_rate AS rate FROM runs WHERE sample_rate IS NOT NULL AND documents_added > 0 ORDER BY sample_rate`)
    .all() as Array<{ rate: number }>;
  return rows.map((r) => r.rate);
}

/**
 * Run lifecycle shared by every command that records runs: mark runs of killed processes
 * `interrupted`, begin this run, and finish it with a status and summary whatever happens.
 */
import {
  StoreWriter,
  beginRun,
  finishRun,
  markAbandonedRuns,
  openStore,
  type FinalRunStatus,
  type OpenStoreOptions,
  type Store,
} from '../store/index.js';

/** A store path (opened here, closed when done) or a store the caller opened (left open). */
export type StoreInput = string | Store;

export interface RunHandle {
  readonly id: number;
  readonly store: Store;
}

export interface RunOutcome<T> {
  status: FinalRunStatus;
  /** Stored as the run's summary JSON. */
  summary: unknown;
  result: T;
}

/**
 * Runs `fn` as a recorded run: a throw finishes the run `failed` (with the message) and is
 * rethrown; otherwise the run gets the status and summary `fn` returns.
 */
export async function withRun<T>(store: Store, command: string, args: unknown, fn: (run: RunHandle) => Promise<RunOutcome<T>>): Promise<T> {
  markAbandonedRuns(store);
  const id = beginRun(store, command, args);
  let outcome: RunOutcome<T>;
  try {
    outcome = await fn({ id, store });
  } catch (err) {
    try {
      finishRun(store, id, 'failed', { error: (err as Error).message });
    } catch {
      /* keep the original error */
    }
    throw err;
  }
  finishRun(store, id, outcome.status, outcome.summary);
  return outcome.result;
}

/**
 * A writer whose rows carry `run`'s id. The run is finished by withRun, so flush the writer
 * before returning from the run's function.
 */
export function runWriter(run: RunHandle, opts?: ConstructorParameters<typeof StoreWriter>[1]): StoreWriter {
  const writer = new StoreWriter(run.store, opts);
  writer.useRun(run.id);
  return writer;
}

/** Opens `db` when it is a path; `close` closes only what was opened here. */
export function useStore(db: StoreInput, opts?: OpenStoreOptions): { store: Store; close(): void } {
  if (typeof db !== 'string') return { store: db, close: () => {} };
  const store = openStore(db, opts);
  return { store, close: () => store.close() };
}

/** One schema step. `sql` runs inside a transaction together with the user_version bump. */
export interface Migration {
  /** 1, 2, 3 … contiguous; stored in PRAGMA user_version once applied. */
  version: number;
  /** Short name, matches the file name (`001-core.ts` → "core"). */
  name: string;
  /** DDL/DML to execute. Must not contain BEGIN/COMMIT (the runner owns the transaction). */
  sql: string;
}

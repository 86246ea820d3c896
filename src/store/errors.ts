/** Machine-readable classes of store failures, so the CLI can print a precise hint. */
export type StoreErrorCode =
  | 'open-failed'
  | 'not-found'
  | 'missing-directory'
  | 'is-a-directory'
  | 'read-only'
  | 'not-a-database'
  | 'not-a-ccaudit-database'
  | 'schema-too-new'
  | 'schema-outdated'
  | 'migration-failed'
  | 'bad-migrations'
  | 'source-changed'
  | 'bad-input'
  | 'no-run'
  | 'schema-mismatch'
  | 'merge-conflict'
  | 'merge-no-rule';

/** A store failure with a clear message; never a bare SQLite error for expected situations. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/** Opening a ccaudit SQLite store: pragmas, compatibility checks, migrations. */
import Database from 'better-sqlite3';
import { StoreError } from './errors.js';
import { LATEST_SCHEMA_VERSION, applyMigrations, checkCompatible } from './migrations/index.js';

export interface OpenStoreOptions {
  /** Open read-only: no migrations, no WAL switch; an outdated schema is an error. */
  readonly?: boolean;
  /** How long a statement waits for another process's write lock (ms). Default 10 000. */
  busyTimeoutMs?: number;
  /** Apply pending migrations (default true; ignored when readonly). */
  migrate?: boolean;
}

/** An open store. The only object in ccaudit that holds a SQL connection. */
export class Store {
  /** The underlying connection; use the store's modules rather than SQL elsewhere. */
  readonly db: Database.Database;
  /** Path the store was opened from (":memory:" allowed). */
  readonly path: string;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database, path: string) {
    this.db = db;
    this.path = path;
  }

  /** Prepared statement for `sql`, prepared once per connection and reused. */
  // biome-ignore lint/complexity/noBannedTypes: the same constraint as better-sqlite3's Statement parameters
  statement<P extends unknown[] | {} = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt as unknown as Database.Statement<P, R>;
  }

  /** Schema version of the open file. */
  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  /** Closes the connection (idempotent). Unflushed writer buffers are NOT flushed here. */
  close(): void {
    if (!this.db.open) return;
    this.statements.clear();
    this.db.close();
  }
}

/**
 * Opens (creating if needed) a store at `path`: WAL journal, synchronous=NORMAL,
 * foreign keys on, busy timeout, migrations applied.
 * Throws StoreError for unusable files (not SQLite, another app's DB, newer schema).
 */
export function openStore(path: string, opts: OpenStoreOptions = {}): Store {
  const readonly = opts.readonly ?? false;
  let db: Database.Database;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly });
  } catch (err) {
    throw new StoreError('open-failed', `cannot open store ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(opts.busyTimeoutMs ?? 10_000))}`);
    try {
      // First real read of the file: this is where "file is not a database" surfaces.
      db.pragma('schema_version', { simple: true });
    } catch (err) {
      throw new StoreError('not-a-database', `${path} is not a SQLite database (${(err as Error).message})`, {
        cause: err,
      });
    }
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    if (readonly || opts.migrate === false) {
      const version = checkCompatible(db, path);
      if (readonly && version < LATEST_SCHEMA_VERSION) {
        throw new StoreError(
          'schema-outdated',
          `${path} has schema version ${version} but this ccaudit needs ${LATEST_SCHEMA_VERSION}; ` + `open it once without --readonly to migrate`,
        );
      }
    } else {
      applyMigrations(db, { location: path });
    }
    return new Store(db, path);
  } catch (err) {
    db.close();
    throw err;
  }
}

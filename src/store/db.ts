/** Opening a ccaudit SQLite store: pragmas, compatibility checks, migrations. */
import Database from 'better-sqlite3';
import { accessSync, constants, closeSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StoreError } from './errors.js';
import { LATEST_SCHEMA_VERSION, applyMigrations, checkCompatible } from './migrations/index.js';

export interface OpenStoreOptions {
  /** Open read-only: no migrations, no WAL switch; an outdated schema is an error. */
  readonly?: boolean;
  /** How long a statement waits for another process's write lock (ms). Default 10 000. */
  busyTimeoutMs?: number;
  /** Apply pending migrations (default true; ignored when readonly). */
  migrate?: boolean;
  /**
   * Create the file when it does not exist (default true; always false when readonly).
   * Commands that only read pass false, so a mistyped path is an error, not a new empty store.
   */
  create?: boolean;
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
  const create = !readonly && (opts.create ?? true);
  checkPath(path, { readonly, create });
  let db: Database.Database;
  try {
    db = new Database(path, { readonly, fileMustExist: !create });
  } catch (err) {
    throw new StoreError('open-failed', `cannot open store ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(opts.busyTimeoutMs ?? 10_000))}`);
    try {
      // First real read of the file: this is where "file is not a database" surfaces.
      db.pragma('schema_version', { simple: true });
    } catch (err) {
      throw classifySqliteError(path, err);
    }
    if (!readonly) {
      try {
        db.pragma('journal_mode = WAL');
      } catch (err) {
        throw classifySqliteError(path, err);
      }
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    if (readonly || opts.migrate === false) {
      const version = checkCompatible(db, path);
      if (readonly && version < LATEST_SCHEMA_VERSION) {
        throw new StoreError(
          'schema-outdated',
          `${path} has schema version ${version} but this ccaudit needs ${LATEST_SCHEMA_VERSION}; ` +
            `run a command that writes to it once to migrate (e.g. ccaudit score --db ${path})`,
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

const SQLITE_HEADER = 'SQLite format 3\0';

/**
 * Names the real reason a path cannot be a store before SQLite is asked, because SQLite's own
 * messages ("unable to open database file", "file is not a database") hide it.
 */
function checkPath(path: string, { readonly, create }: { readonly: boolean; create: boolean }): void {
  if (path === ':memory:' || path === '' || path.startsWith('file:')) return;
  let st: ReturnType<typeof statSync> | undefined;
  try {
    st = statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new StoreError('open-failed', `cannot open store ${path}: ${(err as Error).message}`, { cause: err });
    }
  }
  const dir = dirname(resolve(path));
  if (!st) {
    if (!create) throw new StoreError('not-found', `store ${path} does not exist (check the path; nothing was created)`);
    let dirStat: ReturnType<typeof statSync> | undefined;
    try {
      dirStat = statSync(dir);
    } catch {
      /* reported below */
    }
    if (!dirStat?.isDirectory()) throw new StoreError('missing-directory', `cannot create store ${path}: directory ${dir} does not exist`);
    if (!writable(dir)) throw new StoreError('read-only', `cannot create store ${path}: directory ${dir} is not writable`);
    return;
  }
  if (st.isDirectory()) throw new StoreError('is-a-directory', `store ${path} is a directory, not a database file`);
  if (st.size > 0 && !hasSqliteHeader(path)) throw new StoreError('not-a-database', `${path} is not a SQLite database (no SQLite header)`);
  if (readonly) return;
  if (!writable(path)) throw new StoreError('read-only', `store ${path} is read-only (no write permission); ccaudit needs to write to it`);
  // WAL mode keeps -wal and -shm files next to the database.
  if (!writable(dir)) throw new StoreError('read-only', `store ${path} is in a read-only directory ${dir} (SQLite must create its -wal file there)`);
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function hasSqliteHeader(path: string): boolean {
  const buf = Buffer.alloc(16);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return true; // unreadable: let SQLite report it
  }
  try {
    return readSync(fd, buf, 0, 16, 0) === 16 && buf.toString('latin1') === SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}

function classifySqliteError(path: string, err: unknown): StoreError {
  const code = (err as { code?: string }).code ?? '';
  const message = (err as Error).message;
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')) {
    return new StoreError('read-only', `store ${path} cannot be written (${message}); check the permissions of the file and its directory`, {
      cause: err,
    });
  }
  return new StoreError('not-a-database', `${path} is not a SQLite database (${message})`, { cause: err });
}

import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CCAUDIT_APPLICATION_ID,
  LATEST_SCHEMA_VERSION,
  StoreError,
  applyMigrations,
  migrations,
  openStore,
  type Migration,
  totals,
} from '../../src/store/index.js';
import { useTempDir } from './helpers.js';

const tempPath = useTempDir();

function tableNames(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
}

describe('migrations', () => {
  it('lists contiguous versions starting with 001-core and 002-scores', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(migrations.slice(0, 2).map((m) => m.name)).toEqual(['core', 'scores']);
    expect(LATEST_SCHEMA_VERSION).toBe(migrations.length);
  });

  it('creates every table on an empty file and records the version', () => {
    const path = tempPath('empty.db');
    const store = openStore(path);
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(tableNames(store.db)).toEqual(expect.arrayContaining(['calibrations', 'documents', 'errors', 'records', 'runs', 'scores', 'sources']));
    expect(store.db.pragma('application_id', { simple: true })).toBe(CCAUDIT_APPLICATION_ID);
    store.close();
    // Re-opening applies nothing.
    const db = new Database(path);
    expect(applyMigrations(db).applied).toEqual([]);
    db.close();
  });

  it('a store of an older version opened read-only says which command migrates it; a writing open then migrates it', () => {
    const path = tempPath('v4.db');
    const db = new Database(path);
    applyMigrations(db, { target: 4 });
    db.close();
    expect(() => openStore(path, { readonly: true })).toThrow(
      `${path} has schema version 4 but this ccaudit needs ${LATEST_SCHEMA_VERSION}; run a command that writes to it once to migrate (e.g. ccaudit score --db ${path})`,
    );
    const store = openStore(path);
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    store.close();
  });

  it('upgrades a version-1 database to version 2 (and on to the latest) keeping its rows', () => {
    const path = tempPath('v1.db');
    const db = new Database(path);
    expect(applyMigrations(db, { target: 1 })).toEqual({ from: 0, to: 1, applied: ['001-core'] });
    expect(tableNames(db)).not.toContain('scores');
    db.prepare(`INSERT INTO runs (command, started_at) VALUES ('scan', '2024-01-01T00:00:00Z')`).run();
    db.prepare(`INSERT INTO sources (path, kind, created_at) VALUES ('/x.warc', 'file', '2024-01-01T00:00:00Z')`).run();
    expect(applyMigrations(db, { target: 2 })).toEqual({ from: 1, to: 2, applied: ['002-scores'] });
    expect(tableNames(db)).toEqual(expect.arrayContaining(['scores', 'calibrations']));
    expect(db.prepare(`SELECT command FROM runs`).all()).toEqual([{ command: 'scan' }]);
    db.close();

    const store = openStore(path);
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(tableNames(store.db)).toContain('scores');
    expect(totals(store)).toMatchObject({ runs: 1, sources: 1, scores: 0 });
    store.close();
  });

  it('refuses a database newer than the code', () => {
    const path = tempPath('future.db');
    openStore(path).close();
    const db = new Database(path);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    db.close();
    let caught: unknown;
    try {
      openStore(path);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StoreError);
    expect((caught as StoreError).code).toBe('schema-too-new');
    expect((caught as StoreError).message).toContain(
      `has schema version ${LATEST_SCHEMA_VERSION + 5}, but this ccaudit only knows versions up to ${LATEST_SCHEMA_VERSION}`,
    );
  });

  it('rolls back a failing migration and leaves the version unchanged', () => {
    const path = tempPath('broken.db');
    const broken: Migration = { version: LATEST_SCHEMA_VERSION + 1, name: 'broken', sql: `CREATE TABLE extra (x); INSERT INTO nowhere VALUES (1);` };
    const db = new Database(path);
    expect(() => applyMigrations(db, { migrations: [...migrations, broken] })).toThrow(
      `migration ${LATEST_SCHEMA_VERSION + 1} (broken) failed and was rolled back`,
    );
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(tableNames(db)).not.toContain('extra');
    db.close();
  });

  it('rejects a non-contiguous migration list', () => {
    const db = new Database(':memory:');
    const gap: Migration = { version: LATEST_SCHEMA_VERSION + 2, name: 'gap', sql: 'SELECT 1' };
    expect(() => applyMigrations(db, { migrations: [...migrations, gap] })).toThrow(/not contiguous/);
    db.close();
  });

  it('refuses a SQLite file of another application', () => {
    const path = tempPath('other.db');
    const db = new Database(path);
    db.exec(`CREATE TABLE people (name TEXT)`);
    db.close();
    expect(() => openStore(path)).toThrow(/another application.s SQLite database \(1 table.*refusing/);
    const tagged = tempPath('tagged.db');
    const db2 = new Database(tagged);
    db2.pragma('application_id = 42');
    db2.close();
    expect(() => openStore(tagged)).toThrow(/another application \(application_id 42\)/);
  });

  it('gives a clear error for a file that is not SQLite', () => {
    const path = tempPath('notes.txt');
    writeFileSync(path, 'this is not a database, just text that is long enough to fill a header '.repeat(20));
    let caught: unknown;
    try {
      openStore(path);
    } catch (err) {
      caught = err;
    }
    expect((caught as StoreError).code).toBe('not-a-database');
    expect((caught as StoreError).message).toContain('is not a SQLite database');
  });

  it('read-only open refuses an outdated schema instead of migrating', () => {
    const path = tempPath('ro.db');
    const db = new Database(path);
    applyMigrations(db, { target: 1 });
    db.close();
    expect(() => openStore(path, { readonly: true })).toThrow(`schema version 1 but this ccaudit needs ${LATEST_SCHEMA_VERSION}`);
    openStore(path).close();
    const ro = openStore(path, { readonly: true });
    expect(totals(ro).records).toBe(0);
    ro.close();
  });
});

describe('openStore pragmas', () => {
  it('uses WAL, synchronous=NORMAL, foreign keys and a busy timeout', () => {
    const path = tempPath('pragmas.db');
    const store = openStore(path, { busyTimeoutMs: 4321 });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(4321);
    store.close();
    // WAL is a property of the file: a plain connection sees it too.
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('enforces foreign keys', () => {
    const store = openStore(tempPath('fk.db'));
    expect(() => store.db.prepare(`INSERT INTO records (source_id, offset, length, offset_kind) VALUES (999, 0, 10, 'file')`).run()).toThrow(
      /FOREIGN KEY/,
    );
    store.close();
  });

  it('reports a missing directory clearly', () => {
    expect(() => openStore('/nonexistent-dir-ccaudit/x.db')).toThrow(
      /cannot create store \/nonexistent-dir-ccaudit\/x.db: directory \/nonexistent-dir-ccaudit does not exist/,
    );
  });
});

/**
 * Ordered schema migrations. To add one: create `NNN-name.ts` exporting a Migration with
 * the next version number, append it to `migrations` below, and document it in SCHEMA.md;
 * a new table also needs its rule in ../merge-rules.ts (how `ccaudit merge` folds it).
 * Never edit a migration that has shipped; write a new one.
 */
import type Database from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { migration001Core } from './001-core.js';
import { migration002Scores } from './002-scores.js';
import { migration003Sample } from './003-sample.js';
import { migration004References } from './004-references.js';
import { migration005Duplicates } from './005-duplicates.js';
import { migration006InDomainModels } from './006-indomain-models.js';
import { migration007Datasets } from './007-datasets.js';
import type { Migration } from './types.js';

export type { Migration } from './types.js';

/** All migrations, in the order they are applied. */
export const migrations: readonly Migration[] = [
  migration001Core,
  migration002Scores,
  migration003Sample,
  migration004References,
  migration005Duplicates,
  migration006InDomainModels,
  migration007Datasets,
];

/** Schema version this code writes and expects. */
export const LATEST_SCHEMA_VERSION = migrations.length;

/** PRAGMA application_id marking a file as a ccaudit store ("ccau" in ASCII). */
export const CCAUDIT_APPLICATION_ID = 0x63636175;

export interface MigrateOptions {
  /** Migration list to use (tests inject broken ones); defaults to `migrations`. */
  migrations?: readonly Migration[];
  /** Stop at this version instead of the latest (tests build older databases). */
  target?: number;
  /** Path shown in error messages. */
  location?: string;
}

export interface MigrateResult {
  from: number;
  to: number;
  applied: string[];
}

/** Current schema version (PRAGMA user_version). */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Refuses databases this code cannot safely use: another application's file, or a schema
 * newer than the code knows. Returns the current version.
 */
export function checkCompatible(db: Database.Database, location: string, latest: number = LATEST_SCHEMA_VERSION): number {
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== 0 && appId !== CCAUDIT_APPLICATION_ID) {
    throw new StoreError(
      'not-a-ccaudit-database',
      `${location} is a SQLite database of another application (application_id ${appId}); refusing to use it as a ccaudit store`,
    );
  }
  const version = schemaVersion(db);
  if (version > latest) {
    throw new StoreError(
      'schema-too-new',
      `${location} has schema version ${version}, but this ccaudit only knows versions up to ${latest}; ` +
        `upgrade ccaudit or use another database file`,
    );
  }
  if (version === 0) {
    const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'`).get() as { n: number };
    if (tables.n > 0) {
      throw new StoreError(
        'not-a-ccaudit-database',
        `${location} is another application's SQLite database (${tables.n} table(s)/index(es), no ccaudit schema version); refusing to modify it`,
      );
    }
  }
  return version;
}

function validateList(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new StoreError('bad-migrations', `migration list is not contiguous: position ${i + 1} holds version ${m.version} (${m.name})`);
    }
  });
}

/**
 * Applies pending migrations in order, each in its own IMMEDIATE transaction together with
 * its PRAGMA user_version bump, so a failure leaves the database at the previous version and
 * two processes opening the same file never apply a step twice.
 */
export function applyMigrations(db: Database.Database, opts: MigrateOptions = {}): MigrateResult {
  const list = opts.migrations ?? migrations;
  const location = opts.location ?? db.name;
  validateList(list);
  const target = opts.target ?? list.length;
  if (!Number.isInteger(target) || target < 0 || target > list.length) {
    throw new StoreError('bad-migrations', `migration target ${target} is outside 0..${list.length}`);
  }
  const from = checkCompatible(db, location, list.length);
  const applied: string[] = [];
  for (const m of list) {
    if (m.version > target) break;
    const step = db.transaction(() => {
      // Re-read inside the write lock: another process may have migrated meanwhile.
      if (schemaVersion(db) >= m.version) return false;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
      db.pragma(`application_id = ${CCAUDIT_APPLICATION_ID}`);
      return true;
    });
    try {
      if (step.immediate()) applied.push(`${String(m.version).padStart(3, '0')}-${m.name}`);
    } catch (err) {
      throw new StoreError(
        'migration-failed',
        `${location}: migration ${m.version} (${m.name}) failed and was rolled back: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
  return { from, to: schemaVersion(db), applied };
}

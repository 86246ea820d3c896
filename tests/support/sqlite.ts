/** Reading a store in tests: one query on a read-only connection that is closed again. */
import Database from 'better-sqlite3';

export function queryRows(db: string, sql: string, ...params: unknown[]): unknown[] {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare(sql).all(...params);
  } finally {
    conn.close();
  }
}

/** Shared helpers for the Common Crawl tests (loopback server, temp dirs, store reads). */
import Database from 'better-sqlite3';
import { open } from 'node:fs/promises';
import type { RequestLog } from '../support/cc-server.js';

/** The sample rows of a store, read with a plain connection (independent of the code under test). */
export function readSample(dbPath: string): Array<{
  id: number;
  crawl: string;
  sample_key: string;
  draw_index: number;
  url: string;
  filename: string;
  offset: number;
  length: number;
  state: string;
  attempts: number;
  last_error: string | null;
}> {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(`SELECT * FROM sample ORDER BY crawl, draw_index`).all() as never;
  } finally {
    db.close();
  }
}

/** records rows as (source, offset, length), with how often each (source, offset) occurs. */
export function readRecords(dbPath: string): Array<{ path: string; offset: number; length: number; n: number }> {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT s.path, r.offset, r.length, count(*) OVER (PARTITION BY r.source_id, r.offset) AS n
         FROM records r JOIN sources s ON s.id = r.source_id ORDER BY s.path, r.offset`,
      )
      .all() as never;
  } finally {
    db.close();
  }
}

export function rangeOf(row: { offset: number; length: number }): string {
  return `bytes=${row.offset}-${row.offset + row.length - 1}`;
}

/** Clean, complete 206 deliveries of exactly this file range (no fault injected). */
export function cleanDeliveries(log: RequestLog[], filename: string, row: { offset: number; length: number }): number {
  const range = rangeOf(row);
  return log.filter((e) => e.path === filename && e.range === range && e.fault === null && e.status === 206 && e.complete).length;
}

export async function readBytes(file: string, offset: number, length: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    await fh.read(buf, 0, length, offset);
    return buf;
  } finally {
    await fh.close();
  }
}

/** Upper chi-square quantile (Wilson–Hilferty), good to ~1% for df ≥ 10. z = 3.090 for p = 0.001. */
export function chiSquareCritical(df: number, z = 3.09): number {
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

export function chiSquare(observed: number[], expected: number[]): number {
  return observed.reduce((s, o, i) => s + (o - expected[i]) ** 2 / expected[i], 0);
}

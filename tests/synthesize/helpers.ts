/** Shared set-up of the synthesize tests: a store scanned from real sample WARCs, and a CLI starter for kill-and-resume tests. */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ROOT, runCli, startProcess, type CliResult } from '../support/run-cli.js';

const ENTRY = path.join(ROOT, 'tests/support/ccaudit-cli.ts');

/**
 * Real WARCs from samples/ (copied byte for byte from shared/corpora/warc; see
 * samples/PROVENANCE.md): crawled 2013-04 (ipwb, English magazine pages), 2020-08
 * (resiliparse, Common Crawl pages in Chinese, Russian, German, Dutch …) — before the
 * 2022-11-30 cutoff — and 2024-05 (whirlwind, a Spanish Wikipedia page published 2008).
 */
export const SAMPLE_WARCS = [
  'samples/warc/edge-cases/ipwb/sample-1.warc.gz',
  'samples/warc/cc/resiliparse/warcfile.warc.gz',
  'samples/warc/cc/whirlwind/whirlwind.warc.gz',
].map((p) => path.join(ROOT, p));

/** Scans the sample WARCs into `dbPath` with the real `ccaudit scan`. */
export function scanSamples(dbPath: string): Promise<CliResult> {
  return runCli(['scan', ...SAMPLE_WARCS, '--db', dbPath, '--threads', '1', '--no-score', '--json']);
}

/** A private copy of a store (VACUUM INTO keeps the header: application id, schema version). */
export function copyStore(from: string, to: string): string {
  const db = new Database(from, { readonly: true });
  try {
    db.prepare('VACUUM INTO ?').run(to);
  } finally {
    db.close();
  }
  return to;
}

/** Starts `ccaudit <args>` and hands back the child with its collected result (for kill-and-resume tests). */
export function startCliAsync(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const { child, done } = startProcess(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    env: { ...process.env, CI: '1', ...env },
  });
  return { child, done: done.then(({ status, stdout, stderr }) => ({ status, stdout, stderr })) };
}

/** Waits (polling, at most `limitMs`) until `cond()` holds; throws if it never does. */
export async function until(cond: () => boolean, limitMs = 60_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Reads rows from a store file with a plain read-only connection. */
export function query<T>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

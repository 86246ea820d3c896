import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, runProcess } from '../support/run-cli.js';

const ENTRY = path.join(ROOT, 'tests/support/ccaudit-cli.ts');
const WARC = path.join(ROOT, 'samples/warc/recent/warcbench/fb.warc.gz');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ccaudit-storefail-'));
chmodSync(tmp, 0o755);
// Root ignores file modes, so the read-only case runs the CLI as an unprivileged user.
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;

/** Runs the real CLI (worker threads on: no --threads) with a hard timeout so a hang fails. */
async function cli(args: string[], unprivileged = false) {
  const started = Date.now();
  const r = await runProcess(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    timeoutMs: 20_000,
    killSignal: 'SIGKILL',
    ...(unprivileged && asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  return { status: r.status, signal: r.signal, stderr: r.stderr, seconds: (Date.now() - started) / 1000 };
}

function expectFastFailure(r: Awaited<ReturnType<typeof cli>>, cause: RegExp): void {
  expect(r.signal, `hung: ${r.stderr}`).toBeNull();
  expect(r.status).not.toBe(0);
  expect(r.status).not.toBeNull();
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(cause);
  // Node + tsx start-up alone is ~2 s on a loaded 2-core machine; a hang is killed at 20 s.
  expect(r.seconds).toBeLessThan(5);
}

describe('scan with a --db that cannot be used exits at once and names the cause', () => {
  it('a file that is not SQLite', async () => {
    const db = path.join(tmp, 'notes.db');
    writeFileSync(db, 'these are my notes, not a database\n');
    expectFastFailure(await cli(['scan', WARC, '--db', db]), /notes\.db is not a SQLite database/);
  }, 30_000);

  it("another application's SQLite file", async () => {
    const db = path.join(tmp, 'other.db');
    const d = new Database(db);
    d.exec('CREATE TABLE contacts (name TEXT)');
    d.close();
    expectFastFailure(await cli(['scan', WARC, '--db', db]), /other\.db is another application's SQLite database/);
  }, 30_000);

  it('a read-only store', async () => {
    const db = path.join(tmp, 'ro.db');
    new Database(db).close();
    chmodSync(db, 0o444);
    expectFastFailure(await cli(['scan', WARC, '--db', db], true), /ro\.db is read-only/);
  }, 30_000);

  it('a directory that does not exist', async () => {
    const db = path.join(tmp, 'no-such-dir', 'x.db');
    expectFastFailure(await cli(['scan', WARC, '--db', db]), /directory .*no-such-dir does not exist/);
    expect(existsSync(path.dirname(db))).toBe(false);
  }, 30_000);

  it('a directory', async () => {
    const db = path.join(tmp, 'a-directory');
    mkdirSync(db);
    expectFastFailure(await cli(['scan', WARC, '--db', db]), /a-directory is a directory, not a database file/);
  }, 30_000);
});

import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { markAbandonedRuns, openStore } from '../../src/store/index.js';
import { runCli, startCli, ROOT, WARC_DIR } from '../support/run-cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ccaudit-killed-'));

function runRows(db: string): Array<{ id: number; command: string; status: string }> {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return d.prepare('SELECT id, command, status FROM runs ORDER BY id').all() as Array<{ id: number; command: string; status: string }>;
  } finally {
    d.close();
  }
}

describe('a SIGKILLed scan does not stay running forever', () => {
  it('is left alone while its process lives, and marked interrupted by the next command once killed', async () => {
    const parts = ['edge-cases/ipwb/IAH-20080430204825-00000-blackbook.warc.gz', 'cc/resiliparse/warcfile.warc.gz'].map((p) =>
      readFileSync(path.join(WARC_DIR, p)),
    );
    const big = path.join(tmp, 'big.warc.gz');
    writeFileSync(big, Buffer.concat([...parts, ...parts, ...parts, ...parts]));
    const db = path.join(tmp, 'killed.db');
    const child = startCli(['scan', big, '--db', db, '--threads', '0', '--no-score', '--batch', '20']);
    child.stdout!.resume();
    let childErr = '';
    child.stderr!.on('data', (d) => (childErr += d));
    const exited = new Promise((r) => child.once('exit', r));
    let records = 0;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && child.exitCode === null && records < 50) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        const d = new Database(db, { readonly: true, fileMustExist: true });
        records = (d.prepare('SELECT count(*) n FROM records').get() as { n: number }).n;
        d.close();
      } catch {
        /* not created yet */
      }
    }
    expect(child.exitCode, childErr).toBeNull();

    // Another process checking now must not take the live scan for a dead one.
    const store = openStore(db);
    expect(markAbandonedRuns(store)).toEqual([]);
    store.close();
    expect(runRows(db)).toEqual([{ id: 1, command: 'scan', status: 'running' }]);

    child.kill('SIGKILL');
    await exited;
    expect(runRows(db)[0].status).toBe('running');

    const next = await runCli(['scan', path.join(ROOT, 'samples/warc/recent/warcbench/fb.warc.gz'), '--db', db, '--threads', '0', '--no-score']);
    expect(next.status, next.stderr).toBe(0);
    expect(runRows(db)).toEqual([
      { id: 1, command: 'scan', status: 'interrupted' },
      { id: 2, command: 'scan', status: 'completed' },
    ]);
  }, 240_000);
});

import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { countErrors, listErrors, openStore } from '../../src/index.js';
import { runCli, WARC_DIR } from '../support/run-cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ccaudit-useless-'));

describe('input that yields nothing fails', () => {
  it('a folder of non-WARC files named *.warc.gz exits 1 and says why', async () => {
    const dir = path.join(tmp, 'junk');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'a.warc.gz'), gzipSync('this is a text file, not a WARC\n'));
    writeFileSync(path.join(dir, 'b.warc.gz'), 'plain bytes with a .warc.gz name\n');
    const r = await runCli(['scan', dir, '--db', path.join(tmp, 'junk.db'), '--threads', '0', '--no-score']);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/nothing could be processed: 2 file\(s\) gave no WARC records/);
    expect(r.stderr).toMatch(/a\.warc\.gz:0 {2}junk/);
  });

  it('a zero-byte .warc.gz exits 1 and names the empty file', async () => {
    const empty = path.join(tmp, 'empty.warc.gz');
    writeFileSync(empty, '');
    const r = await runCli(['scan', empty, '--db', path.join(tmp, 'empty.db'), '--threads', '0', '--no-score']);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/empty\.warc\.gz: empty file \(0 bytes\)/);
  });
});

describe('commands that only read never create a database', () => {
  const cases: Array<[string, (db: string) => string[]]> = [
    ['score', (db) => ['score', '--db', db]],
    ['report', (db) => ['report', '--db', db]],
    ['errors', (db) => ['errors', '--db', db]],
    ['references list', (db) => ['references', 'list', '--db', db]],
    ['collapse --db', (db) => ['collapse', '--db', db, '--runs', '1', '--generations', '1']],
  ];
  for (const [name, args] of cases) {
    it(`${name} --db typo.db exits non-zero with one line and creates nothing`, async () => {
      const db = path.join(tmp, `typo-${name.replace(/\W+/g, '-')}.db`);
      const r = await runCli(args(db));
      expect(r.status).not.toBe(0);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(/not (found|exist)/);
      expect(existsSync(db)).toBe(false);
    });
  }
});

describe('stored errors are visible', () => {
  const damaged = path.join(WARC_DIR, 'edge-cases/warcio/example-trunc.warc');
  const db = path.join(tmp, 'errors.db');
  let scanErr = '';

  it("scan's summary names the first errors and points at `ccaudit errors`", async () => {
    const r = await runCli(['scan', damaged, path.join(WARC_DIR, 'edge-cases/ipwb/broken.warc'), '--db', db, '--threads', '0', '--no-score']);
    scanErr = r.stderr;
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`first errors (all: ccaudit errors --db ${db}):`);
    expect(r.stderr).toMatch(/example-trunc\.warc:\d+ {2}\S+ {2}\S/);
  });

  it('ccaudit errors lists them as a table, as JSON, and filters by source, code and limit', async () => {
    expect(scanErr).not.toBe('');
    const store = openStore(db, { readonly: true });
    const all = listErrors(store, { limit: 1000 });
    const total = countErrors(store);
    store.close();
    expect(all.length).toBeGreaterThan(0);
    expect(all.length).toBe(total);

    const table = await runCli(['errors', '--db', db]);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^file\s+offset\s+code\s+message$/);
    expect(table.stdout).toContain(`${total} error`);

    const json = JSON.parse((await runCli(['errors', '--db', db, '--json'])).stdout);
    expect(json).toEqual(all);
    for (const e of json) expect(Object.keys(e)).toEqual(expect.arrayContaining(['source', 'offset', 'code', 'message']));

    const code = all[0].code;
    const byCode = JSON.parse((await runCli(['errors', '--db', db, '--json', '--code', code])).stdout);
    expect(byCode.length).toBe(all.filter((e) => e.code === code).length);
    const bySource = JSON.parse((await runCli(['errors', '--db', db, '--json', '--source', 'example-trunc'])).stdout);
    expect(bySource.length).toBe(all.filter((e) => e.source.includes('example-trunc')).length);
    expect(bySource.length).toBeGreaterThan(0);
    const limited = JSON.parse((await runCli(['errors', '--db', db, '--json', '--limit', '1'])).stdout);
    expect(limited).toEqual(all.slice(0, 1));
  });
});

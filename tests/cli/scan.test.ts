import { describe, expect, it, beforeAll } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { readWarcFile } from '../../src/sources/warc/index.js';
import { expandWarcPaths } from '../../src/sources/local/expand-paths.js';
import { runCli, startCli, WARC_DIR, ROOT, type CliResult } from '../support/run-cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ccaudit-scan-'));

function count(db: Database.Database, sql: string, ...args: unknown[]): number {
  return (db.prepare(sql).get(...args) as { n: number }).n;
}

describe('ccaudit scan over every file in ../shared/corpora/warc', () => {
  const dbPath = path.join(tmp, 'all.db');
  let files: string[] = [];
  let expectedRecords = 0;
  let expectedErrors = 0;
  let first: CliResult;

  beforeAll(async () => {
    files = (await expandWarcPaths([WARC_DIR])).files;
    for (const f of files) {
      for await (const item of readWarcFile(f)) {
        if ((item as { kind?: string }).kind === 'error') expectedErrors++;
        else expectedRecords++;
      }
    }
    first = await runCli(['scan', WARC_DIR, '--db', dbPath, '--threads', '1', '--no-score', '--json']);
  }, 600_000);

  it('processes every file without a crash and reports a summary', () => {
    expect(first.status, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.files).toBe(files.length);
    expect(files.length).toBeGreaterThanOrEqual(55);
    expect(summary.recordsRead).toBe(expectedRecords);
    expect(summary.htmlDocuments).toBeGreaterThan(300);
  });

  it('stores every record the reader yields, and every read error with file and offset', () => {
    const db = new Database(dbPath, { readonly: true });
    expect(count(db, 'SELECT count(*) n FROM records')).toBe(expectedRecords);
    expect(count(db, "SELECT count(*) n FROM errors WHERE code <> 'extract-failed'")).toBe(expectedErrors);
    const damaged = [
      'edge-cases/resiliparse/clipped.warc.gz',
      'edge-cases/warcio/example-trunc.warc',
      'edge-cases/ipwb/broken.warc',
      'edge-cases/gowarc/corrupted-mid-record.warc.gz.open',
      'edge-cases/gowarc/corrupted-trailing-bytes.warc.gz.open',
    ];
    for (const rel of damaged) {
      const rows = db
        .prepare('SELECT e.offset, e.message FROM errors e JOIN sources s ON s.id = e.source_id WHERE s.path = ?')
        .all(path.join(WARC_DIR, rel)) as Array<{ offset: number | null; message: string }>;
      expect(rows.length, rel).toBeGreaterThan(0);
      expect(
        rows.every((r) => r.offset !== null && r.message.length > 0),
        rel,
      ).toBe(true);
    }
    // broken.warc: the records after the junk are still read.
    const broken = count(
      db,
      'SELECT count(*) n FROM records r JOIN sources s ON s.id = r.source_id WHERE s.path = ?',
      path.join(WARC_DIR, 'edge-cases/ipwb/broken.warc'),
    );
    expect(broken).toBe(6);
    db.close();
  });

  it('decodes non-UTF-8 pages in their charset (real Common Crawl GBK and windows-1251 pages)', () => {
    const db = new Database(dbPath, { readonly: true });
    const docs = db
      .prepare(
        `SELECT d.charset, d.text, d.lang FROM documents d JOIN records r ON r.id = d.record_pk
         JOIN sources s ON s.id = r.source_id WHERE s.path = ?`,
      )
      .all(path.join(WARC_DIR, 'cc/resiliparse/warcfile.warc.gz')) as Array<{ charset: string; text: string; lang: string }>;
    expect(docs.length).toBe(16);
    const gbk = docs.filter((d) => d.charset === 'gbk');
    expect(gbk.length).toBeGreaterThanOrEqual(3);
    // Most GBK pages are Chinese (one is an English company page); none may be mojibake.
    expect(gbk.filter((d) => /[\u4e00-\u9fff]{4}/.test(d.text)).length).toBeGreaterThanOrEqual(3);
    const cyrillic = docs.filter((d) => d.charset === 'windows-1251');
    expect(cyrillic.length).toBe(1);
    expect(/[\u0400-\u04ff]{4}/.test(cyrillic[0]!.text)).toBe(true);
    for (const d of docs) expect(d.text).not.toContain('\ufffd\ufffd\ufffd');
    db.close();
  });

  it('is idempotent: a re-run adds nothing, and a forced full re-read adds nothing either', async () => {
    const again = await runCli(['scan', WARC_DIR, '--db', dbPath, '--threads', '0', '--no-score', '--json']);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).filesAlreadyDone).toBe(files.length);

    const rw = new Database(dbPath);
    const before = {
      records: count(rw, 'SELECT count(*) n FROM records'),
      documents: count(rw, 'SELECT count(*) n FROM documents'),
      errors: count(rw, 'SELECT count(*) n FROM errors'),
    };
    // Forget every checkpoint: the whole corpus is read and written again.
    rw.prepare('UPDATE sources SET completed_at = NULL, resume_offset = 0').run();
    rw.close();
    const forced = await runCli(['scan', WARC_DIR, '--db', dbPath, '--threads', '0', '--no-score', '--json']);
    expect(forced.status, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout).recordsRead).toBe(expectedRecords);
    const db = new Database(dbPath, { readonly: true });
    expect(count(db, 'SELECT count(*) n FROM records')).toBe(before.records);
    expect(count(db, 'SELECT count(*) n FROM documents')).toBe(before.documents);
    expect(count(db, 'SELECT count(*) n FROM errors')).toBe(before.errors);
    db.close();
  });
});

describe('ccaudit scan: kill and resume', () => {
  it('a SIGKILLed scan resumes where it stopped: nothing lost, nothing twice', async () => {
    // ~25 MB of real per-record-gzip CC-style records (real files concatenated).
    const parts = [
      'edge-cases/ipwb/IAH-20080430204825-00000-blackbook.warc.gz',
      'edge-cases/ipwb/sample-1.warc.gz',
      'cc/resiliparse/warcfile.warc.gz',
      'edge-cases/dolma/sample-0000.warc.gz',
    ].map((p) => readFileSync(path.join(WARC_DIR, p)));
    const big = path.join(tmp, 'big.warc.gz');
    const chunks: Buffer[] = [];
    for (let i = 0; i < 6; i++) chunks.push(...parts);
    writeFileSync(big, Buffer.concat(chunks));

    const ref = path.join(tmp, 'ref.db');
    const refRun = await runCli(['scan', big, '--db', ref, '--threads', '0', '--no-score']);
    expect(refRun.status, refRun.stderr).toBe(0);

    const db = path.join(tmp, 'killed.db');
    const child = startCli(['scan', big, '--db', db, '--threads', '1', '--no-score', '--batch', '50']);
    let childErr = '';
    child.stderr!.on('data', (d) => (childErr += d));
    child.stdout!.resume();
    const exited = new Promise((r) => child.once('exit', r));
    // Wait until some batches are committed, then kill without warning.
    const deadline = Date.now() + 120_000;
    let committed = 0;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        const d = new Database(db, { readonly: true, fileMustExist: true });
        committed = count(d, 'SELECT count(*) n FROM records');
        d.close();
      } catch {
        /* not created yet */
      }
      if (committed > 200 || child.exitCode !== null) break;
    }
    child.kill('SIGKILL');
    await exited;
    expect(committed, childErr).toBeGreaterThan(200);

    const mid = new Database(db, { readonly: true });
    const atKill = count(mid, 'SELECT count(*) n FROM records');
    const resumeOffset = count(mid, 'SELECT resume_offset n FROM sources');
    mid.close();
    expect(resumeOffset).toBeGreaterThan(0);

    const resumed = await runCli(['scan', big, '--db', db, '--threads', '0', '--no-score', '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout);

    const a = new Database(ref, { readonly: true });
    const b = new Database(db, { readonly: true });
    const keys = (d: Database.Database) =>
      (d.prepare('SELECT offset FROM records ORDER BY offset').all() as Array<{ offset: number }>).map((r) => r.offset);
    const refKeys = keys(a);
    expect(keys(b)).toEqual(refKeys);
    expect(count(b, 'SELECT count(*) n FROM documents')).toBe(count(a, 'SELECT count(*) n FROM documents'));
    // The resumed run read only what the killed one had not committed.
    expect(summary.recordsRead).toBe(refKeys.length - atKill);
    a.close();
    b.close();
  }, 600_000);
});

describe('ccaudit scan and extract: flags and input errors', () => {
  it('a bad flag exits non-zero with a one-line message', async () => {
    const r = await runCli(['scan', 'samples', '--batch', '0']);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/batch/);
    const u = await runCli(['scan', 'samples', '--frobnicate']);
    expect(u.status).not.toBe(0);
    expect(u.stderr).toMatch(/unknown option/);
    const h = await runCli(['scan', 'samples', '--worker-heap-mb', '8']);
    expect(h.status).not.toBe(0);
    expect(h.stderr.trim().split('\n')).toHaveLength(1);
    expect(h.stderr).toMatch(/worker-heap-mb.*≥ 64/);
  });

  it('exits non-zero when nothing could be processed', async () => {
    const r = await runCli(['scan', path.join(tmp, 'does-not-exist.warc.gz'), '--db', path.join(tmp, 'none.db')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no such file/);
  });

  it('extract --json prints title, text, date, dateSource, lang and words for one real page', async () => {
    // A real page from the extraction corpus (stored gzipped there).
    const page = path.join(tmp, '001.html');
    writeFileSync(page, gunzipSync(readFileSync(path.join(path.dirname(WARC_DIR), 'extraction/mozilla-readability/html/001.html.gz'))));
    const r = await runCli(['extract', page, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const k of ['title', 'text', 'date', 'dateSource', 'lang', 'words']) expect(out).toHaveProperty(k);
    expect(out.words).toBeGreaterThan(50);
    // stdin works the same
    const viaStdin = await runCli(['extract', '-', '--json'], { input: readFileSync(page) });
    expect(JSON.parse(viaStdin.stdout).text).toBe(out.text);
  });

  it('the sample database from the README command scores every document with every built-in detector', async () => {
    const db = path.join(tmp, 'samples.db');
    const r = await runCli(['scan', path.join(ROOT, 'samples'), '--db', db, '--threads', '1', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const d = new Database(db, { readonly: true });
    const docs = count(d, 'SELECT count(*) n FROM documents');
    expect(docs).toBeGreaterThan(100);
    const perDetector = d.prepare('SELECT detector, count(*) n FROM scores GROUP BY detector').all() as Array<{ detector: string; n: number }>;
    expect(perDetector.map((x) => x.detector).sort()).toEqual(['classifier', 'compression', 'gpt-words', 'segments', 'stylometry']);
    for (const x of perDetector) expect(x.n).toBe(docs);
    d.close();
  });
});

/**
 * Bad input in dataset shards: SYNTHETIC edge-case files (missing text, wrong types, invalid
 * JSON lines, a truncated gzip stream, a truncated Parquet file) around real text rows. Each
 * problem is an error row with file and row; every good row is still stored.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/pipeline/scan.js';
import { listErrors, openStore } from '../../src/store/index.js';
import { realTextDocs, writeFinewebParquet, type FixtureDoc } from '../../scripts/lib/dataset-fixtures.js';

let dir: string;
let docs: FixtureDoc[];
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ccaudit-bad-rows-'));
  docs = await realTextDocs(60);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function errorsOf(db: string) {
  const store = openStore(db, { readonly: true });
  try {
    return listErrors(store, { limit: 100 }).map((e) => ({ source: path.basename(e.source), offset: e.offset, code: e.code, message: e.message }));
  } finally {
    store.close();
  }
}

function documentIds(db: string): string[] {
  const store = openStore(db, { readonly: true });
  try {
    return (store.db.prepare(`SELECT input_id FROM documents ORDER BY id`).all() as Array<{ input_id: string }>).map((r) => r.input_id);
  } finally {
    store.close();
  }
}

describe('bad rows are logged with file and row, and the run goes on', () => {
  it('JSONL: missing text, wrong types, invalid JSON, a non-object line', async () => {
    const good = (i: number) => JSON.stringify({ id: docs[i]!.id, text: docs[i]!.text, url: docs[i]!.url, date: docs[i]!.date });
    const lines = [
      good(0),
      JSON.stringify({ id: 'no-text', url: 'https://example.org/' }), // row 1: missing text
      JSON.stringify({ id: 'number-text', text: 42 }), // row 2: wrong type
      '{"id": "cut-off", "text": "half a li', // row 3: invalid JSON
      good(1),
      '', // row 5: blank, skipped
      '[1, 2, 3]', // row 6: not an object
      JSON.stringify({ id: 'bad-date', text: docs[2]!.text, date: 'last tuesday' }), // row 7
      JSON.stringify({ id: { nested: true }, text: docs[3]!.text }), // row 8: id of the wrong type
      good(4),
    ];
    const file = path.join(dir, 'synthetic-bad-rows.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const db = path.join(dir, 'jsonl.db');
    const s = await scan({ db, paths: [file], threads: 0, detectors: null });
    expect(s).toMatchObject({ status: 'completed', htmlDocuments: 3, errors: 6 });
    expect(documentIds(db)).toEqual([docs[0]!.id, docs[1]!.id, docs[4]!.id]);
    const errors = errorsOf(db);
    expect(errors.map((e) => [e.offset, e.code])).toEqual([
      [1, 'bad-row'],
      [2, 'bad-row'],
      [3, 'bad-json'],
      [6, 'bad-row'],
      [7, 'bad-row'],
      [8, 'bad-row'],
    ]);
    expect(errors[0]!.message).toBe('row 1: no "text" (text) field');
    expect(errors[1]!.message).toBe('row 2: "text" is number, not a string');
    expect(errors.every((e) => e.source === 'synthetic-bad-rows.jsonl')).toBe(true);
  });

  it('a truncated JSONL.gz keeps the rows before the cut and logs the cut with its row', async () => {
    const lines = docs.slice(0, 40).map((d) => JSON.stringify({ id: d.id, text: d.text }));
    const whole = gzipSync(`${lines.join('\n')}\n`);
    const file = path.join(dir, 'synthetic-truncated.jsonl.gz');
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const db = path.join(dir, 'gz.db');
    const s = await scan({ db, paths: [file], threads: 0, detectors: null });
    const kept = documentIds(db);
    expect(kept.length).toBeGreaterThan(10);
    expect(kept).toEqual(docs.slice(0, kept.length).map((d) => d.id));
    const errors = errorsOf(db);
    expect(errors.length).toBe(1);
    // The partial last line is either invalid JSON or lost in the cut stream; the cut itself is logged.
    expect(errors.at(-1)).toMatchObject({ code: 'truncated-file', source: 'synthetic-truncated.jsonl.gz' });
    expect(errors.at(-1)!.offset).toBeGreaterThanOrEqual(kept.length);
    expect(s.status).toBe('completed');
  });

  it('a truncated Parquet file is one error for the file; other files in the run are read', async () => {
    const whole = path.join(dir, 'whole.parquet');
    await writeFinewebParquet(whole, docs.slice(0, 60), 3, dir);
    const cut = path.join(dir, 'synthetic-truncated.parquet');
    const bytes = readFileSync(whole);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const db = path.join(dir, 'parquet.db');
    const s = await scan({ db, paths: [cut, whole], threads: 0, detectors: null });
    expect(s).toMatchObject({ status: 'completed', htmlDocuments: 60, errors: 1 });
    const [e] = errorsOf(db);
    expect(e).toMatchObject({ source: 'synthetic-truncated.parquet', offset: 0, code: 'bad-parquet' });
    expect(e!.message).toMatch(/^row 0: not a readable Parquet file: /);
  }, 60_000);

  it('a shard of an unknown layout fails alone with a clear message; --text-field reads it', async () => {
    const file = path.join(dir, 'synthetic-custom.jsonl');
    writeFileSync(
      file,
      `${docs
        .slice(0, 5)
        .map((d) => JSON.stringify({ doc_id: d.id, body: d.text, when: d.date }))
        .join('\n')}\n`,
    );
    const db = path.join(dir, 'custom.db');
    const s = await scan({ db, paths: [file], threads: 0, detectors: null });
    expect(s.failedFiles).toEqual([{ path: file, message: `${file}: no "text" column (columns: doc_id, body, when); name it with --text-field` }]);
    const db2 = path.join(dir, 'custom2.db');
    const s2 = await scan({
      db: db2,
      paths: [file],
      threads: 0,
      detectors: null,
      dataset: { textField: 'body', idField: 'doc_id', dateField: 'when' },
    });
    expect(s2).toMatchObject({ htmlDocuments: 5, errors: 0 });
    expect(documentIds(db2)).toEqual(docs.slice(0, 5).map((d) => d.id));
  });
});

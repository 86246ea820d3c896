/**
 * Acceptance: dataset shards built from REAL text (the shared labeled corpora) in each layout
 * curators hold, and Common Crawl's real WET file, scanned with no mapping flags. The FineWeb
 * Parquet file is written by DuckDB (a foreign Parquet writer; pyarrow cannot be installed here).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openParquet } from '../../src/sources/dataset/index.js';
import { scan } from '../../src/pipeline/scan.js';
import { openStore } from '../../src/store/index.js';
import {
  FIXTURE_MONTHS,
  realTextDocs,
  writeC4Jsonl,
  writeDolmaJsonlGz,
  writeFinewebParquet,
  writePlainJsonlZst,
  type FixtureDoc,
} from '../../scripts/lib/dataset-fixtures.js';
import { runCli, WARC_DIR } from '../support/run-cli.js';

let dir: string;
let docs: FixtureDoc[];
const files = { fineweb: '', dolma: '', c4: '', plain: '' };
const WET = path.join(WARC_DIR, 'cc/whirlwind/whirlwind.warc.wet.gz');

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ccaudit-datasets-'));
  docs = await realTextDocs(600);
  files.fineweb = path.join(dir, 'real-text-fineweb-000.parquet');
  files.dolma = path.join(dir, 'real-text-dolma-0000.json.gz');
  files.c4 = path.join(dir, 'real-text-c4-00000.jsonl');
  files.plain = path.join(dir, 'real-text-plain.jsonl.zst');
  await writeFinewebParquet(files.fineweb, docs, 6, dir);
  writeDolmaJsonlGz(files.dolma, docs.slice(0, 300));
  writeC4Jsonl(files.c4, docs.slice(300, 390));
  await writePlainJsonlZst(files.plain, docs.slice(390, 450), dir);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = { n: number; month: string | null; crawl: string | null };
function perMonth(db: string, source: string): Row[] {
  const store = openStore(db, { readonly: true });
  try {
    return store.db
      .prepare(
        `SELECT count(*) AS n, d.pub_month AS month, d.crawl_month AS crawl FROM documents d
           JOIN records r ON r.id = d.record_pk JOIN sources s ON s.id = r.source_id
          WHERE s.path = ? GROUP BY 2, 3 ORDER BY 2`,
      )
      .all(source) as Row[];
  } finally {
    store.close();
  }
}

function documents(db: string, source: string) {
  const store = openStore(db, { readonly: true });
  try {
    return store.db
      .prepare(
        `SELECT d.input_id AS id, d.url, d.text, d.lang, d.words, d.date_source AS dateSource, r.offset FROM documents d
           JOIN records r ON r.id = d.record_pk JOIN sources s ON s.id = r.source_id WHERE s.path = ? ORDER BY r.offset`,
      )
      .all(source) as Array<{ id: string; url: string | null; text: string; lang: string; words: number; dateSource: string | null; offset: number }>;
  } finally {
    store.close();
  }
}

describe('dataset shards scanned with no mapping flags', () => {
  it('FineWeb Parquet by a foreign writer: 600 rows in 6 row groups → 600 documents in 3 months', async () => {
    const shard = await openParquet(files.fineweb);
    try {
      expect(shard.metadata.created_by).toMatch(/DuckDB/);
      expect(shard.metadata.row_groups.length).toBe(6);
      expect(shard.rows).toBe(600);
      expect(shard.columns).toEqual(['text', 'id', 'dump', 'url', 'date', 'file_path', 'language', 'language_score', 'token_count']);
    } finally {
      await shard.close();
    }
    const db = path.join(dir, 'fineweb.db');
    const s = await scan({ db, paths: [files.fineweb], threads: 0, detectors: ['gpt-words'] });
    expect(s).toMatchObject({ status: 'completed', recordsRead: 600, htmlDocuments: 600, errors: 0 });
    expect(perMonth(db, files.fineweb)).toEqual(FIXTURE_MONTHS.map((m) => ({ n: 200, month: m, crawl: m })));
    const rows = documents(db, files.fineweb);
    expect(rows.map((r) => r.id)).toEqual(docs.map((d) => `<urn:uuid:${d.id}>`));
    // Text rows are stored as given: no HTML extraction, but language and words computed.
    expect(rows.map((r) => r.text)).toEqual(docs.map((d) => d.text));
    expect(rows.every((r) => r.words > 20 && r.lang !== 'und' && r.dateSource === 'dataset')).toBe(true);
    expect(rows[7]!.url).toBe(docs[7]!.url);
  }, 120_000);

  it('Dolma JSONL.gz: 300 rows → 300 documents in 3 months, URLs from metadata.url', async () => {
    const db = path.join(dir, 'dolma.db');
    const s = await scan({ db, paths: [files.dolma], threads: 0, detectors: null });
    expect(s).toMatchObject({ status: 'completed', recordsRead: 300, htmlDocuments: 300, errors: 0 });
    expect(perMonth(db, files.dolma)).toEqual(FIXTURE_MONTHS.map((m) => ({ n: 100, month: m, crawl: m })));
    const rows = documents(db, files.dolma);
    expect(rows.map((r) => r.id)).toEqual(docs.slice(0, 300).map((d) => d.id));
    expect(rows.map((r) => r.url)).toEqual(docs.slice(0, 300).map((d) => d.url));
  }, 120_000);

  it('the real WET file → its conversion record as a plain-text document', async () => {
    const db = path.join(dir, 'wet.db');
    const s = await scan({ db, paths: [WET], threads: 0, detectors: null });
    expect(s).toMatchObject({ status: 'completed', recordsRead: 2, htmlDocuments: 1, errors: 0 });
    const [doc] = documents(db, WET);
    expect(doc).toMatchObject({ offset: 466, url: 'https://an.wikipedia.org/wiki/Escopete', dateSource: null });
    // The text is Common Crawl's own, byte for byte (4456 bytes of UTF-8).
    expect(Buffer.byteLength(doc!.text)).toBe(4456);
    expect(doc!.text.startsWith('Escopete - Biquipedia')).toBe(true);
    expect(doc!.words).toBeGreaterThan(300);
    expect(perMonth(db, WET)).toEqual([{ n: 1, month: null, crawl: '2024-05' }]);
  }, 60_000);

  it('C4 JSONL (no ids: <file>:<row>) and plain JSONL.zst (written by DuckDB) in one directory scan', async () => {
    const db = path.join(dir, 'mixed.db');
    const sub = path.join(dir, 'only-c4-and-plain');
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(sub);
    copyFileSync(files.c4, path.join(sub, path.basename(files.c4)));
    copyFileSync(files.plain, path.join(sub, path.basename(files.plain)));
    const s = await scan({ db, paths: [sub], threads: 0, detectors: null });
    expect(s).toMatchObject({ status: 'completed', files: 2, htmlDocuments: 150, errors: 0 });
    const c4 = documents(db, path.join(sub, path.basename(files.c4)));
    expect(c4.map((r) => r.id)).toEqual(docs.slice(300, 390).map((_, i) => `${path.basename(files.c4)}:${i}`));
    expect(perMonth(db, path.join(sub, path.basename(files.c4))).map((r) => r.n)).toEqual([30, 30, 30]);
    const plain = documents(db, path.join(sub, path.basename(files.plain)));
    expect(plain.map((r) => r.id)).toEqual(docs.slice(390, 450).map((d) => d.id));
  }, 60_000);

  it('the CLI scans a Parquet shard and a WET file with no mapping flags', async () => {
    const db = path.join(dir, 'cli.db');
    const r = await runCli(['scan', files.fineweb, WET, '--db', db, '--threads', '0', '--no-score']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/602 records read, 601 HTML documents, 0 errors/);
  }, 120_000);
});

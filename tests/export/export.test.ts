/**
 * `export` round trips on shards built from REAL text (FineWeb Parquet written by DuckDB,
 * Dolma JSONL.gz) plus Common Crawl's real WET file: every input id comes back once with each
 * detector's score, in Dolma attribute files, Parquet (read back by DuckDB too) and CSV.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { DuckDBInstance } from '@duckdb/node-api';
import { parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportStore } from '../../src/export/index.js';
import { fileHandleBuffer } from '../../src/sources/dataset/parquet.js';
import { scan } from '../../src/pipeline/scan.js';
import { openStore } from '../../src/store/index.js';
import { realTextDocs, writeDolmaJsonlGz, writeFinewebParquet, type FixtureDoc } from '../../scripts/lib/dataset-fixtures.js';
import { runCli, WARC_DIR } from '../support/run-cli.js';

let dir: string;
let db: string;
let docs: FixtureDoc[];
const DETECTORS = ['gpt-words', 'classifier'];
/** Stored score per (input id, detector). */
let scores: Map<string, Record<string, number | null>>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ccaudit-export-'));
  docs = await realTextDocs(600);
  mkdirSync(path.join(dir, 'in', 'fineweb'), { recursive: true });
  mkdirSync(path.join(dir, 'in', 'dolma'), { recursive: true });
  await writeFinewebParquet(path.join(dir, 'in', 'fineweb', 'real-text-000.parquet'), docs, 6, dir);
  writeDolmaJsonlGz(path.join(dir, 'in', 'dolma', 'real-text-000.json.gz'), docs.slice(0, 300));
  copyFileSync(path.join(WARC_DIR, 'cc/whirlwind/whirlwind.warc.wet.gz'), path.join(dir, 'in', 'whirlwind.warc.wet.gz'));
  db = path.join(dir, 'audit.db');
  const s = await scan({ db, paths: [path.join(dir, 'in')], threads: 0, detectors: DETECTORS });
  expect(s).toMatchObject({ status: 'completed', htmlDocuments: 901, errors: 0 });
  const store = openStore(db, { readonly: true });
  try {
    scores = new Map();
    const rows = store.db
      .prepare(
        `SELECT coalesce(d.input_id, r.record_id) AS id, sc.detector, sc.score FROM scores sc
           JOIN documents d ON d.id = sc.document_id JOIN records r ON r.id = d.record_pk`,
      )
      .all() as Array<{ id: string; detector: string; score: number | null }>;
    for (const r of rows) scores.set(r.id, { ...scores.get(r.id), [r.detector]: r.score });
  } finally {
    store.close();
  }
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const readJsonlGz = (file: string) =>
  gunzipSync(readFileSync(file))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string; attributes: Record<string, Array<[number, number, number]>> });

describe('export --format attributes', () => {
  it('one file per input shard, same names; every input id once with each detector score', async () => {
    const out = path.join(dir, 'attributes');
    const store = openStore(db, { readonly: true });
    const s = await exportStore(store, { format: 'attributes', outDir: out }).finally(() => store.close());
    expect(s.documents).toBe(901);
    expect(s.files.map((f) => path.relative(out, f)).sort()).toEqual([
      'dolma/real-text-000.json.gz',
      'fineweb/real-text-000.jsonl.gz',
      'whirlwind.jsonl.gz',
    ]);
    const fineweb = readJsonlGz(path.join(out, 'fineweb/real-text-000.jsonl.gz'));
    const dolma = readJsonlGz(path.join(out, 'dolma/real-text-000.json.gz'));
    const wet = readJsonlGz(path.join(out, 'whirlwind.jsonl.gz'));
    expect(fineweb.map((l) => l.id)).toEqual(docs.map((d) => `<urn:uuid:${d.id}>`));
    expect(dolma.map((l) => l.id)).toEqual(docs.slice(0, 300).map((d) => d.id));
    expect(wet.map((l) => l.id)).toEqual(['<urn:uuid:ba729a40-ff84-4085-8d48-0a5b2ee0c42d>']);
    const texts = new Map(docs.flatMap((d) => [[d.id, d.text] as const, [`<urn:uuid:${d.id}>`, d.text] as const]));
    for (const line of [...fineweb, ...dolma, ...wet]) {
      expect(Object.keys(line.attributes).sort()).toEqual(['ccaudit__classifier__score', 'ccaudit__gpt-words__score']);
      for (const det of DETECTORS) {
        const want = scores.get(line.id)![det];
        const spans = line.attributes[`ccaudit__${det}__score`]!;
        if (want === null) {
          expect(spans).toEqual([]);
          continue;
        }
        const text = texts.get(line.id);
        // Spans are character offsets (code points) over the whole text, as Dolma's taggers write them.
        if (text !== undefined) expect(spans).toEqual([[0, [...text].length, want]]);
        else expect(spans).toEqual([[0, expect.any(Number), want]]);
      }
    }
    // Nearly every real text is scored by the classifier.
    const scored = fineweb.filter((l) => l.attributes.ccaudit__classifier__score!.length === 1).length;
    expect(scored).toBeGreaterThan(590);
  });
});

describe('export --format parquet | csv', () => {
  it('Parquet: id, url, period, lang, words and a column per detector, read back by hyparquet and by DuckDB', async () => {
    const out = path.join(dir, 'parquet');
    const store = openStore(db, { readonly: true });
    await exportStore(store, { format: 'parquet', outDir: out }).finally(() => store.close());
    const file = path.join(out, 'documents.parquet');
    const handle = await open(file, 'r');
    try {
      const buf = fileHandleBuffer(handle, (await handle.stat()).size);
      const metadata = await parquetMetadataAsync(buf);
      const rows = (await parquetReadObjects({ file: buf, metadata })) as Array<Record<string, unknown>>;
      expect(rows.length).toBe(901);
      expect(Object.keys(rows[0]!)).toEqual(['id', 'url', 'period', 'lang', 'words', 'classifier', 'gpt-words', 'source']);
      const byId = new Map(rows.map((r) => [r.id as string, r]));
      expect(byId.size).toBe(901);
      const first = byId.get(docs[0]!.id)!;
      expect(first).toMatchObject({ url: docs[0]!.url, period: '2024-01', lang: 'eng', classifier: scores.get(docs[0]!.id)!.classifier });
    } finally {
      await handle.close();
    }
    const duck = await DuckDBInstance.create(':memory:');
    const con = await duck.connect();
    try {
      const reader = await con.runAndReadAll(
        `SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS ids, count(DISTINCT period)::INTEGER AS periods FROM '${file}'`,
      );
      expect(reader.getRowObjects()[0]).toEqual({ n: 901, ids: 901, periods: 4 });
    } finally {
      con.closeSync();
      duck.closeSync();
    }
  });

  it('CSV with --flag-at-fpr from the baseline when the store has one (CLI)', async () => {
    const out = path.join(dir, 'csv');
    const r = await runCli(['export', '--db', db, '--format', 'csv', '--out', out, '--flag-at-fpr', '0.01', '--cutoff', '2024-03-01']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^exported 901 documents, 2 detector\(s\), 1 file\(s\)/);
    expect(r.stdout).toMatch(
      /classifier_flagged: score >= [\d.]+ at FPR 0.01, baseline calibration: \d+ baseline documents \(crawl date before 2024-03-01\)/,
    );
    const rows = parse(readFileSync(path.join(out, 'documents.csv')), { columns: true }) as Array<Record<string, string>>;
    expect(rows.length).toBe(901);
    expect(Object.keys(rows[0]!)).toEqual([
      'id',
      'url',
      'period',
      'lang',
      'words',
      'classifier',
      'gpt-words',
      'classifier_flagged',
      'gpt-words_flagged',
      'source',
    ]);
    // Detector columns come in name order. At most 1 % of the baseline months' scored documents are flagged (that is how the threshold was chosen).
    const base = rows.filter((x) => x.period === '2024-01' || x.period === '2024-02').filter((x) => x.classifier !== '');
    const flagged = base.filter((x) => x.classifier_flagged === 'true').length;
    expect(flagged / base.length).toBeLessThanOrEqual(0.01);
    expect(rows.filter((x) => x.classifier_flagged === 'true').length).toBeGreaterThan(0);
  }, 60_000);

  it('without a baseline: the development calibration at exactly that FPR, labelled so; otherwise a clear error', async () => {
    const store = openStore(db, { readonly: true });
    try {
      const s = await exportStore(store, { format: 'csv', outDir: path.join(dir, 'dev'), detectors: ['classifier'], flag: { fpr: 0.05 } });
      expect(s.flags).toMatchObject([{ detector: 'classifier', calibration: 'development', fpr: 0.05 }]);
      expect(s.flags![0]!.basis).toMatch(/^development calibration: calib split/);
      await expect(
        exportStore(store, { format: 'csv', outDir: path.join(dir, 'dev2'), detectors: ['classifier'], flag: { fpr: 0.01 } }),
      ).rejects.toThrow(
        /classifier: only 0 scored baseline documents \(need 200\) and .*calibration\.json has no calibration of version .* at FPR 0\.01 \(it has version .* at FPR 0\.05\); run `ccaudit calibrate --target-fpr 0\.01 --out FILE` and pass --calibration FILE/,
      );
    } finally {
      store.close();
    }
    expect(existsSync(path.join(dir, 'dev2'))).toBe(false);
  });
});

describe('export: bad flags', () => {
  it('an unknown format or a missing --out exits 2 with one line; a missing store exits 1 and creates nothing', async () => {
    const bad = await runCli(['export', '--db', db, '--format', 'xml', '--out', path.join(dir, 'x')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/option '--format <format>' argument 'xml' is invalid. Allowed choices are attributes, parquet, csv/);
    const noOut = await runCli(['export', '--db', db, '--format', 'csv']);
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toMatch(/required option '--out <dir>' not specified/);
    const typo = path.join(dir, 'typo.db');
    const missing = await runCli(['export', '--db', typo, '--format', 'csv', '--out', path.join(dir, 'y')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(typo)).toBe(false);
  }, 60_000);
});

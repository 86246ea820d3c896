/**
 * Resuming a dataset scan by (file, row), and `--sample-rate`, on shards built from REAL text
 * (FineWeb Parquet written by DuckDB, Dolma JSONL.gz).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/estimate/index.js';
import { scan } from '../../src/pipeline/scan.js';
import { keepRow } from '../../src/sources/dataset/index.js';
import { openStore } from '../../src/store/index.js';
import { realTextDocs, writeDolmaJsonlGz, writeFinewebParquet, type FixtureDoc } from '../../scripts/lib/dataset-fixtures.js';
import { runCli } from '../support/run-cli.js';

let dir: string;
let docs: FixtureDoc[];
let parquet: string;
let dolma: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ccaudit-resume-ds-'));
  docs = await realTextDocs(600);
  parquet = path.join(dir, 'real-text-fineweb.parquet');
  dolma = path.join(dir, 'real-text-dolma.jsonl.gz');
  await writeFinewebParquet(parquet, docs, 6, dir);
  writeDolmaJsonlGz(dolma, docs.slice(0, 300));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function stored(db: string): { ids: string[]; runs: Array<{ status: string; documents_added: number; sample_rate: number | null }> } {
  const store = openStore(db, { readonly: true });
  try {
    const ids = (store.db.prepare(`SELECT input_id FROM documents ORDER BY id`).all() as Array<{ input_id: string }>).map((r) => r.input_id);
    const runs = store.db.prepare(`SELECT status, documents_added, sample_rate FROM runs ORDER BY id`).all() as Array<{
      status: string;
      documents_added: number;
      sample_rate: number | null;
    }>;
    return { ids, runs };
  } finally {
    store.close();
  }
}

describe('dataset scans resume by (file, row)', () => {
  it('an interrupted scan continues at the first row not committed and stores every row once', async () => {
    const db = path.join(dir, 'resume.db');
    let reads = 0;
    const first = await scan({ db, paths: [parquet, dolma], threads: 0, detectors: null, batchSize: 50, shouldStop: () => ++reads > 250 });
    expect(first.status).toBe('interrupted');
    const second = await scan({ db, paths: [parquet, dolma], threads: 0, detectors: null, batchSize: 50 });
    expect(second.status).toBe('completed');
    const { ids, runs } = stored(db);
    const expected = [...docs.map((d) => `<urn:uuid:${d.id}>`), ...docs.slice(0, 300).map((d) => d.id)];
    // Sources are read in path order: the Dolma file first.
    expect([...ids].sort()).toEqual([...expected].sort());
    expect(new Set(ids).size).toBe(900);
    expect(runs[0]!.documents_added).toBeGreaterThan(0);
    expect(runs[0]!.documents_added + runs[1]!.documents_added).toBe(900);
    // The second run read only what the first did not commit.
    expect(second.recordsRead).toBe(900 - runs[0]!.documents_added);
  }, 120_000);
});

describe('large Parquet row groups are read in slices', () => {
  it('slices of 7 rows (offset index pages) give the same rows, and resume inside a row group', async () => {
    const sliced = { parquetReads: { wholeGroupBytes: 0, sliceRows: 7 } };
    const db = path.join(dir, 'sliced.db');
    let reads = 0;
    const first = await scan({ db, paths: [parquet], threads: 0, detectors: null, batchSize: 10, dataset: sliced, shouldStop: () => ++reads > 155 });
    expect(first.status).toBe('interrupted');
    const second = await scan({ db, paths: [parquet], threads: 0, detectors: null, dataset: sliced });
    expect(second.status).toBe('completed');
    const { ids } = stored(db);
    expect(ids).toEqual(docs.map((d) => `<urn:uuid:${d.id}>`));
    // Resumed inside the second row group (rows 100–199), not at its start.
    expect(second.recordsRead).toBe(600 - first.recordsRead);
    expect(first.recordsRead % 100).not.toBe(0);
  }, 120_000);
});

describe('--sample-rate', () => {
  it('keeps the id-hashed rows, records the rate on the run, and the report says so', async () => {
    const db = path.join(dir, 'sampled.db');
    const s = await scan({ db, paths: [parquet], threads: 0, detectors: ['gpt-words'], dataset: { sampleRate: 0.25 } });
    const want = docs.map((d) => `<urn:uuid:${d.id}>`).filter((id) => keepRow(id, 0.25));
    expect(want.length).toBeGreaterThan(110);
    expect(want.length).toBeLessThan(190);
    expect(s.htmlDocuments).toBe(want.length);
    const { ids, runs } = stored(db);
    expect(ids).toEqual(want);
    expect(runs[0]!.sample_rate).toBe(0.25);
    const store = openStore(db, { readonly: true });
    try {
      const report = await buildReport(store, { by: 'month', minDocs: 5, replicates: 50 });
      expect(report.sampleRates).toEqual([0.25]);
      expect(report.notes.join('\n')).toMatch(/id-hashed sample of the input rows \(scan --sample-rate: 25 %\)/);
    } finally {
      store.close();
    }
  }, 120_000);

  it('the CLI rejects a rate outside (0, 1] with exit code 2', async () => {
    const r = await runCli(['scan', parquet, '--db', path.join(dir, 'bad.db'), '--sample-rate', '1.5']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--sample-rate <p>' argument '1.5' is invalid. expected a number greater than 0 and at most 1/);
  }, 60_000);
});

/**
 * Worker threads that read WARC files themselves, in byte ranges: the store must hold exactly
 * what an inline scan stores — record for record, document for document, score for score,
 * error for error — over every real WARC file in shared/corpora/warc (damaged ones included),
 * when files are cut into many small ranges, when a scan is stopped and resumed, and when a
 * page kills or stalls its worker (that page alone fails). The crash and stall pages are
 * SYNTHETIC records among real ones.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { scan } from '../../src/pipeline/index.js';
import { createStagePool, type StagePoolOptions } from '../../src/pipeline/stage-pool.js';
import { queryRows } from '../support/sqlite.js';
import { storeRows, type StoreRows } from '../warc/db-rows.js';
import { corpusPath } from '../warc/corpus.js';
import { buildLayout, rawRecords } from '../warc/layouts.js';

const CORPUS = ['cc', 'recent', 'edge-cases'].map((d) => corpusPath(d));
/** Small ranges, so even the small real files are cut into several. */
const RANGE = 64 * 1024;
const DETECTORS = ['gpt-words', 'compression'];
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ccaudit-worker-ranges-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A SYNTHETIC HTML response record holding `marker` in its text. */
function syntheticPage(marker: string): Buffer {
  const words = Array.from({ length: 200 }, (_, i) => `word${i % 23}`).join(' ');
  const html = `<html><head><title>Synthetic</title></head><body><article><h1>Synthetic page</h1><p>${marker} ${words}</p><p>${words}</p></article></body></html>`;
  const http = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(html)}\r\n\r\n${html}`);
  const head = Buffer.from(
    'WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://synthetic.example/page\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n' +
      `WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000001>\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: ${http.length}\r\n\r\n`,
  );
  return Buffer.concat([head, http, Buffer.from('\r\n\r\n')]);
}

/** Real records of a real file, one gzip member each, with a synthetic page in the middle. */
async function fileWithPage(name: string, marker: string): Promise<string> {
  const records = await rawRecords('cc/resiliparse/warcfile.warc');
  const middle = Math.floor(records.length / 2);
  const all = [...records.slice(0, middle), syntheticPage(marker), ...records.slice(middle)];
  const p = path.join(dir, name);
  writeFileSync(p, Buffer.concat(all.map((r) => zlib.gzipSync(r))));
  return p;
}

function extractFailures(db: string): Array<{ offset: number; message: string }> {
  return queryRows(db, `SELECT offset, message FROM errors WHERE code = 'extract-failed' ORDER BY offset`) as Array<{
    offset: number;
    message: string;
  }>;
}

/**
 * One real file with a synthetic page in the middle, scanned inline without detectors and by a
 * worker pool whose plugin detector fails on that page; the pool's scan must read every record
 * and lose that one document only.
 */
async function scanAroundFailingPage(name: string, marker: string, pool: StagePoolOptions): Promise<{ inline: string; workers: string }> {
  const file = await fileWithPage(`synthetic-${name}.warc.gz`, marker);
  const inline = path.join(dir, `${name}-inline.db`);
  const workers = path.join(dir, `${name}-workers.db`);
  const a = await scan({ db: inline, paths: [file], threads: 0, detectors: null });
  const stagePool = createStagePool(pool);
  try {
    const b = await scan({ db: workers, paths: [file], pool: stagePool, rangeBytes: RANGE });
    expect(b.recordsRead).toBe(a.recordsRead);
    expect(b.htmlDocuments).toBe(a.htmlDocuments - 1);
  } finally {
    await stagePool.close();
  }
  return { inline, workers };
}

describe('worker threads reading byte ranges store what an inline scan stores', () => {
  it('every real WARC file of the corpus, cut into 64 KiB ranges, with scores', async () => {
    const inline = path.join(dir, 'corpus-inline.db');
    const workers = path.join(dir, 'corpus-workers.db');
    const a = await scan({ db: inline, paths: CORPUS, threads: 0, detectors: DETECTORS });
    const b = await scan({ db: workers, paths: CORPUS, threads: 2, detectors: DETECTORS, rangeBytes: RANGE });
    expect(a.htmlDocuments).toBeGreaterThan(300);
    expect(b.status).toBe('completed');
    expect([b.recordsRead, b.htmlDocuments, b.errors]).toEqual([a.recordsRead, a.htmlDocuments, a.errors]);
    const want = storeRows(inline);
    const got = storeRows(workers);
    expect(got.records).toEqual(want.records);
    expect(got.errors).toEqual(want.errors);
    // Workers send the payload's digest instead of its bytes; reports find duplicates by it.
    const digests = (db: string) =>
      (queryRows(db, 'SELECT payload_digest FROM documents ORDER BY id') as Array<{ payload_digest: string | null }>).map((r) => r.payload_digest);
    expect(digests(workers)).toEqual(digests(inline));
    expect(digests(inline).every((x) => typeof x === 'string' && x.length === 40)).toBe(true);
  }, 180_000);

  describe('stopped and resumed scans', () => {
    let files: string[];
    let expected: StoreRows;
    beforeAll(async () => {
      const cc = await rawRecords('cc/resiliparse/warcfile.warc');
      files = [corpusPath('cc/resiliparse/warcfile.warc.gz'), corpusPath('cc/whirlwind/whirlwind.warc.wet.gz')];
      for (const layout of ['multi', 'whole-file'] as const) {
        const p = path.join(dir, `synthetic-${layout}.warc.gz`);
        writeFileSync(p, buildLayout(cc, layout, 3));
        files.push(p);
      }
      const db = path.join(dir, 'resume-expected.db');
      await scan({ db, paths: files, threads: 0, detectors: DETECTORS, batchSize: 9 });
      expected = storeRows(db);
    }, 60_000);

    it.each([1, 2])(
      'seed %i: stops at seeded points, resumed until complete, equals one scan',
      async (seed) => {
        const rng = new Rng(seed);
        const db = path.join(dir, `resumed-${seed}.db`);
        const pool = createStagePool({ threads: 2, detectors: DETECTORS });
        let stops = 0;
        try {
          for (let attempt = 0; attempt < 40; attempt++) {
            const budget = 20 + rng.int(150);
            let checks = 0;
            const s = await scan({ db, paths: files, pool, batchSize: 9, rangeBytes: RANGE, shouldStop: () => ++checks > budget });
            if (s.status === 'completed') break;
            stops++;
          }
        } finally {
          await pool.close();
        }
        expect(stops).toBeGreaterThan(2);
        const got = storeRows(db);
        expect(got.records).toEqual(expected.records);
        expect(got.errors).toEqual(expected.errors);
      },
      120_000,
    );
  });

  it('a page that kills its worker fails alone; the rest of its range is stored', async () => {
    const plugin = path.resolve(__dirname, '../extract/fixtures/synthetic-crash-plugin.js');
    const { inline, workers } = await scanAroundFailingPage('crash', 'CRASHMARKER', {
      threads: 1,
      detectors: ['synthetic-crash'],
      detectorModules: [plugin],
    });
    const failures = extractFailures(workers);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.message).toMatch(/synthetic worker crash/);
    expect(storeRows(workers).records.map((r) => r.split(' ').slice(0, 3).join(' '))).toEqual(
      storeRows(inline).records.map((r) => r.split(' ').slice(0, 3).join(' ')),
    );
  }, 120_000);

  it('a page over the time limit fails alone with extract-timeout', async () => {
    const plugin = path.resolve(__dirname, 'fixtures/synthetic-stall-plugin.js');
    const { workers } = await scanAroundFailingPage('stall', 'STALLMARKER', {
      threads: 2,
      detectors: ['synthetic-stall'],
      detectorModules: [plugin],
      jobTimeoutMs: 3000,
    });
    const failures = extractFailures(workers);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.message).toMatch(/extract-timeout/);
  }, 120_000);
});

/**
 * Migration 003-sample and the sample SQL (src/store/sample.ts), on real SQLite files, with
 * real index lines (CC-MAIN-2024-30 shard excerpt from /work/shared/corpora/warc).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, applyMigrations, LATEST_SCHEMA_VERSION } from '../../src/store/index.js';
import {
  findSampleDraw,
  markSampleFailed,
  markSampleFetched,
  rowsToFetch,
  sampleCounts,
  sampleRows,
  saveSampleDraw,
} from '../../src/store/sample.js';
import { parseCdxjLine } from '../../src/sources/commoncrawl/cdxj.js';

const lines = gunzipSync(readFileSync('/work/shared/corpora/warc/index/cdxj/filtered_CC-MAIN-2024-30_cdx-00187.gz'))
  .toString('utf8')
  .split('\n')
  .filter(Boolean)
  .map(parseCdxjLine);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccaudit-store-sample-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('migration 003-sample', () => {
  it('upgrades a version-2 database and adds the sample tables', () => {
    const file = path.join(dir, 'v2.sqlite');
    const raw = new Database(file);
    applyMigrations(raw, { target: 2 });
    expect(raw.pragma('user_version', { simple: true })).toBe(2);
    raw.close();
    const store = openStore(file);
    try {
      expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
      const tables = store.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'sample%' ORDER BY name`).all();
      expect(tables).toEqual([{ name: 'sample' }, { name: 'sample_draws' }]);
    } finally {
      store.close();
    }
  });
});

describe('sample rows', () => {
  it('stores a draw atomically, keeps each (filename, offset) once, and tracks fetch states', () => {
    const store = openStore(path.join(dir, 'rows.sqlite'));
    try {
      const first = lines.slice(0, 30);
      expect(
        saveSampleDraw(store, { crawl: 'CC-MAIN-2024-30', sampleKey: 'k1', settings: { seed: 1 }, wanted: 30, indexRequests: 3, runId: null }, first),
      ).toBe(30);
      expect(findSampleDraw(store, 'CC-MAIN-2024-30', 'k1')).toMatchObject({ wanted: 30, drawn: 30, index_requests: 3 });
      // Another sample overlapping the first: overlapping lines stay with the first sample.
      expect(
        saveSampleDraw(
          store,
          { crawl: 'CC-MAIN-2024-30', sampleKey: 'k2', settings: {}, wanted: 20, indexRequests: null, runId: null },
          lines.slice(20, 40),
        ),
      ).toBe(10);
      const rows = sampleRows(store, 'k1');
      expect(rows.map((r) => r.draw_index)).toEqual([...Array(30).keys()]);
      expect(rows[0]).toMatchObject({
        url: first[0].url,
        offset: first[0].offset,
        length: first[0].length,
        languages: 'fra',
        charset: 'UTF-8',
        state: 'pending',
      });

      // Paging over pending rows.
      const page1 = rowsToFetch(store, ['k1'], { limit: 12 });
      const page2 = rowsToFetch(store, ['k1'], { limit: 100, afterId: page1[page1.length - 1].id });
      expect(page1.length + page2.length).toBe(30);

      markSampleFetched(
        store,
        page1.map((r) => ({ id: r.id, attempts: 1 })),
        null,
      );
      markSampleFailed(store, page2[0].id, 'http-404: HTTP 404', 1, null);
      // A fetched row is never turned back into failed.
      markSampleFailed(store, page1[0].id, 'late failure', 1, null);
      expect(sampleCounts(store, ['k1'])).toEqual([
        { crawl: 'CC-MAIN-2024-30', pending: 17, fetched: 12, failed: 1, bytesPending: expect.any(Number) },
      ]);
      expect(rowsToFetch(store, ['k1'], { limit: 1000 })).toHaveLength(17);
      expect(rowsToFetch(store, ['k1'], { includeFailed: true, limit: 1000 })).toHaveLength(18);
      expect(sampleRows(store, 'k1')[0].last_error).toBeNull();

      // A bad line rolls the whole draw back.
      const bad = { ...lines[50], offset: -5 };
      expect(() =>
        saveSampleDraw(store, { crawl: 'X', sampleKey: 'k3', settings: {}, wanted: 2, indexRequests: null, runId: null }, [lines[60], bad]),
      ).toThrow(/bad offset/);
      expect(findSampleDraw(store, 'X', 'k3')).toBeUndefined();
      expect(sampleRows(store, 'k3')).toEqual([]);
    } finally {
      store.close();
    }
  });
});

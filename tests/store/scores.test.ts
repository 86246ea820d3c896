import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  applyMigrations,
  documentsMissingScore,
  getCalibration,
  openStore,
  saveCalibration,
  upsertScores,
  type Store,
  StoreWriter,
  totals,
} from '../../src/store/index.js';
import { useTempDir } from './helpers.js';
import { syntheticDocument, syntheticOffsets, syntheticRecord } from './fixtures/synthetic.js';

const tempPath = useTempDir();
const SOURCE = '/data/synthetic-scores.warc.gz';

function fill(store: Store, n: number): void {
  const w = new StoreWriter(store);
  syntheticOffsets(n).forEach((offset, i) => w.add(syntheticRecord(SOURCE, i, offset), syntheticDocument(i, 200)));
  w.flush();
}

describe('scores', () => {
  it('iterates documents missing a score in batches while scores are written in between', () => {
    const store = openStore(tempPath('scores.db'));
    fill(store, 23);
    upsertScores(store, [{ documentId: 5, detector: 'gpt-words', detectorVersion: '1', score: 0.5 }]);
    const seen: number[] = [];
    for (const doc of documentsMissingScore(store, 'gpt-words', '1', 4)) {
      expect(typeof doc.text).toBe('string');
      expect(doc.words).toBeGreaterThan(0);
      seen.push(doc.id);
      // Writing while iterating must work (each batch is read completely first).
      upsertScores(store, [{ documentId: doc.id, detector: 'gpt-words', detectorVersion: '1', score: doc.id % 2 ? null : 0.1 }]);
    }
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => i + 1).filter((id) => id !== 5));
    expect([...documentsMissingScore(store, 'gpt-words', '1')]).toEqual([]);
    // Another version of the same detector needs everything again.
    expect([...documentsMissingScore(store, 'gpt-words', '2', 5)]).toHaveLength(23);
    const unsupported = store.db.prepare(`SELECT count(*) AS n FROM scores WHERE score IS NULL`).get() as { n: number };
    expect(unsupported.n).toBe(11);
    store.close();
  });

  it('upsert replaces a score of the same detector version', () => {
    const store = openStore(tempPath('upsert.db'));
    fill(store, 2);
    upsertScores(store, [{ documentId: 1, detector: 'd', detectorVersion: 'v', score: 0.2, raw: -1.5, details: { tokens: 10 } }]);
    expect(upsertScores(store, [{ documentId: 1, detector: 'd', detectorVersion: 'v', score: 0.9, raw: 2 }])).toBe(1);
    const rows = store.db.prepare(`SELECT document_id, score, raw, details FROM scores`).all();
    expect(rows).toEqual([{ document_id: 1, score: 0.9, raw: 2, details: null }]);
    expect(() => upsertScores(store, [{ documentId: 2, detector: 'd', detectorVersion: 'v', score: Number.NaN }])).toThrow(
      /score must be a finite number or null/,
    );
    expect(() => upsertScores(store, [{ documentId: 999, detector: 'd', detectorVersion: 'v', score: 1 }])).toThrow(/FOREIGN KEY/);
    // The failed batches wrote nothing.
    expect(totals(store).scores).toBe(1);
    store.close();
  });

  it('deleting a document cascades to its scores', () => {
    const store = openStore(tempPath('cascade.db'));
    fill(store, 3);
    upsertScores(
      store,
      [1, 2, 3].map((id) => ({ documentId: id, detector: 'd', detectorVersion: 'v', score: 0.5 })),
    );
    store.db.prepare(`DELETE FROM records WHERE id = 2`).run();
    expect(totals(store)).toMatchObject({ records: 2, documents: 2, scores: 2 });
    store.close();
  });

  it('saves and reads calibrations, replacing the same detector version', () => {
    const store = openStore(tempPath('calib.db'));
    expect(getCalibration(store, 'd', '1')).toBeNull();
    const cal = {
      detector: 'd',
      detectorVersion: '1',
      threshold: 0.7,
      tpr: 0.81,
      tprLo: 0.75,
      tprHi: 0.86,
      fpr: 0.04,
      fprLo: 0.02,
      fprHi: 0.07,
      nPos: 400,
      nNeg: 600,
      dataset: 'labeled/synthetic-test-set',
      created: '2025-01-02T03:04:05.000Z',
    };
    saveCalibration(store, cal);
    expect(getCalibration(store, 'd', '1')).toEqual(cal);
    saveCalibration(store, { ...cal, threshold: 0.8, tprLo: null, created: undefined });
    const again = getCalibration(store, 'd', '1')!;
    expect(again.threshold).toBe(0.8);
    expect(again.tprLo).toBeNull();
    expect(again.created).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(() => saveCalibration(store, { ...cal, nPos: -1 })).toThrow(/nPos/);
    store.close();
  });

  it('scores table arrives with migration 2 on a database that has documents', () => {
    const path = tempPath('v1-docs.db');
    const db = new Database(path);
    applyMigrations(db, { target: 1 });
    db.close();
    // Version-1 writer path: records and documents only.
    const raw = new Database(path);
    raw.exec(`INSERT INTO sources (path, kind, created_at) VALUES ('${SOURCE}', 'file', 'now');
              INSERT INTO records (source_id, offset, length, offset_kind) VALUES (1, 0, 10, 'file');
              INSERT INTO documents (record_pk, text, lang, words) VALUES (1, 'synthetic text', 'eng', 2);`);
    raw.close();
    const store = openStore(path);
    expect([...documentsMissingScore(store, 'd', '1')]).toEqual([{ id: 1, text: 'synthetic text', lang: 'eng', words: 2 }]);
    store.close();
  });
});

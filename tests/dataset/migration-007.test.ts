/** Migration 7 (dataset ids, run sample rates) upgrades a store of the previous version keeping its rows. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, openStore, setRunSampleRate, storedSampleRates } from '../../src/store/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ccaudit-m007-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 007-datasets', () => {
  it('adds documents.input_id and runs.sample_rate to a version-6 store, keeping its rows', () => {
    const file = path.join(dir, 'v6.db');
    const db = new Database(file);
    applyMigrations(db, { target: 6 });
    db.exec(`INSERT INTO runs (command, args, started_at, status) VALUES ('scan', '[]', '2024-01-01T00:00:00Z', 'completed');
      INSERT INTO sources (path, kind, created_at) VALUES ('a.warc.gz', 'file', '2024-01-01T00:00:00Z');
      INSERT INTO records (source_id, offset, length, offset_kind, truncated) VALUES (1, 0, 10, 'file', 0);
      INSERT INTO documents (record_pk, text, lang, words) VALUES (1, 'old text', 'eng', 2);`);
    db.close();
    const store = openStore(file);
    try {
      expect(store.schemaVersion).toBeGreaterThanOrEqual(7);
      expect(store.db.prepare(`SELECT text, input_id FROM documents`).all()).toEqual([{ text: 'old text', input_id: null }]);
      setRunSampleRate(store, 1, 0.01);
      store.db.prepare(`UPDATE runs SET documents_added = 1`).run();
      expect(storedSampleRates(store)).toEqual([0.01]);
      expect(() => store.db.prepare(`UPDATE runs SET sample_rate = 2`).run()).toThrow(/CHECK constraint failed/);
    } finally {
      store.close();
    }
  });
});

/** Stored in-domain models (table `indomain_models`), keyed by the fingerprint of their training data. */
import type { Store } from './db.js';

export interface StoredModel {
  format: number;
  payload: Uint8Array;
}

/** The stored model with this fingerprint, or null (also on a store older than the table). */
export function loadInDomainModel(store: Store, fingerprint: string): StoredModel | null {
  const has = store.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'indomain_models'").get();
  if (!has) return null;
  const row = store.db.prepare('SELECT format, payload FROM indomain_models WHERE fingerprint = ?').get(fingerprint) as
    | { format: number; payload: Buffer }
    | undefined;
  return row ? { format: row.format, payload: new Uint8Array(row.payload.buffer, row.payload.byteOffset, row.payload.byteLength) } : null;
}

/** Stores a model (replacing one with the same fingerprint). */
export function saveInDomainModel(store: Store, fingerprint: string, m: StoredModel & { nHuman: number; nAi: number }): void {
  store.db
    .prepare('INSERT OR REPLACE INTO indomain_models (fingerprint, format, created_at, n_human, n_ai, payload) VALUES (?, ?, ?, ?, ?, ?)')
    .run(fingerprint, m.format, new Date().toISOString(), m.nHuman, m.nAi, Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength));
}

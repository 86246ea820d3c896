/**
 * A store's rows in a form two scans can be compared by: one line per record (source, offset,
 * offset kind, record id, document text hash, scores) and one per error row.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';

export interface StoreRows {
  records: string[];
  errors: string[];
}

export function storeRows(dbPath: string): StoreRows {
  const db = new Database(dbPath, { readonly: true });
  try {
    const scores = new Map<number, string[]>();
    for (const s of db
      .prepare(`SELECT document_id AS d, detector, detector_version AS v, score FROM scores ORDER BY detector, detector_version`)
      .all() as Array<{ d: number; detector: string; v: string; score: number | null }>) {
      const list = scores.get(s.d) ?? [];
      list.push(`${s.detector}@${s.v}=${s.score}`);
      scores.set(s.d, list);
    }
    const records = (
      db
        .prepare(
          `SELECT s.path, r.offset, r.offset_kind AS kind, r.length, r.record_id AS id, d.id AS doc, d.text
           FROM records r JOIN sources s ON s.id = r.source_id LEFT JOIN documents d ON d.record_pk = r.id
           ORDER BY s.path, r.offset`,
        )
        .all() as Array<{ path: string; offset: number; kind: string; length: number; id: string | null; doc: number | null; text: string | null }>
    ).map((r) => {
      const text = r.text === null ? '-' : createHash('sha256').update(r.text).digest('hex').slice(0, 16);
      const sc = r.doc === null ? '' : (scores.get(r.doc) ?? []).join(',');
      return `${r.path} ${r.kind}:${r.offset}+${r.length} ${r.id} ${text} ${sc}`;
    });
    const errors = (
      db
        .prepare(
          `SELECT s.path, e.offset, e.offset_kind AS kind, e.code FROM errors e JOIN sources s ON s.id = e.source_id
           ORDER BY s.path, e.offset, e.code`,
        )
        .all() as Array<{ path: string; offset: number | null; kind: string | null; code: string }>
    ).map((e) => `${e.path} ${e.kind}:${e.offset} ${e.code}`);
    return { records, errors };
  } finally {
    db.close();
  }
}

/**
 * Folding shard stores into one output store, driven by MERGE_RULES. Each shard is merged in
 * its own transaction: rows whose natural key the output lacks are inserted (new ids, id
 * columns translated), rows it has must agree (else the merge is refused) and may advance
 * (a sample row fetched elsewhere). Merging a shard again adds nothing, and a merge killed
 * midway leaves every shard either merged or not.
 */
import { resolve } from 'node:path';
import type { Store } from './db.js';
import { openStore } from './db.js';
import { StoreError } from './errors.js';
import { MERGE_RULES, type MergeRule } from './merge-rules.js';

const SHARD = 'merge_shard';
const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const mapTable = (table: string) => `temp.${q(`merge_map_${table}`)}`;

interface Column {
  name: string;
  type: string;
}

function columns(store: Store, schema: string, table: string): Column[] {
  return store.db.prepare(`SELECT name, type FROM ${q(schema)}.pragma_table_info(?)`).all(table) as Column[];
}

/** Tables of a store's schema (not SQLite's own). */
export function storeTables(store: Store, schema = 'main'): string[] {
  const rows = store.db
    .prepare(`SELECT name FROM ${q(schema)}.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all() as Array<{ name: string }>;
  return rows.map((r) => r.name);
}

/** Tables of the store that no merge rule covers (a schema change without a rule). */
export function tablesWithoutMergeRule(store: Store, schema = 'main'): string[] {
  const covered = new Set(MERGE_RULES.map((r) => r.table));
  return storeTables(store, schema).filter((t) => !covered.has(t));
}

/** detector → its versions among a store's document and reference scores. */
export function scoredDetectorVersions(store: Store, schema = 'main'): Map<string, string[]> {
  const rows = store.db
    .prepare(
      `SELECT detector, detector_version AS version FROM ${q(schema)}.scores
       UNION SELECT detector, detector_version FROM ${q(schema)}.reference_scores ORDER BY 1, 2`,
    )
    .all() as Array<{ detector: string; version: string }>;
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.detector, [...(out.get(r.detector) ?? []), r.version]);
  return out;
}

export interface MergeTableCount {
  table: string;
  /** Rows inserted into the output. */
  added: number;
  /** Output rows advanced (a sample row's state, a source's resume offset, a run's status). */
  advanced: number;
  /** Incoming rows the output already held. */
  present: number;
}

export interface ShardMergeResult {
  shard: string;
  tables: MergeTableCount[];
}

/**
 * The shard's incoming rows with id columns translated to the output's ids. `shard_id` is the
 * row's id in the shard (tables with ids).
 */
function incoming(rule: MergeRule, cols: readonly Column[]): string {
  const refs = rule.refs ?? {};
  const select = cols.map((c) => (refs[c.name] ? `${q(`r_${c.name}`)}.out_id AS ${q(c.name)}` : `s.${q(c.name)}`));
  if (rule.hasId) select.unshift('s.id AS shard_id');
  const joins = Object.entries(refs).map(
    ([col, table]) => `LEFT JOIN ${mapTable(table)} AS ${q(`r_${col}`)} ON ${q(`r_${col}`)}.shard_id = s.${q(col)}`,
  );
  return `SELECT ${select.join(', ')} FROM ${SHARD}.${q(rule.table)} AS s ${joins.join(' ')}`;
}

const keyMatch = (rule: MergeRule) => rule.key.map((k) => `m.${q(k)} IS s.${q(k)}`).join(' AND ');

function differs(c: Column): string {
  const m = `m.${q(c.name)}`;
  const s = `s.${q(c.name)}`;
  if (/REAL/i.test(c.type)) return `NOT (${m} IS ${s} OR abs(${m} - ${s}) <= 1e-9 * max(1, abs(${m})))`;
  return `${m} IS NOT ${s}`;
}

function shown(value: unknown): string {
  const text = value === null ? 'NULL' : typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** Throws StoreError('merge-conflict') for the first incoming row that disagrees with the output. */
function checkConflicts(store: Store, rule: MergeRule, cols: readonly Column[], shardName: string, outName: string): void {
  const byName = new Map(cols.map((c) => [c.name, c]));
  const same = (rule.same ?? []).filter((c) => byName.has(c));
  if (same.length === 0) return;
  const keySel = rule.key.map((k) => `s.${q(k)} AS ${q(`k_${k}`)}`);
  const valSel = same.flatMap((c) => [`m.${q(c)} AS ${q(`m_${c}`)}`, `s.${q(c)} AS ${q(`s_${c}`)}`]);
  const where = same.map((c) => differs(byName.get(c)!)).join(' OR ');
  const row = store.db
    .prepare(
      `SELECT ${[...keySel, ...valSel].join(', ')} FROM (${incoming(rule, cols)}) AS s JOIN main.${q(rule.table)} AS m ON ${keyMatch(rule)} WHERE ${where} LIMIT 1`,
    )
    .get() as Record<string, unknown> | undefined;
  if (!row) return;
  const col = same.find((c) => {
    const a = row[`m_${c}`];
    const b = row[`s_${c}`];
    return !(a === b || (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a))));
  })!;
  const key = rule.key.map((k) => `${k} ${shown(row[`k_${k}`])}`).join(', ');
  throw new StoreError(
    'merge-conflict',
    `merge refused: ${shardName} conflicts with ${outName} in ${rule.table} (${key}): ${col} is ${shown(row[`s_${col}`])} there but ${shown(row[`m_${col}`])} here`,
  );
}

function mergeTable(store: Store, rule: MergeRule, shardName: string, outName: string): MergeTableCount {
  const outCols = columns(store, 'main', rule.table);
  const shardCols = new Set(columns(store, SHARD, rule.table).map((c) => c.name));
  const cols = outCols.filter((c) => shardCols.has(c.name) && !(rule.hasId && c.name === 'id'));
  checkConflicts(store, rule, cols, shardName, outName);
  const table = `main.${q(rule.table)}`;
  const names = cols.map((c) => q(c.name)).join(', ');
  const src = incoming(rule, cols);
  const total = (store.db.prepare(`SELECT count(*) AS n FROM ${SHARD}.${q(rule.table)}`).get() as { n: number }).n;
  let advanced = 0;
  if (rule.advance) {
    advanced = store.db
      .prepare(`UPDATE ${table} AS m SET ${rule.advance.set} FROM (${src}) AS s WHERE ${keyMatch(rule)} AND (${rule.advance.when})`)
      .run().changes;
  }
  // Shard order is kept, so shards merged in shard order number their rows as one process would.
  const order = rule.hasId ? 'ORDER BY s.shard_id' : '';
  const added = store.db
    .prepare(
      `INSERT INTO ${table} (${names}) SELECT ${names} FROM (${src}) AS s WHERE NOT EXISTS (SELECT 1 FROM ${table} AS m WHERE ${keyMatch(rule)}) ${order}`,
    )
    .run().changes;
  if (rule.hasId) {
    store.db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${q(`merge_map_${rule.table}`)} (shard_id INTEGER PRIMARY KEY, out_id INTEGER NOT NULL)`);
    store.db
      .prepare(
        `INSERT INTO ${mapTable(rule.table)} (shard_id, out_id) SELECT s.shard_id, m.id FROM (${src}) AS s JOIN ${table} AS m ON ${keyMatch(rule)}`,
      )
      .run();
  }
  return { table: rule.table, added, advanced, present: total - added };
}

/** The row counters of the merged sources, recounted from their rows. */
function recountSources(store: Store): void {
  store.db.exec(
    `UPDATE main.sources SET
       records = (SELECT count(*) FROM main.records r WHERE r.source_id = sources.id),
       documents = (SELECT count(*) FROM main.records r JOIN main.documents d ON d.record_pk = r.id WHERE r.source_id = sources.id),
       errors = (SELECT count(*) FROM main.errors e WHERE e.source_id = sources.id)
     WHERE id IN (SELECT out_id FROM ${mapTable('sources')})`,
  );
}

/**
 * Checks shards before anything is merged: each opens read-only at the output's schema version
 * (older and newer stores are refused by openStore), every table has a merge rule, and every
 * detector scored in two stores was scored with the same versions. Throws StoreError.
 */
export function checkMergeable(out: Store, shardPaths: readonly string[]): void {
  const missing = tablesWithoutMergeRule(out);
  if (missing.length > 0) throw new StoreError('merge-no-rule', `merge: no merge rule for table(s) ${missing.join(', ')} (add one to MERGE_RULES)`);
  const outPath = resolve(out.path);
  const versions = new Map<string, { versions: string[]; where: string }>();
  const note = (store: Store, where: string) => {
    for (const [detector, vs] of scoredDetectorVersions(store)) {
      const seen = versions.get(detector);
      if (!seen) versions.set(detector, { versions: vs, where });
      else if (seen.versions.join('\0') !== vs.join('\0')) {
        throw new StoreError(
          'merge-conflict',
          `merge refused: ${where} scored ${detector} with version ${vs.join(', ')} but ${seen.where} with ${seen.versions.join(', ')}; ` +
            `score every shard with the same ccaudit and detectors (ccaudit score --db SHARD)`,
        );
      }
    }
  };
  note(out, out.path);
  const seenPaths = new Set<string>();
  for (const path of shardPaths) {
    const abs = resolve(path);
    if (abs === outPath) throw new StoreError('bad-input', `merge: ${path} is the output store itself`);
    if (seenPaths.has(abs)) throw new StoreError('bad-input', `merge: ${path} is named twice`);
    seenPaths.add(abs);
    const shard = openStore(path, { readonly: true });
    try {
      if (shard.schemaVersion !== out.schemaVersion) {
        throw new StoreError('schema-mismatch', `merge: ${path} has schema version ${shard.schemaVersion}, ${out.path} has ${out.schemaVersion}`);
      }
      const extra = tablesWithoutMergeRule(shard);
      if (extra.length > 0) throw new StoreError('merge-no-rule', `merge: ${path} has table(s) without a merge rule: ${extra.join(', ')}`);
      note(shard, path);
    } finally {
      shard.close();
    }
  }
}

/** Merges one shard store into `out` in one transaction. Call checkMergeable first. */
export function mergeShard(out: Store, shardPath: string): ShardMergeResult {
  out.db.prepare(`ATTACH DATABASE ? AS ${SHARD}`).run(shardPath);
  try {
    const tables = out.db
      .transaction(() => {
        for (const rule of MERGE_RULES) if (rule.hasId) out.db.exec(`DROP TABLE IF EXISTS ${mapTable(rule.table)}`);
        const counts = MERGE_RULES.map((rule) => mergeTable(out, rule, shardPath, out.path));
        recountSources(out);
        return counts;
      })
      .immediate();
    return { shard: shardPath, tables };
  } finally {
    for (const rule of MERGE_RULES) if (rule.hasId) out.db.exec(`DROP TABLE IF EXISTS ${mapTable(rule.table)}`);
    out.db.exec(`DETACH DATABASE ${SHARD}`);
  }
}

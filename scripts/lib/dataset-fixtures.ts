/**
 * Dataset shards built from REAL text for tests and benchmarks: documents of the shared
 * labeled corpora (human and AI texts, ../shared/corpora/labeled) written in each layout a
 * curator holds — FineWeb Parquet, Dolma JSONL.gz, C4 JSONL, plain JSONL.zst. The texts are
 * real; ids, URLs and dates are assigned here (three months, 2024-01..2024-03) and the files
 * are named `real-text-*` so nobody mistakes them for published shards.
 *
 * The Parquet file is written by DuckDB (a foreign writer: another implementation than the
 * reader under test), with one row group per 100 rows. DuckDB cuts row groups only at its data
 * chunk boundaries, so the rows are fed as a UNION ALL of one SELECT per row group. pyarrow
 * would be the more common writer but cannot be installed here (no pip access).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadLabeled } from '../../src/detect/labeled.js';
import { sharedLabeledFiles } from '../../src/detect/dataset.js';
import type { LabeledRecord } from '../../src/detect/types.js';

export interface FixtureDoc {
  id: string;
  text: string;
  label: 'human' | 'ai';
  url: string;
  /** ISO date-time in one of FIXTURE_MONTHS. */
  date: string;
  /** The Common Crawl crawl whose week holds `date`. */
  dump: string;
}

export const FIXTURE_MONTHS = ['2024-01', '2024-02', '2024-03'] as const;
/** A crawl id per fixture month (CC-MAIN-YYYY-WW, the ISO week of the 10th). */
const DUMPS = ['CC-MAIN-2024-02', 'CC-MAIN-2024-06', 'CC-MAIN-2024-10'];

/**
 * `n` distinct real texts (≥ 200 characters), taken in file order from the labeled corpora,
 * alternating human and AI; month i % 3, so every month gets a third.
 */
export async function realTextDocs(n: number, offset = 0): Promise<FixtureDoc[]> {
  const records = await loadLabeled(sharedLabeledFiles());
  const seen = new Set<string>();
  const human: LabeledRecord[] = [];
  const ai: LabeledRecord[] = [];
  for (const r of records) {
    if (r.text.length < 200 || seen.has(r.text)) continue;
    seen.add(r.text);
    (r.label === 'human' ? human : ai).push(r);
  }
  const out: FixtureDoc[] = [];
  for (let i = offset; out.length < n; i++) {
    const r = (i % 2 === 0 ? human : ai)[Math.floor(i / 2)];
    if (!r) throw new Error(`the labeled corpora hold fewer than ${n + offset} distinct texts of each label`);
    const m = i % 3;
    const day = String(1 + (Math.floor(i / 3) % 28)).padStart(2, '0');
    out.push({
      id: `real-text-${r.id}`,
      text: r.text,
      label: r.label,
      url: `https://${r.domain || r.source || 'example'}.example.org/doc/${encodeURIComponent(r.id)}`,
      date: `${FIXTURE_MONTHS[m]}-${day}T12:00:00Z`,
      dump: DUMPS[m]!,
    });
  }
  return out;
}

/** FineWeb's columns, written by DuckDB with `rowGroups` row groups of equal size. */
export async function writeFinewebParquet(path: string, docs: readonly FixtureDoc[], rowGroups: number, scratch: string): Promise<void> {
  const rowsJson = join(scratch, 'fineweb-rows.jsonl');
  writeFileSync(
    rowsJson,
    docs
      .map((d, i) =>
        JSON.stringify({
          text: d.text,
          id: `<urn:uuid:${d.id}>`,
          dump: d.dump,
          url: d.url,
          date: d.date,
          file_path: `s3://commoncrawl/crawl-data/${d.dump}/segments/real-text-fixture/warc/real-text-${i}.warc.gz`,
          language: 'en',
          language_score: 0.9,
          token_count: d.text.split(/\s+/).length,
          g: Math.floor((i * rowGroups) / docs.length),
        }),
      )
      .join('\n'),
  );
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  try {
    const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
    await con.run(`SET threads = 1`);
    await con.run(
      `CREATE TABLE t AS SELECT * FROM read_json(${q(rowsJson)}, format = 'newline_delimited', columns = {text: 'VARCHAR', id: 'VARCHAR', dump: 'VARCHAR', url: 'VARCHAR', date: 'VARCHAR', file_path: 'VARCHAR', language: 'VARCHAR', language_score: 'DOUBLE', token_count: 'BIGINT', g: 'INTEGER'})`,
    );
    const cols = 'text, id, dump, url, date, file_path, language, language_score, token_count';
    const union = Array.from({ length: rowGroups }, (_, g) => `SELECT ${cols} FROM t WHERE g = ${g}`).join(' UNION ALL ');
    const perGroup = Math.ceil(docs.length / rowGroups);
    await con.run(`COPY (${union}) TO ${q(path)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${perGroup})`);
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

/** Dolma's documents layout, gzip JSON Lines. */
export function writeDolmaJsonlGz(path: string, docs: readonly FixtureDoc[]): void {
  const lines = docs.map((d) =>
    JSON.stringify({
      id: d.id,
      text: d.text,
      source: 'real-text-fixture',
      added: '2024-06-01T00:00:00.000Z',
      created: d.date,
      metadata: { url: d.url, length: d.text.length },
    }),
  );
  writeFileSync(path, gzipSync(`${lines.join('\n')}\n`));
}

/** C4's layout (no ids), plain JSON Lines. */
export function writeC4Jsonl(path: string, docs: readonly FixtureDoc[]): void {
  writeFileSync(path, `${docs.map((d) => JSON.stringify({ text: d.text, timestamp: d.date, url: d.url })).join('\n')}\n`);
}

/** The plain `{id, text, url, date}` layout, zstd JSON Lines written by DuckDB (Node 20 has no zstd compressor). */
export async function writePlainJsonlZst(path: string, docs: readonly FixtureDoc[], scratch: string): Promise<void> {
  const plain = join(scratch, 'plain-rows.jsonl');
  writeFileSync(plain, `${docs.map((d) => JSON.stringify({ id: d.id, text: d.text, url: d.url, date: d.date })).join('\n')}\n`);
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  try {
    const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
    await con.run(`SET threads = 1`);
    await con.run(
      `COPY (SELECT * FROM read_json(${q(plain)}, format = 'newline_delimited', columns = {id: 'VARCHAR', text: 'VARCHAR', url: 'VARCHAR', date: 'VARCHAR'})) TO ${q(path)} (FORMAT json, COMPRESSION zstd)`,
    );
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

/**
 * Bounded memory when reading dataset shards: builds a FineWeb-layout Parquet shard (DuckDB,
 * 5,000-row groups) and a Dolma-layout JSONL.gz shard of `ROWS` rows of REAL text (the shared
 * labeled corpora, each row made unique by its row number) and reads every row through the
 * scan's reader, printing rows/s and the peak RSS over the start. Reading alone: no language
 * identification, scoring or store.
 *
 * Usage: node --expose-gc --import tsx bench/dataset-memory.ts [ROWS=100000]
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { realTextDocs, writeDolmaJsonlGz, writeFinewebParquet } from '../scripts/lib/dataset-fixtures.js';
import { datasetItems, datasetUnit } from '../src/sources/dataset/index.js';

const rows = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'ccaudit-dataset-memory-'));
try {
  mkdirSync(join(dir, 'scratch'));
  const base = await realTextDocs(2000);
  let docs = Array.from({ length: rows }, (_, i) => {
    const d = base[i % base.length]!;
    return { ...d, id: `${d.id}-${i}`, text: `${i} ${d.text}` };
  });
  const textMb = docs.reduce((s, d) => s + Buffer.byteLength(d.text), 0) / 1e6;
  await writeFinewebParquet(join(dir, 'real-text.parquet'), docs, Math.ceil(rows / 5000), join(dir, 'scratch'));
  writeDolmaJsonlGz(join(dir, 'real-text.jsonl.gz'), docs);
  docs = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  for (const [file, format, compression] of [
    ['real-text.parquet', 'parquet', 'none'],
    ['real-text.jsonl.gz', 'jsonl', 'gzip'],
  ] as const) {
    gc?.();
    const start = process.memoryUsage().rss;
    let peak = start;
    let n = 0;
    const t0 = performance.now();
    for await (const { item } of datasetItems(datasetUnit(join(dir, file), format, compression), 0)) {
      if (item && ++n % 1000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `${file.padEnd(20)} ${(statSync(join(dir, file)).size / 1e6).toFixed(0)} MB file, ${textMb.toFixed(0)} MB of text, ${n} rows, ` +
        `${(n / seconds).toFixed(0)} rows/s, RSS ${(start / 1e6).toFixed(0)} → peak ${(peak / 1e6).toFixed(0)} MB`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

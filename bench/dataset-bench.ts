/**
 * `npm run bench:datasets`: dataset-shard ingestion next to WARC scanning, each through the
 * whole `scan` pipeline with scoring (one core, inline, the same detectors), in rows/s.
 *
 *   parquet     a FineWeb-layout Parquet shard (written by DuckDB, zstd, 1,000-row groups)
 *   jsonl.gz    a Dolma-layout JSONL.gz shard
 *   warc        the real WARC files every bench reads (HTML extraction included)
 *
 * The shards hold REAL texts of the shared labeled corpora (scripts/lib/dataset-fixtures.ts),
 * repeated under fresh ids to reach `--rows`. Timings on a shared machine are noisy: compare the
 * ratios within one run. Flags: --rows N (default 3000), --detector NAME (repeatable; default
 * every built-in), --no-score (ingestion alone).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { realTextDocs, writeDolmaJsonlGz, writeFinewebParquet, type FixtureDoc } from '../scripts/lib/dataset-fixtures.js';
import { scan } from '../src/pipeline/scan.js';
import { SOURCE_FILES, WARC_DIR } from './sources.js';

function flags(argv: string[]): { rows: number; detectors: string[] | null } {
  let rows = 3000;
  const detectors: string[] = [];
  let score = true;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rows') rows = Number(argv[++i]);
    else if (argv[i] === '--detector') detectors.push(argv[++i]!);
    else if (argv[i] === '--no-score') score = false;
    else throw new Error(`unknown flag ${argv[i]}`);
  }
  if (!Number.isInteger(rows) || rows <= 0) throw new Error('--rows needs a positive integer');
  return { rows, detectors: score ? detectors : null };
}

async function main(): Promise<void> {
  const o = flags(process.argv.slice(2));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ccaudit-dataset-bench-'));
  try {
    const distinct = await realTextDocs(Math.min(o.rows, 2000));
    const docs: FixtureDoc[] = Array.from({ length: o.rows }, (_, i) => {
      const d = distinct[i % distinct.length]!;
      return { ...d, id: `${d.id}-${i}` };
    });
    const parquet = path.join(dir, 'real-text-fineweb.parquet');
    const jsonl = path.join(dir, 'real-text-dolma.jsonl.gz');
    mkdirSync(path.join(dir, 'scratch'));
    await writeFinewebParquet(parquet, docs, Math.ceil(o.rows / 1000), path.join(dir, 'scratch'));
    writeDolmaJsonlGz(jsonl, docs);
    const warcs = SOURCE_FILES.map((f) => path.join(WARC_DIR, f));
    const inputs: Array<[string, string[]]> = [
      ['parquet', [parquet]],
      ['jsonl.gz', [jsonl]],
      ['warc', warcs],
    ];
    console.log(
      `scan with ${o.detectors === null ? 'no scoring' : o.detectors.length === 0 ? 'every built-in detector' : o.detectors.join(', ')}, one core (inline):`,
    );
    for (const [name, paths] of inputs) {
      const t0 = performance.now();
      const s = await scan({ db: path.join(dir, `${name}.db`), paths, threads: 0, detectors: o.detectors });
      const seconds = (performance.now() - t0) / 1000;
      console.log(
        `  ${name.padEnd(9)} ${String(s.recordsRead).padStart(6)} rows/records  ${String(s.htmlDocuments).padStart(6)} documents  ` +
          `${(s.recordsRead / seconds).toFixed(0).padStart(6)} rows/s  ${(s.htmlDocuments / seconds).toFixed(0).padStart(6)} docs/s  ` +
          `(read ${s.stageSeconds.read}s, extract+score ${s.stageSeconds.extract}s, store ${s.stageSeconds.store}s)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

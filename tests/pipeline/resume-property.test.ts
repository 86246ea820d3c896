/**
 * Resume property: however a scan is interrupted, resuming until it completes stores exactly
 * what one uninterrupted scan stores — record for record (source, offset, record id, document
 * text hash, scores) and error for error — in every layout the reader supports. Inputs are
 * real files from shared/corpora/warc (per-record gzip, uncompressed, WET) and SYNTHETIC
 * re-packings of their real records (several records per gzip member, whole-file gzip;
 * tests/warc/layouts.ts). A "crash" throws out of the scan after a seeded number of reads —
 * a WorkerPoolError, the one failure the ingestion loop never turns into an error row — so
 * only batches already committed survive, as with a kill.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { scan } from '../../src/pipeline/index.js';
import { WorkerPoolError } from '../../src/pipeline/stage-pool.js';
import { storeRows, type StoreRows } from '../warc/db-rows.js';
import { corpusPath } from '../warc/corpus.js';
import { buildLayout, rawRecords } from '../warc/layouts.js';

const DETECTORS = ['gpt-words', 'compression'];
const BATCH = 9;
let dir: string;
let files: string[];
let expected: StoreRows;

class Crash extends WorkerPoolError {}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ccaudit-resume-prop-'));
  const put = (name: string, bytes: Buffer) => {
    const p = path.join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  const copy = (rel: string, name: string) => {
    const p = path.join(dir, name);
    copyFileSync(corpusPath(rel), p);
    return p;
  };
  const cc = await rawRecords('cc/resiliparse/warcfile.warc');
  const wet = await rawRecords('cc/whirlwind/whirlwind.warc.wet.gz');
  files = [
    copy('cc/resiliparse/warcfile.warc.gz', 'real-per-record.warc.gz'), // real: one member per record
    copy('cc/resiliparse/warcfile.warc', 'real-plain.warc'), // real: uncompressed
    copy('cc/whirlwind/whirlwind.warc.wet.gz', 'real.warc.wet.gz'), // real WET (conversion records)
    put('synthetic-pairs.warc.gz', buildLayout(cc, 'pairs', 2)),
    put('synthetic-multi.warc.gz', buildLayout(cc, 'multi', 2)),
    put('synthetic-whole-file.warc.gz', buildLayout(cc, 'whole-file', 2)),
    put('synthetic-multi.warc.wet.gz', buildLayout(wet, 'multi', 10)),
  ];
  const db = path.join(dir, 'uninterrupted.db');
  const s = await scan({ db, paths: files, threads: 0, detectors: DETECTORS, batchSize: BATCH });
  expect(s.status).toBe('completed');
  expected = storeRows(db);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('interrupted and resumed scans store what one scan stores', () => {
  it.each([1, 2, 3, 4])(
    'seed %i',
    async (seed) => {
      expect(expected.records.length).toBeGreaterThan(400);
      expect(expected.records.some((r) => /=0\.\d/.test(r))).toBe(true);
      const rng = new Rng(seed);
      const db = path.join(dir, `resumed-${seed}.db`);
      let crashes = 0;
      for (let attempt = 0; attempt < 40; attempt++) {
        // Reads before the crash: small enough to land inside members, large enough to make progress.
        const budget = 5 + rng.int(120);
        let reads = 0;
        try {
          const s = await scan({
            db,
            paths: files,
            threads: 0,
            detectors: DETECTORS,
            batchSize: BATCH,
            shouldStop: () => {
              if (++reads > budget) throw new Crash('simulated crash');
              return false;
            },
          });
          expect(s.status).toBe('completed');
          break;
        } catch (err) {
          if (!(err instanceof Crash)) throw err;
          crashes++;
        }
      }
      expect(crashes).toBeGreaterThan(2);
      const got = storeRows(db);
      expect(got.records).toEqual(expected.records);
      expect(got.errors).toEqual(expected.errors);
    },
    60_000,
  );
});

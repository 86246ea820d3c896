/**
 * Fuzz: seeded mutations of real WARC files (truncation, gzip byte flips, WARC header byte
 * flips, Content-Length 0 or huge, duplicated records) through the reader and through `scan`.
 * Nothing may crash or hang; every item has a file offset; a file that lost records says so
 * with at least one error row; the store holds exactly the records and errors the reader
 * reported. Bases are real files from shared/corpora/warc and SYNTHETIC re-packings of real
 * records (tests/warc/layouts.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReadError, type WarcItem } from '../../src/core/types.js';
import { Rng } from '../../src/core/rng.js';
import { scan } from '../../src/pipeline/index.js';
import { readWarcFile } from '../../src/sources/warc/index.js';
import { corpusPath } from './corpus.js';
import { storeRows } from './db-rows.js';
import { buildLayout, type Layout, rawRecords } from './layouts.js';

const SEEDS_PER_KIND = 10;
/** Per-case bound on reading one mutated file (they are at most ~100 KB). */
const CASE_MS = 5000;

interface Base {
  name: string;
  records: Buffer[];
  layout: Layout;
  /** The real file itself, when the base is not a re-packing. */
  real?: string;
}

type Mutation = 'truncate' | 'gzip-flip' | 'header-flip' | 'length-zero' | 'length-huge' | 'duplicate';
const MUTATIONS: Mutation[] = ['truncate', 'gzip-flip', 'header-flip', 'length-zero', 'length-huge', 'duplicate'];

interface Case {
  file: string;
  label: string;
  /** Records in the unmutated input (a lower bound on what a record-preserving mutation keeps). */
  original: number;
  items: WarcItem[];
}

let dir: string;
const cases: Case[] = [];

/** Start offsets of the WARC header lines of a record. */
function headerSpan(rec: Buffer): number {
  const end = rec.indexOf('\r\n\r\n');
  return end < 0 ? rec.length : end;
}

function mutate(base: Base, kind: Mutation, rng: Rng): Buffer {
  const recs = base.records.map((r) => Buffer.from(r));
  const pick = rng.int(recs.length);
  const pack = (rs: Buffer[]) => buildLayout(rs, base.layout);
  const whole = base.real ? readFileSync(base.real) : pack(recs);
  switch (kind) {
    case 'truncate':
      return whole.subarray(0, rng.int(whole.length));
    case 'gzip-flip':
    case 'header-flip': {
      if (kind === 'gzip-flip' && base.layout !== 'plain') {
        const out = Buffer.from(whole);
        for (let k = 0, n = 1 + rng.int(3); k < n; k++) out[rng.int(out.length)] ^= 1 << rng.int(8);
        return out;
      }
      const r = recs[pick];
      r[rng.int(headerSpan(r))] ^= 1 << rng.int(8);
      return pack(recs);
    }
    case 'length-zero':
    case 'length-huge': {
      const r = recs[pick];
      const text = r.toString('latin1');
      const m = /\r\nContent-Length:[ \t]*(\d+)/i.exec(text);
      if (!m) return pack(recs);
      const value = kind === 'length-zero' ? '0' : '99999999999';
      const at = m.index + m[0].length - m[1].length;
      recs[pick] = Buffer.concat([r.subarray(0, at), Buffer.from(value), r.subarray(at + m[1].length)]);
      return pack(recs);
    }
    case 'duplicate':
      recs.splice(pick, 0, recs[pick]);
      return pack(recs);
  }
}

async function readBounded(file: string): Promise<WarcItem[]> {
  const items: WarcItem[] = [];
  let timer: NodeJS.Timeout | undefined;
  const read = (async () => {
    for await (const it of readWarcFile(file)) items.push(it);
    return items;
  })();
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`reading ${file} took over ${CASE_MS} ms`)), CASE_MS);
  });
  try {
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ccaudit-fuzz-'));
  const cc = (await rawRecords('cc/resiliparse/warcfile.warc')).slice(0, 10);
  const bases: Base[] = [
    {
      name: 'real-per-record',
      records: await rawRecords('cc/whirlwind/whirlwind.warc.gz'),
      layout: 'per-record',
      real: corpusPath('cc/whirlwind/whirlwind.warc.gz'),
    },
    {
      name: 'real-plain',
      records: await rawRecords('cc/whirlwind/whirlwind.warc'),
      layout: 'plain',
      real: corpusPath('cc/whirlwind/whirlwind.warc'),
    },
    {
      name: 'real-wet',
      records: await rawRecords('cc/whirlwind/whirlwind.warc.wet.gz'),
      layout: 'per-record',
      real: corpusPath('cc/whirlwind/whirlwind.warc.wet.gz'),
    },
    { name: 'synthetic-multi', records: cc, layout: 'multi' },
    { name: 'synthetic-whole-file', records: cc, layout: 'whole-file' },
  ];
  for (const base of bases) {
    for (const kind of MUTATIONS) {
      for (let seed = 1; seed <= SEEDS_PER_KIND; seed++) {
        const label = `${base.name}-${kind}-${seed}`;
        // Record-level mutations of a real gzip file re-pack its real records (synthetic framing).
        const b = kind === 'truncate' || (kind === 'gzip-flip' && base.layout !== 'plain') ? base : { ...base, real: undefined };
        const file = path.join(dir, `${label}.warc${base.layout === 'plain' ? '' : '.gz'}`);
        writeFileSync(file, mutate(b, kind, new Rng(seed * 7919 + MUTATIONS.indexOf(kind))));
        cases.push({ file, label, original: base.records.length, items: [] });
      }
    }
  }
}, 30_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fuzzed real WARC files', () => {
  it('read without crash or hang; items are addressed; lost records are reported', async () => {
    expect(cases.length).toBe(300);
    for (const c of cases) {
      c.items = await readBounded(c.file);
      const records = c.items.filter((it) => !isReadError(it));
      const errors = c.items.filter(isReadError);
      for (const it of c.items) {
        expect(Number.isSafeInteger(it.offset) && it.offset >= 0, c.label).toBe(true);
        expect(['file', 'member', 'uncompressed'], c.label).toContain(it.offsetKind);
      }
      // The store keys records by (source, offset): two records with one offset would lose one silently.
      expect(new Set(records.map((r) => r.offset)).size, `${c.label}: record offsets unique`).toBe(records.length);
      if (records.length < c.original) expect(errors.length, `${c.label}: lost records without an error`).toBeGreaterThan(0);
    }
    // The mutations do damage, and damaged files still give their readable records.
    const damaged = cases.filter((c) => c.items.some(isReadError));
    expect(damaged.length).toBeGreaterThan(cases.length / 3);
    expect(damaged.filter((c) => c.items.some((it) => !isReadError(it))).length).toBeGreaterThan(damaged.length / 2);
  }, 60_000);

  it('scan stores exactly what the reader reports, with file and offset', async () => {
    const db = path.join(dir, 'fuzz.db');
    const s = await scan({ db, paths: cases.map((c) => c.file), threads: 0, batchSize: 200 });
    expect(s.status).toBe('completed');
    expect(s.filesFailed).toBe(0);
    const rows = storeRows(db);
    for (const c of cases) {
      const mine = (line: string) => line.startsWith(`${c.file} `);
      const storedRecords = rows.records.filter(mine).map((l) => l.split(' ')[1].replace(/\+\d+$/, ''));
      // The store keeps 'member' offsets as 'file'.
      const stored = (kind: string) => (kind === 'member' ? 'file' : kind);
      const readRecords = c.items.filter((it) => !isReadError(it)).map((r) => `${stored(r.offsetKind)}:${r.offset}`);
      expect(storedRecords.sort(), c.label).toEqual(readRecords.sort());
      const storedErrors = new Set(rows.errors.filter(mine).map((l) => l.slice(c.file.length + 1)));
      for (const e of c.items.filter(isReadError)) expect(storedErrors, c.label).toContain(`${stored(e.offsetKind)}:${e.offset} ${e.code}`);
    }
  }, 60_000);
});

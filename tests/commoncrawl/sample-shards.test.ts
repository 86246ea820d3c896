/**
 * `sample --plan-only` then `sample --shard i/3` on three copies of the plan, merged: the same
 * sample rows (all fetched), records, documents and scores as one unsharded sample run, against
 * the loopback Common Crawl of tests/support/cc-server.ts (real WARC records; nothing leaves
 * 127.0.0.1).
 */
import { copyFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSample, type SampleRunOptions } from '../../src/pipeline/sample.js';
import { merge } from '../../src/pipeline/merge.js';
import { createStagePool } from '../../src/pipeline/stage-pool.js';
import { buildCcFixture, startCcServer, type CcServer } from '../support/cc-server.js';
import { queryRows } from '../support/sqlite.js';

let dir: string;
let srv: CcServer;
const db = (name: string) => path.join(dir, `${name}.db`);

function opts(over: Partial<SampleRunOptions>): SampleRunOptions {
  return {
    indexUrl: srv.url,
    dataUrl: srv.url,
    crawls: { ids: ['CC-MAIN-2008-18', 'CC-MAIN-2013-15'] },
    perCrawl: 10,
    seed: 'shards',
    linesPerBlock: 8,
    cacheDir: path.join(dir, 'cache'),
    db: db('unused'),
    concurrency: 2,
    timeoutMs: 15_000,
    retry: { baseDelayMs: 10, maxDelayMs: 100 },
    ...over,
  };
}

const CONTENT: Record<string, string> = {
  sample: `SELECT crawl, sample_key, draw_index, filename, offset, length, state FROM sample ORDER BY id`,
  records: `SELECT r.id, s.path, r.offset, r.length, r.record_id FROM records r JOIN sources s ON s.id = r.source_id ORDER BY r.id`,
  documents: `SELECT d.id, d.record_pk, d.url, d.text, d.lang FROM documents d ORDER BY d.id`,
  scores: `SELECT document_id, detector, detector_version, score FROM scores ORDER BY document_id, detector`,
  sources: `SELECT path, records, documents, errors FROM sources ORDER BY path`,
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccaudit-sample-shards-'));
  const fixture = await buildCcFixture(path.join(dir, 'fixture'), { linesPerBlock: 8, shards: 3 });
  srv = await startCcServer(fixture, { pageSize: 2 });
  const pool = createStagePool({ threads: 0, detectors: ['gpt-words'] });
  await runSample(opts({ db: db('single'), pool }));
  await runSample(opts({ db: db('plan'), planOnly: true }));
  for (let i = 0; i < 3; i++) {
    copyFileSync(db('plan'), db(`shard-${i}`));
    await runSample(opts({ db: db(`shard-${i}`), pool, shard: { index: i, count: 3 } }));
  }
  await merge({ db: db('merged'), shards: [0, 1, 2].map((i) => db(`shard-${i}`)) });
}, 300_000);

afterAll(async () => {
  await srv?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('sample --plan-only + --shard i/3 + merge', () => {
  it('the plan stores pending rows and fetches nothing', () => {
    const states = queryRows(db('plan'), `SELECT state, count(*) AS n FROM sample GROUP BY state`) as Array<{ state: string; n: number }>;
    expect(states.map((s) => s.state)).toEqual(['pending']);
    expect(queryRows(db('plan'), `SELECT count(*) AS n FROM records`)).toEqual([{ n: 0 }]);
  });

  it('each shard fetches a disjoint contiguous block of the plan', () => {
    const fetched = [0, 1, 2].map((i) =>
      (queryRows(db(`shard-${i}`), `SELECT id FROM sample WHERE state != 'pending' ORDER BY id`) as Array<{ id: number }>).map((r) => r.id),
    );
    const all = fetched.flat();
    const planned = (queryRows(db('plan'), `SELECT id FROM sample ORDER BY id`) as Array<{ id: number }>).map((r) => r.id);
    expect(all).toEqual(planned);
    for (const f of fetched) expect(f.length).toBeGreaterThan(0);
  });

  for (const [table, sql] of Object.entries(CONTENT)) {
    it(`the merged store holds the same ${table} as one unsharded run`, () => {
      const want = queryRows(db('single'), sql);
      expect(want.length).toBeGreaterThan(0);
      expect(queryRows(db('merged'), sql)).toEqual(want);
    });
  }
});

/**
 * Shards and merge over real WARC files from ../shared: `scan --shard i/3` three times plus
 * `merge` must hold what one scan of the same files holds (records by source and offset,
 * documents, scores, per-source counters), give the same report for a fixed seed, add
 * nothing when merged again, and refuse stores that disagree.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/pipeline/scan.js';
import { merge } from '../../src/pipeline/merge.js';
import { score } from '../../src/pipeline/score.js';
import { buildReport } from '../../src/estimate/index.js';
import { renderReport } from '../../src/report/render.js';
import { openStore } from '../../src/store/index.js';
import { expandWarcPaths } from '../../src/sources/local/expand-paths.js';
import { shardUnits } from '../../src/pipeline/shard-units.js';
import { warcFileUnit } from '../../src/sources/local/warc-files.js';
import { runCli, WARC_DIR } from '../support/run-cli.js';
import { queryRows } from '../support/sqlite.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ccaudit-shards-'));
// Common Crawl and recent crawler output, plus two edge-case sets that hold corrupt records (error rows).
const INPUT = ['cc', 'recent', 'edge-cases/warcio', 'edge-cases/resiliparse'].map((d) => path.join(WARC_DIR, d));
const DETECTORS = ['gpt-words', 'classifier', 'compression'];
const single = path.join(tmp, 'single.db');
const shardDb = (i: number) => path.join(tmp, `shard-${i}.db`);
const merged = path.join(tmp, 'merged.db');

/** Everything a report reads, keyed by source path and offset rather than row ids. */
const CONTENT: Record<string, string> = {
  records: `SELECT s.path, r.offset, r.length, r.offset_kind, r.warc_type, r.target_uri, r.warc_date, r.record_id, r.http_status, r.content_type,
                   r.payload_length, r.truncated, r.notes
            FROM records r JOIN sources s ON s.id = r.source_id ORDER BY s.path, r.offset`,
  documents: `SELECT s.path, r.offset, d.url, d.host, d.title, d.text, d.date, d.date_source, d.lang, d.words, d.charset, d.pub_month, d.crawl_month, d.payload_digest
              FROM documents d JOIN records r ON r.id = d.record_pk JOIN sources s ON s.id = r.source_id ORDER BY s.path, r.offset`,
  scores: `SELECT s.path, r.offset, sc.detector, sc.detector_version, sc.score, sc.raw, sc.details
           FROM scores sc JOIN documents d ON d.id = sc.document_id JOIN records r ON r.id = d.record_pk JOIN sources s ON s.id = r.source_id
           ORDER BY s.path, r.offset, sc.detector`,
  errors: `SELECT s.path, e.offset, e.code, e.message FROM errors e JOIN sources s ON s.id = e.source_id ORDER BY s.path, e.offset, e.code`,
  sources: `SELECT path, kind, size, mtime_ms, resume_offset, completed_at IS NOT NULL AS done, records, documents, errors FROM sources ORDER BY path`,
};

async function reportJson(db: string): Promise<string> {
  const store = openStore(db, { readonly: true });
  try {
    // The bootstrap's default seed is fixed.
    const report = await buildReport(store, { by: 'month', minDocs: 3, replicates: 100 });
    return (await renderReport(report, 'json')).replaceAll(db, 'DB').replace(/"generatedAt": "[^"]*"/, '"generatedAt": ""');
  } finally {
    store.close();
  }
}

describe('scan --shard i/3 × 3 + merge equals one scan', () => {
  beforeAll(async () => {
    await scan({ db: single, paths: INPUT, threads: 0, detectors: DETECTORS });
    // Named in another order on purpose: shards depend on the files, not on the command line.
    for (let i = 0; i < 3; i++)
      await scan({ db: shardDb(i), paths: [...INPUT].reverse(), threads: 0, detectors: DETECTORS, shard: { index: i, count: 3 } });
    await merge({ db: merged, shards: [0, 1, 2].map(shardDb) });
  }, 600_000);

  it('splits the files into three disjoint, non-empty blocks covering all of them', () => {
    const perShard = [0, 1, 2].map((i) => queryRows(shardDb(i), 'SELECT path FROM sources ORDER BY path').map((r) => (r as { path: string }).path));
    const all = perShard.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe((queryRows(single, 'SELECT count(*) AS n FROM sources')[0] as { n: number }).n);
    for (const files of perShard) expect(files.length).toBeGreaterThan(0);
  });

  for (const [table, sql] of Object.entries(CONTENT)) {
    it(`holds the same ${table} as the single scan`, () => {
      const want = queryRows(single, sql);
      expect(want.length).toBeGreaterThan(0);
      expect(queryRows(merged, sql)).toEqual(want);
    });
  }

  it('numbers records and documents as one process would (shards merged in shard order)', () => {
    const ids =
      'SELECT r.id, s.path, r.offset, d.id AS doc FROM records r JOIN sources s ON s.id = r.source_id LEFT JOIN documents d ON d.record_pk = r.id ORDER BY r.id';
    expect(queryRows(merged, ids)).toEqual(queryRows(single, ids));
  });

  it('gives the same report (same counts and estimates for a fixed seed)', async () => {
    const want = await reportJson(single);
    expect(want).toContain('"groups"');
    expect(await reportJson(merged)).toBe(want);
  });

  it('adds nothing when the shards are merged again', async () => {
    const before = Object.fromEntries(Object.entries(CONTENT).map(([t, sql]) => [t, queryRows(merged, sql)]));
    const again = await merge({ db: merged, shards: [0, 1, 2].map(shardDb) });
    for (const [table, n] of Object.entries(again.added)) expect(n, table).toBe(0);
    for (const [table, sql] of Object.entries(CONTENT)) expect(queryRows(merged, sql), table).toEqual(before[table]);
    // Only the two merge runs themselves, plus the three shards' scan runs.
    expect(queryRows(merged, `SELECT command, count(*) AS n FROM runs GROUP BY command ORDER BY command`)).toEqual([
      { command: 'merge', n: 2 },
      { command: 'scan', n: 3 },
    ]);
  });

  it('score --shard i/2 on two copies + merge equals scoring the whole store', async () => {
    const whole = path.join(tmp, 'rescored-whole.db');
    copyFileSync(single, whole);
    await score({ db: whole, detectors: { names: ['stylometry'] } });
    const parts = [0, 1].map((i) => path.join(tmp, `rescore-part-${i}.db`));
    for (const [i, part] of parts.entries()) {
      copyFileSync(single, part);
      await score({ db: part, detectors: { names: ['stylometry'] }, shard: { index: i, count: 2 } });
    }
    const counts = parts.map((p) => (queryRows(p, `SELECT count(*) AS n FROM scores WHERE detector = 'stylometry'`)[0] as { n: number }).n);
    for (const n of counts) expect(n).toBeGreaterThan(0);
    const out = path.join(tmp, 'rescored-merged.db');
    copyFileSync(single, out);
    await merge({ db: out, shards: parts });
    const sql = `SELECT document_id, detector, detector_version, score, raw, details FROM scores ORDER BY document_id, detector`;
    expect(counts[0] + counts[1]).toBe((queryRows(whole, `SELECT count(*) AS n FROM scores WHERE detector = 'stylometry'`)[0] as { n: number }).n);
    expect(queryRows(out, sql)).toEqual(queryRows(whole, sql));
  });

  it('refuses a shard scored with another detector version, in one line, and changes nothing', async () => {
    const odd = path.join(tmp, 'odd-version.db');
    copyFileSync(shardDb(1), odd);
    const conn = new Database(odd);
    conn.prepare(`UPDATE scores SET detector_version = detector_version || '-next' WHERE detector = 'classifier'`).run();
    conn.close();
    const out = path.join(tmp, 'refused.db');
    const r = await runCli(['merge', out, shardDb(0), odd]);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ccaudit merge: merge refused: .*odd-version\.db scored classifier with version .*-next but .* with /);
    // Checked before anything is merged: not even the first shard went in.
    expect(queryRows(out, 'SELECT count(*) AS n FROM records')).toEqual([{ n: 0 }]);
  });

  it('refuses a shard whose row disagrees with the output', async () => {
    const odd = path.join(tmp, 'odd-record.db');
    copyFileSync(shardDb(2), odd);
    const conn = new Database(odd);
    conn.prepare(`UPDATE records SET length = length + 1 WHERE id = (SELECT min(id) FROM records)`).run();
    conn.close();
    const r = await runCli(['merge', merged, odd]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /merge refused: .*odd-record\.db conflicts with .* in records \(source_id \d+, offset \d+\): length is \d+ there but \d+ here/,
    );
  });

  it('refuses the output store as its own shard and stores of another schema version', async () => {
    expect((await runCli(['merge', merged, merged])).stderr).toMatch(/is the output store itself/);
    const old = path.join(tmp, 'old.db');
    copyFileSync(shardDb(0), old);
    const conn = new Database(old);
    conn.pragma('user_version = 4');
    conn.close();
    const r = await runCli(['merge', path.join(tmp, 'x.db'), old]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/old\.db has schema version 4/);
  });
});

describe('shard assignment', () => {
  it('is the same whatever order the files are named in, and balanced by bytes', async () => {
    const { files } = await expandWarcPaths([WARC_DIR]);
    const units = files.map(warcFileUnit);
    const sizes = new Map<string, number>();
    for (const u of units) sizes.set(u.source, (await u.stat!()).size);
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    const largest = Math.max(...sizes.values());
    const forward = await Promise.all([0, 1, 2, 3].map((index) => shardUnits(units, { index, count: 4 })));
    const backward = await Promise.all([0, 1, 2, 3].map((index) => shardUnits([...units].reverse(), { index, count: 4 })));
    expect(backward.map((s) => s.map((u) => u.source))).toEqual(forward.map((s) => s.map((u) => u.source)));
    expect(forward.flat().map((u) => u.source)).toEqual([...files].sort());
    for (const s of forward) {
      const bytes = s.reduce((n, u) => n + sizes.get(u.source)!, 0);
      // Contiguous blocks: each within one file's size of an equal share.
      expect(Math.abs(bytes - total / 4)).toBeLessThanOrEqual(largest);
    }
  });

  it('an empty shard (more shards than files) succeeds with nothing to do', async () => {
    const one = path.join(WARC_DIR, 'cc');
    const units = (await expandWarcPaths([one])).files.map(warcFileUnit);
    let empty = 0;
    while ((await shardUnits(units, { index: empty, count: 41 })).length > 0) empty++;
    const r = await runCli(['scan', one, '--db', path.join(tmp, 'empty-shard.db'), '--threads', '0', '--no-score', '--shard', `${empty}/41`]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`shard ${empty}/41 holds none of the \\d+ files`));
  });

  it('--shard auto reads the Slurm array variables; bad values are flag errors (exit 2)', async () => {
    const db = path.join(tmp, 'auto.db');
    const env = { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '1' };
    const r = await runCli(['scan', path.join(WARC_DIR, 'cc'), '--db', db, '--threads', '0', '--no-score', '--shard', 'auto', '--json'], { env });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).shard).toBe('2/3');
    const bad = await runCli(['scan', path.join(WARC_DIR, 'cc'), '--db', db, '--shard', '3/3']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/shard index 3 is outside 0\.\.2/);
    const none = await runCli(['scan', path.join(WARC_DIR, 'cc'), '--db', db, '--shard', 'auto'], {
      env: { SLURM_ARRAY_TASK_ID: '', JOB_COMPLETION_INDEX: '', AWS_BATCH_JOB_ARRAY_INDEX: '', CCAUDIT_SHARD_INDEX: '' },
    });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/no array-job index in the environment/);
  });
});

/**
 * The repo's Slurm files on a real Slurm: ../shared/engines/slurm/start-slurm.sh brings up a
 * single-node cluster (munge + slurmctld + slurmd); deploy/slurm/submit.sh submits the scan
 * array (3 shards over real WARC files) and the merge job (--dependency=afterok); the merged
 * store must hold what one process's scan holds. When Slurm cannot start, the test fails with
 * the reason: it is never skipped. Runs as its own CI step (npm run test:deploy): it installs
 * packages and starts system daemons, which `npm test` on a workstation should not do.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/pipeline/scan.js';
import { ROOT, WARC_DIR } from '../support/run-cli.js';
import { queryRows } from '../support/sqlite.js';

const SLURM = path.join(ROOT, '../shared/engines/slurm');
const INPUT = ['cc', 'recent', 'edge-cases/warcio'].map((d) => path.join(WARC_DIR, d));
const DETECTOR_FLAGS = '--detector gpt-words --detector classifier';
const SHARDS = 3;
const WAIT_MS = 15 * 60_000;
const out = mkdtempSync(path.join(os.tmpdir(), 'ccaudit-slurm-'));

/** Runs a command without blocking the test worker's event loop (vitest talks to it meanwhile). */
function sh(cmd: string, args: string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.on('error', (err) => resolve({ status: null, output: `${output}${String(err)}` }));
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** bin/ccaudit.js runs dist/: build it when a source file is newer (CI's npm ci has built it). */
async function ensureBuilt(): Promise<void> {
  const main = path.join(ROOT, 'dist/src/cli/main.js');
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
      const p = path.join(dir, e.name);
      return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }, 0);
  if (existsSync(main) && statSync(main).mtimeMs >= Math.max(newest(path.join(ROOT, 'src')), newest(path.join(ROOT, 'detectors')))) return;
  const r = await sh('npx', ['tsc', '-p', 'tsconfig.json']);
  if (r.status !== 0) throw new Error(`npm run build failed: ${r.output}`);
}

const logs = () =>
  existsSync(path.join(out, 'logs'))
    ? readdirSync(path.join(out, 'logs'))
        .map((f) => `== ${f}\n${readFileSync(path.join(out, 'logs', f), 'utf8').slice(-2000)}`)
        .join('\n')
    : '(no logs)';

const CONTENT: Record<string, string> = {
  records: `SELECT r.id, s.path, r.offset, r.length, r.warc_type, r.record_id, r.http_status FROM records r JOIN sources s ON s.id = r.source_id ORDER BY r.id`,
  documents: `SELECT d.id, d.record_pk, d.url, d.text, d.lang, d.words, d.pub_month, d.payload_digest FROM documents d ORDER BY d.id`,
  scores: `SELECT document_id, detector, detector_version, score, raw FROM scores ORDER BY document_id, detector`,
  errors: `SELECT s.path, e.offset, e.code FROM errors e JOIN sources s ON s.id = e.source_id ORDER BY s.path, e.offset`,
  sources: `SELECT path, size, resume_offset, completed_at IS NOT NULL AS done, records, documents, errors FROM sources ORDER BY path`,
};

describe('deploy/slurm on a real Slurm', () => {
  let jobs: string[] = [];
  let single = '';

  beforeAll(async () => {
    const start = await sh('bash', [path.join(SLURM, 'start-slurm.sh')]);
    if (start.status !== 0) throw new Error(`Slurm could not start (start-slurm.sh exit ${start.status}):\n${start.output.slice(-4000)}`);
    await ensureBuilt();
    const submit = await sh(path.join(ROOT, 'deploy/slurm/submit.sh'), ['-n', String(SHARDS), '-o', out, '-a', DETECTOR_FLAGS, ...INPUT]);
    if (submit.status !== 0) throw new Error(`submit.sh failed: ${submit.output}`);
    jobs = submit.output.trim().split(/\s+/).slice(-2);
    // Meanwhile, the same input scanned by one process.
    single = path.join(out, 'single.db');
    await scan({ db: single, paths: INPUT, threads: 0, detectors: ['gpt-words', 'classifier'] });
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const q = await sh('squeue', ['-h', '-j', jobs.join(','), '-o', '%i %T %r']);
      if (q.status !== 0) throw new Error(`squeue failed: ${q.output}`);
      const queued = q.output.trim();
      if (queued === '') break;
      if (Date.now() > deadline) throw new Error(`Slurm jobs still queued after ${WAIT_MS / 1000}s:\n${queued}\n${logs()}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }, WAIT_MS + 300_000);

  afterAll(async () => {
    await sh('bash', [path.join(SLURM, 'stop-slurm.sh')]);
  });

  it('ran one scan task per shard and the merge job after them', () => {
    const merged = path.join(out, 'merged.db');
    expect(existsSync(merged), `no merged store; logs:\n${logs()}`).toBe(true);
    const shardFiles = readdirSync(out).filter((f) => /^shard-\d{4}\.db$/.test(f));
    expect(shardFiles).toEqual(['shard-0000.db', 'shard-0001.db', 'shard-0002.db']);
    const scans = queryRows(merged, `SELECT json_extract(args, '$.shard') AS shard FROM runs WHERE command = 'scan' ORDER BY 1`);
    expect(scans).toEqual([{ shard: '0/3' }, { shard: '1/3' }, { shard: '2/3' }]);
    expect(queryRows(merged, `SELECT count(*) AS n FROM runs WHERE command = 'merge' AND status = 'completed'`)).toEqual([{ n: 1 }]);
  });

  for (const [table, sql] of Object.entries(CONTENT)) {
    it(`the merged store holds the same ${table} as one process's scan`, () => {
      const want = queryRows(single, sql);
      if (table !== 'errors') expect(want.length).toBeGreaterThan(0);
      expect(queryRows(path.join(out, 'merged.db'), sql)).toEqual(want);
    });
  }
});

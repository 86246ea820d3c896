/**
 * `ccaudit sample` (its own process, stderr not a terminal) against a loopback Common Crawl
 * answering 503 to every data request or to every other one: progress and retry state show up
 * within seconds, SIGTERM ends the run within moments (back-off sleeps are cut short) with the
 * unfetched rows kept pending, and a resume fetches each record exactly once.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AbortedError, AttemptError, DEFAULT_RETRY_POLICY, Throttle, withRetry } from '../../src/core/retry.js';
import { buildCcFixture, startCcServer, type CcServer } from '../support/cc-server.js';
import { cleanDeliveries, readRecords, readSample } from './helpers.js';

const CHILD = fileURLToPath(new URL('./sample-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let dir: string;
let srv: CcServer;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccaudit-throttled-'));
  srv = await startCcServer(await buildCcFixture(path.join(dir, 'fixture'), { linesPerBlock: 8, shards: 3 }));
});

afterAll(async () => {
  await srv?.close();
  await rm(dir, { recursive: true, force: true });
});

function startSample(args: string[]) {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, 'sample', ...args], {
    cwd: ROOT,
    env: { ...process.env, CI: '1', CCAUDIT_PROGRESS_INTERVAL_MS: '1000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const lines: Array<{ t: number; line: string }> = [];
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => {
    err += d;
    for (const line of String(d).split('\n').filter(Boolean)) lines.push({ t: performance.now() - t0, line });
  });
  const exited = new Promise<{ code: number | null; t: number }>((resolve) => child.on('exit', (code) => resolve({ code, t: performance.now() })));
  return { child, exited, lines, output: () => ({ out, err }) };
}

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const until = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const args = (db: string, seed: string) => [
  '--crawl',
  'CC-MAIN-2013-15',
  '--per-crawl',
  '16',
  '--seed',
  seed,
  '--concurrency',
  '2',
  '--db',
  db,
  '--index-url',
  srv.url,
  '--data-url',
  srv.url,
  '--cache-dir',
  path.join(dir, 'cache'),
];

for (const [label, every] of [
  ['every data request', 1],
  ['every other data request', 2],
] as const) {
  it(`503 on ${label}: progress within seconds, SIGTERM exit within 3 s with rows pending, resume fetches each record once`, async () => {
    const db = path.join(dir, `throttled-${every}.sqlite`);
    await srv.clearLog();
    await srv.setFaults([{ kind: '503', every }]);
    const run = startSample(args(db, `thr-${every}`));
    const status = () =>
      run.lines.find((l) => / retr(y|ies) \| last http-503 \(attempt \d+\) on http:\/\/127\.0\.0\.1:\d+\/crawl-data\//.test(l.line));
    await waitFor(() => !!status(), 10_000, `a retry status line: ${JSON.stringify(run.output())}`);
    const firstStatus = status()!.t;
    const fetchStart = run.lines.find((l) => /fetching 16 records/.test(l.line))!.t;
    expect(firstStatus - fetchStart).toBeLessThan(3000);
    // Well into the back-off (the policy's waits grow to a minute).
    await new Promise((r) => setTimeout(r, 2500));
    // Plain status lines keep coming while the run retries (every second here, 5 s by default).
    expect(run.lines.filter((l) => /^ccaudit sample: fetched \d+\/16 records \| /.test(l.line)).length).toBeGreaterThanOrEqual(2);
    const sent = performance.now();
    run.child.kill('SIGTERM');
    const { code, t } = await run.exited;
    const stopMs = t - sent;
    expect(code, run.output().err).toBe(130);
    expect(stopMs).toBeLessThan(3000);
    const { err, out } = run.output();
    expect(err).toMatch(/SIGTERM received: stopping now/);
    expect(err).not.toMatch(/Ctrl-C/);
    expect(out).toMatch(/interrupted: run the same command again to resume/);
    const atStop = readSample(db);
    expect(atStop).toHaveLength(16);
    expect(atStop.filter((r) => r.state === 'failed')).toEqual([]);
    expect(atStop.filter((r) => r.state === 'pending').length).toBeGreaterThan(0);
    if (every === 1) expect(atStop.every((r) => r.state === 'pending')).toBe(true);
    console.log(
      run.lines
        .slice(0, 8)
        .map((l) => `${l.t.toFixed(0).padStart(6)} ms  ${l.line}`)
        .join('\n'),
    );
    console.log(
      `503 on ${label}: first status line ${(firstStatus - fetchStart).toFixed(0)} ms after the fetch began; exit ${stopMs.toFixed(0)} ms after SIGTERM`,
    );

    await srv.setFaults([]);
    const again = startSample(args(db, `thr-${every}`));
    expect((await again.exited).code, again.output().err).toBe(0);
    const rows = readSample(db);
    expect(rows.filter((r) => r.state !== 'fetched')).toEqual([]);
    const log = await srv.getLog();
    for (const r of rows) expect(cleanDeliveries(log, r.filename, r), r.filename).toBe(1);
    const records = readRecords(db);
    expect(records).toHaveLength(16);
    expect(records.every((r) => r.n === 1)).toBe(true);
  }, 60_000);
}

it('a request given up names its URL in the final error', async () => {
  await srv.setFaults([{ kind: '503', target: 'zipnum' }]);
  try {
    const run = startSample([...args(path.join(dir, 'named.sqlite'), 'named'), '--max-attempts', '2', '--cache-dir', path.join(dir, 'cache-named')]);
    expect((await run.exited).code).toBe(1);
    expect(run.output().err).toMatch(
      /ccaudit sample: http:\/\/127\.0\.0\.1:\d+\/cc-index\/collections\/CC-MAIN-2013-15\/indexes\/cluster\.idx: HTTP 503: .*\(gave up after 2 attempts\)/,
    );
  } finally {
    await srv.setFaults([]);
  }
});

it('withRetry: an abort ends a minute-long back-off and a throttle pause at once, with the signal’s message', async () => {
  const fail = async (): Promise<never> => {
    throw new AttemptError('retry', 'http-503', 'HTTP 503');
  };
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 60_000, jitter: 0 };
  const ctl = new AbortController();
  const t0 = performance.now();
  setTimeout(() => ctl.abort(new Error('stopped by SIGTERM')), 50);
  const err = await withRetry(fail, policy, new Throttle(), { signal: ctl.signal }).catch((e) => e);
  expect(err).toBeInstanceOf(AbortedError);
  expect(err.message).toBe('stopped by SIGTERM');
  expect(performance.now() - t0).toBeLessThan(1000);

  // A 403 pause of a minute: the next request's wait for its turn ends with the abort too.
  const throttle = new Throttle({ pauseMs: 60_000 });
  throttle.slowDown();
  const ctl2 = new AbortController();
  setTimeout(() => ctl2.abort(new Error('stopped by SIGINT')), 50);
  const t1 = performance.now();
  await expect(throttle.acquire(ctl2.signal)).rejects.toThrow('stopped by SIGINT');
  expect(performance.now() - t1).toBeLessThan(1000);
});

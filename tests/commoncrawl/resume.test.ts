/**
 * Kill and resume: `ccaudit sample` runs in a child process against the loopback Common Crawl
 * (real records re-grouped into pseudo-crawls, see tests/support/cc-server.ts), is SIGKILLed
 * mid-way, and is run again. Every sampled record must end up fetched and stored exactly once;
 * records committed before the kill are never requested again.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildCcFixture, startCcServer, type CcServer } from '../support/cc-server.js';
import { cleanDeliveries, rangeOf, readRecords, readSample } from './helpers.js';

const CHILD = fileURLToPath(new URL('./sample-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let dir: string;
let srv: CcServer;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccaudit-resume-'));
  srv = await startCcServer(await buildCcFixture(path.join(dir, 'fixture'), { linesPerBlock: 8, shards: 3 }));
});

afterAll(async () => {
  await srv?.close();
  await rm(dir, { recursive: true, force: true });
});

function startSample(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, 'sample', ...args], {
    cwd: ROOT,
    // Endpoints from the environment, as a user with a mirror would set them.
    env: { ...process.env, CCAUDIT_INDEX_URL: srv.url, CCAUDIT_DATA_URL: srv.url, CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => ({ out, err }) };
}

function fetchedCount(db: string): number {
  try {
    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (conn.prepare(`SELECT count(*) AS n FROM sample WHERE state = 'fetched'`).get() as { n: number }).n;
    } finally {
      conn.close();
    }
  } catch {
    return 0; // not created yet
  }
}

it('fetches every sampled record exactly once across a SIGKILL and a resume', async () => {
  const db = path.join(dir, 'resume.sqlite');
  const args = [
    '--crawl',
    'CC-MAIN-2008-18',
    '--crawl',
    'CC-MAIN-2013-15',
    '--per-crawl',
    '30',
    '--seed',
    'kill',
    '--concurrency',
    '2',
    '--db',
    db,
    '--lines-per-block',
    '8',
    '--cache-dir',
    path.join(dir, 'cache'),
    '--json',
  ];
  await srv.setDataDelay(40); // slow enough to be caught mid-way
  const first = startSample(args);
  while (fetchedCount(db) < 15) {
    const done = await Promise.race([first.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 20))]);
    if (done) throw new Error(`the first run ended before it could be killed: ${JSON.stringify(first.output())}`);
  }
  first.child.kill('SIGKILL');
  expect((await first.exited).signal).toBe('SIGKILL');
  const beforeLog = await srv.getLog();
  const atKill = readSample(db);
  const doneAtKill = atKill.filter((r) => r.state === 'fetched');
  expect(atKill).toHaveLength(60); // the whole sample was stored before fetching began
  expect(doneAtKill.length).toBeGreaterThanOrEqual(15);
  expect(doneAtKill.length).toBeLessThan(60);

  await srv.setDataDelay(0);
  await srv.clearLog();
  const second = startSample(args);
  const { code } = await second.exited;
  expect(code, second.output().err).toBe(0);
  const summary = JSON.parse(second.output().out);
  expect(summary).toMatchObject({ fetched: 60 - doneAtKill.length, failed: 0, pending: 0 });
  const afterLog = await srv.getLog();

  // The stored sample was reused: no index reads, the same rows in the same order.
  expect(afterLog.filter((e) => e.target === 'zipnum' || e.target === 'cdx')).toEqual([]);
  const rows = readSample(db);
  expect(rows.map((r) => `${r.filename}|${r.offset}|${r.draw_index}`)).toEqual(atKill.map((r) => `${r.filename}|${r.offset}|${r.draw_index}`));
  expect(rows.every((r) => r.state === 'fetched')).toBe(true);

  // Stored exactly once: one records row per sampled record, no duplicates.
  const records = readRecords(db);
  expect(records).toHaveLength(60);
  expect(records.every((r) => r.n === 1)).toBe(true);

  // Never fetched twice: committed records are not requested again after the kill …
  for (const r of doneAtKill) expect(afterLog.filter((e) => e.path === r.filename && e.range === rangeOf(r))).toEqual([]);
  // … each of the others is delivered exactly once by the resumed run …
  for (const r of rows.filter((x) => !doneAtKill.some((d) => d.id === x.id))) {
    expect(cleanDeliveries(afterLog, r.filename, r)).toBe(1);
  }
  // … and only requests in flight at the kill (≤ concurrency) were delivered to both runs.
  const twice = rows.filter((r) => cleanDeliveries(beforeLog, r.filename, r) + cleanDeliveries(afterLog, r.filename, r) > 1);
  expect(twice.length).toBeLessThanOrEqual(2);

  // The killed run is recorded as interrupted, the resumed one as completed.
  const conn = new Database(db, { readonly: true });
  const runs = conn.prepare(`SELECT status FROM runs ORDER BY id`).all() as Array<{ status: string }>;
  conn.close();
  expect(runs.map((r) => r.status)).toEqual(['interrupted', 'completed']);
});

it('stops cleanly on SIGINT (in-flight requests finish, state committed) and resumes', async () => {
  const db = path.join(dir, 'sigint.sqlite');
  const args = [
    '--crawl',
    'CC-MAIN-2013-15',
    '--per-crawl',
    '30',
    '--seed',
    'int',
    '--concurrency',
    '2',
    '--db',
    db,
    '--lines-per-block',
    '8',
    '--cache-dir',
    path.join(dir, 'cache'),
    '--json',
  ];
  await srv.setDataDelay(40);
  const first = startSample(args);
  while (fetchedCount(db) < 5) {
    const done = await Promise.race([first.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 20))]);
    if (done) throw new Error(`the run ended before it could be interrupted: ${JSON.stringify(first.output())}`);
  }
  await srv.clearLog();
  first.child.kill('SIGINT');
  const { code } = await first.exited;
  expect(code).toBe(130);
  const summary = JSON.parse(first.output().out);
  expect(summary.interrupted).toBe(true);
  const atStop = readSample(db);
  const fetched = atStop.filter((r) => r.state === 'fetched');
  expect(fetched.length).toBe(summary.fetched);
  expect(atStop.filter((r) => r.state === 'pending').length).toBe(summary.pending);
  expect(summary.pending).toBeGreaterThan(0);
  // Whatever the server delivered after the signal was stored: nothing is fetched twice on resume.
  const deliveredAfterSignal = (await srv.getLog()).filter((e) => e.target === 'data' && e.complete);
  for (const e of deliveredAfterSignal) {
    expect(fetched.some((r) => r.filename === e.path && rangeOf(r) === e.range)).toBe(true);
  }
  await srv.setDataDelay(0);
  await srv.clearLog();
  const second = startSample(args);
  expect((await second.exited).code).toBe(0);
  expect(JSON.parse(second.output().out)).toMatchObject({ fetched: summary.pending, pending: 0 });
  for (const r of fetched) expect((await srv.getLog()).filter((e) => e.path === r.filename && e.range === rangeOf(r))).toEqual([]);
  expect(readRecords(db)).toHaveLength(30);
});

/**
 * Kill-and-resume: a child process writes SYNTHETIC records through the real writer and is
 * SIGKILLed mid-way (by the parent at an arbitrary instant, or by itself from inside a write
 * transaction); resuming from beginSource()'s offset must end with every record exactly once.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getRun, listSources, markAbandonedRuns, openStore } from '../../src/store/index.js';
import { useTempDir } from './helpers.js';
import { syntheticLength, syntheticOffsets } from './fixtures/synthetic.js';

const tempPath = useTempDir();
const FIXTURE = fileURLToPath(new URL('./fixtures/kill-writer.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE = '/data/CC-MAIN-synthetic-00001.warc.gz';

interface ChildResult {
  lines: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the writer child; `killWhen` sees each stdout line and may return true to SIGKILL it. */
function runChild(args: string[], killWhen?: (line: string, lines: string[]) => boolean): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (killWhen?.(line, lines)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ lines, code, signal, stderr }));
  });
}

/** Committed state as a fresh connection sees it. */
function inspect(path: string) {
  const db = new Database(path, { readonly: true });
  const integrity = db.pragma('integrity_check', { simple: true });
  const resume = (db.prepare(`SELECT resume_offset AS r FROM sources WHERE path = ?`).get(SOURCE) as { r: number }).r;
  const offsets = (db.prepare(`SELECT offset FROM records ORDER BY offset`).all() as Array<{ offset: number }>).map((r) => r.offset);
  const distinctIds = (db.prepare(`SELECT count(DISTINCT record_id) AS n FROM records`).get() as { n: number }).n;
  const documents = (db.prepare(`SELECT count(*) AS n FROM documents`).get() as { n: number }).n;
  const errorOffsets = (db.prepare(`SELECT offset FROM errors ORDER BY offset`).all() as Array<{ offset: number }>).map((r) => r.offset);
  db.close();
  return { integrity, resume, offsets, distinctIds, documents, errorOffsets };
}

/** What records 0..n-1 of the synthetic layout should leave in the store. */
function expected(n: number) {
  const offsets = syntheticOffsets(n);
  return {
    offsets,
    documents: offsets.filter((_, i) => i % 10 !== 9).length,
    errorOffsets: offsets.filter((_, i) => i % 50 === 7),
  };
}

/** Index of the first layout record at or after `offset`. */
function indexAt(offset: number): number {
  const all = syntheticOffsets(100_000);
  const i = all.findIndex((o) => o >= offset);
  return i < 0 ? all.length : i;
}

function checkCommittedPrefix(state: ReturnType<typeof inspect>) {
  // Committed rows are exactly the records (and errors) before the committed resume offset.
  const n = indexAt(state.resume);
  const want = expected(n);
  expect(state.integrity).toBe('ok');
  expect(state.offsets).toEqual(want.offsets);
  expect(state.documents).toBe(want.documents);
  expect(state.errorOffsets).toEqual(want.errorOffsets);
  return n;
}

describe('resume after SIGKILL', () => {
  it('killed inside a write transaction: resumes exactly where the last committed batch ended', async () => {
    const path = tempPath('self-kill.db');
    const total = 1500;
    const killOffset = syntheticOffsets(1234)[1233]; // record 1233, in the middle of a batch
    const killed = await runChild([path, SOURCE, '--until', String(total), '--batch', '100', '--kill-at-offset', String(killOffset)]);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.lines.at(-1)).toMatch(/^flush /); // it had committed batches before dying

    const afterKill = inspect(path);
    const committed = checkCommittedPrefix(afterKill);
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(1233); // the batch holding record 1233 was rolled back
    expect(afterKill.offsets).not.toContain(killOffset);

    const resumed = await runChild([path, SOURCE, '--until', String(total), '--batch', '100']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.lines[0]).toBe(`resume ${afterKill.resume} 0`);
    expect(resumed.lines.at(-1)).toBe(`done ${total - committed}`); // nothing re-read before the offset

    const final = inspect(path);
    const want = expected(total);
    expect(final.offsets).toEqual(want.offsets);
    expect(final.distinctIds).toBe(total);
    expect(final.documents).toBe(want.documents);
    expect(final.errorOffsets).toEqual(want.errorOffsets);
    expect(final.resume).toBe(want.offsets[total - 1] + syntheticLength(total - 1));

    const store = openStore(path);
    expect(listSources(store)[0]).toMatchObject({ records: total, documents: want.documents, errors: want.errorOffsets.length });
    expect(listSources(store)[0].completedAt).not.toBeNull();
    expect(markAbandonedRuns(store)).toEqual([1]);
    expect(getRun(store, 1)).toMatchObject({ status: 'interrupted', recordsAdded: committed });
    expect(getRun(store, 2)).toMatchObject({ status: 'completed', recordsAdded: total - committed });
    store.close();

    // A third run sees the source complete; a forced full re-read adds nothing.
    const skipped = await runChild([path, SOURCE, '--until', String(total)]);
    expect(skipped.lines).toEqual([`resume ${final.resume} 1`, 'done 0']);
    const reread = await runChild([path, SOURCE, '--until', String(total), '--from-zero']);
    expect(reread.lines.at(-1)).toBe(`done ${total}`);
    const afterReread = inspect(path);
    expect(afterReread.offsets).toEqual(want.offsets);
    expect(afterReread.documents).toBe(want.documents);
    expect(afterReread.errorOffsets).toEqual(want.errorOffsets);
    const check = openStore(path);
    expect(getRun(check, 4)).toMatchObject({ recordsAdded: 0, documentsAdded: 0, errorsAdded: 0 });
    check.close();
  });

  it('killed by the parent at an arbitrary instant: no loss, no duplicates', async () => {
    const path = tempPath('external-kill.db');
    // Unbounded writer; killed once it has committed a few batches, wherever it is then.
    const killed = await runChild(
      [path, SOURCE, '--batch', '50'],
      (line, lines) => line.startsWith('flush ') && lines.filter((l) => l.startsWith('flush ')).length === 4,
    );
    expect(killed.signal).toBe('SIGKILL');
    const afterKill = inspect(path);
    const committed = checkCommittedPrefix(afterKill);
    expect(committed).toBeGreaterThan(0);

    const total = committed + 400;
    const resumed = await runChild([path, SOURCE, '--until', String(total), '--batch', '50']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.lines[0]).toBe(`resume ${afterKill.resume} 0`);
    expect(resumed.lines.at(-1)).toBe(`done ${total - committed}`);
    const final = inspect(path);
    const want = expected(total);
    expect(final.offsets).toEqual(want.offsets);
    expect(final.distinctIds).toBe(total);
    expect(final.documents).toBe(want.documents);
    expect(final.errorOffsets).toEqual(want.errorOffsets);
  });
});

import { describe, expect, it } from 'vitest';
import { getRun, openStore, StoreWriter, beginRun, finishRun, markAbandonedRuns, listErrors, totals } from '../../src/store/index.js';
import { withRun } from '../../src/pipeline/run.js';
import { processStartMs } from '../../src/store/runs.js';
import { spawn } from 'node:child_process';
import { ingest } from '../../src/pipeline/ingest.js';
import type { RecordSource, SourceItem, SourceUnit } from '../../src/core/record-source.js';
import { useTempDir } from './helpers.js';
import { syntheticOffsets, syntheticReadError, syntheticRecord } from './fixtures/synthetic.js';

const tempPath = useTempDir();

describe('run lifecycle', () => {
  it('withRun records completed, interrupted and failed runs, and marks abandoned runs of any command', async () => {
    const store = openStore(tempPath('runs.db'));
    // A run left "running" by a process that no longer exists (a SIGKILLed scan).
    const dead = beginRun(store, 'scan', {});
    store.db.prepare(`UPDATE runs SET pid = 2147483646 WHERE id = ?`).run(dead);
    const done = await withRun(store, 'score', { x: 1 }, async (run) => ({ status: 'completed', summary: { n: run.id }, result: run.id }));
    expect(getRun(store, dead)?.status).toBe('interrupted');
    expect(getRun(store, done)).toMatchObject({ command: 'score', status: 'completed', summary: { n: done } });
    await expect(withRun(store, 'sample', {}, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const failed = getRun(store, done + 1)!;
    expect(failed).toMatchObject({ command: 'sample', status: 'failed', summary: { error: 'boom' } });
    expect(() => finishRun(store, 999, 'completed')).toThrow(/no run with id 999/);
    expect(markAbandonedRuns(store)).toEqual([]);
    store.close();
  });
});

describe('abandoned runs are decided by the process that holds the pid', () => {
  it('a live process is left running; a pid reused by a process that started after the run is not its owner', async () => {
    const store = openStore(tempPath('pids.db'));
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await new Promise((r) => child.once('spawn', r));
      await new Promise((r) => setTimeout(r, 100));
      const setRun = (id: number, startedAt: string) =>
        store.db.prepare(`UPDATE runs SET pid = ?, started_at = ? WHERE id = ?`).run(child.pid, startedAt, id);
      const live = beginRun(store, 'scan', {});
      setRun(live, new Date().toISOString());
      const reused = beginRun(store, 'scan', {});
      setRun(reused, new Date(Date.now() - 3_600_000).toISOString());
      const expected = processStartMs(child.pid!) === null ? [] : [reused];
      expect(markAbandonedRuns(store)).toEqual(expected);
      expect(getRun(store, live)?.status).toBe('running');
    } finally {
      child.kill('SIGKILL');
      store.close();
    }
  });
});

describe('ingestion loop', () => {
  it('stores any source in order: records, read errors, commit-time state; resumes by offset', async () => {
    const store = openStore(tempPath('ingest.db'));
    const offsets = syntheticOffsets(10);
    const committed: number[] = [];
    const unit: SourceUnit = { label: 'shard-0', source: 'shard-0' };
    const source: RecordSource = {
      units: () => [unit],
      async *open(_u, resumeOffset): AsyncIterable<SourceItem> {
        for (const [i, offset] of offsets.entries()) {
          if (offset < resumeOffset) continue;
          const item = i === 4 ? syntheticReadError('shard-0', offset) : syntheticRecord('shard-0', i, offset);
          yield { item, atCommit: () => committed.push(i) };
        }
      },
    };
    const writer = new StoreWriter(store, { batchSize: 3 });
    let stop = false;
    const first = await ingest(source, {
      writer,
      maxInFlight: 1,
      hooks: { shouldStop: () => stop, onItem: (_o, s) => (stop = s.records + s.errors >= 6) },
    });
    writer.flush();
    expect(first.stopped).toBe(true);
    expect(committed).toEqual([0, 1, 2, 3, 4, 5]);
    stop = false;
    const second = await ingest(source, { writer });
    writer.flush();
    expect(second.units[0]).toMatchObject({ resumedFrom: offsets[6], records: 4, errors: 0, stopped: false });
    expect(committed).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(totals(store)).toMatchObject({ records: 9, errors: 1, sourcesComplete: 1 });
    expect(listErrors(store)[0]).toMatchObject({ offset: offsets[4], code: 'bad-header' });
    store.close();
  });
});

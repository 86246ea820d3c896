/**
 * The worker pool's per-thread accounting, which the benchmark uses to split CPU time between
 * the main thread, the workers and V8's helper threads: each live worker names its kernel
 * thread (on Linux) and how busy it was. Runs over a real WARC file.
 */
import { existsSync, statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createStagePool, type StagePool } from '../../src/pipeline/stage-pool.js';
import { corpusPath } from '../warc/corpus.js';

const file = corpusPath('cc/resiliparse/warcfile.warc.gz');
let pool: StagePool | null = null;
afterAll(async () => pool?.close());

describe('worker stats', () => {
  it('names each worker thread and reports a busy fraction after it read a range', async () => {
    // A small old-generation cap still works (the option reaches the worker's resource limits).
    pool = createStagePool({ threads: 2, detectors: ['gpt-words'], workerHeapMb: 96, workerYoungMb: 16 });
    const result = await pool.readRange!({ path: file, start: 0, exactStart: true, end: statSync(file).size, failures: [] });
    expect(result.items.some((i) => i.doc)).toBe(true);
    // One range keeps one worker busy; the other announces itself (its thread id) when it has
    // started, which on a loaded machine can come after the range is read.
    let stats = pool.workerStats!();
    for (const deadline = Date.now() + 30_000; process.platform === 'linux' && stats.some((s) => s.threadId === null) && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      stats = pool.workerStats!();
    }
    expect(stats).toHaveLength(2);
    for (const s of stats) {
      expect(s.busy).toBeGreaterThanOrEqual(0);
      expect(s.busy).toBeLessThanOrEqual(1);
      if (process.platform === 'linux') {
        expect(s.threadId).toBeTypeOf('number');
        expect(existsSync(`/proc/self/task/${s.threadId}`)).toBe(true);
      }
    }
    expect(new Set(stats.map((s) => s.threadId)).size).toBe(2);
    expect(Math.max(...stats.map((s) => s.busy))).toBeGreaterThan(0);
  });

  it('gives each worker the heap cap it was asked for', async () => {
    const sizes = [96, 512];
    const limits: number[] = [];
    for (const workerHeapMb of sizes) {
      const p = createStagePool({ threads: 1, detectors: null, workerHeapMb, workerYoungMb: 16 });
      try {
        // A job answered means the worker reported ready first.
        await p.run({ html: '<p>x</p>', url: 'https://example.org/' });
        limits.push(p.workerStats!()[0]!.heapLimitMb!);
      } finally {
        await p.close();
      }
    }
    // V8's limit is the old-generation cap plus the young generation's share of it.
    expect(limits[0]).toBeGreaterThanOrEqual(96);
    expect(limits[0]).toBeLessThan(96 + 64);
    expect(limits[1]).toBeGreaterThanOrEqual(512);
    expect(limits[1]).toBeLessThan(512 + 64);
  });
});

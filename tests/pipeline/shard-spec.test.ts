/** `--shard i/N|auto`: parsing, the array engines' variables, and contiguous blocks. */
import { describe, expect, it } from 'vitest';
import { blockBounds, contiguousShare, parseShard } from '../../src/core/shard.js';

describe('parseShard', () => {
  it('reads i/N and refuses what is not a shard', () => {
    expect(parseShard('2/4', {})).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('4/4', {})).toThrow(/shard index 4 is outside 0\.\.3/);
    expect(() => parseShard('0/0', {})).toThrow(/at least 1/);
    expect(() => parseShard('1-4', {})).toThrow(/expected i\/N/);
  });

  it('auto: Slurm (relative to the array start), Kubernetes, AWS Batch', () => {
    expect(parseShard('auto', { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({ index: 0, count: 4 });
    expect(parseShard('auto', { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' })).toEqual({ index: 3, count: 4 });
    expect(parseShard('auto', { JOB_COMPLETION_INDEX: '5', CCAUDIT_SHARD_COUNT: '8' })).toEqual({ index: 5, count: 8 });
    expect(parseShard('auto', { AWS_BATCH_JOB_ARRAY_INDEX: '1', AWS_BATCH_JOB_ARRAY_SIZE: '2' })).toEqual({ index: 1, count: 2 });
    expect(() => parseShard('auto', { JOB_COMPLETION_INDEX: '5' })).toThrow(/not the task count/);
    expect(() => parseShard('auto', {})).toThrow(/no array-job index/);
  });
});

describe('contiguous blocks', () => {
  const items = Array.from({ length: 50 }, (_, i) => ({ name: `f${String(i).padStart(2, '0')}`, size: (i * 7919) % 101 }));

  it('cover every item once, in order, for any count', () => {
    for (const count of [1, 2, 3, 7, 50, 64]) {
      const blocks = Array.from({ length: count }, (_, index) => contiguousShare(items, (x) => x.size, { index, count }));
      expect(blocks.flat()).toEqual(items);
    }
  });

  it('blockBounds cuts n rows into consecutive ranges', () => {
    const b = [0, 1, 2].map((index) => blockBounds(10, { index, count: 3 }));
    expect(b).toEqual([
      { start: 0, end: 3 },
      { start: 3, end: 6 },
      { start: 6, end: 10 },
    ]);
  });
});

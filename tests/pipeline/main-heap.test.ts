import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { boundMainHeap } from '../../src/pipeline/main-heap.js';

const usedMb = () => getHeapStatistics().used_heap_size / (1024 * 1024);

/** Leaves tens of MB of dead objects behind in the old generation. */
function makeGarbage(): number {
  let kept: Array<{ i: number; s: string }> = [];
  let n = 0;
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 200_000; i++) kept.push({ i, s: `row ${i} of round ${round}` });
    n += kept.length;
    kept = [];
  }
  return n;
}

describe('main-thread heap bound', () => {
  it('collects when the used heap is past the bound, and the used heap falls', () => {
    makeGarbage();
    const before = usedMb();
    const bound = Math.max(1, Math.floor(before / 2));
    expect(boundMainHeap(bound)).toBe(true);
    expect(usedMb()).toBeLessThan(before);
  });

  it('does nothing below the bound', () => {
    expect(boundMainHeap(usedMb() + 1024)).toBe(false);
  });

  it('waits for twice the live data of the last collection when that is above the bound', () => {
    // Live data of a host program that embeds the library: far above a 1 MB bound.
    const live = Array.from({ length: 300_000 }, (_, i) => ({ i, s: `kept ${i}` }));
    expect(boundMainHeap(1)).toBe(true);
    // Still far above 1 MB but not twice the survivors: no collection after every call.
    expect(boundMainHeap(1)).toBe(false);
    expect(live.length).toBe(300_000);
  });
});

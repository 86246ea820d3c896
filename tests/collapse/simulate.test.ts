import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../src/collapse/scenarios.js';
import { recordedGenerations, simulate } from '../../src/collapse/simulate.js';

describe('Monte Carlo driver', () => {
  it('records every generation when few, else an even grid that keeps 0 and G', () => {
    expect(Array.from(recordedGenerations(5))).toEqual([0, 1, 2, 3, 4, 5]);
    const grid = Array.from(recordedGenerations(10_000, 101));
    expect(grid).toHaveLength(101);
    expect(grid[0]).toBe(0);
    expect(grid[100]).toBe(10_000);
    expect(grid[50]).toBe(5000);
  });

  it('summarises runs per generation and reports fixation for the categorical models', () => {
    const generations = 300;
    const result = simulate({
      models: ['anchoring'],
      generations,
      runs: 20,
      seed: 3,
      shareForRun: () => new Float64Array(generations + 1).fill(0.5),
      params: { ...DEFAULT_PARAMS, tail: { ...DEFAULT_PARAMS.tail, types: 30, samples: 40 } },
      maxRecorded: 31,
    });
    expect(result.recordedGenerations).toHaveLength(31);
    const none = result.scenarios.find((s) => s.id === 'anchoring/none')!;
    const half = result.scenarios.find((s) => s.id === 'anchoring/input')!;
    // With N = 40 and no fresh data, the coalescent makes fixation within 300 generations all but certain.
    expect(none.fixation!.fixedRuns).toBe(20);
    const surviving = none.metrics.find((m) => m.metric === 'surviving')!;
    expect(surviving.points.at(-1)!.mean).toBe(1);
    for (const p of surviving.points) expect(p.q05 <= p.q50 && p.q50 <= p.q95).toBe(true);
    expect(half.syntheticShare[0].share).toBe(0);
    expect(half.syntheticShare.at(-1)!.share).toBe(0.5);
    expect(half.metrics.find((m) => m.metric === 'surviving')!.points.at(-1)!.mean).toBeGreaterThan(1);
  });
});

describe('memory bound', () => {
  it('refuses run counts whose per-run values would not fit', () => {
    expect(() =>
      simulate({
        models: ['gaussian'],
        generations: 1000,
        runs: 1_000_000,
        seed: 1,
        shareForRun: () => Float64Array.of(0, 1),
        params: DEFAULT_PARAMS,
      }),
    ).toThrow(/--runs 1000000 would keep 1002000000 values in memory; use at most 49900 runs/);
  });
});

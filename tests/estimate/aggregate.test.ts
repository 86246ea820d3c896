/** The grouping aggregator on SYNTHETIC score streams with known per-group prevalence. */
import { describe, expect, it } from 'vitest';
import { EstimateAggregator, type DetectorSpec } from '../../src/estimate/aggregate.js';
import { Rng } from '../../src/core/rng.js';

const detectors: DetectorSpec[] = [
  {
    name: 'good',
    version: '1',
    threshold: 0.5,
    calibration: { threshold: 0.5, tpr: 0.9, fpr: 0.05, nPos: 1000, nNeg: 1000 },
    calibrationSource: 'file',
  },
  { name: 'blind', version: '1', threshold: 0.5, calibration: null, calibrationSource: null },
  { name: 'segments', version: '1', threshold: 0.5, calibration: null, calibrationSource: null },
];

function feed(agg: EstimateAggregator, rng: Rng, group: string | null, n: number, pi: number, dateSource = 'json-ld'): void {
  for (let i = 0; i < n; i++) {
    const ai = rng.uniform() < pi;
    const good = rng.uniform() < (ai ? 0.9 : 0.05) ? 0.9 : 0.1;
    agg.add({ group, dateSource, scores: [good, rng.uniform(), ai ? 0.8 : rng.uniform() < 0.02 ? 0.6 : 0] });
  }
}

describe('EstimateAggregator (synthetic scores)', () => {
  it('estimates per group, orders months, and marks small groups', () => {
    const rng = new Rng(1);
    const agg = new EstimateAggregator(detectors, {
      minDocs: 50,
      replicates: 300,
      groupsAreMonths: true,
      methods: new Set(['naive', 'corrected', 'pages']),
    });
    feed(agg, rng, '2024-05', 2000, 0.3);
    feed(agg, rng, '2023-01', 2000, 0.05, 'url');
    feed(agg, rng, '2025-02', 10, 0.5);
    feed(agg, rng, null, 7, 0.5);
    const res = agg.finish();
    expect(res.groups.map((g) => g.key)).toEqual(['2023-01', '2024-05', '2025-02']);
    expect(res.excluded).toBe(7);
    const may = res.groups[1];
    const corrected = may.estimates.find((e) => e.method === 'corrected:good')!;
    expect(Math.abs(corrected.share! - 0.3)).toBeLessThan(0.04);
    expect(may.estimates.find((e) => e.method === 'corrected:blind')!.status).toBe('uncalibrated');
    const prim = may.estimates.find((e) => e.method === 'primarily-ai:segments')!;
    expect(Math.abs(prim.share! - (0.3 + 0.7 * 0.02))).toBeLessThan(0.04);
    expect(may.estimates.some((e) => e.method === 'ai-fraction-25:segments')).toBe(true);
    expect(res.groups[0].dateSources).toEqual({ url: 2000 });
    const small = res.groups[2];
    expect(small.tooFew).toBe(true);
    expect(small.estimates.every((e) => e.status === 'too-few-documents')).toBe(true);
  });

  it('measures label agreement between detectors with Cohen’s kappa', () => {
    const rng = new Rng(2);
    const agg = new EstimateAggregator(detectors, { replicates: 100, methods: new Set(['naive']) });
    feed(agg, rng, 'all', 3000, 0.5);
    const { agreement } = agg.finish();
    const goodSeg = agreement.find((a) => a.a === 'good' && a.b === 'segments')!;
    const goodBlind = agreement.find((a) => a.a === 'good' && a.b === 'blind')!;
    expect(goodSeg.n).toBe(3000);
    expect(goodSeg.kappa!).toBeGreaterThan(0.7);
    expect(Math.abs(goodBlind.kappa!)).toBeLessThan(0.06);
  });

  it('skips text-based estimators when no text or resources are given', () => {
    const agg = new EstimateAggregator(detectors, { replicates: 50 });
    expect(agg.needsText).toBe(false);
    agg.add({ group: 'g', scores: [0.9, null, null] });
    const res = agg.finish();
    expect(res.excess).toBeNull();
    expect(res.groups[0].estimates.some((e) => e.kind === 'mixture')).toBe(false);
  });
});

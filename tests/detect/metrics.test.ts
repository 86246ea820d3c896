import { describe, expect, it } from 'vitest';
import { auroc, computeMetrics, thresholdAtFpr, tprAtFpr, wilson, accuracyAt, f1At } from '../../src/detect/metrics.js';
import { calibrate } from '../../src/detect/calibration.js';

describe('metrics', () => {
  it('AUROC: perfect, inverted, ties and a hand-computed case', () => {
    expect(auroc([0.9, 0.8], [0.1, 0.2])).toBe(1);
    expect(auroc([0.1, 0.2], [0.9, 0.8])).toBe(0);
    expect(auroc([0.5, 0.5], [0.5, 0.5])).toBe(0.5);
    // pos {0.3, 0.7} vs neg {0.5}: pairs (0.3<0.5)=0, (0.7>0.5)=1 → 0.5; plus a tie case
    expect(auroc([0.3, 0.7], [0.5])).toBe(0.5);
    expect(auroc([0.5, 0.7], [0.5])).toBe(0.75);
    expect(Number.isNaN(auroc([], [1]))).toBe(true);
  });

  it('TPR at FPR never exceeds the FPR budget on the negatives', () => {
    const neg = Array.from({ length: 100 }, (_, i) => i / 100);
    const pos = Array.from({ length: 50 }, (_, i) => 0.905 + i / 500);
    const t = thresholdAtFpr(neg, 0.05);
    expect(neg.filter((s) => s >= t).length).toBeLessThanOrEqual(5);
    // neg has 5 scores ≥ 0.95 → threshold just above 0.94: pos 0.941 … 1.003 pass (32 of 50).
    expect(tprAtFpr(pos, neg, 0.05)).toBeCloseTo(32 / 50);
    expect(tprAtFpr(pos, neg, 0.01)).toBeCloseTo(12 / 50);
    // Ties at the threshold are not flagged, so FPR stays within budget.
    expect(tprAtFpr([1, 1], [1, 1, 1, 1], 0.01)).toBe(0);
  });

  it('accuracy and F1 at a threshold', () => {
    expect(accuracyAt([0.9, 0.4], [0.1, 0.6], 0.5)).toBe(0.5);
    expect(f1At([0.9, 0.4], [0.1, 0.6], 0.5)).toBeCloseTo(0.5);
  });

  it('Wilson interval brackets the proportion', () => {
    const w = wilson(45, 50);
    expect(w.value).toBe(0.9);
    expect(w.lo).toBeLessThan(0.9);
    expect(w.hi).toBeGreaterThan(0.9);
    expect(wilson(0, 10).lo).toBe(0);
  });

  it('bootstrap CIs are deterministic for a seed and contain the estimate', () => {
    const scores = Array.from({ length: 200 }, (_, i) => ((i * 7919) % 200) / 200);
    const labels = scores.map((s, i) => (s + (i % 3) * 0.1 > 0.55 ? 1 : 0) as 0 | 1);
    const a = computeMetrics(scores, labels, { replicates: 200, seed: 1, threshold: 0.5 });
    const b = computeMetrics(scores, labels, { replicates: 200, seed: 1, threshold: 0.5 });
    expect(a).toEqual(b);
    expect(a.auroc!.lo).toBeLessThanOrEqual(a.auroc!.value);
    expect(a.auroc!.hi).toBeGreaterThanOrEqual(a.auroc!.value);
  });

  it('excludes null scores and reports coverage', () => {
    const m = computeMetrics([0.9, null, 0.1, null], [1, 1, 0, 0], { replicates: 0, seed: 1, threshold: 0.5 });
    expect(m.coverage).toBe(0.5);
    expect(m.nPos).toBe(1);
    expect(m.auroc!.value).toBe(1);
  });

  it('calibration picks a threshold within the FPR target', () => {
    const neg = Array.from({ length: 200 }, (_, i) => i / 400);
    const pos = Array.from({ length: 100 }, (_, i) => 0.3 + i / 200);
    const e = calibrate('x', '1', [...pos, ...neg], [...pos.map(() => 1 as const), ...neg.map(() => 0 as const)], 0.05, 'synthetic');
    expect(e.fpr).toBeLessThanOrEqual(0.05);
    expect(e.tprLo).toBeLessThanOrEqual(e.tpr);
    expect(e.fprHi).toBeGreaterThanOrEqual(e.fpr);
    expect(e.nPos).toBe(100);
  });
});

/**
 * Known-answer test on the real path: SYNTHETIC mixtures of REAL held-out labelled texts
 * (never used for training or calibration) at 0 %, 5 %, 20 % and 50 % AI in four months,
 * written as WARC files with those dates → `ccaudit scan` → `ccaudit score` →
 * `ccaudit report --format json`. The error-corrected estimates must cover the truth and be
 * close to it, as must the mixture MLE; the excess-vocabulary figure must behave as a lower bound. The bigger
 * repeated-draw measurement is scripts/known-answer.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShareReport } from '../../src/estimate/model.js';
import { compareToTruth, type Comparison } from '../../scripts/lib/known-answer.js';
import { buildScoredStore, makeTempDir, runCli, type ScoredStore } from '../report/helpers.js';

const PLAN = [
  { period: '2022-11', fraction: 0, n: 200 },
  { period: '2023-06', fraction: 0.05, n: 200 },
  { period: '2024-03', fraction: 0.2, n: 200 },
  { period: '2025-03', fraction: 0.5, n: 200 },
];

describe('known-answer mixtures through scan → score → report', () => {
  const tmp = makeTempDir('ccaudit-known-answer-');
  let store: ScoredStore;
  let report: ShareReport;
  let rows: Comparison[];

  beforeAll(async () => {
    store = await buildScoredStore(tmp.dir, PLAN, 20250301);
    const r = await runCli(['report', '--db', store.db, '--format', 'json', '--replicates', '1000']);
    if (r.code !== 0) throw new Error(`report failed: ${r.stderr}`);
    report = JSON.parse(r.stdout) as ShareReport;
    rows = compareToTruth(report, store.months);
    // Printed so a CI log shows the figures behind the assertions.
    for (const c of rows.filter((x) => x.kind === 'corrected' || x.kind === 'mixture' || x.kind === 'excess-lower-bound')) {
      console.log(
        `${c.period} truth ${(c.truth * 100).toFixed(1)}%  ${c.method.padEnd(22)} ${(c.share * 100).toFixed(1)}% [${(c.lo * 100).toFixed(1)}, ${(c.hi * 100).toFixed(1)}]${c.covered || c.kind === 'excess-lower-bound' ? '' : '  MISSED'}`,
      );
    }
  }, 600_000);
  afterAll(() => tmp.cleanup());

  it('reports every month with every document, dated from the pages', () => {
    expect(report.groups.map((g) => [g.key, g.documents])).toEqual(PLAN.map((p) => [p.period, p.n]));
    expect(report.excluded).toBe(0);
    for (const g of report.groups) expect(g.dateSources).toEqual({ 'meta-article': 200 });
  });

  it('error-corrected estimates cover the truth and are close to it', () => {
    const corrected = rows.filter((r) => r.kind === 'corrected');
    // 5 detectors × 4 months.
    expect(corrected.length).toBe(20);
    const misses = corrected.filter((r) => !r.covered);
    expect(misses, JSON.stringify(misses)).toEqual([]);
    const classifier = corrected.filter((r) => r.method === 'corrected:classifier');
    const meanAbs = classifier.reduce((s, r) => s + Math.abs(r.error), 0) / classifier.length;
    expect(meanAbs).toBeLessThan(0.03);
    for (const r of classifier) expect(Math.abs(r.error), r.period).toBeLessThan(0.06);
  });

  it('the mixture MLE is close to the truth', () => {
    // Its intervals cover less often than nominal (80–100 % over 40 draws in
    // scripts/known-answer.ts: it runs 2–4 points low), so only the error is checked here.
    const mixture = rows.filter((r) => r.method === 'mixture');
    expect(mixture.length).toBe(4);
    const meanAbs = mixture.reduce((s, r) => s + Math.abs(r.error), 0) / mixture.length;
    expect(meanAbs).toBeLessThan(0.04);
    for (const r of mixture) expect(Math.abs(r.error), r.period).toBeLessThan(0.08);
  });

  it('the naive share is biased where the correction is not', () => {
    const naive = rows.find((r) => r.method === 'naive:classifier' && r.fraction === 0)!;
    const corrected = rows.find((r) => r.method === 'corrected:classifier' && r.fraction === 0)!;
    // On a purely human month, classify-and-count reports roughly the false-positive rate.
    expect(naive.share).toBeGreaterThan(0.02);
    expect(corrected.share).toBeLessThan(naive.share);
  });

  it('the excess-vocabulary figure is a lower bound', () => {
    for (const r of rows.filter((x) => x.kind === 'excess-lower-bound')) {
      expect(r.lo, r.period).toBeLessThanOrEqual(r.truth);
    }
  });

  it('emits the collapse share series for every month and method', () => {
    const months = new Set(report.series.map((p) => p.period));
    expect([...months]).toEqual(PLAN.map((p) => p.period));
    // n counts the documents the detector scored (it declines a very short text now and then).
    for (const p of report.series.filter((x) => x.method === 'corrected:classifier')) {
      expect(p.n).toBeGreaterThanOrEqual(195);
      expect(p.n).toBeLessThanOrEqual(200);
    }
  });
});

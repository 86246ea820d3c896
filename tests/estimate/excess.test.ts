/**
 * GPT-word counters and the excess-vocabulary lower bound on SYNTHETIC documents: human
 * documents contain a marker word with probability q, AI documents with probability r, so
 * the expected bound (p − q)/(1 − q) = f·(r − q)/(1 − q) is known exactly.
 */
import { describe, expect, it } from 'vitest';
import { MarkerAccumulator, excessAnalysis } from '../../src/estimate/excess.js';
import { MarkerCounter, markerLexiconFromWords } from '../../src/estimate/markers.js';
import { Rng } from '../../src/core/rng.js';

const lexicon = markerLexiconFromWords(['delves', 'delved', 'delving', 'showcasing', 'intricate', 'underscores'], 'synthetic', 'test words');
const counter = new MarkerCounter(lexicon);

/** A synthetic 100-word document, with one marker word when `marked`. */
function doc(rng: Rng, marked: boolean): string {
  const words = Array.from({ length: 100 }, (_, i) => `filler${i % 17}`);
  if (marked) words[rng.int(100)] = ['delves', 'showcasing', 'intricate'][rng.int(3)];
  return words.join(' ');
}

describe('marker lexicon', () => {
  it('merges surface forms by stem and counts them in text', () => {
    expect(lexicon.entries.find((e) => e.key === 'delv')?.forms).toEqual(['delved', 'delves', 'delving']);
    const c = counter.count('She delves into it; he delved deeper, DELVING on. Intricate!');
    expect(c.hits.get('delv')).toBe(3);
    expect(c.hits.get('intricat')).toBe(1);
    expect(c.total).toBe(4);
    expect(c.words).toBe(10);
  });
});

describe('excess-vocabulary lower bound (synthetic)', () => {
  const q = 0.3;
  const r = 0.9;

  function months(rng: Rng, plan: Array<[string, number, number]>): MarkerAccumulator {
    const acc = new MarkerAccumulator();
    for (const [period, f, n] of plan) {
      for (let i = 0; i < n; i++) {
        const ai = rng.uniform() < f;
        acc.add(period, counter.count(doc(rng, rng.uniform() < (ai ? r : q))));
      }
    }
    return acc;
  }

  it('stays below the truth and covers its own expected value', () => {
    const rng = new Rng(17);
    let covered = 0;
    let loBelowTruth = 0;
    let sum = 0;
    const draws = 100;
    const f = 0.4;
    const expected = (f * (r - q)) / (1 - q);
    for (let d = 0; d < draws; d++) {
      const acc = months(rng, [
        ['2022-03', 0, 400],
        ['2022-09', 0, 400],
        ['2024-05', f, 400],
      ]);
      const a = excessAnalysis(acc.periods(), lexicon, { replicates: 300, seed: d });
      const lb = a.periods.find((p) => p.period === '2024-05')!.lowerBound;
      if (lb.lo! <= expected && expected <= lb.hi!) covered++;
      if (lb.lo! <= f) loBelowTruth++;
      sum += lb.share!;
    }
    expect(covered / draws).toBeGreaterThanOrEqual(0.88);
    // A bound in expectation: its mean sits below the truth, and so does the interval's low end.
    expect(sum / draws).toBeLessThan(f);
    expect(sum / draws).toBeCloseTo(expected, 1);
    expect(loBelowTruth / draws).toBeGreaterThanOrEqual(0.97);
  });

  it('reports per-word and whole-lexicon rates per million words and excess ratios', () => {
    const rng = new Rng(3);
    const a = excessAnalysis(
      months(rng, [
        ['2022-06', 0, 300],
        ['2025-01', 0.5, 300],
      ]).periods(),
      lexicon,
      { replicates: 100 },
    );
    expect(a.baseline.months).toEqual(['2022-06']);
    const [base, later] = a.periods;
    expect(base.isBaseline).toBe(true);
    expect(base.excessRatio).toBeCloseTo(1, 10);
    expect(later.excessRatio!).toBeGreaterThan(1.5);
    // ≈ 0.3 markers per 100-word document → ≈ 3000 per million words.
    expect(base.opm).toBeGreaterThan(2000);
    expect(base.opm).toBeLessThan(4000);
    const delv = a.words.find((w) => w.key === 'delv')!;
    expect(delv.periods.map((p) => p.period)).toEqual(['2022-06', '2025-01']);
    expect(delv.periods[1].excessRatio!).toBeGreaterThan(1);
  });

  it('says so when there is no baseline or too few documents', () => {
    const rng = new Rng(4);
    const acc = months(rng, [
      ['2024-01', 0.2, 50],
      ['2024-02', 0.2, 5],
    ]);
    const a = excessAnalysis(acc.periods(), lexicon, { minDocs: 10, replicates: 50 });
    expect(a.periods[0].lowerBound.status).toBe('no-data');
    expect(a.periods[0].lowerBound.note).toMatch(/no baseline documents before 2023-01/);
    expect(a.periods[1].lowerBound.status).toBe('too-few-documents');
  });

  it('projects a rising baseline with the linear counterfactual', () => {
    const acc = new MarkerAccumulator();
    const rng = new Rng(8);
    // The marker share rises by 1.5 points a month through 2022; 2024-01 continues the same
    // line (0.2 + 0.015·24) with no AI at all.
    const plan: Array<[string, number]> = [
      ['2022-01', 0.2],
      ['2022-05', 0.26],
      ['2022-09', 0.32],
      ['2022-12', 0.365],
      ['2024-01', 0.56],
    ];
    for (const [period, share] of plan) for (let i = 0; i < 2000; i++) acc.add(period, counter.count(doc(rng, rng.uniform() < share)));
    const mean = excessAnalysis(acc.periods(), lexicon, { replicates: 100 });
    const linear = excessAnalysis(acc.periods(), lexicon, { replicates: 100, baseline: 'linear' });
    const at = (x: typeof mean) => x.periods.find((p) => p.period === '2024-01')!;
    expect(at(mean).lowerBound.share!).toBeGreaterThan(0.3); // the flat baseline mistakes the trend for AI
    expect(at(linear).lowerBound.share!).toBeLessThan(0.05);
  });
});

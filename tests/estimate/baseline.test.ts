/**
 * Baseline-calibrated estimators: properties on SYNTHETIC score distributions (the
 * only way to know the truth exactly and to control shift), plus a check on REAL detector
 * scores of held-out labelled texts.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { sampleBeta } from '../../src/core/stats.js';
import { BaselineEstimator, balancedSplit, driftCheck, type BaselineItem } from '../../src/estimate/baseline/estimator.js';
import { BaselineScoreModel, thresholdForFpr } from '../../src/estimate/baseline/score-model.js';
import { binnedMixtureMle } from '../../src/estimate/baseline/score-mixture.js';
import { StratumCounter, lengthBand, resolveStrata, stratumKey } from '../../src/estimate/baseline/strata.js';
import { targetCells } from '../../src/estimate/baseline/target.js';
import { baselineCorrectedShare } from '../../src/estimate/baseline/baseline-corrected.js';
import type { ShareEstimate } from '../../src/estimate/types.js';
import type { StratumFields } from '../../src/estimate/baseline/types.js';

/** SYNTHETIC web-like score model: human scores Beta(2, 8) shifted per stratum, AI Beta(7, 3). */
function humanScore(rng: Rng, shift: number): number {
  return Math.min(1, sampleBeta(rng, 2, 8) + shift);
}
const aiScore = (rng: Rng): number => sampleBeta(rng, 7, 3);

const EN_LONG: StratumFields = { lang: 'eng', tld: 'com', words: 800 };
const DE_SHORT: StratumFields = { lang: 'deu', tld: 'de', words: 150 };
/** German short pages look more "AI" to the detector: a stratum-specific shift the baseline must absorb. */
const SHIFT = (f: StratumFields) => (f.lang === 'deu' ? 0.25 : 0);

function items(rng: Rng, n: number, fields: StratumFields, ai: boolean, month?: string): BaselineItem[] {
  return Array.from({ length: n }, () => ({ fields, scores: [ai ? aiScore(rng) : humanScore(rng, SHIFT(fields))], month }));
}

function month(rng: Rng, n: number, alpha: number, mixDe = 0.4): BaselineItem[] {
  const out: BaselineItem[] = [];
  for (let i = 0; i < n; i++) {
    const f = rng.uniform() < mixDe ? DE_SHORT : EN_LONG;
    const isAi = rng.uniform() < alpha;
    out.push({ fields: f, scores: [isAi ? aiScore(rng) : humanScore(rng, SHIFT(f))] });
  }
  return out;
}

function world(seed: number) {
  const rng = new Rng(seed);
  const baseline = [...items(rng, 600, EN_LONG, false, '2021-03'), ...items(rng, 400, DE_SHORT, false, '2022-03')];
  const ai = [...items(rng, 120, EN_LONG, true), ...items(rng, 80, DE_SHORT, true)];
  return { rng, baseline, ai };
}

const byMethod = (es: ShareEstimate[], m: string) => es.find((e) => e.method === m)!;

describe('strata', () => {
  it('builds keys per level and falls back from small strata', () => {
    const spec = resolveStrata({ minBaseline: 3 });
    expect(stratumKey(EN_LONG, spec, 0)).toBe('lang=eng|length=300-999|tld=com');
    expect(stratumKey(EN_LONG, spec, 1)).toBe('lang=eng|length=300-999');
    expect(stratumKey(EN_LONG, spec, 3)).toBe('*');
    expect(lengthBand(1200, [300, 1000])).toBe('>=1000');
    expect(stratumKey({ lang: 'eng', tld: 'xyz', words: 10 }, spec, 0)).toBe('lang=eng|length=<300|tld=other');
    const c = new StratumCounter(spec, 3);
    for (let i = 0; i < 5; i++) c.add(EN_LONG);
    c.add({ ...EN_LONG, words: 50 });
    c.add({ ...EN_LONG, words: 60, tld: 'org' });
    expect(c.cellOf(EN_LONG)).toEqual({ key: 'lang=eng|length=300-999|tld=com', level: 0 });
    // Two short pages: the TLD is given up first, then the length band (7 English pages).
    expect(c.cellOf({ ...EN_LONG, words: 50 })).toEqual({ key: 'lang=eng', level: 2 });
    expect(c.cellOf(DE_SHORT)).toEqual({ key: '*', level: 3 });
  });

  it('rejects bad specs with clear errors', () => {
    expect(() => resolveStrata({ dims: ['lang', 'lang'] })).toThrow(/twice/);
    expect(() => resolveStrata({ lengthEdges: [500, 100] })).toThrow(/increasing/);
  });
});

describe('building blocks', () => {
  it('thresholdForFpr flags at most the requested share, ties kept together', () => {
    const s = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];
    const t = thresholdForFpr(s, 0.2);
    expect(s.filter((x) => x >= t).length).toBe(2);
    const ties = [0.1, 0.2, 0.5, 0.5, 0.5, 0.9];
    const t2 = thresholdForFpr(ties, 0.5);
    expect(ties.filter((x) => x >= t2).length).toBeLessThanOrEqual(3);
  });

  it('binned mixture MLE recovers α from exact mixture counts', () => {
    const h = [0.4, 0.3, 0.2, 0.08, 0.02];
    const a = [0.02, 0.08, 0.2, 0.3, 0.4];
    for (const alpha of [0, 0.1, 0.35, 0.8]) {
      const n = h.map((x, i) => 10000 * ((1 - alpha) * x + alpha * a[i]));
      expect(binnedMixtureMle(n, h, a)).toBeCloseTo(alpha, 4);
    }
    // Outside [0, 1] when the data say so (clipping happens only after strata are combined).
    const below = h.map((x, i) => 1000 * (1.1 * x - 0.1 * a[i]));
    expect(binnedMixtureMle(below, h, a)).toBeLessThan(0);
  });
});

describe('baseline estimators (SYNTHETIC scores with a stratum-specific shift)', () => {
  const { baseline, ai } = world(11);
  const est = new BaselineEstimator(['det'], baseline, ai, { strata: { minBaseline: 50, minAi: 30 } });

  it('α = 0: intervals contain 0 at (at least) their nominal rate, and point estimates stay near 0', () => {
    // A 95 % interval may miss the truth 1 time in 20 by design; over 40 intervals allow 2.
    let misses = 0;
    let intervals = 0;
    let sum = 0;
    for (let s = 0; s < 20; s++) {
      const rng = new Rng(1000 + s);
      for (const e of est.estimate(month(rng, 300, 0), { replicates: 300, seed: s })) {
        expect(e.status).toBe('ok');
        intervals++;
        if (e.lo! > 0) misses++;
        sum += e.share!;
        expect(e.share!).toBeLessThan(0.06);
      }
    }
    expect(intervals).toBe(40);
    expect(misses).toBeLessThanOrEqual(2);
    // Clipping at 0 makes the mean slightly positive; it stays well under a point.
    expect(sum / intervals).toBeLessThan(0.01);
  });

  it('recovers the truth within sampling error and is monotone in the true fraction', () => {
    const fractions = [0, 0.05, 0.2, 0.5, 0.8];
    const means = { 'baseline-corrected:det': [] as number[], 'score-mixture:det': [] as number[] };
    for (const f of fractions) {
      const acc = { 'baseline-corrected:det': 0, 'score-mixture:det': 0 };
      const draws = 12;
      for (let s = 0; s < draws; s++) {
        const es = est.estimate(month(new Rng(5000 + s), 400, f), { replicates: 100, seed: s });
        for (const m of Object.keys(acc) as Array<keyof typeof acc>) acc[m] += byMethod(es, m).share! / draws;
      }
      for (const m of Object.keys(acc) as Array<keyof typeof acc>) {
        expect(Math.abs(acc[m] - f)).toBeLessThan(0.03);
        means[m].push(acc[m]);
      }
    }
    for (const m of Object.values(means)) for (let i = 1; i < m.length; i++) expect(m[i]).toBeGreaterThan(m[i - 1]);
  });

  it('a pooled (unstratified) baseline is biased by the shift; the stratified one is not', () => {
    const pooled = new BaselineEstimator(['det'], baseline, ai, { strata: { dims: [], minBaseline: 50, minAi: 30 } });
    let strat = 0;
    let pool = 0;
    const draws = 10;
    for (let s = 0; s < draws; s++) {
      // The audited months have far more German short pages than the baseline (80 % vs 40 %).
      const m = month(new Rng(7000 + s), 400, 0.1, 0.8);
      strat += byMethod(est.estimate(m, { replicates: 100 }), 'baseline-corrected:det').share! / draws;
      pool += byMethod(pooled.estimate(m, { replicates: 100 }), 'baseline-corrected:det').share! / draws;
    }
    expect(Math.abs(strat - 0.1)).toBeLessThan(0.02);
    expect(pool - 0.1).toBeGreaterThan(0.035);
  });

  it('stays stable when a stratum is tiny: it falls back and says so', () => {
    const rng = new Rng(99);
    const base = month(rng, 400, 0.2);
    const tiny: StratumFields = { lang: 'fra', tld: 'fr', words: 500 };
    const withTiny = [...base, ...items(rng, 3, tiny, false)];
    const model = est.models[0];
    const a = baselineCorrectedShare(
      model,
      targetCells(
        model,
        base.map((x) => ({ fields: x.fields, score: x.scores[0] })),
      ),
      { replicates: 200 },
    );
    const b = baselineCorrectedShare(
      model,
      targetCells(
        model,
        withTiny.map((x) => ({ fields: x.fields, score: x.scores[0] })),
      ),
      { replicates: 200 },
    );
    expect(Math.abs(a.share! - b.share!)).toBeLessThan(0.02);
    expect(b.note).toMatch(/coarser baseline stratum/);
  });

  it('the interval widens when the baseline is small (its sampling error is included)', () => {
    const rng = new Rng(5);
    const small = new BaselineEstimator(['det'], [...items(rng, 60, EN_LONG, false), ...items(rng, 60, DE_SHORT, false)], ai, {
      strata: { minBaseline: 50, minAi: 30 },
    });
    const m = month(new Rng(6), 400, 0.2);
    const wide = byMethod(small.estimate(m, { replicates: 400 }), 'baseline-corrected:det');
    const narrow = byMethod(est.estimate(m, { replicates: 400 }), 'baseline-corrected:det');
    expect(wide.hi! - wide.lo!).toBeGreaterThan(narrow.hi! - narrow.lo!);
  });

  it('reports no estimate without AI references, and labels the calibration', () => {
    const none = new BaselineEstimator(['det'], baseline, [], {});
    const es = none.estimate(month(new Rng(1), 100, 0.1));
    expect(es.every((e) => e.status === 'uncalibrated')).toBe(true);
    const ok = est.estimate(month(new Rng(1), 100, 0.1));
    expect(ok.every((e) => e.calibration === 'baseline')).toBe(true);
    expect(BaselineScoreModel.build('d', [], []).usable).toBe(false);
  });
});

describe('drift check', () => {
  it('is small when both periods come from the same distribution and large when style drifts', () => {
    const rng = new Rng(3);
    const ai = items(rng, 200, EN_LONG, true);
    const same = [...items(rng, 500, EN_LONG, false, '2019-06'), ...items(rng, 500, EN_LONG, false, '2021-06')];
    const steady = driftCheck(['det'], same, ai, { strata: { dims: [] }, replicates: 50, split: '2020-01' });
    const drifted = [
      ...items(rng, 500, EN_LONG, false, '2019-06'),
      // Later pages score higher for reasons that have nothing to do with AI (topic/style drift).
      ...Array.from({ length: 500 }, () => ({ fields: EN_LONG, scores: [Math.min(1, humanScore(rng, 0.15))], month: '2021-06' })),
    ];
    const moved = driftCheck(['det'], drifted, ai, { strata: { dims: [] }, replicates: 50, split: '2020-01' });
    for (const m of ['baseline-corrected:det', 'score-mixture:det']) {
      const s = steady.find((d) => d.method === m)!;
      const d = moved.find((x) => x.method === m)!;
      expect(s.halfWidth!).toBeLessThan(0.04);
      expect(d.halfWidth!).toBeGreaterThan(0.08);
      expect(d.periods).toBe('2019-06–2019-12 vs 2020-01–2021-06');
      expect(d.nA).toBe(500);
    }
  });

  it('returns nothing when the baseline spans a single month', () => {
    const rng = new Rng(4);
    expect(driftCheck(['det'], items(rng, 100, EN_LONG, false, '2021-01'), items(rng, 50, EN_LONG, true))).toEqual([]);
  });
});

describe('balancedSplit', () => {
  it('splits where the pages divide most evenly, even when one month dominates', () => {
    expect(balancedSplit(['2013-04', '2013-04', '2013-04', '2019-12', '2020-08'])).toBe('2019-12');
    expect(balancedSplit(['2019-01', '2020-01', '2021-01', '2022-01'])).toBe('2021-01');
    expect(balancedSplit(['2021-01', '2021-01'])).toBeNull();
  });
});

/**
 * The degenerate case of the counting correction against the baseline: 49 baseline pages,
 * 44 AI references, an audited month with 0 % AI, and a weak detector (TPR − FPR ≈ 0.05 with a
 * standard error of ≈ 0.05 at the 5 %-baseline-FPR threshold). It must give either an honest
 * interval (containing 0, narrower than [0, 1]) or 'not-identifiable' with the reason — never a
 * clipped 100 % or a [0, 1] interval that "covers" everything.
 *
 * Scores are SYNTHETIC, drawn with the shape of a web classifier's scores (most human pages
 * near 0, a long right tail): human Beta(1.2, 6); the weak detector's AI references
 * Beta(1.6, 5.5), barely to the right; a usable detector's Beta(5, 2).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { sampleBeta } from '../../src/core/stats.js';
import { BaselineEstimator, type BaselineItem } from '../../src/estimate/baseline/estimator.js';
import { conservativeInterval } from '../../src/estimate/baseline/baseline-corrected.js';
import { separationOf } from '../../src/estimate/baseline/matched-cells.js';
import type { StratumFields } from '../../src/estimate/baseline/types.js';
import type { ShareEstimate } from '../../src/estimate/types.js';
import { runCli } from '../support/run-cli.js';

const TLDS = ['com', 'com', 'com', 'org', 'net', 'de'];
const LENGTHS = [120, 180, 450, 700, 1400];

function fields(rng: Rng, tld: boolean): StratumFields {
  return { lang: 'eng', tld: tld ? TLDS[Math.floor(rng.uniform() * TLDS.length)] : null, words: LENGTHS[Math.floor(rng.uniform() * LENGTHS.length)] };
}

const human = (rng: Rng) => sampleBeta(rng, 1.2, 6);
const weakAi = (rng: Rng) => sampleBeta(rng, 1.6, 5.5);
const usableAi = (rng: Rng) => sampleBeta(rng, 5, 2);

function draw(rng: Rng, n: number, score: (r: Rng) => number, withTld: boolean): BaselineItem[] {
  return Array.from({ length: n }, () => ({ fields: fields(rng, withTld), scores: [score(rng)] }));
}

/** 49 baseline pages, 44 imported references (no TLD), a 200-page month at 0 % AI. */
function degenerateCase(seed: number, ai: (r: Rng) => number) {
  const rng = new Rng(seed);
  return { baseline: draw(rng, 49, human, true), references: draw(rng, 44, ai, false), month: draw(rng, 200, human, true) };
}

const corrected = (es: ShareEstimate[]) => es.find((e) => e.method === 'baseline-corrected:det')!;

/** What the acceptance asks of a 0 % month: an honest interval, or a reason. */
function expectHonest(e: ShareEstimate): void {
  if (e.status === 'not-identifiable') {
    expect(e.note).toMatch(/TPR − FPR is -?\d\.\d{3} ± \d\.\d{3}|wider than the whole scale/);
    return;
  }
  expect(e.status).toBe('ok');
  expect(e.lo!).toBeLessThanOrEqual(0);
  expect(e.hi!).toBeGreaterThanOrEqual(e.share!);
  expect(e.hi! - e.lo!).toBeLessThan(1);
}

describe('baseline-corrected on the degenerate case (SYNTHETIC scores)', () => {
  it('the fixture is the case described: TPR − FPR ≈ 0.05 with a standard error ≈ 0.05', () => {
    const c = degenerateCase(5, weakAi);
    const est = new BaselineEstimator(['det'], c.baseline, c.references);
    const m = est.models[0];
    const s = separationOf(m.baselineCells.get('*')!, m.aiCells.get('*')!);
    expect(m.nBaseline).toBe(49);
    expect(m.nAi).toBe(44);
    expect(s.d).toBeGreaterThan(0.03);
    expect(s.d).toBeLessThan(0.08);
    expect(s.se).toBeGreaterThan(0.04);
    expect(s.se).toBeLessThan(0.06);
  });

  it('says "not identifiable" with the separation and its error, under default and fine strata', () => {
    const c = degenerateCase(5, weakAi);
    for (const strata of [{}, { minBaseline: 10, minAi: 10 }]) {
      const e = corrected(new BaselineEstimator(['det'], c.baseline, c.references, { strata }).estimate(c.month, { replicates: 400 }));
      expect(e.status).toBe('not-identifiable');
      expect(e.share).toBeNull();
      expect(e.note).toMatch(/TPR − FPR is 0\.0\d\d ± 0\.0\d\d \(standard error; 49 baseline pages, 44 AI references\)/);
      expect(e.note).toMatch(/even with all strata pooled/);
      expect(e.n).toBe(200);
    }
  });

  it('never answers a weak detector with a clipped 100 % or a [0, 1] interval, over 30 draws', () => {
    for (let s = 0; s < 30; s++) {
      const c = degenerateCase(100 + s, weakAi);
      for (const strata of [{}, { minBaseline: 10, minAi: 10 }]) {
        const e = corrected(new BaselineEstimator(['det'], c.baseline, c.references, { strata }).estimate(c.month, { replicates: 300, seed: s }));
        expectHonest(e);
        if (e.status === 'ok') expect(e.share!).toBeLessThan(1);
      }
    }
  });

  it('with a detector that separates, the same small samples give an interval containing 0 and narrower than [0, 1]', () => {
    let misses = 0;
    for (let s = 0; s < 20; s++) {
      const c = degenerateCase(200 + s, usableAi);
      const e = corrected(new BaselineEstimator(['det'], c.baseline, c.references).estimate(c.month, { replicates: 400, seed: s }));
      expect(e.status).toBe('ok');
      expect(e.hi! - e.lo!).toBeLessThan(0.5);
      if (e.lo! > 0) misses++;
      // Both rates come from one stratum (the pooled one: 49 pages are too few for any other).
      for (const cell of e.details!.cells as Array<{ baseline: string; ai: string }>) expect(cell.baseline).toBe(cell.ai);
      // A negative corrected rate is shown as 0, and the note says so.
      const raw = e.details!.unclipped as number;
      if (raw < 0) {
        expect(e.share).toBe(0);
        expect(e.details!.bound).toBe('lower');
        expect(e.note).toMatch(/below 0, and is shown as 0/);
      }
    }
    // 95 % intervals: 1 miss in 20 is expected; allow 2.
    expect(misses).toBeLessThanOrEqual(2);
  });
});

describe('the degenerate case through `ccaudit estimate --jsonl --baseline --references` (SYNTHETIC scored lines)', () => {
  it('the report says "not identifiable" with the reason, not a share', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccaudit-degenerate-'));
    try {
      const c = degenerateCase(5, weakAi);
      const write = (name: string, items: BaselineItem[], extra: (i: number) => object) => {
        const path = join(dir, name);
        // The scores are given, so the texts only fill the format (and the word mixture).
        const lines = items.map((x, i) =>
          JSON.stringify({ text: `synthetic text ${i} of ${x.fields.words} words`, lang: 'eng', scores: { det: x.scores[0] }, ...extra(i) }),
        );
        writeFileSync(path, `${lines.join('\n')}\n`);
        return path;
      };
      const baseline = write('baseline.jsonl', c.baseline, (i) => ({ month: i % 2 ? '2021-03' : '2022-03' }));
      const references = write('references.jsonl', c.references, () => ({ generator: 'synthetic-beta' }));
      const corpus = join(dir, 'corpus.jsonl');
      writeFileSync(corpus, `${c.month.map((x, i) => JSON.stringify({ id: i, month: '2024-01', scores: { det: x.scores[0] } })).join('\n')}\n`);
      const r = await runCli([
        'estimate',
        '--jsonl',
        corpus,
        '--baseline',
        baseline,
        '--references',
        references,
        '--method',
        'naive,baseline',
        '--replicates',
        '300',
      ]);
      expect(r.status, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.groups).toHaveLength(1);
      const e = report.groups[0].estimates.find((x: ShareEstimate) => x.method === 'baseline-corrected:det');
      expect(e.status).toBe('not-identifiable');
      expect(e.share).toBeNull();
      expect(e.note).toMatch(/TPR − FPR is 0\.0\d\d ± 0\.0\d\d \(standard error; 49 baseline pages, 44 AI references\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('baseline-corrected strata (SYNTHETIC scores)', () => {
  it('pools a stratum where the detector does not separate instead of dropping its documents, and says so', () => {
    const rng = new Rng(8);
    const en: StratumFields = { lang: 'eng', tld: 'com', words: 600 };
    const de: StratumFields = { lang: 'deu', tld: 'de', words: 600 };
    const item = (f: StratumFields, s: number): BaselineItem => ({ fields: f, scores: [s] });
    // German: the detector scores AI references like human pages; English: it separates.
    const baseline = [...Array.from({ length: 300 }, () => item(en, human(rng))), ...Array.from({ length: 300 }, () => item(de, human(rng)))];
    const refs = [...Array.from({ length: 100 }, () => item(en, usableAi(rng))), ...Array.from({ length: 100 }, () => item(de, human(rng)))];
    const month = [...Array.from({ length: 150 }, () => item(en, human(rng))), ...Array.from({ length: 50 }, () => item(de, human(rng)))];
    const e = corrected(new BaselineEstimator(['det'], baseline, refs).estimate(month, { replicates: 300 }));
    expect(e.status).toBe('ok');
    expect(e.n).toBe(200);
    expect(e.details!.leftOut).toBe(0);
    expect(e.details!.coarserForSeparation).toBe(50);
    expect(e.note).toMatch(/50 of 200 documents moved to a coarser stratum because the detector does not separate/);
    const cells = e.details!.cells as Array<{ stratum: string; n: number }>;
    expect(cells.reduce((s, c) => s + c.n, 0)).toBe(200);
    expect(e.lo!).toBeLessThanOrEqual(0.02);
  });
});

describe('conservativeInterval', () => {
  it('counts undefined replicates against both bounds instead of dropping them', () => {
    const draws = Float64Array.from({ length: 100 }, (_, i) => i / 100);
    expect(conservativeInterval(draws, 0.9).lo).toBeCloseTo(0.0495, 3);
    // 10 undefined draws: the 5 % tails reach them, so both bounds become infinite.
    const holed = Float64Array.from(draws, (x, i) => (i % 10 === 0 ? Number.NaN : x));
    const { lo, hi } = conservativeInterval(holed, 0.9);
    expect(lo).toBe(Number.NEGATIVE_INFINITY);
    expect(hi).toBe(Number.POSITIVE_INFINITY);
    // 2 undefined draws stay inside the 5 % tails: a finite, slightly wider interval.
    const few = Float64Array.from(draws, (x, i) => (i === 3 || i === 60 ? Number.NaN : x));
    const f = conservativeInterval(few, 0.9);
    expect(Number.isFinite(f.lo) && Number.isFinite(f.hi)).toBe(true);
    expect(f.hi).toBeGreaterThanOrEqual(conservativeInterval(draws, 0.9).hi);
  });
});

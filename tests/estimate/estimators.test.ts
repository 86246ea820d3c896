/**
 * Estimator behaviour on SYNTHETIC data with known prevalence: score vectors and word sets
 * drawn from known distributions, so the truth is known exactly. Coverage is checked over
 * repeated draws against the nominal 95 %.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { sampleBinomial } from '../../src/core/stats.js';
import { classifyAndCount, countPositives } from '../../src/estimate/classify-count.js';
import { correctedShare, roganGladen, type OperatingPoint } from '../../src/estimate/corrected.js';
import { binRatios, mixtureShare, mleAlpha, packRatios } from '../../src/estimate/mixture.js';
import { buildReference, fitRatioCalibration, MixtureReference } from '../../src/estimate/reference.js';
import { aiFractionShare, countPages, isPrimarilyAi, primarilyAiShare } from '../../src/estimate/pages.js';
import { findDisagreements } from '../../src/estimate/disagreement.js';
import { okEstimate, type ShareEstimate } from '../../src/estimate/types.js';

const TPR = 0.8;
const FPR = 0.05;

/** Synthetic calibration: the detector's true TPR/FPR measured on nPos + nNeg labelled documents. */
function synthCalibration(rng: Rng, nPos = 800, nNeg = 800): OperatingPoint {
  return { threshold: 0.5, tpr: sampleBinomial(rng, nPos, TPR) / nPos, fpr: sampleBinomial(rng, nNeg, FPR) / nNeg, nPos, nNeg };
}

/** Synthetic detector scores for a corpus with AI share π: AI docs score ≥ 0.5 with prob TPR. */
function synthScores(rng: Rng, n: number, pi: number): number[] {
  return Array.from({ length: n }, () => {
    const ai = rng.uniform() < pi;
    const flagged = rng.uniform() < (ai ? TPR : FPR);
    return flagged ? 0.5 + rng.uniform() / 2 : rng.uniform() / 2;
  });
}

describe('classify-and-count (synthetic scores)', () => {
  it('reports the raw positive share with a Wilson interval and is biased by false positives', () => {
    const rng = new Rng(3);
    const { k, n } = countPositives(synthScores(rng, 4000, 0), 0.5);
    const e = classifyAndCount(k, n, { detector: 'synthetic', threshold: 0.5 });
    expect(e.status).toBe('ok');
    // A purely human corpus still shows ≈ FPR "AI".
    expect(e.share!).toBeGreaterThan(0.03);
    expect(e.lo!).toBeGreaterThan(0);
    expect(countPositives([null, 0.2, 0.7, NaN], 0.5)).toEqual({ k: 1, n: 2 });
  });

  it('says "too few documents" below the minimum', () => {
    expect(classifyAndCount(1, 5, { detector: 'x', threshold: 0.5, minDocs: 30 }).status).toBe('too-few-documents');
    expect(classifyAndCount(0, 0, { detector: 'x', threshold: 0.5 }).status).toBe('no-data');
  });
});

describe('error-corrected prevalence (synthetic scores)', () => {
  it('is the Rogan–Gladen formula, clipped', () => {
    expect(roganGladen(0.2, 0.8, 0.05)).toBeCloseTo(0.2, 12);
    expect(roganGladen(0.01, 0.8, 0.05)).toBe(0);
    expect(roganGladen(0.95, 0.8, 0.05)).toBe(1);
    expect(roganGladen(0.3, 0.4, 0.5)).toBeNaN();
  });

  it('covers the true share at about the nominal 95 % over repeated draws', () => {
    const rng = new Rng(11);
    for (const pi of [0, 0.05, 0.2, 0.5]) {
      let covered = 0;
      let absErr = 0;
      const draws = 200;
      for (let r = 0; r < draws; r++) {
        const cal = synthCalibration(rng);
        const { k, n } = countPositives(synthScores(rng, 500, pi), 0.5);
        const e = correctedShare(k, n, cal, { detector: 'synthetic', replicates: 400, seed: r });
        if (e.lo! <= pi && pi <= e.hi!) covered++;
        absErr += Math.abs(e.share! - pi);
      }
      const coverage = covered / draws;
      expect(coverage, `coverage at π=${pi}`).toBeGreaterThanOrEqual(0.9);
      expect(coverage, `coverage at π=${pi}`).toBeLessThanOrEqual(pi === 0 ? 1 : 0.995);
      expect(absErr / draws, `mean |error| at π=${pi}`).toBeLessThan(0.03);
    }
  });

  it('widens the interval when the calibration rests on few documents', () => {
    const small = correctedShare(100, 500, { threshold: 0.5, tpr: 0.8, fpr: 0.05, nPos: 40, nNeg: 40 }, { detector: 'x', replicates: 500 });
    const large = correctedShare(100, 500, { threshold: 0.5, tpr: 0.8, fpr: 0.05, nPos: 4000, nNeg: 4000 }, { detector: 'x', replicates: 500 });
    expect(small.hi! - small.lo!).toBeGreaterThan((large.hi! - large.lo!) * 1.3);
  });

  it('refuses without calibration or when TPR ≈ FPR', () => {
    expect(correctedShare(10, 100, null, { detector: 'x' }).status).toBe('uncalibrated');
    expect(correctedShare(10, 100, { threshold: 0.5, tpr: 0.3, fpr: 0.28, nPos: 100, nNeg: 100 }, { detector: 'x' }).status).toBe('not-identifiable');
  });

  it('is deterministic for a seed', () => {
    const cal: OperatingPoint = { threshold: 0.5, tpr: 0.8, fpr: 0.05, nPos: 300, nNeg: 300 };
    expect(correctedShare(40, 300, cal, { detector: 'x', seed: 5 })).toEqual(correctedShare(40, 300, cal, { detector: 'x', seed: 5 }));
  });
});

/** A synthetic word-occurrence world: V words with known human (p) and AI (q) occurrence rates. */
function synthWorld(rng: Rng, V = 60) {
  const p = Array.from({ length: V }, () => 0.05 + 0.3 * rng.uniform());
  const q = p.map((x, i) => (i % 3 === 0 ? Math.min(0.9, x * 2.2) : i % 3 === 1 ? x / 2 : x));
  const doc = (ai: boolean): string => {
    const words: string[] = [];
    for (let w = 0; w < V; w++) if (rng.uniform() < (ai ? q[w] : p[w])) words.push(`word${String.fromCharCode(97 + (w % 26))}${Math.floor(w / 26)}x`);
    return words.length > 0 ? words.join(' ') : 'filler';
  };
  return { p, q, doc };
}

describe('distributional mixture MLE (synthetic word sets)', () => {
  it('finds the boundary solutions and the interior maximum', () => {
    expect(mleAlpha(packRatios([[-3], [-2], [-5]]))).toBe(0);
    expect(mleAlpha(packRatios([[3], [2], [5]]))).toBe(1);
    // Half the documents have r = +∞-like evidence, half −∞-like: α̂ = 0.5.
    expect(mleAlpha(packRatios([[40], [40], [-40], [-40]]))).toBeCloseTo(0.5, 6);
    // Binning leaves the estimate essentially unchanged.
    const rng = new Rng(2);
    const rs = Array.from({ length: 5000 }, () => (rng.uniform() < 0.3 ? 1 + rng.normal() : -1 + rng.normal()));
    expect(mleAlpha(binRatios(rs))).toBeCloseTo(mleAlpha(packRatios(rs.map((r) => [r]))), 2);
  });

  it('recovers the mixing fraction with a covering interval over repeated draws', () => {
    const rng = new Rng(5);
    const world = synthWorld(rng);
    const refTexts = [
      ...Array.from({ length: 3000 }, () => ({ text: world.doc(false), label: 'human' as const, lang: 'eng' })),
      ...Array.from({ length: 3000 }, () => ({ text: world.doc(true), label: 'ai' as const, lang: 'eng' })),
    ];
    const ref = new MixtureReference(buildReference(refTexts, { unit: 'document', minHuman: 5, minAi: 3, maxWords: null, languages: ['eng'] }));
    expect(ref.vocabularySize).toBe(60);
    for (const alpha of [0, 0.2, 0.5]) {
      let covered = 0;
      let absErr = 0;
      const draws = 60;
      for (let r = 0; r < draws; r++) {
        const docs = Array.from({ length: 400 }, () => world.doc(rng.uniform() < alpha));
        const e = mixtureShare(packRatios(docs.map((t) => ref.ratios(t))), { replicates: 200, seed: r, unit: 'document' });
        if (e.lo! <= alpha && alpha <= e.hi!) covered++;
        absErr += Math.abs(e.share! - alpha);
      }
      expect(covered / draws, `coverage at α=${alpha}`).toBeGreaterThanOrEqual(0.88);
      expect(absErr / draws, `mean |error| at α=${alpha}`).toBeLessThan(0.04);
    }
  });

  it('re-calibrates over-confident ratios with a balanced logistic fit', () => {
    // True log-LR is z; a model reports 10·z (over-confident). The fit should return a ≈ 0.1.
    const rng = new Rng(9);
    const raw: number[] = [];
    const labels: Array<0 | 1> = [];
    for (let i = 0; i < 4000; i++) {
      const ai = i % 2 === 0;
      const z = ai ? 1 + rng.normal() : -1 + rng.normal(); // N(±1, 1): log-LR = 2x
      raw.push(10 * 2 * z);
      labels.push(ai ? 1 : 0);
    }
    const cal = fitRatioCalibration(raw, labels, 'synthetic');
    expect(cal.a).toBeCloseTo(0.1, 1);
    expect(Math.abs(cal.b)).toBeLessThan(0.2);
  });

  it('reports no-data and too-few-documents', () => {
    expect(mixtureShare(packRatios([])).status).toBe('no-data');
    expect(mixtureShare(packRatios([[1], [2]]), { minDocs: 10 }).status).toBe('too-few-documents');
  });
});

describe('page-level shares (synthetic chunk fractions)', () => {
  it('counts primarily-AI pages (> 50 %) and pages above a fraction', () => {
    const fractions = [0, 0.2, 0.5, 0.51, 1, null, 0.3];
    const prim = countPages(fractions, isPrimarilyAi);
    expect(prim).toEqual({ k: 2, n: 6 });
    const e = primarilyAiShare(prim.k, prim.n, { detector: 'segments' });
    expect(e.share).toBeCloseTo(2 / 6, 12);
    expect(e.method).toBe('primarily-ai:segments');
    const atLeast = countPages(fractions, (f) => f >= 0.25);
    expect(aiFractionShare(atLeast.k, atLeast.n, 0.25, { detector: 'segments' }).share).toBeCloseTo(4 / 6, 12);
  });
});

describe('disagreement', () => {
  const est = (method: string, kind: ShareEstimate['kind'], share: number, lo: number, hi: number) =>
    okEstimate({ method, kind, detector: null, share, lo, hi, level: 0.95, n: 100 });

  it('flags non-overlapping corrected/mixture intervals and violated lower bounds only', () => {
    const d = findDisagreements([
      est('corrected:a', 'corrected', 0.1, 0.05, 0.15),
      est('corrected:b', 'corrected', 0.12, 0.08, 0.18),
      est('mixture', 'mixture', 0.4, 0.3, 0.5),
      est('naive:a', 'naive', 0.9, 0.85, 0.95),
      est('excess-lower-bound', 'excess-lower-bound', 0.25, 0.2, 0.3),
    ]);
    const pairs = d.map((x) => `${x.a}|${x.b}`).sort();
    expect(pairs).toEqual(['corrected:a|mixture', 'corrected:b|mixture', 'excess-lower-bound|corrected:a', 'excess-lower-bound|corrected:b']);
    expect(d[0].message).toMatch(/do not overlap|lower bound/);
  });
});

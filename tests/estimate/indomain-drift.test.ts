/**
 * Identifiability and the drift check of the in-domain model, on SYNTHETIC texts. Baseline
 * pages and references of one kind make a mixture weight no data can fix: the model refuses
 * with the reason. The drift check (train on the earlier baseline months, estimate the later
 * ones, which are human) must not learn later pages' words as AI from references written from
 * them (continuing their openings, as `synthesize` writes from a page), or human pages read as
 * AI and the drift band swallows the interval.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { InDomainModel } from '../../src/estimate/indomain/model.js';

/** A sentence of `n` words drawn from `pool` (SYNTHETIC vocabulary). */
function words(rng: Rng, pool: readonly string[], n: number): string {
  return Array.from({ length: n }, () => pool[rng.int(pool.length)]).join(' ');
}

function corpus() {
  const rng = new Rng(17);
  const common = Array.from({ length: 300 }, (_, i) => `common${i}`);
  const humanWords = [...common, ...Array.from({ length: 60 }, (_, i) => `plain${i}`)];
  const aiWords = [...common, ...Array.from({ length: 60 }, (_, i) => `delve${i}`)];
  // Every page opens with words of its own subject.
  const opening = (page: number) =>
    words(
      rng,
      Array.from({ length: 12 }, (_, i) => `subject${page}x${i}`),
      25,
    );
  const page = (p: number) => `${opening(p)}. ${words(rng, humanWords, 120)}.`;
  const early = Array.from({ length: 120 }, (_, p) => ({ text: page(p), month: '2022-01' }));
  const late = Array.from({ length: 120 }, (_, p) => ({ text: page(1000 + p), month: '2022-06' }));
  // Half the references continue a later page's opening; the rest are on subjects of their own.
  const continued = late.slice(0, 80).map((x) => ({ text: `${x.text.slice(0, x.text.indexOf('.'))}. ${words(rng, aiWords, 120)}.`, generator: 'g' }));
  const own = Array.from({ length: 80 }, (_, p) => ({ text: `${opening(5000 + p)}. ${words(rng, aiWords, 120)}.`, generator: 'g' }));
  return { human: [...early, ...late], ai: [...continued, ...own], continued };
}

describe('in-domain identifiability', () => {
  it('refuses, with the reason, when baseline and references are the same kind of text', () => {
    // SYNTHETIC: both sides drawn from one vocabulary, so no discriminator can tell them apart.
    const rng = new Rng(23);
    const pool = Array.from({ length: 400 }, (_, i) => `word${i}`);
    const human = Array.from({ length: 60 }, () => ({ text: `${words(rng, pool, 150)}.` }));
    const ai = Array.from({ length: 45 }, () => ({ text: `${words(rng, pool, 150)}.`, generator: 'g' }));
    expect(() => InDomainModel.build(human, ai, { level: 0.95, replicates: 50, seed: 4 })).toThrow(
      /^not identifiable: the audit's discriminator does not tell its baseline pages from its AI references better than chance \(held-out AUROC 0\.\d\d, 95 % lower bound 0\.\d\d, with 60 baseline pages and 45 references\); add references or baseline pages$/,
    );
  }, 60_000);
});

describe('in-domain drift check', () => {
  it('reads later human pages as human when references continue them', () => {
    const { human, ai } = corpus();
    const model = InDomainModel.build(human, ai, { level: 0.95, replicates: 100, seed: 2 });
    expect(model.info.auroc).toBeGreaterThan(0.9);
    expect(model.info.drift).not.toBeNull();
    expect(model.info.drift!.estimate).toBeLessThan(0.05);
    expect(model.info.drift!.band).toBeLessThan(0.05);
  }, 60_000);

  it('says why there is no drift check when every reference was written from a later page', () => {
    const { human, continued } = corpus();
    const model = InDomainModel.build(human, continued, { level: 0.95, replicates: 50, seed: 2 });
    expect(model.info.drift).toBeNull();
    expect(model.info.notes).toContain(
      'no drift check: only 0 references were not written from the later baseline pages (the check needs 30); topic drift after the baseline is not in the interval.',
    );
  }, 60_000);
});

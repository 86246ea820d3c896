/**
 * The drift check (train on the earlier baseline months, estimate the later ones, which are
 * human) on SYNTHETIC texts: references written from later baseline pages (continuing their
 * openings, as `synthesize` writes from a page) must not teach the drift model those pages'
 * words as AI, or human pages read as AI and the drift band swallows the interval.
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
  return { human: [...early, ...late], ai: [...continued, ...own] };
}

describe('in-domain drift check', () => {
  it('reads later human pages as human when references continue them', () => {
    const { human, ai } = corpus();
    const model = InDomainModel.build(human, ai, { level: 0.95, replicates: 100, seed: 2 });
    expect(model.info.auroc).toBeGreaterThan(0.9);
    expect(model.info.drift).not.toBeNull();
    expect(model.info.drift!.estimate).toBeLessThan(0.05);
    expect(model.info.drift!.band).toBeLessThan(0.05);
  }, 60_000);
});

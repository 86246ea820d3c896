/**
 * Scores read against the nearest baseline pages. SYNTHETIC edge-case texts: two made-up
 * genres whose baseline pages score apart, and a Chinese text, whose words are not
 * space-separated.
 */
import { describe, expect, it } from 'vitest';
import { HumanNeighbours, neighbourCounts } from '../../src/estimate/indomain/neighbours.js';
import { idfOf, similarity, weigh } from '../../src/estimate/indomain/topics.js';

const recipes = ['flour butter sugar oven bake dough', 'oven bake bread flour yeast dough', 'sugar butter cream whisk bake oven'];
const football = ['goal striker match referee league penalty', 'league match goal keeper penalty stadium', 'striker goal league season match coach'];

/** The six pages' idf and vectors. */
function kitchenAndFootball() {
  const counts = [...recipes, ...football].map((t) => neighbourCounts(t));
  const idf = idfOf(counts);
  return { idf, pages: counts.map((c) => weigh(c, idf)) };
}

describe('nearest baseline pages', () => {
  it('reads a score against the pages of its own kind, not counting a page as its own neighbour', () => {
    const { idf, pages } = kitchenAndFootball();
    // Recipe pages score 1, football pages 0: the mean of all pages is 0.5.
    const { near, pageOffsets } = HumanNeighbours.of(idf, pages, Float64Array.from([1, 1, 1, 0, 0, 0]), 2);
    // Two neighbours are all of a page's own kind: the neighbour means are the offsets (slope 1).
    expect(near.slope).toBeCloseTo(1);
    expect(near.offset(near.vector(neighbourCounts('bake the dough in the oven with butter')))).toBeCloseTo(0.5);
    expect(near.offset(near.vector(neighbourCounts('the striker scored a league goal')))).toBeCloseTo(-0.5);
    // Page 0's two neighbours are the other recipe pages, not itself.
    expect(near.offset(pages[0], 0)).toBeCloseTo(0.5);
    expect(pageOffsets[0]).toBeCloseTo(0.5);
    expect(pageOffsets[5]).toBeCloseTo(-0.5);

    const back = HumanNeighbours.fromState(near.state());
    expect(back.offset(pages[4], 4)).toBe(near.offset(pages[4], 4));
    expect(back.k).toBe(2);
    expect(back.slope).toBe(near.slope);
  });

  it('scales neighbour means up when each kind has fewer pages than there are neighbours', () => {
    const { idf, pages } = kitchenAndFootball();
    // Three neighbours of a page are its two own-kind pages and one of the other kind: means of
    // ±1/6 for kinds that sit ±1/2 from the mean, which the fitted slope (3) restores.
    const { near, pageOffsets } = HumanNeighbours.of(idf, pages, Float64Array.from([1, 1, 1, 0, 0, 0]), 3);
    expect(near.slope).toBeCloseTo(3);
    expect(pageOffsets[0]).toBeCloseTo(0.5);
    expect(pageOffsets[3]).toBeCloseTo(-0.5);
  });

  it('drops the offset when scores do not follow the kind of page', () => {
    const { idf, pages } = kitchenAndFootball();
    const { near, pageOffsets } = HumanNeighbours.of(idf, pages, Float64Array.from([1, 0, 1, 0, 1, 0]), 2);
    expect(near.slope).toBe(0);
    expect([...pageOffsets].every((x) => x === 0)).toBe(true);
    expect(near.offset(near.vector(neighbourCounts('bake the dough in the oven with butter')))).toBe(0);
  });

  it('counts character bigrams of unspaced scripts, so two Chinese texts on one subject share words', () => {
    const a = neighbourCounts('视力表上的字母是最常见的字母之一');
    const b = neighbourCounts('为什么视力表使用这个字母');
    const idf = idfOf([a, b]);
    expect(a.size).toBeGreaterThan(5);
    expect(similarity(weigh(a, idf), weigh(b, idf))).toBeGreaterThan(0.1);
  });
});

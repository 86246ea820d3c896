/** Layout recognition, row dates, crawl-id periods and the id-hashed sample (pure functions). */
import { describe, expect, it } from 'vitest';
import { crawlIdDate, keepRow, recogniseLayout, resolveLayout, rowDate } from '../../src/sources/dataset/index.js';

describe('layouts are recognised from column names', () => {
  it('FineWeb, Dolma, C4 and plain', () => {
    const fineweb = ['text', 'id', 'dump', 'url', 'date', 'file_path', 'language', 'language_score', 'token_count'];
    expect(recogniseLayout(fineweb)).toEqual({ name: 'fineweb', fields: { text: 'text', id: 'id', url: 'url', date: 'date', dump: 'dump' } });
    expect(recogniseLayout(['id', 'text', 'source', 'added', 'created', 'metadata'])).toEqual({
      name: 'dolma',
      fields: { text: 'text', id: 'id', url: 'metadata.url', date: 'created', dump: null },
    });
    expect(recogniseLayout(['text', 'timestamp', 'url'])).toEqual({
      name: 'c4',
      fields: { text: 'text', id: null, url: 'url', date: 'timestamp', dump: null },
    });
    expect(recogniseLayout(['id', 'text'])).toEqual({ name: 'plain', fields: { text: 'text', id: 'id', url: null, date: null, dump: null } });
    expect(recogniseLayout(['body'])).toBeNull();
  });

  it('flags override single fields and name unknown layouts', () => {
    expect(resolveLayout(['id', 'text', 'crawled'], { dateField: 'crawled' })).toEqual({
      name: 'custom',
      fields: { text: 'text', id: 'id', url: null, date: 'crawled', dump: null },
    });
    expect(() => resolveLayout(['body', 'key'], {}, 'x.jsonl')).toThrow('x.jsonl: no "text" column (columns: body, key); name it with --text-field');
    expect(resolveLayout(['body', 'key'], { textField: 'body', idField: 'key' }).fields).toMatchObject({ text: 'body', id: 'key' });
  });
});

describe('periods', () => {
  it('row dates: ISO kept as written, other forms parsed, junk rejected', () => {
    expect(rowDate('2024-01-31T23:30:00-05:00')).toBe('2024-01-31T23:30:00-05:00');
    expect(rowDate('2019-04-25 12:57:54')).toBe('2019-04-25T12:57:54');
    expect(rowDate(new Date('2024-02-03T00:00:00Z'))).toBe('2024-02-03T00:00:00.000Z');
    expect(rowDate(1_700_000_000)).toBe('2023-11-14T22:13:20.000Z');
    expect(rowDate(1_700_000_000_000)).toBe('2023-11-14T22:13:20.000Z');
    expect(rowDate('Thu, 25 Apr 2019 12:57:54 GMT')).toBe('2019-04-25T12:57:54.000Z');
    expect(rowDate(null)).toBeNull();
    expect(rowDate('last tuesday')).toBeUndefined();
    expect(rowDate({})).toBeUndefined();
  });

  it('a crawl id stands for the Monday of its ISO week', () => {
    expect(crawlIdDate('CC-MAIN-2024-10')).toBe('2024-03-04');
    expect(crawlIdDate('CC-MAIN-2013-20')).toBe('2013-05-13');
    expect(crawlIdDate('CC-MAIN-2021-01')).toBe('2021-01-04');
    expect(crawlIdDate('CC-MAIN-2012')).toBeNull();
    expect(crawlIdDate(7)).toBeNull();
  });
});

describe('id-hashed sampling', () => {
  const ids = Array.from({ length: 100_000 }, (_, i) => `<urn:uuid:doc-${i}>`);
  it('keeps close to the rate, the same ids every time, and nested samples', () => {
    const at = (rate: number) => ids.filter((id) => keepRow(id, rate));
    const one = at(0.01);
    const ten = at(0.1);
    // Binomial: 1000 ± 3σ (σ ≈ 31.5); 10000 ± 3σ (σ ≈ 95).
    expect(Math.abs(one.length - 1000)).toBeLessThan(95);
    expect(Math.abs(ten.length - 10_000)).toBeLessThan(285);
    expect(at(0.01)).toEqual(one);
    // A 1 % sample is inside the 10 % sample: the same hash, a lower bar.
    const inTen = new Set(ten);
    expect(one.every((id) => inTen.has(id))).toBe(true);
    expect(at(1).length).toBe(ids.length);
  });
});

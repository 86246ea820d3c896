import { describe, expect, it } from 'vitest';
import { extractDocument, MAX_DEPTH } from '../../src/extract/index.js';

const PARAGRAPH =
  'The harbour committee met on Tuesday to discuss the new ferry timetable, which will add two early crossings ' +
  'for workers and move the last evening boat half an hour later during the summer months.';

/** An article whose paragraphs sit at the top and at the bottom of `depth` nested divs. */
function nested(depth: number): string {
  return (
    '<html><head><title>Harbour news</title></head><body><article>' +
    `<p>Top: ${PARAGRAPH}</p>` +
    '<div>'.repeat(depth) +
    `<p>Deep one: ${PARAGRAPH}</p><p>Deep two: ${PARAGRAPH}</p>` +
    '</div>'.repeat(depth) +
    `<p>Bottom: ${PARAGRAPH}</p>` +
    '</article></body></html>'
  );
}

describe('text nested deeper than MAX_DEPTH is kept (structure flattened, not dropped)', () => {
  for (const depth of [300, 5000]) {
    it(`${depth} nested divs: every paragraph kept, in order, in bounded time`, () => {
      expect(depth).toBeGreaterThan(MAX_DEPTH);
      const started = performance.now();
      const doc = extractDocument({ html: nested(depth), url: 'https://example.org/news/ferry' });
      const ms = performance.now() - started;
      const at = ['Top:', 'Deep one:', 'Deep two:', 'Bottom:'].map((p) => doc.text.indexOf(p));
      expect(
        at.every((i) => i >= 0),
        doc.text,
      ).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
      // The two deep paragraphs stay separate paragraphs.
      expect(doc.text).toMatch(/later during the summer months\.\n\nDeep two:/);
      expect(doc.words).toBeGreaterThan(4 * 30);
      expect(ms).toBeLessThan(2000);
    });
  }
});

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractDocument, MAX_HTML_CHARS } from '../../src/extract/index.js';
import { devPage, httpResponses, QSL_WARC_GZ } from './corpus.js';

describe('bad input never crashes extraction', () => {
  it('empty bytes, empty string, whitespace', () => {
    for (const html of [new Uint8Array(0), '', '   \n\t ']) {
      const doc = extractDocument({ html });
      expect(doc).toMatchObject({ text: '', title: null, date: null, dateSource: null, lang: 'und', words: 0 });
    }
  });

  it('a binary payload (the favicon response recorded next to the qsl.net page)', () => {
    const favicon = httpResponses(gunzipSync(readFileSync(QSL_WARC_GZ))).find((r) => r.uri.endsWith('favicon.ico'));
    expect(favicon).toBeDefined();
    const doc = extractDocument({ html: favicon!.body, contentType: favicon!.contentType });
    expect(doc.text).toBe('');
    expect(doc.words).toBe(0);
  });

  it('plain text and JSON bodies come back as text, not as errors', () => {
    const doc = extractDocument({ html: 'just a line of plain text without any markup at all', contentType: 'text/plain' });
    expect(doc.text).toBe('just a line of plain text without any markup at all');
    expect(() => extractDocument({ html: '{"a": [1, 2, {"b": "<p>"}]}' })).not.toThrow();
  });

  it('fragments, unclosed tags and stray markup', () => {
    const doc = extractDocument({
      html: '<p>First paragraph with enough words in it to be kept as text.<p>Second one <b>bold <i>nested</div></span>',
    });
    expect(doc.text).toContain('First paragraph');
    expect(doc.text).toContain('Second one bold nested');
    expect(() => extractDocument({ html: '<<<>>><!--<![CDATA[ <script>alert(1)' })).not.toThrow();
  });

  it('pathologically deep nesting (synthetic, 20 000 levels)', () => {
    const html = `<html><body>${'<div>'.repeat(20000)}deep text${'</div>'.repeat(20000)}<p>Shallow paragraph text that is long enough to be the article on this page.</p></body></html>`;
    const doc = extractDocument({ html });
    expect(doc.text).toContain('Shallow paragraph');
  });

  it('a huge page (a real article repeated past the size cap) is cut, not choked on', () => {
    const page = devPage('mozilla-readability', 'bbc-1');
    const one = Buffer.from(page.html).toString('utf8');
    const reps = Math.ceil((MAX_HTML_CHARS * 1.5) / one.length);
    const huge = one.repeat(reps);
    expect(huge.length).toBeGreaterThan(MAX_HTML_CHARS);
    const doc = extractDocument({ html: Buffer.from(huge) });
    expect(doc.text.length).toBeGreaterThan(1000);
    expect(doc.title).toBeTruthy();
  });

  it('unknown charset labels and lying Content-Types fall back cleanly', () => {
    const doc = extractDocument({
      html: Buffer.from('<meta charset="klingon-8"><p>Hello there, plain ASCII text.</p>'),
      contentType: 'text/html; charset=nonsense',
    });
    expect(doc.charset).toBe('utf-8');
    expect(doc.text).toContain('Hello there');
  });
});

import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../src/extract/index.js';
import { extractMainText } from '../../src/extract/main-text.js';
import { parseHtml } from '../../src/extract/dom.js';
import { containsNormalised, devPage } from './corpus.js';

/** 4-word-shingle F1, the mozilla-readability metric of scripts/eval-extract.ts. */
function shingleF1(ours: string, gold: string): number {
  const shingles = (s: string): Set<string> => {
    const t = s.toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
    const out = new Set<string>();
    for (let i = 0; i + 4 <= t.length; i++) out.add(t.slice(i, i + 4).join(' '));
    return out;
  };
  const a = shingles(ours);
  const b = shingles(gold);
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  const p = inter / Math.max(1, a.size);
  const r = inter / Math.max(1, b.size);
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

describe('main text on real pages (trafilatura-eval snippets)', () => {
  // Each page's annotators listed text that must appear ("with") and boilerplate that
  // must not ("without"): navigation, footers, cookie banners, related links, comments.
  it.each([
    ['c8469dc1035f4dba', 'English blog; cookie banner "Privacy & Cookies: This site uses"'],
    ['104be559207e475a', 'German games site without <article>; "Diese Website nutzt Cookies"'],
    ['5c2f8e2b682f123d', 'Polish magazine; "korzystamy z cookies."'],
    ['13f1d1dad9efa59f', 'German choir history page without <article>; footer "Impressum & Datenschutz"'],
    ['6b17de07627bf0f4', 'French newspaper; footer "Mentions légales"'],
    ['52a19684201130d5', 'Spanish tech news; newsletter box and copyright footer'],
    ['3cbebea0f9d95293', 'Italian newspaper; "Argomenti" tag list'],
    ['e3ace56ad8fd3032', 'Chinese news (Xinhua) without <article>'],
    ['7b82591dfd91b892', 'German blog; "Das Thema könnte dich auch interessieren:" and cookie notice'],
  ])('%s: %s', (id) => {
    const page = devPage('trafilatura-eval', id);
    const doc = extractDocument({ html: page.html, url: page.url });
    for (const w of page.with ?? []) expect(containsNormalised(doc.text, w), `missing: ${w}`).toBe(true);
    for (const w of page.without ?? []) expect(containsNormalised(doc.text, w), `boilerplate kept: ${w}`).toBe(false);
  });

  it('finds content the parser nested inside <head> (stray body elements early in the head)', () => {
    // trafilatura-eval page whose <head> holds a <span>/<div>: htmlparser2 (unlike HTML5
    // parsers) keeps the whole page inside <head>, leaving <body> empty.
    const page = devPage('trafilatura-eval', 'a85d8d3629c35b23');
    const doc = extractDocument({ html: page.html, url: page.url });
    for (const w of page.with ?? []) expect(containsNormalised(doc.text, w), `missing: ${w}`).toBe(true);
  });
});

describe('main text against Readability gold (mozilla-readability)', () => {
  it.each(['bbc-1', 'guardian-1', 'lemonde-1', 'medium-1', 'nytimes-1', 'seattletimes-1', 'wikipedia', 'aktualne', 'pixnet'])(
    '%s: 4-gram shingle F1 ≥ 0.9',
    (id) => {
      const page = devPage('mozilla-readability', id);
      const doc = extractDocument({ html: page.html, url: 'http://fakehost/test/page.html' });
      expect(shingleF1(doc.text, page.gold_text ?? '')).toBeGreaterThanOrEqual(0.9);
    },
  );

  it('keeps paragraph breaks as blank lines', () => {
    const page = devPage('mozilla-readability', '001');
    const doc = extractDocument({ html: page.html });
    expect(doc.text).toContain("That's where code coverage might help.\n\nThe idea behind code coverage is to record");
    expect(doc.text.split('\n\n').length).toBeGreaterThan(15);
    // No paragraph is glued to the next one, and no run of blank lines is left over.
    expect(doc.text).not.toMatch(/\n{3,}/);
  });

  it('puts list items on their own lines', () => {
    const page = devPage('mozilla-readability', '001');
    const doc = extractDocument({ html: page.html });
    expect(doc.text).toMatch(/\(1\) Think of a noun\n\(2\) Google "<noun>\.js"\n\(3\)/);
  });

  it('keeps <pre> code verbatim', () => {
    const page = devPage('mozilla-readability', '001');
    const doc = extractDocument({ html: page.html });
    expect(doc.text).toContain('function Cow(name) {\n    this.name = name || "Anon cow";\n  }');
  });

  it('does not repeat the page title as the first line', () => {
    const page = devPage('mozilla-readability', 'guardian-1');
    const doc = extractDocument({ html: page.html });
    expect(doc.title).toBeTruthy();
    expect(doc.text.startsWith(doc.title!)).toBe(false);
  });
});

describe('structural rules (synthetic fixtures)', () => {
  const para = (n: number): string =>
    `<p>This is paragraph number ${n} of the story, and it has enough words, commas, and sentences to look like real prose. It goes on for a while.</p>`;
  const article = Array.from({ length: 6 }, (_, i) => para(i + 1)).join('\n');

  it('drops hidden, aria-hidden, nav, footer, cookie and share furniture (synthetic)', () => {
    const html = `<html><body>
      <nav><a href="/">Home</a> <a href="/news">News</a></nav>
      <div id="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
      <div class="content"><h1>Story title</h1>${article}
        <div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
        <p hidden>Hidden paragraph that no reader sees, even though it is long enough to count.</p>
        <div aria-hidden="true">Screen-reader-hidden decoration text that should never be extracted here.</div>
        <div style="display: none">Invisible block with display none, also long enough to be counted as text.</div>
      </div>
      <footer>Copyright 2024 Example Media. All rights reserved. Imprint. Privacy.</footer>
    </body></html>`;
    const { text } = extractMainText(parseHtml(html), { title: 'Story title' });
    expect(text).toContain('This is paragraph number 1 of the story');
    expect(text).toContain('This is paragraph number 6 of the story');
    for (const gone of ['Home', 'cookies', 'Share on Facebook', 'Hidden paragraph', 'Screen-reader-hidden', 'Invisible block', 'Copyright 2024']) {
      expect(text).not.toContain(gone);
    }
    expect(text.split('\n\n')).toHaveLength(6);
  });

  it('finds the text on a page without <article>, <main> or class names (synthetic)', () => {
    const links = Array.from({ length: 12 }, (_, i) => `<li><a href="/p${i}">Link ${i}</a></li>`).join('');
    const html = `<html><body><div><ul>${links}</ul></div><div><div>${article}</div></div><div><ul>${links}</ul></div></body></html>`;
    const { text } = extractMainText(parseHtml(html));
    expect(text).toContain('paragraph number 3');
    expect(text).not.toContain('Link 5');
  });

  it('keeps headings, list items and table cells on their own lines (synthetic)', () => {
    const html = `<html><body><div class="post-content">${article}
      <h2>Ingredients</h2><ul><li>200 g flour, sifted well</li><li>100 g sugar, or a little more</li></ul>
      <table><tr><td>Oven temperature for baking</td><td>180 °C fan-assisted</td></tr></table>
      ${para(7)}</div></body></html>`;
    const { text } = extractMainText(parseHtml(html));
    expect(text).toContain('\n\nIngredients\n\n200 g flour, sifted well\n100 g sugar, or a little more\n\n');
    expect(text).toContain('Oven temperature for baking\t180 °C fan-assisted');
  });

  it('joins inline elements without inventing spaces, and removes soft hyphens (synthetic)', () => {
    const html = `<html><body><div class="entry-content">${article}<p>Foot<b>ball</b> is <i>very</i> popu\u00adlar, isn't it? It is played everywhere by millions of people every single weekend.</p></div></body></html>`;
    const { text } = extractMainText(parseHtml(html));
    expect(text).toContain("Football is very popular, isn't it?");
  });
});

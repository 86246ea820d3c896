import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../src/extract/index.js';
import { cleanTitle, extractMetadata } from '../../src/extract/metadata.js';
import { dateFromUrl, isPlausibleDate, parseDateString } from '../../src/extract/dates.js';
import { parseHtml } from '../../src/extract/dom.js';
import { devPage } from './corpus.js';

const NOT_AFTER = '2026-01-01T00:00:00Z';

describe('publication date from each source on real pages (trafilatura-eval, gold = annotated date)', () => {
  it.each([
    // [page id, expected source, markup the page carries]
    ['83a4854b1db15e3f', 'json-ld', '"@graph"'],
    ['0c55e3a3cdac1aa6', 'meta-article', 'property="article:published_time"'],
    ['1be86c3a5b981e09', 'meta-other', 'property="DC.date.issued"'],
    ['996936aefb678cd9', 'meta-other', 'name="publishdate"'],
    ['017a3f641b32bfb9', 'meta-other', 'itemprop="datePublished"'],
    ['1bca03b49f5aa2b1', 'meta-other', 'name="citation_publication_date"'],
    ['40f4743c7e899828', 'time-element', '<time'],
    ['4b44e7a4c61edcde', 'url', '/2014/05/18/'],
  ])('%s → %s (%s)', (id, source, markup) => {
    const page = devPage('trafilatura-eval', id);
    expect(Buffer.from(page.html).toString('utf8') + (page.url ?? '')).toContain(markup);
    const doc = extractDocument({ html: page.html, url: page.url, notAfter: NOT_AFTER });
    expect(doc.dateSource).toBe(source);
    expect(doc.date?.slice(0, 10)).toBe(page.meta_date);
  });

  it('Readability test pages: JSON-LD datePublished agrees with the expected metadata', () => {
    for (const id of ['aclu', 'aktualne', 'bbc-1']) {
      const page = devPage('mozilla-readability', id);
      const doc = extractDocument({ html: page.html, notAfter: NOT_AFTER });
      expect(doc.dateSource).toBe('json-ld');
      expect(doc.date?.slice(0, 10)).toBe(page.publishedTime?.slice(0, 10));
    }
  });
});

describe('date sources and priority (synthetic fixtures)', () => {
  const meta = (head: string, body = '<p>x</p>', url: string | null = null) =>
    extractMetadata(parseHtml(`<html><head>${head}</head><body>${body}</body></html>`), { url, notAfter: NOT_AFTER });

  it('JSON-LD in arrays and nested @graph, preferring the article object', () => {
    const ld = JSON.stringify([
      { '@context': 'https://schema.org', '@type': 'WebSite', datePublished: '2001-01-01' },
      { '@graph': [{ '@type': 'NewsArticle', headline: 'H', datePublished: '2021-06-05T08:00:00+02:00' }] },
    ]);
    expect(meta(`<script type="application/ld+json">${ld}</script>`)).toMatchObject({ date: '2021-06-05T08:00:00+02:00', dateSource: 'json-ld' });
  });

  it('broken JSON-LD (raw newline in a string, trailing comma) is still read', () => {
    const broken = '{"@type": "BlogPosting", "headline": "a\nb", "datePublished": "2019-03-04",}';
    expect(meta(`<script type="application/ld+json">${broken}</script>`)).toMatchObject({ date: '2019-03-04', dateSource: 'json-ld' });
  });

  it.each([
    ['<meta name="sailthru.date" content="2018-02-03 10:00:00">', '2018-02-03T10:00:00'],
    ['<meta name="parsely-pub-date" content="2017-08-09T12:30:00Z">', '2017-08-09T12:30:00Z'],
    ['<meta name="pubdate" content="20160506">', '2016-05-06'],
    ['<meta name="DC.date.issued" content="2015-04-03">', '2015-04-03'],
    ['<meta name="dcterms.created" content="2014-02-01">', '2014-02-01'],
    ['<meta name="date" content="Fri, 15 Mar 2013 10:00:00 GMT">', '2013-03-15T10:00:00Z'],
  ])('meta-other: %s', (tag, iso) => {
    expect(meta(tag)).toMatchObject({ date: iso, dateSource: 'meta-other' });
  });

  it('priority: JSON-LD > article meta > other meta > <time> > URL', () => {
    const ld = '<script type="application/ld+json">{"@type":"Article","datePublished":"2020-01-01"}</script>';
    const art = '<meta property="article:published_time" content="2020-02-02">';
    const other = '<meta name="pubdate" content="2020-03-03">';
    const time = '<article><time datetime="2020-04-04" pubdate>April</time></article>';
    const url = 'https://example.org/2020/05/05/story';
    expect(meta(ld + art + other, time, url).dateSource).toBe('json-ld');
    expect(meta(art + other, time, url)).toMatchObject({ date: '2020-02-02', dateSource: 'meta-article' });
    expect(meta(other, time, url)).toMatchObject({ date: '2020-03-03', dateSource: 'meta-other' });
    expect(meta('', time, url)).toMatchObject({ date: '2020-04-04', dateSource: 'time-element' });
    expect(meta('', '<p>no dates</p>', url)).toMatchObject({ date: '2020-05-05', dateSource: 'url' });
    expect(meta('', '<p>no dates</p>', null)).toMatchObject({ date: null, dateSource: null });
  });

  it('<time>: pubdate / itemprop first, then inside the article; never from comments or sidebars', () => {
    const body = `<aside><time datetime="2019-09-09">related</time></aside>
      <article><p>text</p><time datetime="2019-07-07">updated</time><time itemprop="datePublished" datetime="2019-06-06">published</time></article>
      <div class="comments"><time datetime="2019-08-08">comment</time></div>`;
    expect(meta('', body)).toMatchObject({ date: '2019-06-06', dateSource: 'time-element' });
    const onlyFurniture = `<aside><time datetime="2019-09-09">x</time></aside><div class="comment-list"><time datetime="2019-08-08">y</time></div>`;
    expect(meta('', onlyFurniture).date).toBeNull();
  });

  it('rejects implausible dates: before 1990 or after notAfter (e.g. the WARC-Date)', () => {
    const future = '<meta property="article:published_time" content="2031-01-01">';
    const old = '<meta property="article:published_time" content="1970-01-01T00:00:00Z">';
    expect(meta(future).date).toBeNull();
    expect(meta(old).date).toBeNull();
    // The next source is used instead.
    expect(meta(future + '<meta name="pubdate" content="2020-03-03">')).toMatchObject({ date: '2020-03-03', dateSource: 'meta-other' });
    expect(isPlausibleDate('2024-05-18', '2024-05-18T01:58:10Z')).toBe(true);
    expect(isPlausibleDate('2024-05-20', '2024-05-18T01:58:10Z')).toBe(false);
  });
});

describe('date strings and URL patterns', () => {
  it.each([
    ['2024-03-15', '2024-03-15'],
    ['2024-03-15T10:20:30+01:00', '2024-03-15T10:20:30+01:00'],
    ['2024-03-15T10:20:30.123Z', '2024-03-15T10:20:30Z'],
    ['2024/3/5', '2024-03-05'],
    ['15.03.2024', '2024-03-15'],
    ['March 15, 2024', '2024-03-15'],
    ['15 March 2024', '2024-03-15'],
    ['15. März 2024', '2024-03-15'],
    ['Fri, 15 Mar 2024 10:00:00 GMT', '2024-03-15T10:00:00Z'],
    ['1710496800', '2024-03-15T10:00:00Z'],
  ])('%s → %s', (input, iso) => {
    expect(parseDateString(input)).toBe(iso);
  });

  it.each(['yesterday', '2024-02-30', '13/13/2024', '', 'abc 2024'])('%s is not a date', (input) => {
    expect(parseDateString(input)).toBeNull();
  });

  it.each([
    ['https://example.com/2024/03/15/slug', '2024-03-15'],
    ['https://example.com/news/2024-03-15-slug.html', '2024-03-15'],
    ['https://example.com/20240315/slug', '2024-03-15'],
    ['https://example.com/2024/03/slug', '2024-03'],
    ['https://example.com/products/12345678', null],
    ['https://example.com/2024/13/01/x', null],
  ])('%s → %s', (url, iso) => {
    expect(dateFromUrl(url)).toBe(iso);
  });
});

describe('title', () => {
  it.each([
    ['Wie Umweltzerstörung neue Epidemien begünstigt | Tagesspiegel', { siteName: 'Tagesspiegel' }, 'Wie Umweltzerstörung neue Epidemien begünstigt'],
    ['Example Times - Storm hits the coast overnight', { host: 'www.exampletimes.com' }, 'Storm hits the coast overnight'],
    ['How to Build a Terrarium | eHow', {}, 'How to Build a Terrarium'],
    ['Klimaschutz: Bohren, bis es heiß wird', { h1: ['Bohren, bis es heiß wird'] }, 'Bohren, bis es heiß wird'],
    // A dash inside a real title is not a site separator.
    ['Spider-Man - Into the Spider-Verse review', {}, 'Spider-Man - Into the Spider-Verse review'],
    ['Home', {}, 'Home'],
  ])('%s', (raw, opts, expected) => {
    expect(cleanTitle(raw, opts)).toBe(expected);
  });

  it('real pages: Readability metadata titles', () => {
    for (const id of ['bbc-1', 'nytimes-1', 'ars-1', 'lemonde-1']) {
      const page = devPage('mozilla-readability', id);
      expect(extractDocument({ html: page.html }).title).toBe(page.title);
    }
  });

  it('JSON-LD headline vs name: Wikipedia puts a description in "headline"', () => {
    const page = devPage('mozilla-readability', 'wikipedia-2');
    expect(extractDocument({ html: page.html }).title).toBe(page.title);
  });
});

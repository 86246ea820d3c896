/**
 * Page metadata from a parsed DOM: the title (meta titles, <title>, <h1>,
 * cleaned of " | Site Name" decorations) and the publication date with the
 * kind of evidence it came from (JSON-LD, article meta, other meta, <time>,
 * URL), most trusted first.
 */
import type { Document, Element } from './dom.js';
import { isElement, textOf } from './dom.js';
import { metadataElements } from './metadata-elements.js';
import type { DateSource } from '../core/types.js';
import { dateFromUrl, isPlausibleDate, parseDateString } from './dates.js';

export interface PageMetadata {
  title: string | null;
  date: string | null;
  dateSource: DateSource;
  /** Site name from og:site_name / application-name / JSON-LD publisher, if any. */
  siteName: string | null;
}

export interface MetadataOptions {
  url?: string | null;
  /** Reject publication dates after this ISO date-time (e.g. the WARC-Date). */
  notAfter?: string | null;
}

/** Meta names for the article publication date (Open Graph article namespace). */
const META_ARTICLE = [
  'article:published_time',
  'og:article:published_time',
  'article:published',
  'og:published_time',
  'og:pubdate',
  'article.published',
];
/** Other common publication-date meta names, in rough order of reliability. */
const META_OTHER = [
  // Dublin Core keys are normalised to "dc." (DC.date.issued, dcterms:issued, dc:date …).
  'citation_publication_date',
  'citation_date',
  'citation_online_date',
  'dc.date.issued',
  'dc.issued',
  'dc.date.created',
  'dc.created',
  'dc.date',
  'prism.publicationdate',
  'prism.coverdate',
  'eprints.date',
  'sailthru.date',
  'parsely-pub-date',
  'pubdate',
  'publishdate',
  'publish-date',
  'publish_date',
  'published_date',
  'published-date',
  'publication_date',
  'publication-date',
  'date_published',
  'datepublished',
  'published_time',
  'article_date_original',
  'original-publish-date',
  'cxenseparse:recs:publishtime',
  'rnews:datepublished',
  'date',
  'dc.date.available',
  'pub_date',
  'pdate',
  'displaydate',
  'release_date',
  'og:release_date',
  'created',
  'creation_date',
];
const META_OTHER_RANK = new Map(META_OTHER.map((n, i) => [n, i]));

const TITLE_META = ['og:title', 'dc.title', 'twitter:title', 'parsely-title', 'sailthru.title', 'title', 'headline'];

/** "DC:Title", "dcterms.title", "dcterm:title" → "dc.title"; other keys lower-cased as they are. */
function normaliseMetaKey(key: string): string {
  return key.trim().replace(/^(dc|dcterms?)[.:]/, 'dc.');
}

/**
 * JSON-LD title: "headline" and "name" should agree; when they differ (Wikipedia puts a
 * description in "headline"), take the one closer to the <title> element, else "name".
 */
function jsonLdTitle(ld: JsonLdFacts, titleTag: string | null): string | null {
  if (ld.headline && ld.name && ld.headline !== ld.name && titleTag) {
    const t = comparable(titleTag);
    if (t.includes(comparable(ld.headline)) && !t.includes(comparable(ld.name))) return ld.headline;
    return ld.name;
  }
  return ld.headline ?? ld.name;
}
const SITE_META = ['og:site_name', 'application-name', 'apple-mobile-web-app-title', 'twitter:site'];

interface JsonLdFacts {
  datePublished: string[];
  dateCreated: string[];
  headline: string | null;
  name: string | null;
  publisher: string | null;
}

const ARTICLE_TYPES = /article|posting|report|news|blog|creativework|webpage|review|recipe|video|podcast|scholarly|chapter|book|qapage|discussion/i;

/** Collect datePublished / headline from JSON-LD, walking arrays, @graph and nested objects. */
function readJsonLd(texts: string[]): JsonLdFacts {
  const facts: JsonLdFacts = { datePublished: [], dateCreated: [], headline: null, name: null, publisher: null };
  const articleDates: string[] = [];
  const visit = (v: unknown, depth: number): void => {
    if (depth > 12 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    const type = Array.isArray(o['@type']) ? (o['@type'] as unknown[]).join(' ') : String(o['@type'] ?? '');
    const isArticle = ARTICLE_TYPES.test(type);
    const dp = o.datePublished;
    if (typeof dp === 'string') (isArticle ? articleDates : facts.datePublished).push(dp);
    if (typeof o.dateCreated === 'string') facts.dateCreated.push(o.dateCreated);
    if (isArticle && !facts.headline && typeof o.headline === 'string') facts.headline = o.headline;
    if (isArticle && !facts.name && typeof o.name === 'string') facts.name = o.name;
    if (!facts.publisher && o.publisher && typeof o.publisher === 'object') {
      const name = (o.publisher as Record<string, unknown>).name;
      if (typeof name === 'string') facts.publisher = name;
    }
    for (const [k, x] of Object.entries(o)) if (k !== 'publisher' && typeof x === 'object') visit(x, depth + 1);
  };
  for (const raw of texts) {
    const text = raw
      .replace(/^\s*<!\[CDATA\[|\]\]>\s*$/g, '')
      .replace(/^\s*<!--|-->\s*$/g, '')
      .trim();
    if (text === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      try {
        // Common breakage: raw newlines / tabs in strings, trailing commas.
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
        parsed = JSON.parse(text.replace(/[\u0000-\u001f]+/g, ' ').replace(/,\s*([}\]])/g, '$1'));
      } catch {
        const m = /"datePublished"\s*:\s*"([^"]{6,40})"/.exec(text);
        if (m) facts.datePublished.push(m[1]);
        continue;
      }
    }
    visit(parsed, 0);
  }
  facts.datePublished = [...articleDates, ...facts.datePublished];
  return facts;
}

/** Ancestors that make a <time> element unreliable as the page's own date. */
function inFurniture(el: Element): boolean {
  for (let a = el.parent; a && isElement(a); a = a.parent) {
    const tag = a.name;
    if (tag === 'nav' || tag === 'aside' || tag === 'footer') return true;
    const names = `${a.attribs.class ?? ''} ${a.attribs.id ?? ''}`.toLowerCase();
    if (names !== ' ' && /comment|related|sidebar|widget|footer|recommend|popular|teaser|more-|latest|trending/.test(names)) return true;
  }
  return false;
}

function inArticle(el: Element): boolean {
  for (let a = el.parent; a && isElement(a); a = a.parent) {
    if (a.name === 'article' || a.name === 'main' || a.attribs.itemprop === 'articleBody') return true;
    if (a.attribs.itemtype && /Article|BlogPosting/i.test(a.attribs.itemtype)) return true;
  }
  return false;
}

const SEPARATORS = /\s+[|\-–—·•»:/\\]+\s+|\s+::\s+/;

function normaliseTitle(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function comparable(s: string): string {
  return s.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

/**
 * Remove site-name decorations from a title: a segment equal to the known site
 * name or host, otherwise a short trailing (or leading) segment when the rest
 * is a substantial title. An <h1> equal to one segment settles it.
 */
export function cleanTitle(title: string, opts: { siteName?: string | null; host?: string | null; h1?: string[] } = {}): string {
  const t = normaliseTitle(title);
  // The visible headline, when it is the core of the title ("Topic: Headline - Site"),
  // is the cleanest form of it.
  const whole = comparable(t);
  for (const h of opts.h1 ?? []) {
    const c = comparable(h);
    if (c.length >= 10 && whole.includes(c) && c.length >= 0.4 * whole.length) return normaliseTitle(h);
  }
  const parts = t
    .split(SEPARATORS)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length < 2) return t;
  const h1s = (opts.h1 ?? []).map(comparable).filter((h) => h.length > 0);
  for (const p of parts) if (h1s.includes(comparable(p))) return p;
  // h1 covering several segments (titles with internal " - ").
  for (const h of h1s)
    if (h.length >= 10 && comparable(t).startsWith(h)) {
      const joined: string[] = [];
      for (const p of parts) {
        joined.push(p);
        if (comparable(joined.join(' ')) === h) return t.slice(0, t.indexOf(p) + p.length);
      }
    }
  const site = opts.siteName ? comparable(opts.siteName) : '';
  const host = opts.host ? comparable(opts.host.replace(/^www\./, '').replace(/\.[a-z]+$/, '')) : '';
  const isSite = (p: string): boolean => {
    const c = comparable(p);
    return (
      c !== '' &&
      ((site !== '' && (c === site || site.includes(c) || c.includes(site))) || (host !== '' && (c === host || c.includes(host) || host.includes(c))))
    );
  };
  const kept = parts.filter((p) => !isSite(p));
  if (kept.length > 0 && kept.length < parts.length) {
    // Remove the site segments from the ends only, keeping the original separators inside.
    let start = 0;
    let end = parts.length;
    while (start < end && isSite(parts[start])) start++;
    while (end > start && isSite(parts[end - 1])) end--;
    if (end > start) return sliceParts(t, parts, start, end);
  }
  const words = (s: string): number => s.split(/\s+/).filter(Boolean).length;
  const last = parts[parts.length - 1];
  const rest = sliceParts(t, parts, 0, parts.length - 1);
  if (words(last) <= 4 && words(rest) >= 3) return rest;
  const first = parts[0];
  const after = sliceParts(t, parts, 1, parts.length);
  if (words(first) <= 3 && words(after) >= 4 && /[|»:]/.test(t.slice(first.length, t.indexOf(parts[1])))) return after;
  return t;
}

function sliceParts(t: string, parts: string[], start: number, end: number): string {
  const from = t.indexOf(parts[start]);
  let to = from;
  let pos = from;
  for (let i = start; i < end; i++) {
    pos = t.indexOf(parts[i], pos);
    to = pos + parts[i].length;
    pos = to;
  }
  return t.slice(from, to).trim();
}

/**
 * Extract title, publication date and site name from a parsed document. `noted`: the
 * metadata elements the parser noted (page-handler.ts), if the tree was not reshaped since;
 * without them the tree is walked.
 */
export function extractMetadata(doc: Document, opts: MetadataOptions = {}, noted: readonly Element[] | null = null): PageMetadata {
  const meta = new Map<string, string>();
  const jsonLdTexts: string[] = [];
  let titleTag: string | null = null;
  const h1s: string[] = [];
  const times: Array<{ value: string; strong: boolean; article: boolean }> = [];
  const itemprop: string[] = [];

  const onMeta = (a: Record<string, string>): void => {
    const content = a.content;
    if (a.itemprop === 'datePublished' && content) itemprop.push(content);
    if (content === undefined || content.trim() === '') return;
    // property / name may hold several space-separated keys ("og:title twitter:title").
    for (const raw of (a.property ?? a.name ?? a.itemprop ?? a['http-equiv'] ?? '').toLowerCase().split(/\s+/)) {
      const key = normaliseMetaKey(raw);
      if (key && !meta.has(key)) meta.set(key, content.trim());
    }
  };

  for (const el of metadataElements(doc, noted)) {
    const tag = el.name;
    const a = el.attribs;
    if (tag === 'meta') onMeta(a);
    else if (tag === 'script') {
      if (a.type && a.type.trim().toLowerCase() === 'application/ld+json') jsonLdTexts.push(textOf(el, true));
    } else if (tag === 'title') {
      if (titleTag === null) titleTag = textOf(el, true);
    } else if (tag === 'h1') {
      if (h1s.length < 5) h1s.push(normaliseTitle(textOf(el)));
    } else if (tag === 'time') {
      if (!inFurniture(el)) {
        const value = a.datetime ?? textOf(el);
        const strong =
          a.pubdate !== undefined ||
          a.itemprop === 'datePublished' ||
          /publish|posted|entry-date|post-date|article-date|created/i.test(`${a.class ?? ''} ${a.id ?? ''}`);
        times.push({ value, strong, article: inArticle(el) });
      }
    } else if (a.itemprop === 'datePublished') {
      // Microdata on ordinary elements: the value is in content= or the text.
      const v = a.content ?? a.datetime ?? textOf(el);
      if (v) itemprop.push(v);
    }
  }

  const ld = readJsonLd(jsonLdTexts);
  const host = (() => {
    try {
      return opts.url ? new URL(opts.url).hostname : null;
    } catch {
      return null;
    }
  })();
  let siteName: string | null = null;
  for (const k of SITE_META) {
    const v = meta.get(k);
    if (v && !v.startsWith('@')) {
      siteName = v;
      break;
    }
  }
  siteName ??= ld.publisher;

  // ---- title ----
  let title: string | null = null;
  const metaTitle = TITLE_META.map((k) => meta.get(k)).find((v) => v && v.trim() !== '') ?? jsonLdTitle(ld, titleTag);
  const cleanOpts = { siteName, host, h1: h1s };
  if (metaTitle) title = cleanTitle(metaTitle, cleanOpts);
  else if (titleTag && normaliseTitle(titleTag) !== '') title = cleanTitle(titleTag, cleanOpts);
  else if (h1s.length > 0 && h1s[0] !== '') title = h1s[0];
  if (title !== null && title.length > 500) title = title.slice(0, 500);

  // ---- date ----
  const accept = (raw: string | undefined | null): string | null => {
    const iso = parseDateString(raw);
    return iso && isPlausibleDate(iso, opts.notAfter) ? iso : null;
  };
  let date: string | null = null;
  let dateSource: DateSource = null;
  const tryFrom = (values: Array<string | undefined | null>, source: DateSource): boolean => {
    for (const v of values) {
      const iso = accept(v);
      if (iso) {
        date = iso;
        dateSource = source;
        return true;
      }
    }
    return false;
  };
  const otherMeta = [...meta.entries()]
    .filter(([k]) => META_OTHER_RANK.has(k))
    .sort((a, b) => META_OTHER_RANK.get(a[0])! - META_OTHER_RANK.get(b[0])!)
    .map(([, v]) => v);
  const timeValues = [
    ...times.filter((t) => t.strong).map((t) => t.value),
    ...times.filter((t) => !t.strong && t.article).map((t) => t.value),
    ...times
      .filter((t) => !t.strong && !t.article)
      .slice(0, 1)
      .map((t) => t.value),
  ];
  void (
    tryFrom([...ld.datePublished, ...ld.dateCreated], 'json-ld') ||
    tryFrom(
      META_ARTICLE.map((k) => meta.get(k)),
      'meta-article',
    ) ||
    tryFrom([...otherMeta, ...itemprop], 'meta-other') ||
    tryFrom(timeValues, 'time-element') ||
    tryFrom([dateFromUrl(opts.url)], 'url')
  );
  return { title, date, dateSource, siteName };
}

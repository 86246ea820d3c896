/**
 * Per-element boilerplate signals from tag names, ARIA roles, visibility and
 * class / id vocabulary (navigation, footers, share bars, comments, cookie
 * banners, related-link lists …). These are generic web conventions, not
 * per-site rules.
 */
import type { Element } from './dom.js';
import { cacheOf, peekCache } from './dom.js';
import type { NameFacts } from './node-facts.js';

/** Tags that hold page furniture rather than article text. */
const JUNK_TAGS = new Set([
  'nav',
  'aside',
  'footer',
  'menu',
  'dialog',
  'form',
  'fieldset',
  'button',
  'label',
  'select',
  'figure',
  'figcaption',
  'address',
]);

/** ARIA roles of page furniture. */
const JUNK_ROLES = new Set([
  'navigation',
  'banner',
  'contentinfo',
  'complementary',
  'menu',
  'menubar',
  'dialog',
  'alertdialog',
  'search',
  'toolbar',
  'tablist',
  'alert',
  'status',
  'marquee',
  'timer',
  'tooltip',
  'form',
]);

/**
 * Whole words (after splitting class / id on - _ and camelCase) that mark furniture.
 * "Strong" words name things that are never article text (comments, menus,
 * cookie banners); "weak" words (ads, meta, share, related …) also appear as
 * modifiers on real content sections ("TestReport__Section--Ads"), so a
 * text-rich element carrying only a weak word is kept.
 */
const STRONG_WORDS = new Set([
  'comment',
  'comments',
  'commentlist',
  'disqus',
  'respond',
  'replies',
  'reply',
  'cookie',
  'cookies',
  'consent',
  'gdpr',
  'cmp',
  'onetrust',
  'didomi',
  'usercentrics',
  'cookiebot',
  'breadcrumb',
  'breadcrumbs',
  'crumbs',
  'menu',
  'mainmenu',
  'submenu',
  'megamenu',
  'menubar',
  'navbar',
  'navigation',
  'nav',
  'subnav',
  'topnav',
  'sidenav',
  'footer',
  'masthead',
  'pagination',
  'pager',
  'paging',
  'prevnext',
  'skip',
  'popup',
  'modal',
  'outbrain',
  'taboola',
  'plista',
  'ligatus',
  'newsletter',
  'widgetarea',
  'shoutbox',
  'colophon',
  'sronly',
  'screenreader',
  'visuallyhidden',
  'login',
  'signin',
]);
const WEAK_WORDS = new Set([
  'share',
  'shares',
  'sharing',
  'sharer',
  'sharebar',
  'social',
  'socials',
  'sociable',
  'follow',
  'related',
  'recommended',
  'recommendations',
  'recommendation',
  'popular',
  'trending',
  'mostread',
  'readmore',
  'subscribe',
  'subscription',
  'signup',
  'register',
  'privacy',
  'sidebar',
  'secondary',
  'title',
  'headline',
  'heading',
  'advert',
  'adverts',
  'advertisement',
  'advertising',
  'ad',
  'ads',
  'adv',
  'adsense',
  'adslot',
  'adunit',
  'dfp',
  'sponsor',
  'sponsored',
  'promo',
  'promotion',
  'teasers',
  'widget',
  'widgets',
  'toc',
  'topbar',
  'toolbar',
  'tags',
  'tag',
  'taglist',
  'tagcloud',
  'categories',
  'category',
  'keywords',
  'overlay',
  'lightbox',
  'print',
  'rating',
  'ratings',
  'vote',
  'poll',
  'byline',
  'meta',
  'metadata',
  'postmetadata',
  'postmeta',
  'dateline',
  'timestamp',
  'published',
  'posted',
  'caption',
  'credit',
  'credits',
  'copyright',
  'author',
  'authors',
  'bio',
  'avatar',
  'profile',
  'noprint',
  'search',
  'searchform',
  'form',
  'contact',
  'feedback',
  'donate',
  'donation',
  'carousel',
  'legends',
  'thumbnails',
  'thumbs',
  'icons',
  'icon',
  'btn',
  'button',
  'buttons',
  'sitemap',
  'legal',
  'imprint',
  'impressum',
  'disclaimer',
]);

/** Substrings marking furniture inside compound class names ("socialshare", "sitefooter"). */
const STRONG_SUBSTRINGS =
  /comment(?!ar|at)|disqus|breadcrumb|cookie|consent|footer|navbar|navigation|menu|outbrain|taboola|pagination|masthead|newsletter/;
const WEAK_SUBSTRINGS = /sidebar|share|social|related|advert|sponsor|widget|subscribe|promo|byline|dateline/;

/** Class / id words of the main content container (BODY-like hints). */
const CONTENT_HINT =
  /(^|[-_\s])(article-?(body|content|text|inner|main|container)|articlebody|articletext|articlecontent|entry-?content|entry-?body|post-?(body|content|text|entry|inner)|postbody|postcontent|story-?(body|content|text)|storycontent|content-?body|body-?text|main-?content|maincontent|page-?content|text-?content|single-?content|blog-?content|td-post-content|field-body|rich-?text|article__(body|content|text))($|[-_\s])/;

/** Readability-style class weights. */
const NEGATIVE_WEIGHT =
  /(^|[-_\s])(ad|ads|banner|combx|comments?|com|contact|footer|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget|hidden|teaser|nav|menu|breadcrumbs?|social|caption|credit|byline|author)($|[-_\s])/;
const POSITIVE_WEIGHT = /article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|single/;

/** Class names describing state or taxonomy (WordPress "tag-foo category-bar" on articles), never furniture. */
const STATE_PREFIX =
  /^(has|no|with|without|show|is|js|not|should|can|enable|disable|toggle|open|closed|theme|layout|template|page|single|type|format|status|lang|post-template|category|tag|tags|postid|post-type|page-id|parent-pageid|term|tax|taxonomy|wp|elementor|vc|col|span|grid|row|flex|align|text|font|color|bg|mt|mb|pt|pb|ml|mr|m|p)-/;

/** Class names describing a state ("modal-enabled", "menu-open"). */
const STATE_SUFFIX = /-(enabled|disabled|active|inactive|open|opened|closed|visible|loaded|ready|init|initialized|on|off|hidden-xs|hidden-sm)$/;

/** Responsive-visibility utility classes (Bootstrap "hidden-xs", "d-none d-md-block"): visible on some screens. */
const RESPONSIVE = /^(hidden|visible|d|show|hide)-(xs|sm|md|lg|xl|xxl|print|phone|tablet|desktop|mobile)\b/;

/** Split a class / id into lower-case words on "-", "_" and camelCase boundaries. */
export function classWords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[-_\s:.]+/)
    .filter((w) => w !== '');
}

/** Words that also name the main content of forum and Q&A pages (posts are "comments"). */
const DISCUSSION_WORDS = new Set(['comment', 'comments', 'commentlist', 'respond', 'replies', 'reply', 'login', 'signin']);

/**
 * Article heads and teasers: a mix of title, byline, date and a lead
 * paragraph. Only full sentences ("good" blocks) are taken from them.
 */
const SOFT_WORDS = new Set(['header', 'head', 'teaser', 'intro', 'lead', 'kicker', 'standfirst', 'hero', 'masthead-article']);

/** What one class name (or id) says; combined over an element's names by nameFacts. */
interface TokenFacts {
  /** Furniture vocabulary, ignoring the name when it is a state / responsive utility. */
  strength: 0 | 1 | 2;
  /** Same, with discussion words ("comment", "reply") ignored. */
  lenientStrength: 0 | 1 | 2;
  soft: boolean;
  contentHint: boolean;
}

const NO_FACTS: NameFacts = { strength: 0, lenientStrength: 0, soft: false, contentHint: false };
/** Class names repeat across pages ("container", "entry-content"); bounded so a crawl cannot grow it forever. */
const tokenCache = new Map<string, TokenFacts>();
const TOKEN_CACHE_MAX = 50000;

function tokenStrength(words: readonly string[], lower: string, lenient: boolean): 0 | 1 | 2 {
  let strength: 0 | 1 | 2 = 0;
  for (const w of words) {
    if (lenient && DISCUSSION_WORDS.has(w)) continue;
    if (STRONG_WORDS.has(w)) return 2;
    if (WEAK_WORDS.has(w)) strength = 1;
  }
  if (STRONG_SUBSTRINGS.test(lenient ? lower.replace(/comment/g, '') : lower)) return 2;
  if (WEAK_SUBSTRINGS.test(lower)) strength = 1;
  return strength;
}

function tokenFacts(name: string): TokenFacts {
  let f = tokenCache.get(name);
  if (f) return f;
  const lower = name.toLowerCase();
  if (name.length > 60) f = { strength: 0, lenientStrength: 0, soft: false, contentHint: false };
  else {
    const contentHint = CONTENT_HINT.test(lower);
    const utility = STATE_PREFIX.test(lower) || RESPONSIVE.test(lower);
    const ignored = utility || STATE_SUFFIX.test(lower);
    // Split once: a miss is a name never seen before (ids are mostly unique), so it is worth it.
    const words = utility ? [] : classWords(name);
    let soft = false;
    if (!utility) for (const w of words) if (SOFT_WORDS.has(w)) soft = true;
    f = {
      strength: ignored ? 0 : tokenStrength(words, lower, false),
      lenientStrength: ignored ? 0 : tokenStrength(words, lower, true),
      soft,
      contentHint,
    };
  }
  if (tokenCache.size >= TOKEN_CACHE_MAX) tokenCache.clear();
  tokenCache.set(name, f);
  return f;
}

/** What the names of one class attribute say together, and whether one of them hides the element. */
interface ClassFacts extends NameFacts {
  hidden: boolean;
}

/** Class attributes repeat within and across pages: their facts are remembered (bounded). */
const classCache = new Map<string, ClassFacts>();

function classFacts(cls: string): ClassFacts {
  let f = classCache.get(cls);
  if (f !== undefined) return f;
  let strength: 0 | 1 | 2 = 0;
  let lenientStrength: 0 | 1 | 2 = 0;
  let soft = false;
  let contentHint = false;
  for (const name of cls.split(WHITESPACE)) {
    if (name === '') continue;
    const t = tokenFacts(name);
    if (t.strength > strength) strength = t.strength;
    if (t.lenientStrength > lenientStrength) lenientStrength = t.lenientStrength;
    if (t.soft) soft = true;
    if (t.contentHint) contentHint = true;
  }
  f = { strength, lenientStrength, soft, contentHint, hidden: HIDDEN_CLASS.test(cls) };
  if (classCache.size >= TOKEN_CACHE_MAX) classCache.clear();
  classCache.set(cls, f);
  return f;
}

function nameFacts(el: Element): NameFacts {
  const cls = el.attribs.class;
  const id = el.attribs.id;
  if (!cls && !id) return NO_FACTS;
  // Per-element memo (dom.ts cache): the same element is asked about by several stages.
  const memo = peekCache(el)?.facts;
  if (memo) return memo;
  const c = cls ? classFacts(cls) : NO_FACTS;
  let { strength, lenientStrength, soft, contentHint } = c;
  if (id) {
    const f = tokenFacts(id);
    if (f.strength > strength) strength = f.strength;
    if (f.lenientStrength > lenientStrength) lenientStrength = f.lenientStrength;
    if (f.soft) soft = true;
    if (f.contentHint) contentHint = true;
  }
  // A content-container name anywhere outranks furniture words ("post-content sidebar-item").
  const facts: NameFacts = contentHint ? { strength: 0, lenientStrength: 0, soft, contentHint } : { strength, lenientStrength, soft, contentHint };
  cacheOf(el).facts = facts;
  return facts;
}
const WHITESPACE = /\s+/;

/**
 * 0: no furniture vocabulary, 1: weak (ads, meta, share …), 2: strong (comments, menus, cookie banners …).
 * `lenient` (second pass for pages where the strict pass found almost nothing) ignores
 * discussion words, so forum threads made of "comments" survive.
 */
export function junkNameStrength(el: Element, lenient = false): 0 | 1 | 2 {
  const f = nameFacts(el);
  return lenient ? f.lenientStrength : f.strength;
}

/** True for article heads / teasers (see SOFT_WORDS) and <header> elements. */
export function isSoft(el: Element): boolean {
  if (el.name === 'header' || el.name === 'hgroup') return true;
  return nameFacts(el).soft;
}

/** Utility classes that hide an element (one of the names of a class attribute). */
const HIDDEN_CLASS =
  /(^|\s)(hidden|d-none|sr-only|visually-hidden|visuallyhidden|screen-reader-text|screen-reader-only|element-invisible|is-hidden|u-hidden|hide)(\s|$)/i;

/** True when the element is hidden from readers (hidden attr, aria-hidden, display:none …). */
export function isHidden(el: Element): boolean {
  const a = el.attribs;
  if (a.hidden !== undefined) return true;
  if (a['aria-hidden'] === 'true') return true;
  const style = a.style;
  if (style && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style)) return true;
  const cls = a.class;
  if (cls && classFacts(cls).hidden) return true;
  return false;
}

/** Tags that may wrap the content itself (ASP.NET page forms, product forms). */
const LENIENT_TAGS = new Set(['form', 'fieldset', 'figure', 'figcaption', 'address']);

/** Furniture by tag or role (before any protection for large wrappers). */
export function isJunkTagOrRole(el: Element, lenient = false): boolean {
  if (JUNK_TAGS.has(el.name)) return !(lenient && LENIENT_TAGS.has(el.name));
  const role = el.attribs.role;
  if (role && JUNK_ROLES.has(role.toLowerCase())) return true;
  return false;
}

/** True when class / id names the main content container. */
export function hasContentHint(el: Element): boolean {
  const a = el.attribs;
  if (a.itemprop && /articlebody|text/i.test(a.itemprop)) return true;
  const cls = a.class;
  const id = a.id;
  if (!cls && !id) return false;
  const memo = peekCache(el)?.facts;
  if (memo) return memo.contentHint;
  // Asked of every element by the measuring pass: a test of the whole class attribute (class
  // attributes repeat, so it is remembered) and of the id settles nearly all of them (a hint
  // in one name is a match in the whole attribute too), without each name's furniture facts.
  if (!(cls && classMayHint(cls)) && !(id && CONTENT_HINT.test(id.toLowerCase()))) return false;
  return nameFacts(el).contentHint;
}

/** Whole class attribute → may one of its names be a content-container hint (bounded memo). */
const classHintMemo = new Map<string, boolean>();
function classMayHint(cls: string): boolean {
  let hint = classHintMemo.get(cls);
  if (hint === undefined) {
    hint = CONTENT_HINT.test(cls.toLowerCase());
    if (classHintMemo.size >= TOKEN_CACHE_MAX) classHintMemo.clear();
    classHintMemo.set(cls, hint);
  }
  return hint;
}

/** Readability-style class weight: -25 … +25 per class and id. */
export function classWeight(el: Element): number {
  let w = 0;
  const cls = el.attribs.class;
  if (cls) {
    const s = cls.toLowerCase();
    if (NEGATIVE_WEIGHT.test(s)) w -= 25;
    if (POSITIVE_WEIGHT.test(s)) w += 25;
  }
  const id = el.attribs.id;
  if (id) {
    const s = id.toLowerCase();
    if (NEGATIVE_WEIGHT.test(s)) w -= 25;
    if (POSITIVE_WEIGHT.test(s)) w += 25;
  }
  return w;
}

/**
 * Main-text (boilerplate-removal) extraction over a parsed DOM.
 *
 * Pipeline:
 *  1. Measure every element once (visible text length, link text, commas,
 *     whether it holds block-level children).
 *  2. Mark page furniture: hidden elements, nav / aside / footer / header /
 *     form …, ARIA landmark roles, and class / id vocabulary (comments, share
 *     bars, cookie banners, related links …). Wrappers that hold most of the
 *     page's text with few links are protected from this (e.g. a
 *     "content-sidebar-wrap" div).
 *  3. Score paragraphs Readability-style (length, commas) into their
 *     ancestors, weight candidates by class vocabulary, link density and
 *     content-container hints, pick the best container and merge similar
 *     siblings.
 *  4. Inside the chosen content, drop link-dense or form-like sub-blocks
 *     (conditional cleaning), then serialise blocks with paragraph breaks.
 *  5. If that yields too little text, fall back to all non-furniture blocks
 *     of the page filtered by link density.
 */
import type { AnyNode, Document, Element } from './dom.js';
import { findFirst, isElement } from './dom.js';
import { Break, HEADING_TAGS, NON_TEXT_TAGS, breakOf, collectBlocks, joinBlocks, type Block } from './blocks.js';
import { isBoilerplatePhrase } from './phrases.js';
import { classWeight, hasContentHint, isHidden, isJunkTagOrRole, isSoft, junkNameStrength } from './boilerplate.js';

/** Measurements of one element (junk subtrees excluded once marked). */
interface Info {
  /** Visible non-whitespace characters. */
  len: number;
  /** Non-whitespace characters inside <a>. */
  linkLen: number;
  commas: number;
  /** Non-whitespace characters not inside a block-level child (inline text of this element). */
  inlineLen: number;
  /** Has a block-level descendant. */
  hasBlock: boolean;
  /** Counts used by conditional cleaning. */
  p: number;
  img: number;
  li: number;
  input: number;
  embed: number;
  headingLen: number;
  /** Sentence-ending punctuation marks. */
  sentences: number;
  /** Text length of the largest content-marked descendant (<article>, <main>, articleBody, "entry-content" …). */
  markerLen: number;
}

/** Options for {@link extractMainText}. */
export interface MainTextOptions {
  /** Document title; a leading heading that repeats it is dropped from the text. */
  title?: string | null;
  /** Return diagnostics (junk / shady elements, candidate ranking) for tuning. */
  debug?: boolean;
}

/** Result of main-text extraction. */
export interface MainTextResult {
  /** Article text, paragraphs separated by "\n\n". */
  text: string;
  /** Element(s) chosen as the article container (empty when the fallback was used). */
  containers: Element[];
  /** Which path produced the text. */
  method: 'candidate' | 'fallback' | 'empty';
  /** Diagnostics, only when `options.debug` is set. */
  debug?: { junk: Element[]; shady: Element[]; ranked: Array<[Element, number]> };
}

const COMMA_RE = /[,\u060C\uFE50\uFE10\uFE11\u2E41\u2E34\u2E32\uFF0C\u3001]/g;
const SCORE_TAGS = new Set(['p', 'pre', 'td', 'blockquote']);
const DIV_LIKE = new Set(['div', 'section', 'article', 'main', 'center', 'span', 'font']);
const CLEAN_TAGS = new Set(['table', 'ul', 'ol', 'dl', 'div', 'section', 'form', 'fieldset', 'article', 'aside', 'header', 'footer', 'nav']);
/** Below this many non-whitespace characters the candidate result is distrusted. */
const MIN_TEXT = 250;
/** Lines shorter than this that are nearly all link text are dropped even inside the article. */
const LINK_LINE_MAX = 200;
/** Sub-blocks of the article with this much sentence text are never cleaned away. */
const SHADY_PROTECT_LEN = Number(process.env.SPL ?? 500);
/** dropLooseText applies when paragraph text is at least this long … */
const LOOSE_MIN_P = Number(process.env.LMP ?? 750);
/** … and at least this share of the kept text. */
const LOOSE_SHARE = Number(process.env.LSH ?? 0.7);
/** … and only loose blocks shorter than this go (a long one is a paragraph without <p>). */
const LOOSE_MAX_LEN = Number(process.env.LML ?? 150);
/** How far above the chosen containers the document-order extension may look. */
const EXTEND_LEVELS = Number(process.env.EXL ?? 3);
/** Furniture longer than this (non-whitespace chars) between core and a block stops the extension. */
const EXTEND_MAX_GAP = Number(process.env.EXG ?? 300);

function countText(s: string): { len: number; commas: number; sentences: number } {
  let len = 0;
  let commas = 0;
  let sentences = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c === 0xa0 || c === 0x200b || c === 0xfeff || c === 0xad) continue;
    len++;
    if (c === 44 || c === 0xff0c || c === 0x3001 || c === 0x60c) commas++;
    else if (c === 46 || c === 33 || c === 63 || c === 0x3002 || c === 0xff01 || c === 0xff1f) {
      const n = s.charCodeAt(i + 1);
      if (Number.isNaN(n) || n <= 32 || n === 0xa0) sentences++;
    }
  }
  return { len, commas, sentences };
}

function emptyInfo(): Info {
  return { len: 0, linkLen: 0, commas: 0, inlineLen: 0, hasBlock: false, p: 0, img: 0, li: 0, input: 0, embed: 0, headingLen: 0, sentences: 0, markerLen: 0 };
}

/** Measure the subtree; `exclude` elements (and their subtrees) count as absent. */
function measure(root: Element, infos: Map<Element, Info>, exclude: (el: Element) => boolean): Info {
  const visit = (el: Element, inLink: boolean): Info => {
    const info = emptyInfo();
    const tag = el.name;
    const link = inLink || tag === 'a';
    for (const child of el.children) {
      if (child.type === 'text') {
        const t = countText(child.data);
        info.len += t.len;
        info.inlineLen += t.len;
        info.commas += t.commas;
        info.sentences += t.sentences;
        if (link) info.linkLen += t.len;
        continue;
      }
      if (!isElement(child)) continue;
      const ct = child.name;
      if (ct === 'img') info.img++;
      else if (ct === 'input' || ct === 'textarea' || ct === 'select') info.input++;
      else if (ct === 'embed' || ct === 'object' || ct === 'iframe') info.embed++;
      if (NON_TEXT_TAGS.has(ct) || exclude(child)) continue;
      const ci = visit(child, link);
      info.len += ci.len;
      info.linkLen += ci.linkLen;
      info.commas += ci.commas;
      info.sentences += ci.sentences;
      info.p += ci.p + (ct === 'p' ? 1 : 0);
      info.img += ci.img;
      info.li += ci.li + (ct === 'li' ? 1 : 0);
      info.input += ci.input;
      info.embed += ci.embed;
      info.headingLen += HEADING_TAGS.has(ct) ? ci.len : ci.headingLen;
      const marker = isContentMarker(child) ? ci.len : ci.markerLen;
      if (marker > info.markerLen) info.markerLen = marker;
      if (breakOf(ct) !== Break.None) info.hasBlock = true;
      else {
        info.inlineLen += ci.inlineLen;
        if (ci.hasBlock) info.hasBlock = true;
      }
    }
    infos.set(el, info);
    return info;
  };
  return visit(root, false);
}

function isContentMarker(el: Element): boolean {
  return el.name === 'article' || el.name === 'main' || hasContentHint(el);
}

const linkDensity = (i: Info): number => (i.len === 0 ? 0 : i.linkLen / i.len);

/** Decide which elements are furniture, protecting large low-link wrappers. */
function markJunk(root: Element, raw: Map<Element, Info>, total: number, lenient: boolean): { junk: Set<Element>; soft: Set<Element> } {
  const junk = new Set<Element>();
  const soft = new Set<Element>();
  const visit = (el: Element, inArticle: boolean): void => {
    for (const child of el.children) {
      if (!isElement(child) || NON_TEXT_TAGS.has(child.name)) continue;
      const info = raw.get(child);
      if (!info) continue;
      const tag = child.name;
      let isJunk = false;
      let weak = false;
      if (isHidden(child)) isJunk = true;
      else if (isJunkTagOrRole(child, lenient)) {
        isJunk = true;
      } else {
        const strength = junkNameStrength(child, lenient);
        isJunk = strength > 0;
        weak = strength === 1;
      }
      if (isJunk) {
        const ld = linkDensity(info);
        // Protect wrappers that hold most of the page's text and few links
        // ("content-sidebar-wrap"), and text-rich sections named only weakly.
        const share = total === 0 ? 0 : info.len / total;
        const wrapper = share > 0.5 && ld < 0.4 && tag !== 'nav' && tag !== 'footer';
        const textRich = weak && info.len >= 400 && ld < 0.3 && (info.p >= 2 || info.sentences >= 4);
        // A more specific content marker inside outranks the wrapper's class name.
        const holdsArticle = info.markerLen >= 200 && info.markerLen >= 0.5 * info.len * (1 - ld);
        if (!wrapper && !textRich && !holdsArticle) {
          junk.add(child);
          continue;
        }
      }
      if (isSoft(child) && !(total > 0 && info.len / total > 0.5)) soft.add(child);
      visit(child, inArticle || tag === 'article' || tag === 'main');
    }
  };
  visit(root, false);
  return { junk, soft };
}

function initialScore(el: Element): number {
  let s = 0;
  switch (el.name) {
    case 'div':
      s = 5;
      break;
    case 'pre':
    case 'td':
    case 'blockquote':
      s = 3;
      break;
    case 'address':
    case 'ol':
    case 'ul':
    case 'dl':
    case 'dd':
    case 'dt':
    case 'li':
    case 'form':
      s = -3;
      break;
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
    case 'th':
      s = -5;
      break;
    case 'article':
      s = 10;
      break;
    default:
      break;
  }
  s += classWeight(el);
  if (hasContentHint(el)) s += 15;
  return s;
}

/** Walk the cleaned tree and score paragraph-like elements into their ancestors. */
function scoreCandidates(root: Element, infos: Map<Element, Info>, junk: Set<Element>): Map<Element, number> {
  const scores = new Map<Element, number>();
  const addTo = (el: Element, amount: number): void => {
    let s = scores.get(el);
    if (s === undefined) s = initialScore(el);
    scores.set(el, s + amount);
  };
  const scoreParagraph = (start: Element | null, info: Info, textLen: number): void => {
    if (textLen < 25) return;
    const contentScore = 1 + info.commas + Math.min(Math.floor(textLen / 100), 3);
    let level = 0;
    for (let a: Element | null = start; a && level < 5; a = a.parent && isElement(a.parent) ? a.parent : null, level++) {
      const divider = level === 0 ? 1 : level === 1 ? 2 : level * 3;
      addTo(a, contentScore / divider);
      if (a === root) break;
    }
  };
  const visit = (el: Element): void => {
    for (const child of el.children) {
      if (!isElement(child) || NON_TEXT_TAGS.has(child.name) || junk.has(child)) continue;
      const info = infos.get(child);
      if (!info || info.len === 0) continue;
      const tag = child.name;
      const parent = child.parent && isElement(child.parent) ? child.parent : null;
      if (SCORE_TAGS.has(tag) && !(tag === 'td' && info.hasBlock)) {
        scoreParagraph(parent, info, info.len);
        if (tag !== 'td' && tag !== 'blockquote') continue;
      } else if (DIV_LIKE.has(tag) && !info.hasBlock) {
        // A div holding only inline content is a paragraph in disguise.
        scoreParagraph(parent, info, info.len);
        continue;
      } else if (info.hasBlock && info.inlineLen >= 25 && (DIV_LIKE.has(tag) || tag === 'td')) {
        // Loose text between block children: a virtual paragraph whose parent is this element.
        const virtual: Info = { ...info, commas: Math.round(info.commas * (info.inlineLen / Math.max(1, info.len))) };
        scoreParagraph(child, virtual, info.inlineLen);
      }
      visit(child);
    }
  };
  visit(root);
  for (const [el, s] of scores) scores.set(el, s * (1 - linkDensity(infos.get(el) ?? emptyInfo())));
  return scores;
}

function ancestors(el: Element, stop: Element): Element[] {
  const out: Element[] = [];
  for (let a = el.parent; a && isElement(a); a = a.parent) {
    out.push(a);
    if (a === stop) break;
  }
  return out;
}

function elementChildren(el: Element): Element[] {
  const out: Element[] = [];
  for (const c of el.children) if (isElement(c)) out.push(c);
  return out;
}

/** Pick the top candidate and merge qualifying siblings (Readability's algorithm, adapted). */
function chooseContent(body: Element, infos: Map<Element, Info>, scores: Map<Element, number>, junk: Set<Element>): Element[] {
  const ranked = [...scores.entries()].filter(([el]) => el !== body).sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0) return [body];
  let [top, topScore] = ranked[0];

  // Several strong candidates under one ancestor: the ancestor is the article.
  const alternatives = ranked.slice(1, 6).filter(([, s]) => s / topScore >= 0.75).map(([el]) => ancestors(el, body));
  if (alternatives.length >= 3) {
    for (let parent = top.parent; parent && isElement(parent) && parent !== body; parent = parent.parent) {
      const p: Element = parent;
      const containing = alternatives.filter((list) => list.includes(p)).length;
      if (containing >= 3) {
        top = p;
        break;
      }
    }
  }
  if (!scores.has(top)) scores.set(top, initialScore(top));
  topScore = scores.get(top)!;

  // Climb while the parent scores at least as well (content split over sub-containers).
  let lastScore = topScore;
  const threshold = lastScore / 3;
  for (let parent = top.parent; parent && isElement(parent) && parent !== body; parent = parent.parent) {
    const ps = scores.get(parent);
    if (ps === undefined) continue;
    if (ps < threshold) break;
    if (ps > lastScore) {
      top = parent;
      break;
    }
    lastScore = ps;
  }
  // A lone child carries no extra structure; move up for sibling merging.
  while (top.parent && isElement(top.parent) && top.parent !== body && elementChildren(top.parent).filter((c) => !junk.has(c)).length === 1) {
    top = top.parent;
  }
  topScore = scores.get(top) ?? topScore;

  const parent = top.parent;
  if (!parent || !isElement(parent)) return [top];
  const siblingThreshold = Math.max(10, topScore * 0.2);
  const topClass = top.attribs.class ?? '';
  const chosen: Element[] = [];
  for (const sib of elementChildren(parent)) {
    if (sib === top) {
      chosen.push(sib);
      continue;
    }
    if (junk.has(sib) || NON_TEXT_TAGS.has(sib.name)) continue;
    const info = infos.get(sib);
    if (!info || info.len === 0) continue;
    const bonus = topClass !== '' && (sib.attribs.class ?? '') === topClass ? topScore * 0.2 : 0;
    const s = scores.get(sib);
    if (s !== undefined && s + bonus >= siblingThreshold) {
      chosen.push(sib);
      continue;
    }
    const paragraphLike = sib.name === 'p' || (DIV_LIKE.has(sib.name) && !info.hasBlock);
    if (paragraphLike) {
      const ld = linkDensity(info);
      if (info.len > 80 && ld < 0.25) chosen.push(sib);
      else if (info.len < 80 && info.len > 0 && ld === 0 && /[.!?。！？]( |$)/.test(plainText(sib))) chosen.push(sib);
    }
  }
  return chosen;
}

function plainText(el: Element): string {
  const parts: string[] = [];
  const visit = (n: AnyNode): void => {
    if (n.type === 'text') parts.push(n.data);
    else if (isElement(n) && !NON_TEXT_TAGS.has(n.name)) for (const c of n.children) visit(c);
  };
  visit(el);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** Readability's "clean conditionally": shady sub-blocks of the chosen content. */
function isShady(el: Element, info: Info, scores: Map<Element, number>, inFigure: boolean): boolean {
  const tag = el.name;
  // Plenty of running text with modest linking is content whatever the box is called.
  if (info.len >= SHADY_PROTECT_LEN && linkDensity(info) < 0.4 && info.sentences >= 5) return false;
  const weight = classWeight(el);
  const score = scores.get(el) ?? 0;
  if (weight + score < 0 && (weight < 0 || linkDensity(info) > 0.2)) return true;
  if (info.commas >= 10) return false;
  let isList = tag === 'ul' || tag === 'ol' || tag === 'dl';
  const ld = linkDensity(info);
  const contentLength = info.len;
  if (contentLength === 0) return info.img === 0 && info.embed === 0;
  if (!isList && info.li > 0 && info.p === 0 && contentLength > 0) isList = false;
  const p = info.p;
  const headingDensity = info.headingLen / contentLength;
  if (!inFigure && info.img > 1 && p / info.img < 0.5) return true;
  if (info.input > Math.floor(p / 3)) return true;
  if (!isList && !inFigure && headingDensity < 0.9 && contentLength < 25 && (info.img === 0 || info.img > 2) && ld > 0) return true;
  if (!isList && weight < 25 && ld > 0.2) return true;
  if (isList && ld > 0.5) return true;
  if (weight >= 25 && ld > 0.5) return true;
  if ((info.embed === 1 && contentLength < 75) || info.embed > 1) return true;
  return false;
}

function markShady(containers: Element[], infos: Map<Element, Info>, scores: Map<Element, number>, junk: Set<Element>): Set<Element> {
  const shady = new Set<Element>();
  const visit = (el: Element, inFigure: boolean): void => {
    for (const child of el.children) {
      if (!isElement(child) || NON_TEXT_TAGS.has(child.name) || junk.has(child)) continue;
      const info = infos.get(child);
      if (!info) continue;
      if (CLEAN_TAGS.has(child.name) && isShady(child, info, scores, inFigure)) {
        shady.add(child);
        continue;
      }
      visit(child, inFigure || child.name === 'figure');
    }
  };
  for (const c of containers) visit(c, false);
  return shady;
}

function normaliseForCompare(s: string): string {
  return s.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, ' ').trim();
}

/** "Read also: <a>Other story</a>": a short line whose only words outside its link are a template label. */
function isLinkLine(b: Block): boolean {
  const len = b.text.length;
  if (len >= LINK_LINE_MAX || b.linkChars / Math.max(1, len) < 0.5) return false;
  const rest = b.outsideLinks.trim();
  return rest !== '' && isBoilerplatePhrase(rest);
}

/** Short block that introduces what follows ("Read also:", a section heading). */
function isLabel(b: Block): boolean {
  if (b.skipped) return false;
  const t = b.text.trim();
  return (b.heading && t.length < 120) || (t.length < 60 && /[:：]$/.test(t)) || isBoilerplatePhrase(t);
}

/**
 * Final selection from the serialised blocks: the kept ones, minus labels
 * whose section was not kept (a heading or "Read also:" directly before a
 * dropped or link-dense block), a leading heading that repeats the title,
 * <h1> titles, and headings left dangling at the end.
 */
function tidyBlocks(blocks: Block[], keep: boolean[], title: string | null | undefined, infos: Map<Element, Info>): Block[] {
  const orphan = new Set<number>();
  for (let i = 0; i < blocks.length; i++) {
    if (!keep[i] || !isLabel(blocks[i])) continue;
    let j = i + 1;
    while (j < blocks.length && !blocks[j].skipped && blocks[j].text.trim() === '') j++;
    if (j >= blocks.length) {
      orphan.add(i);
      continue;
    }
    const next = blocks[j];
    if (next.skipped) {
      const info = infos.get(next.skipped);
      const linky = info !== undefined && info.len > 0 && info.linkLen / info.len >= 0.5;
      let k = j + 1;
      while (k < blocks.length && (blocks[k].skipped || blocks[k].text.trim() === '')) k++;
      const after = k < blocks.length && keep[k] ? blocks[k] : undefined;
      if (linky || /[:：]$/.test(blocks[i].text.trim()) || !after || isLabel(after)) orphan.add(i);
    } else if (!keep[j] || classify(next) === 'bad') orphan.add(i);
  }
  let out = blocks.filter((b, i) => keep[i] && !orphan.has(i) && !b.skipped && b.text.trim() !== '' && !isBoilerplatePhrase(b.text) && !isLinkLine(b));
  if (title) {
    const t = normaliseForCompare(title);
    const idx = out.findIndex((b) => b.heading);
    if (idx >= 0 && idx < 3) {
      const h = normaliseForCompare(out[idx].text);
      if (h.length > 0 && (t === h || (h.length >= 15 && t.includes(h)) || (t.length >= 15 && h.includes(t)))) {
        out = out.filter((_, i) => i !== idx);
      }
    }
  }
  // An <h1> at the top is the page title (or site logo), which the text does not repeat;
  // further down, <h1>s are section headings (some CMSs use them so).
  const firstText = out.findIndex((b) => !b.heading);
  out = out.filter((b, i) => !((firstText < 0 || i < firstText) && b.heading && b.container?.name === 'h1'));
  while (out.length > 0 && out[out.length - 1].heading) out.pop();
  return out;
}

function textLength(blocks: Block[]): number {
  let n = 0;
  for (const b of blocks) n += countText(b.text).len;
  return n;
}

/** True when `el` is (inside) one of `set`, looking no higher than `stop`. */
function insideAny(el: Element | null, set: Set<Element>, stop: Element): boolean {
  for (let a: AnyNode | null = el; a && isElement(a); a = a.parent) {
    if (set.has(a)) return true;
    if (a === stop) return false;
  }
  return false;
}

type BlockClass = 'good' | 'neutral' | 'bad';

/** jusText-style block class from length and link density alone. */
function classify(b: Block): BlockClass {
  const { len, sentences } = countText(b.text);
  if (len === 0) return 'neutral';
  const ld = b.linkChars / Math.max(1, b.text.length);
  if (ld >= 0.4) return 'bad';
  // Headings are neutral, except sentence-long ones (a standfirst set as <h2>).
  if (b.heading && len < 80) return 'neutral';
  if (len >= 80 && ld < 0.25) return 'good';
  if (len >= 40 && ld === 0 && sentences > 0) return 'good';
  return 'neutral';
}

/**
 * Grow the core (blocks inside the chosen containers) in document order:
 * a lead paragraph just above the body, or a second text column just after
 * it, belongs to the article. Good blocks are taken, neutral ones (short
 * lines, headings) only when a good block lies beyond them, and a bad
 * (link-dense) block stops the growth. Removed furniture is stepped over.
 */
function extendCore(blocks: Block[], core: boolean[], containers: Element[], infos: Map<Element, Info>): boolean[] {
  const keep = core.slice();
  const first = core.indexOf(true);
  if (first < 0) return keep;
  const last = core.lastIndexOf(true);
  // Only look inside the region a few levels above the containers: text elsewhere on the page
  // (footer area, sidebars without class names) is not part of this article.
  const scope = new Set<Element>();
  for (const c of containers) {
    let a: Element = c;
    for (let up = 0; up < EXTEND_LEVELS && a.parent && isElement(a.parent) && a.parent.name !== 'body'; up++) a = a.parent;
    scope.add(a);
  }
  const inScope = (b: Block): boolean => b.container !== null && insideAny(b.container, scope, b.container.name === 'body' ? b.container : (null as unknown as Element));
  const grow = (from: number, step: number): void => {
    let pending: number[] = [];
    for (let i = from; i >= 0 && i < blocks.length; i += step) {
      const b = blocks[i];
      if (b.skipped) {
        // Stepping over a large stretch of furniture (comments, a link block) ends the article.
        const info = infos.get(b.skipped);
        if (info && info.len > EXTEND_MAX_GAP) break;
        continue;
      }
      if (b.text.trim() === '') continue;
      if (!inScope(b)) break;
      const c = classify(b);
      if (c === 'bad') break;
      if (step > 0 && b.heading && process.env.HSTOP) break;
      if (c === 'neutral') {
        pending.push(i);
        continue;
      }
      for (const j of pending) keep[j] = true;
      pending = [];
      keep[i] = true;
    }
  };
  grow(first - 1, -1);
  grow(last + 1, 1);
  return keep;
}

interface Pass {
  blocks: Block[];
  length: number;
  method: 'candidate' | 'fallback';
  containers: Element[];
  junk: Set<Element>;
  shady: Set<Element>;
  scores: Map<Element, number>;
}

/** One extraction pass: furniture marking, container choice, block selection, fallback. */
function runPass(body: Element, raw: Map<Element, Info>, total: number, lenient: boolean, title: string | null | undefined): Pass {
  const { junk, soft } = markJunk(body, raw, total, lenient);
  const infos = new Map<Element, Info>();
  measure(body, infos, (el) => junk.has(el) || soft.has(el));

  // Soft regions (article heads, teasers) neither vote for nor become the container.
  const excluded = new Set<Element>([...junk, ...soft]);
  const scores = scoreCandidates(body, infos, excluded);
  const containers = chooseContent(body, infos, scores, excluded);
  const shady = markShady(containers, infos, scores, excluded);
  const skip = (el: Element): boolean => junk.has(el) || shady.has(el);

  // Serialise the whole body once; blocks inside the chosen containers are the core.
  const contSet = new Set(containers);
  const all = collectBlocks(body, { skip, region: (el) => contSet.has(el), soft: (el) => soft.has(el) });
  const core = all.map((b) => b.text !== '' && b.inRegion);
  const keep = extendCore(all, core, containers, infos);
  for (let i = 0; i < all.length; i++) if (keep[i] && all[i].soft && classify(all[i]) !== 'good') keep[i] = false;
  dropLooseText(all, keep);
  let blocks = tidyBlocks(all, keep, title, infos);
  let method: Pass['method'] = 'candidate';
  let length = textLength(blocks);

  if (length < MIN_TEXT) {
    // Too little: fall back to every non-furniture block of the page (ignoring the
    // candidate's conditional cleaning) that is not a link list.
    const whole = collectBlocks(body, { skip: (el) => junk.has(el), soft: (el) => soft.has(el) });
    const fallback = tidyBlocks(whole, whole.map((b) => b.text !== '' && (b.soft ? classify(b) === 'good' : classify(b) !== 'bad')), title, infos);
    const fallbackLength = textLength(fallback);
    if (fallbackLength > length * 1.5) {
      blocks = fallback;
      method = 'fallback';
      length = fallbackLength;
    }
  }
  return { blocks, length, method, containers, junk, shady, scores };
}

/** Elements that hold running text proper (as opposed to layout boxes). */
const TEXT_CONTAINERS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dd', 'dt', 'blockquote', 'pre', 'td', 'th', 'caption', 'listing', 'xmp']);

/**
 * When an article is written in <p> elements, text sitting loose in layout
 * <div>s around them (bylines, credits, info boxes, widget remnants) is not
 * part of it. Only applies when the kept text is clearly paragraph-based.
 */
function dropLooseText(blocks: Block[], keep: boolean[]): void {
  let inText = 0;
  let loose = 0;
  for (let i = 0; i < blocks.length; i++) {
    if (!keep[i]) continue;
    const n = blocks[i].text.length;
    if (blocks[i].container && TEXT_CONTAINERS.has(blocks[i].container!.name)) inText += n;
    else loose += n;
  }
  if (inText < LOOSE_MIN_P || inText < LOOSE_SHARE * (inText + loose)) return;
  for (let i = 0; i < blocks.length; i++) {
    if (!keep[i]) continue;
    const c = blocks[i].container;
    if ((!c || !TEXT_CONTAINERS.has(c.name)) && blocks[i].text.length < LOOSE_MAX_LEN) keep[i] = false;
  }
}

/** Extract the main article text of a parsed document. */
export function extractMainText(doc: Document, options: MainTextOptions = {}): MainTextResult {
  const body = findFirst(doc, 'body') ?? findFirst(doc, 'html');
  if (!body) {
    // Fragments without <html>/<body>: treat the document root's children as the body.
    const blocks = collectBlocks(doc);
    const text = joinBlocks(blocks);
    return { text, containers: [], method: text ? 'fallback' : 'empty' };
  }

  const raw = new Map<Element, Info>();
  const rawTotal = measure(body, raw, () => false);
  let pass = runPass(body, raw, rawTotal.len, false, options.title);
  if (pass.length < MIN_TEXT) {
    // Almost nothing survived: forum threads ("comments"), content inside <form>.
    // Retry with discussion words and wrapper tags allowed.
    const lenient = runPass(body, raw, rawTotal.len, true, options.title);
    if (lenient.length > Math.max(pass.length * 1.5, 50)) pass = lenient;
  }
  const { blocks, method, containers, junk, shady, scores } = pass;
  const text = joinBlocks(blocks);
  const result: MainTextResult = { text, containers: method === 'candidate' ? containers : [], method: text === '' ? 'empty' : method };
  if (options.debug) result.debug = { junk: [...junk], shady: [...shady], ranked: [...scores.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10) };
  return result;
}

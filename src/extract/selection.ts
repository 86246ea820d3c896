/**
 * Block-level selection over the serialised page: the blocks inside the chosen
 * containers form the core; it is grown in document order over good
 * neighbouring blocks (a lead above, a second column below), loose text beside
 * a paragraph-based article is dropped, and labels whose section was dropped
 * ("Read also:", orphan headings), template phrases and title repeats go.
 */
import type { AnyNode, Element } from './dom.js';
import { isElement } from './dom.js';
import type { Block } from './blocks.js';
import { isBoilerplatePhrase } from './phrases.js';
import { countText, type InfoTable } from './measure.js';

/** "Read also: <link>" lines shorter than this are dropped even inside the article. */
const LINK_LINE_MAX = 200;
/** dropLooseText applies when paragraph text is at least this long … */
const LOOSE_MIN_P = 750;
/** … and at least this share of the kept text. */
const LOOSE_SHARE = 0.7;
/** … and only loose blocks shorter than this go (a long one is a paragraph without <p>). */
const LOOSE_MAX_LEN = 150;
/** How far above the chosen containers the document-order extension may look. */
const EXTEND_LEVELS = 3;
/** Furniture longer than this (non-whitespace chars) between core and a block stops the extension. */
const EXTEND_MAX_GAP = 300;

function normaliseForCompare(s: string): string {
  return s
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, ' ')
    .trim();
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
export function tidyBlocks(blocks: Block[], keep: boolean[], title: string | null | undefined, infos: InfoTable): Block[] {
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
  let out = blocks.filter(
    (b, i) => keep[i] && !orphan.has(i) && !b.skipped && b.text.trim() !== '' && !isBoilerplatePhrase(b.text) && !isLinkLine(b),
  );
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

/** countText of a block's text, computed once per block. */
function blockCounts(b: Block): { len: number; commas: number; sentences: number } {
  if (b.counts === null) b.counts = countText(b.text);
  return b.counts;
}

export function textLength(blocks: Block[]): number {
  let n = 0;
  for (const b of blocks) n += blockCounts(b).len;
  return n;
}

/** True when `el` is (inside) one of `set`. */
function insideAny(el: Element, set: Set<Element>): boolean {
  for (let a: AnyNode | null = el; a && isElement(a); a = a.parent) if (set.has(a)) return true;
  return false;
}

export type BlockClass = 'good' | 'neutral' | 'bad';

/** jusText-style block class from length and link density alone. */
export function classify(b: Block): BlockClass {
  const { len, sentences } = blockCounts(b);
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
export function extendCore(blocks: Block[], core: boolean[], containers: Element[], infos: InfoTable): boolean[] {
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
  const inScope = (b: Block): boolean => b.container !== null && insideAny(b.container, scope);
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

/** Elements that hold running text proper (as opposed to layout boxes). */
const TEXT_CONTAINERS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'li',
  'dd',
  'dt',
  'blockquote',
  'pre',
  'td',
  'th',
  'caption',
  'listing',
  'xmp',
]);

/**
 * When an article is written in <p> elements, text sitting loose in layout
 * <div>s around them (bylines, credits, info boxes, widget remnants) is not
 * part of it. Only applies when the kept text is clearly paragraph-based.
 */
export function dropLooseText(blocks: Block[], keep: boolean[]): void {
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

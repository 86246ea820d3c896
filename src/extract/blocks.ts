/**
 * Block-aware text serialisation of a DOM subtree.
 *
 * The subtree is cut into "blocks": maximal runs of inline text between
 * block-level boundaries. Each block remembers how strong the break before it
 * is (paragraph, line or table cell) and how much of its text sits inside
 * links, so the boilerplate filter can judge blocks and the final text keeps
 * paragraph breaks ("\n\n"), line breaks for list items / rows / <br> ("\n")
 * and tabs between table cells.
 */
import type { AnyNode, Element } from './dom.js';
import { isElement } from './dom.js';

/** Break strength between two blocks. */
export enum Break {
  None = 0,
  Cell = 1,
  Line = 2,
  Para = 3,
}

const PARA_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'center',
  'details',
  'dialog',
  'dir',
  'div',
  'dl',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'html',
  'legend',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'tfoot',
  'thead',
  'ul',
  'frameset',
  'noscript',
  'listing',
  'plaintext',
  'xmp',
]);
const LINE_TAGS = new Set(['li', 'dt', 'dd', 'tr', 'br', 'option', 'optgroup']);
const CELL_TAGS = new Set(['td', 'th']);
/** Elements whose content is never visible text (<head> itself is not listed: see dom.contentRoot). */
export const NON_TEXT_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'title',
  'iframe',
  'object',
  'embed',
  'canvas',
  'video',
  'audio',
  'map',
  'select',
  'textarea',
  'button',
  'input',
  'img',
  'picture',
  'source',
  'track',
  'link',
  'meta',
  'base',
  'param',
  'datalist',
  'frame',
  'frameset',
  'applet',
  'area',
]);
export const HEADING_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** Bits of {@link tagKind}: the low two bits hold the tag's Break. */
export const KIND_BREAK = 3;
export const KIND_NON_TEXT = 4;
export const KIND_HEADING = 8;

const kinds = new Map<string, number>();

/**
 * The tag's break strength and classes as one number (one Map lookup instead
 * of several Set lookups per element in the tree walks). Tag names form a small
 * vocabulary; unknown or odd names are looked up but not kept.
 */
export function tagKind(tag: string): number {
  let k = kinds.get(tag);
  if (k !== undefined) return k;
  const brk = PARA_TAGS.has(tag) ? Break.Para : LINE_TAGS.has(tag) ? Break.Line : CELL_TAGS.has(tag) ? Break.Cell : Break.None;
  k = brk | (NON_TEXT_TAGS.has(tag) ? KIND_NON_TEXT : 0) | (HEADING_TAGS.has(tag) ? KIND_HEADING : 0);
  if (kinds.size < 2000) kinds.set(tag, k);
  return k;
}

/** Break strength an element imposes around itself (None for inline elements). */
export function breakOf(tag: string): Break {
  return (tagKind(tag) & KIND_BREAK) as Break;
}

/** One run of inline text between block boundaries. */
export interface Block {
  text: string;
  /** Break before this block (relative to the previous kept block). */
  breakBefore: Break;
  /** Nearest enclosing block-level element (the one that opened this block). */
  container: Element | null;
  /** Characters of `text` that came from inside <a> elements. */
  linkChars: number;
  /** The block's text outside <a> elements (labels around links: "Read also: …"). */
  outsideLinks: string;
  /** True if the block is (inside) a heading. */
  heading: boolean;
  /** True if the block is inside a list item. */
  listItem: boolean;
  /** True if the block comes from <pre> (whitespace kept). */
  pre: boolean;
  /** For an empty marker block: the skipped element that stood here (text is ''). */
  skipped?: Element;
  /** True when some of the block's text lies inside an element accepted by `options.region`. */
  inRegion: boolean;
  /** True when the block lies inside an element accepted by `options.soft`. */
  soft: boolean;
  /** measure.countText(text), filled in on first use by selection.ts. */
  counts: { len: number; commas: number; sentences: number } | null;
}

/** Options for {@link collectBlocks}. */
export interface CollectOptions {
  /** Return true to drop an element and its whole subtree. */
  skip?: (el: Element) => boolean;
  /** Elements whose text marks blocks as `inRegion` (e.g. the chosen article container). */
  region?: (el: Element) => boolean;
  /** Elements whose blocks are flagged `soft` (article heads, teasers). */
  soft?: (el: Element) => boolean;
}

const WS = /[\s\u00a0]+/g;
/** Invisible characters that must vanish rather than become spaces (soft hyphen, zero-width). */
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;

/** Characters that `\s` matches. */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

function isInvisible(c: number): boolean {
  return c === 0xad || (c >= 0x200b && c <= 0x200d) || c === 0x2060 || c === 0xfeff;
}

/**
 * `raw` without invisible characters and with whitespace runs collapsed to one
 * space. Most text nodes are either plain text with single spaces or pure
 * indentation, so one scan decides and the regexes run only for the rest.
 */
function collapseSpace(raw: string): string {
  let simple = true;
  let visible = false;
  let space = false;
  let prevSpace = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c > 32 && c < 0xa0) {
      visible = true;
      prevSpace = false;
    } else if (isInvisible(c)) {
      simple = false;
    } else if (isSpace(c)) {
      space = true;
      if (c !== 32 || prevSpace) simple = false;
      prevSpace = true;
    } else {
      visible = true;
      prevSpace = false;
    }
  }
  if (!visible) return space ? ' ' : '';
  return simple ? raw : raw.replace(INVISIBLE, '').replace(WS, ' ');
}

/** Cut the subtree under `root` into blocks (root itself included). */
export function collectBlocks(root: AnyNode, options: CollectOptions = {}): Block[] {
  const skip = options.skip;
  const region = options.region;
  const softFn = options.soft;
  let softDepth = 0;
  let regionDepth = 0;
  let inRegion = false;
  const blocks: Block[] = [];
  // Built by concatenation (V8 ropes): cheaper than an array and join per block.
  let text = '';
  let plain = '';
  let len = 0;
  let linkChars = 0;
  let pendingSpace = false;
  let pendingBreak: Break = Break.None;
  let container: Element | null = null;
  let heading = 0;
  let listItem = 0;
  let pre = 0;
  let inLink = 0;

  const flush = (): void => {
    if (len > 0) {
      blocks.push({
        text,
        breakBefore: pendingBreak,
        container,
        linkChars,
        outsideLinks: plain,
        heading: heading > 0,
        listItem: listItem > 0,
        pre: pre > 0,
        skipped: undefined,
        inRegion,
        soft: softDepth > 0,
        counts: null,
      });
      pendingBreak = Break.None;
    }
    inRegion = false;
    text = '';
    plain = '';
    len = 0;
    linkChars = 0;
    pendingSpace = false;
  };
  const addBreak = (b: Break): void => {
    if (b === Break.None) return;
    flush();
    if (b > pendingBreak) pendingBreak = b;
  };
  const addText = (raw: string): void => {
    if (pre > 0) {
      if (raw.length === 0) return;
      const t = raw
        .replace(/\r\n?/g, '\n')
        .replace(/\u00a0/g, ' ')
        .replace(INVISIBLE, '');
      if (len === 0 && t.trim() === '') return;
      text += t;
      len += t.length;
      if (inLink > 0) linkChars += t.length;
      else plain += t;
      if (regionDepth > 0) inRegion = true;
      return;
    }
    const collapsed = collapseSpace(raw);
    if (collapsed === ' ' || collapsed === '') {
      if (collapsed === ' ' && len > 0) pendingSpace = true;
      return;
    }
    let t = collapsed;
    if (t.charCodeAt(0) === 32) {
      t = t.slice(1);
      if (len > 0) pendingSpace = true;
    }
    let trailing = false;
    if (t.charCodeAt(t.length - 1) === 32) {
      t = t.slice(0, -1);
      trailing = true;
    }
    if (pendingSpace && len > 0) {
      text += ' ';
      plain += ' ';
      len += 1;
    }
    text += t;
    len += t.length;
    if (inLink > 0) linkChars += t.length;
    else plain += t;
    if (regionDepth > 0) inRegion = true;
    pendingSpace = trailing;
  };

  const visit = (node: AnyNode): void => {
    if (node.type === 'text') {
      addText(node.data);
      return;
    }
    if (!isElement(node)) return;
    const tag = node.name;
    const kind = tagKind(tag);
    if (kind & KIND_NON_TEXT) return;
    if (skip && skip(node)) {
      // A skipped block still separates its neighbours, and leaves a marker so
      // labels that introduced it ("Read also:") can be dropped with it.
      const b = (kind & KIND_BREAK) as Break;
      if (b !== Break.None) {
        addBreak(b);
        blocks.push({
          text: '',
          breakBefore: Break.None,
          container,
          linkChars: 0,
          outsideLinks: '',
          heading: false,
          listItem: false,
          pre: false,
          skipped: node,
          inRegion: regionDepth > 0,
          soft: softDepth > 0,
          counts: null,
        });
      } else if (len > 0) pendingSpace = true;
      return;
    }
    if (tag === 'br') {
      addBreak(Break.Line);
      return;
    }
    if (tag === 'hr') {
      addBreak(Break.Para);
      return;
    }
    const b = (kind & KIND_BREAK) as Break;
    const savedContainer = container;
    if (b !== Break.None) {
      addBreak(b);
      container = node;
    }
    const isHeading = (kind & KIND_HEADING) !== 0;
    const isLi = tag === 'li' || tag === 'dd' || tag === 'dt';
    const isPre = tag === 'pre' || tag === 'listing' || tag === 'xmp' || tag === 'plaintext';
    const isLink = tag === 'a';
    const isRegion = region !== undefined && region(node);
    if (isRegion) regionDepth++;
    const isSoftEl = softFn !== undefined && softFn(node);
    if (isSoftEl) {
      // A soft element starts its own block so its text is judged on its own.
      addBreak(Break.Para);
      softDepth++;
    }
    if (isHeading) heading++;
    if (isLi) listItem++;
    if (isPre) pre++;
    if (isLink) inLink++;
    const children = node.children;
    for (let i = 0; i < children.length; i++) visit(children[i]);
    // Close the block while this element's flags (heading, list item, pre) still apply.
    if (b !== Break.None) addBreak(b);
    if (isHeading) heading--;
    if (isLi) listItem--;
    if (isPre) pre--;
    if (isLink) inLink--;
    if (isRegion) regionDepth--;
    if (isSoftEl) {
      addBreak(Break.Para);
      softDepth--;
    }
    if (b !== Break.None) container = savedContainer;
  };
  visit(root);
  flush();
  return blocks;
}

const SEPARATORS: Record<Break, string> = {
  [Break.None]: ' ',
  [Break.Cell]: '\t',
  [Break.Line]: '\n',
  [Break.Para]: '\n\n',
};

/** Join blocks into text: paragraphs "\n\n", lines "\n", cells "\t". */
export function joinBlocks(blocks: readonly Block[]): string {
  let out = '';
  let pending: Break = Break.None;
  let first = true;
  for (const b of blocks) {
    const text = b.pre ? b.text.replace(/^\n+|\s+$/g, '') : b.text.trim();
    if (text === '') {
      if (b.breakBefore > pending) pending = b.breakBefore;
      continue;
    }
    if (!first) {
      const brk = b.breakBefore > pending ? b.breakBefore : pending;
      out += SEPARATORS[brk === Break.None ? Break.Para : brk];
    }
    out += text;
    first = false;
    pending = Break.None;
  }
  return out;
}

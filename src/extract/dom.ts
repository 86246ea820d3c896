/**
 * Small helpers over the domhandler tree produced by htmlparser2.
 * The extraction hot path walks these nodes directly instead of going
 * through CSS selectors, which would be far slower on large pages.
 */
import { parseDocument } from 'htmlparser2';
import type { AnyNode, Document, Element, ParentNode } from 'domhandler';
import type { Info, NameFacts } from './node-facts.js';

export type { AnyNode, Document, Element, ParentNode };

/**
 * Values the extraction stages cache per element. They live in one object
 * under one symbol-keyed property of the element itself: a property load is
 * much cheaper than a Map / WeakMap lookup (WeakMaps also burden the GC), and
 * one property keeps every element of one shape for V8.
 */
export interface ElementCache {
  /** Measurements (measure.ts) and the generation of the InfoTable that wrote them. */
  info: Info | null;
  infoGen: number;
  /** Class / id vocabulary facts (boilerplate.ts). */
  facts: NameFacts | null;
  /** Ids of the ElementSets holding this element (null: none). */
  sets: number[] | null;
}

const CACHE = Symbol('ccaudit.extract.cache');
type CachedElement = Element & { [CACHE]?: ElementCache };

/** The element's cache, created on first use. */
export function cacheOf(el: Element): ElementCache {
  let c = (el as CachedElement)[CACHE];
  if (c === undefined) {
    c = { info: null, infoGen: 0, facts: null, sets: null };
    (el as CachedElement)[CACHE] = c;
  }
  return c;
}

/** The element's cache if it has one (never creates it). */
export function peekCache(el: Element): ElementCache | undefined {
  return (el as CachedElement)[CACHE];
}

/**
 * A set of elements whose membership test is a look at the element's own
 * cache (the tree walks ask "is this furniture?" of nearly every element;
 * a Set lookup costs a hash probe each time). Iterates in insertion order.
 */
export class ElementSet implements Iterable<Element> {
  private static lastId = 0;
  private readonly id = ++ElementSet.lastId;
  private readonly members = new Set<Element>();

  constructor(elements?: Iterable<Element>) {
    if (elements) for (const el of elements) this.add(el);
  }

  add(el: Element): this {
    if (this.members.has(el)) return this;
    this.members.add(el);
    const c = cacheOf(el);
    if (c.sets === null) c.sets = [this.id];
    else c.sets.push(this.id);
    return this;
  }

  has(el: Element): boolean {
    const sets = (el as CachedElement)[CACHE]?.sets;
    return sets != null && sets.includes(this.id);
  }

  get size(): number {
    return this.members.size;
  }

  [Symbol.iterator](): Iterator<Element> {
    return this.members[Symbol.iterator]();
  }
}

/** htmlparser2 / domhandler options of every parse (entities decoded, names lower-cased). */
export const PARSE_OPTIONS = { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true } as const;

/** Parse HTML into a domhandler Document (htmlparser2 back end, entities decoded). */
export function parseHtml(html: string): Document {
  return parseDocument(html, PARSE_OPTIONS);
}

/** True for element nodes (including <script> and <style>, which domhandler types separately). */
export function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/** Lower-case attribute value or '' when absent. */
export function attr(el: Element, name: string): string {
  const v = el.attribs[name];
  return v === undefined ? '' : v;
}

/** First element with the given tag name, depth-first; null if none. */
export function findFirst(root: ParentNode, tag: string): Element | null {
  const stack: AnyNode[] = [...root.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!isElement(node)) continue;
    if (node.name === tag) return node;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  return null;
}

/** All elements with one of the given tag names, in document order. */
export function findAll(root: ParentNode, tags: ReadonlySet<string>): Element[] {
  const out: Element[] = [];
  const visit = (node: ParentNode): void => {
    for (const child of node.children) {
      if (!isElement(child)) continue;
      if (tags.has(child.name)) out.push(child);
      if (child.children.length > 0) visit(child);
    }
  };
  visit(root);
  return out;
}

/**
 * Concatenated text of a subtree, whitespace collapsed (no block awareness).
 * Script and style content is skipped unless `raw` is set (then the node's
 * own text, e.g. a JSON-LD script body, is returned as is).
 */
export function textOf(node: AnyNode, raw = false): string {
  const parts: string[] = [];
  const visit = (n: AnyNode): void => {
    if (n.type === 'text') parts.push(n.data);
    else if (n.type === 'tag' || (raw && (n.type === 'script' || n.type === 'style'))) for (const c of n.children) visit(c);
  };
  visit(node);
  const s = parts.join('');
  return raw ? s : s.replace(/\s+/g, ' ').trim();
}

/** True when `node` is `ancestor` or lies inside it. */
export function isInside(node: AnyNode, ancestor: AnyNode): boolean {
  for (let n: AnyNode | null = node; n; n = n.parent) if (n === ancestor) return true;
  return false;
}

/** Elements that belong in <head>; anything else there means the parser put page content into it. */
const HEAD_TAGS = new Set(['title', 'meta', 'link', 'script', 'style', 'base', 'noscript', 'template']);

/**
 * The element holding the page content: normally <body>. htmlparser2 does not
 * implement HTML5's implicit end of <head>, so a stray body element early in
 * the head (a tracking <div>, a <span>) can swallow the page into <head>; when
 * the head then holds more text than the body, <html> is the root instead.
 * Fragments without <html> and <body> give null.
 */
export function contentRoot(doc: Document): Element | null {
  const body = findFirst(doc, 'body');
  const html = findFirst(doc, 'html');
  const head = findFirst(doc, 'head');
  if (head && html) {
    const stray = head.children.filter((c): c is Element => isElement(c) && !HEAD_TAGS.has(c.name));
    if (stray.length > 0) {
      const headText = stray.reduce((n, c) => n + textOf(c).length, 0);
      if (headText > (body ? textOf(body).length : 0)) return html;
    }
  }
  return body ?? html;
}

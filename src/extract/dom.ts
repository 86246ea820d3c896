/**
 * Small helpers over the domhandler tree produced by htmlparser2.
 * The extraction hot path walks these nodes directly instead of going
 * through CSS selectors, which would be far slower on large pages.
 */
import { parseDocument } from 'htmlparser2';
import type { AnyNode, Document, Element, ParentNode } from 'domhandler';

export type { AnyNode, Document, Element, ParentNode };

/** Parse HTML into a domhandler Document (htmlparser2 back end, entities decoded). */
export function parseHtml(html: string): Document {
  return parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
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

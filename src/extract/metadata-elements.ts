/**
 * Which elements the page metadata is read from (<meta>, JSON-LD <script>, <title>, <h1>,
 * <time>, microdata datePublished), and which of them a reader of the page sees: those
 * under <head> and the content root, outside <script>, <title>, <style> and <svg>.
 * The parser notes the candidates as it meets them (page-handler.ts), so finding them
 * costs no walk over the tree; a tree that was reshaped after parsing is walked instead.
 */
import type { Document, Element, ParentNode } from './dom.js';
import { contentRoot, findFirst, isElement } from './dom.js';

/** True for the tags (and microdata) the metadata reads. */
export function isMetadataTag(name: string, attribs: Record<string, string>): boolean {
  switch (name) {
    case 'meta':
    case 'script':
    case 'title':
    case 'h1':
    case 'time':
      return true;
    default:
      return attribs.itemprop === 'datePublished';
  }
}

/** Elements whose insides hold no metadata the page shows (raw text, drawings). */
function opaque(name: string): boolean {
  return name === 'script' || name === 'title' || name === 'style' || name === 'svg';
}

/** True when `el` lies below `top` with no opaque element between them. */
function reachableFrom(el: Element, top: ParentNode): boolean {
  for (let a = el.parent; a !== null; a = a.parent) {
    if (a === top) return true;
    if (!isElement(a) || opaque(a.name)) return false;
  }
  return false;
}

/** Metadata elements below `top` found by walking the tree (document order). */
function walkFrom(top: ParentNode, out: Element[]): void {
  for (const child of top.children) {
    if (!isElement(child)) continue;
    if (isMetadataTag(child.name, child.attribs)) out.push(child);
    if (child.children.length > 0 && !opaque(child.name)) walkFrom(child, out);
  }
}

/**
 * The metadata elements in reading order: <head> first (meta, title, JSON-LD), then the
 * content root (microdata, <time>, <h1>, JSON-LD in the body); when the parser left the
 * page inside <head>, the root is <html> and read alone. `noted` are the candidates the
 * parser noted in document order; null walks the tree.
 */
export function metadataElements(doc: Document, noted: readonly Element[] | null): Element[] {
  const root = contentRoot(doc);
  const tops: ParentNode[] = [];
  if (root && root.name === 'html') tops.push(root);
  else {
    const head = findFirst(doc, 'head');
    if (head) tops.push(head);
    tops.push(root ?? doc);
  }
  const out: Element[] = [];
  for (const top of tops) {
    if (noted === null) walkFrom(top, out);
    else for (const el of noted) if (reachableFrom(el, top)) out.push(el);
  }
  return out;
}

/**
 * HTML bytes → ExtractedDocument: charset, main text, title, date, language.
 * The page is parsed once (htmlparser2) and the same DOM feeds text and metadata.
 */
import type { ExtractInput, ExtractedDocument } from '../core/types.js';
import { isElement, type AnyNode, type Document, type Element } from './dom.js';
import { loadHtml } from './load.js';
import { countWords, detectLanguage } from './language.js';
import { extractMainText } from './main-text.js';
import { extractMetadata } from './metadata.js';

export { decodeHtml, chooseCharset, normalizeCharsetLabel } from './charset.js';
export { MAX_HTML_CHARS } from './load.js';
export { extractMainText } from './main-text.js';
export { extractMetadata, cleanTitle } from './metadata.js';
export { detectLanguage, countWords } from './language.js';
export { parseDateString, dateFromUrl } from './dates.js';
export { documentFromText, type TextDocumentInput } from './text-document.js';

/**
 * Deeper structure is flattened onto the element at this depth (pathological pages; keeps
 * every tree walk's recursion bounded without losing the text).
 */
export const MAX_DEPTH = 256;

/** Options beyond the shared ExtractInput. */
export interface ExtractOptions {
  /** Latest plausible publication date (ISO), e.g. the record's WARC-Date; default: now. */
  notAfter?: string | null;
}

/**
 * Flattens subtrees nested deeper than `max` onto the element at depth `max`, so no walk
 * recurses deeper but no text is lost. Recursion here stops at `max` too.
 */
function limitDepth(doc: Document, max: number): void {
  const visit = (children: AnyNode[], depth: number): void => {
    for (let i = 0; i < children.length; i++) {
      const node = children[i];
      if (node.type === 'text' || !isElement(node) || node.children.length === 0) continue;
      if (depth >= max) flattenInto(node);
      else visit(node.children, depth + 1);
    }
  };
  visit(doc.children, 1);
}

/**
 * Replaces the descendants of `top` by a flat list in document order: leaves (text, empty
 * elements) stay in a shallow copy of the element that held them, so tags, classes and
 * block breaks still reach the text serialiser. An element whose leaves are split by child
 * elements becomes one copy per run of leaves. Iterative: the depth below is unbounded.
 */
function flattenInto(top: Element): void {
  const flat: AnyNode[] = [];
  type Frame = { el: Element; next: number; piece: Element | null };
  const stack: Frame[] = [{ el: top, next: 0, piece: null }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.next >= frame.el.children.length) {
      stack.pop();
      continue;
    }
    const child = frame.el.children[frame.next++];
    if (isElement(child) && child.children.length > 0) {
      frame.piece = null;
      stack.push({ el: child, next: 0, piece: null });
    } else if (frame.el === top) {
      flat.push(child);
    } else {
      if (frame.piece === null) {
        frame.piece = frame.el.cloneNode(false);
        flat.push(frame.piece);
      }
      frame.piece.children.push(child);
    }
  }
  for (const node of flat) if (isElement(node)) relink(node, node.children);
  relink(top, flat);
}

/** Sets `parent`'s children with consistent parent and sibling links. */
function relink(parent: Element, children: AnyNode[]): void {
  parent.children = children;
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    c.parent = parent;
    c.prev = children[i - 1] ?? null;
    c.next = children[i + 1] ?? null;
  }
}

/**
 * Extract article text and metadata from one HTML page. Bad input (empty,
 * binary, non-HTML, huge, deeply nested, malformed markup, unknown charsets)
 * yields a (possibly empty) document rather than an exception.
 */
export function extractDocument(input: ExtractInput & ExtractOptions): ExtractedDocument {
  const { doc, maxDepth, metadataElements, charset, charsetSource } = loadHtml(input.html ?? '', input.contentType ?? null);
  if (doc === null) return { title: null, text: '', date: null, dateSource: null, lang: 'und', words: 0, charset, charsetSource };
  // Only elements nested deeper than the limit are moved: a shallower page needs no walk.
  const reshaped = maxDepth > MAX_DEPTH;
  if (reshaped) limitDepth(doc, MAX_DEPTH);
  // Flattening moves and copies elements: the parser's notes no longer describe the tree.
  const meta = extractMetadata(doc, { url: input.url ?? null, notAfter: input.notAfter ?? null }, reshaped ? null : metadataElements);
  const main = extractMainText(doc, { title: meta.title });
  return {
    title: meta.title,
    text: main.text,
    date: meta.date,
    dateSource: meta.dateSource,
    lang: detectLanguage(main.text),
    words: countWords(main.text),
    charset,
    charsetSource,
  };
}

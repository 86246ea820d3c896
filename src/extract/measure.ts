/**
 * Per-element measurements used to judge page regions: visible text length,
 * link text, commas and sentence marks, paragraph / list / image counts.
 * Computed in one bottom-up pass; removing furniture afterwards subtracts its
 * numbers from the ancestors instead of measuring again.
 */
import type { Element } from './dom.js';
import { cacheOf, isElement, peekCache, type ElementSet } from './dom.js';
import { Break, HEADING_TAGS, KIND_BREAK, KIND_HEADING, KIND_NON_TEXT, breakOf, tagKind } from './blocks.js';
import { hasContentHint } from './boilerplate.js';
import type { Info } from './node-facts.js';

/**
 * Element → Info, as one measuring pass left it. Stored in the elements' own
 * caches (dom.ts) rather than in a Map; the generation number keeps the
 * semantics of a separate map per pass (an entry written by an older table
 * reads as absent).
 */
export class InfoTable {
  private static lastGen = 0;
  private readonly gen = ++InfoTable.lastGen;

  get(el: Element): Info | undefined {
    const c = peekCache(el);
    return c !== undefined && c.infoGen === this.gen ? c.info! : undefined;
  }

  set(el: Element, info: Info): void {
    const c = cacheOf(el);
    c.info = info;
    c.infoGen = this.gen;
  }
}

export function countText(s: string): { len: number; commas: number; sentences: number } {
  const acc = emptyInfo();
  addText(acc, s, false);
  return { len: acc.len, commas: acc.commas, sentences: acc.sentences };
}

export function emptyInfo(): Info {
  return {
    len: 0,
    linkLen: 0,
    commas: 0,
    inlineLen: 0,
    blockCount: 0,
    p: 0,
    img: 0,
    li: 0,
    input: 0,
    embed: 0,
    headingLen: 0,
    sentences: 0,
    markerLen: -1,
  };
}

/** Add the counts of one text to `info`: visible characters, commas, sentence ends (no result object per text node). */
function addText(info: Info, s: string, link: boolean): void {
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
  info.len += len;
  info.inlineLen += len;
  info.commas += commas;
  info.sentences += sentences;
  if (link) info.linkLen += len;
}

/** Measure the subtree; `exclude` elements (and their subtrees) count as absent. */
export function measure(root: Element, infos: InfoTable, exclude?: (el: Element) => boolean): Info {
  const visit = (el: Element, inLink: boolean): Info => {
    const info = emptyInfo();
    const link = inLink || el.name === 'a';
    const children = el.children;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (child.type === 'text') {
        addText(info, child.data, link);
        continue;
      }
      if (!isElement(child)) continue;
      const ct = child.name;
      if (ct === 'img') info.img++;
      else if (ct === 'input' || ct === 'textarea' || ct === 'select') info.input++;
      else if (ct === 'embed' || ct === 'object' || ct === 'iframe') info.embed++;
      const kind = tagKind(ct);
      if (kind & KIND_NON_TEXT || (exclude !== undefined && exclude(child))) continue;
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
      info.headingLen += kind & KIND_HEADING ? ci.len : ci.headingLen;
      if ((kind & KIND_BREAK) !== Break.None) info.blockCount++;
      else {
        info.inlineLen += ci.inlineLen;
        info.blockCount += ci.blockCount;
      }
    }
    infos.set(el, info);
    return info;
  };
  return visit(root, false);
}

/**
 * Turn raw measurements into measurements without the `removed` subtrees, in
 * place: each removed element that has no removed ancestor takes its numbers
 * out of every ancestor up to `root`. Much cheaper than measuring again.
 */
export function subtractRemoved(root: Element, infos: InfoTable, removed: ElementSet): void {
  for (const el of removed) {
    let topLevel = true;
    for (let a = el.parent; a && isElement(a) && a !== root; a = a.parent) {
      if (removed.has(a)) {
        topLevel = false;
        break;
      }
    }
    if (!topLevel) continue;
    const e = infos.get(el);
    if (!e) continue;
    const isP = el.name === 'p' ? 1 : 0;
    const isLi = el.name === 'li' ? 1 : 0;
    const heading = HEADING_TAGS.has(el.name) ? e.len : e.headingLen;
    const block = breakOf(el.name) !== Break.None;
    let inline = block ? 0 : e.inlineLen;
    let blocks = block ? 1 : e.blockCount;
    for (let a = el.parent; a && isElement(a); a = a.parent) {
      const i = infos.get(a);
      if (i) {
        i.len -= e.len;
        i.linkLen -= e.linkLen;
        i.commas -= e.commas;
        i.sentences -= e.sentences;
        i.p -= e.p + isP;
        i.li -= e.li + isLi;
        i.img -= e.img;
        i.input -= e.input;
        i.embed -= e.embed;
        i.headingLen -= heading;
        i.inlineLen -= inline;
        i.blockCount -= blocks;
      }
      if (breakOf(a.name) !== Break.None) {
        // Above a block-level ancestor the removed element no longer counts as inline content.
        inline = 0;
        blocks = 0;
      }
      if (a === root) break;
    }
  }
}

/**
 * Text length of the largest content-marked descendant of `el` (see isContentMarker), from the
 * measurements as measure() left them. Only furniture candidates ask, so it is worked out on
 * request (and kept in the Info) instead of testing every element's names while measuring.
 */
export function markerLength(el: Element, infos: InfoTable): number {
  const info = infos.get(el);
  if (info === undefined) return 0;
  if (info.markerLen >= 0) return info.markerLen;
  let longest = 0;
  const children = el.children;
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    if (!isElement(child) || tagKind(child.name) & KIND_NON_TEXT) continue;
    const ci = infos.get(child);
    // Not measured: excluded from this measurement.
    if (ci === undefined) continue;
    const marker = isContentMarker(child) ? ci.len : markerLength(child, infos);
    if (marker > longest) longest = marker;
  }
  info.markerLen = longest;
  return longest;
}

export function isContentMarker(el: Element): boolean {
  return el.name === 'article' || el.name === 'main' || hasContentHint(el);
}

export const linkDensity = (i: Info): number => (i.len === 0 ? 0 : i.linkLen / i.len);

/** Decide which elements are furniture, protecting large low-link wrappers. */

/**
 * Readability-style choice of the article container: paragraphs vote for
 * their ancestors (length, commas), candidates are weighted by class
 * vocabulary, content-container hints and link density, the best one is
 * refined (shared ancestor of several strong candidates, climbing while the
 * parent scores as well) and merged with qualifying siblings. Inside the
 * chosen content, "shady" sub-blocks (link lists, forms, image galleries) are
 * marked for removal (Readability's conditional cleaning).
 */
import type { AnyNode, Element } from './dom.js';
import { ElementSet, isElement } from './dom.js';
import { NON_TEXT_TAGS } from './blocks.js';
import { classWeight, hasContentHint } from './boilerplate.js';
import { emptyInfo, linkDensity, type InfoTable } from './measure.js';
import type { Info } from './node-facts.js';

const SCORE_TAGS = new Set(['p', 'pre', 'td', 'blockquote']);
/** Elements that act as a paragraph when they hold only inline content. */
export const DIV_LIKE = new Set(['div', 'section', 'article', 'main', 'center', 'span', 'font']);
const CLEAN_TAGS = new Set(['table', 'ul', 'ol', 'dl', 'div', 'section', 'form', 'fieldset', 'article', 'aside', 'header', 'footer', 'nav']);
/** Sub-blocks of the article with this much sentence text are never cleaned away. */
const SHADY_PROTECT_LEN = 500;

/** Readability's prior for a candidate: tag kind, class / id weight, +15 for a content-container name. */
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
export function scoreCandidates(root: Element, infos: InfoTable, junk: ElementSet): Map<Element, number> {
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
      if (SCORE_TAGS.has(tag) && !(tag === 'td' && info.blockCount > 0)) {
        scoreParagraph(parent, info, info.len);
        if (tag !== 'td' && tag !== 'blockquote') continue;
      } else if (DIV_LIKE.has(tag) && info.blockCount === 0) {
        // A div holding only inline content is a paragraph in disguise.
        scoreParagraph(parent, info, info.len);
        continue;
      } else if (info.blockCount > 0 && info.inlineLen >= 25 && (DIV_LIKE.has(tag) || tag === 'td')) {
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
export function chooseContent(body: Element, infos: InfoTable, scores: Map<Element, number>, junk: ElementSet): Element[] {
  const ranked = [...scores.entries()].filter(([el]) => el !== body).sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0) return [body];
  let [top, topScore] = ranked[0];

  // Several strong candidates under one ancestor: the ancestor is the article.
  const alternatives = ranked
    .slice(1, 6)
    .filter(([, s]) => s / topScore >= 0.75)
    .map(([el]) => ancestors(el, body));
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
    const paragraphLike = sib.name === 'p' || (DIV_LIKE.has(sib.name) && info.blockCount === 0);
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
  const ld = linkDensity(info);
  if (weight + score < 0 && (weight < 0 || ld > 0.2)) return true;
  if (info.commas >= 10) return false;
  const isList = tag === 'ul' || tag === 'ol' || tag === 'dl';
  const contentLength = info.len;
  if (contentLength === 0) return info.img === 0 && info.embed === 0;
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

/** Shady sub-blocks (see isShady) inside the chosen containers; their subtrees are dropped. */
export function markShady(containers: Element[], infos: InfoTable, scores: Map<Element, number>, junk: ElementSet): ElementSet {
  const shady = new ElementSet();
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

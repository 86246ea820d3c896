/**
 * Main-text (boilerplate-removal) extraction over a parsed DOM.
 *
 * Pipeline (one pass; a lenient second pass only for pages where almost
 * nothing survived):
 *  1. measure.ts: measure every element once (text, links, commas, counts).
 *  2. furniture.ts: mark page furniture (hidden, nav / aside / footer / form,
 *     ARIA landmarks, class / id vocabulary: comments, share bars, cookie
 *     banners …) and soft article heads; large low-link wrappers and
 *     text-rich sections are protected. Their numbers are subtracted.
 *  3. candidates.ts: Readability-style scoring picks the article container(s)
 *     and marks shady sub-blocks (link lists, forms, galleries).
 *  4. blocks.ts serialises the page once into blocks; selection.ts keeps the
 *     container's blocks, grows them over good neighbours in document order,
 *     and drops loose text, orphan labels and template phrases.
 *  5. Too little text: fall back to all non-furniture, non-link-list blocks.
 */
import { Element as DomElement } from 'domhandler';
import type { Document, Element } from './dom.js';
import { contentRoot, ElementSet } from './dom.js';
import { collectBlocks, joinBlocks, type Block } from './blocks.js';
import { InfoTable, measure, subtractRemoved } from './measure.js';
import { markJunk } from './furniture.js';
import { chooseContent, markShady, scoreCandidates } from './candidates.js';
import { classify, dropLooseText, extendCore, textLength, tidyBlocks } from './selection.js';

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

/** Below this many non-whitespace characters the candidate result is distrusted. */
const MIN_TEXT = 250;

interface Pass {
  blocks: Block[];
  /** Text held by furniture that a lenient pass would keep. */
  spareable: number;
  length: number;
  method: 'candidate' | 'fallback';
  containers: Element[];
  junk: ElementSet;
  shady: ElementSet;
  scores: Map<Element, number>;
}

/** One extraction pass: furniture marking, container choice, block selection, fallback. */
function runPass(body: Element, raw: InfoTable, total: number, lenient: boolean, title: string | null | undefined): Pass {
  const { junk, soft, spareable } = markJunk(body, raw, total, lenient);
  // Soft regions (article heads, teasers) neither vote for nor become the container.
  const excluded = new ElementSet([...junk, ...soft]);
  // From here on `raw` describes the page without furniture (updated in place).
  subtractRemoved(body, raw, excluded);
  const infos = raw;
  const scores = scoreCandidates(body, infos, excluded);
  const containers = chooseContent(body, infos, scores, excluded);
  const shady = markShady(containers, infos, scores, excluded);
  const skip = (el: Element): boolean => junk.has(el) || shady.has(el);

  // Serialise the whole body once; blocks inside the chosen containers are the core.
  const contSet = new ElementSet(containers);
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
    // Without shady blocks the first serialisation is already that page (only its
    // inRegion flags differ, which the fallback does not read).
    const whole = shady.size === 0 ? all : collectBlocks(body, { skip: (el) => junk.has(el), soft: (el) => soft.has(el) });
    const fallback = tidyBlocks(
      whole,
      whole.map((b) => b.text !== '' && (b.soft ? classify(b) === 'good' : classify(b) !== 'bad')),
      title,
      infos,
    );
    const fallbackLength = textLength(fallback);
    if (fallbackLength > length * 1.5) {
      blocks = fallback;
      method = 'fallback';
      length = fallbackLength;
    }
  }
  return { blocks, length, method, containers, junk, shady, scores, spareable };
}

/** Extract the main article text of a parsed document. */
export function extractMainText(doc: Document, options: MainTextOptions = {}): MainTextResult {
  let body = contentRoot(doc);
  if (!body) {
    // A fragment without <html>/<body> (htmlparser2 does not invent them): give its
    // top-level nodes a body so the same algorithm applies.
    body = new DomElement('body', {}, doc.children);
    for (const child of doc.children) child.parent = body;
  }

  const raw = new InfoTable();
  const rawTotal = measure(body, raw);
  let pass = runPass(body, raw, rawTotal.len, false, options.title);
  if (pass.length < MIN_TEXT && pass.spareable > Math.max(pass.length * 0.5, 50)) {
    // Almost nothing survived: forum threads ("comments"), content inside <form>.
    // Retry with discussion words and wrapper tags allowed (on fresh measurements:
    // the first pass updated `raw` in place).
    const fresh = new InfoTable();
    measure(body, fresh);
    const lenient = runPass(body, fresh, rawTotal.len, true, options.title);
    if (lenient.length > Math.max(pass.length * 1.5, 50)) pass = lenient;
  }
  const { blocks, method, containers, junk, shady, scores } = pass;
  const text = joinBlocks(blocks);
  const result: MainTextResult = { text, containers: method === 'candidate' ? containers : [], method: text === '' ? 'empty' : method };
  if (options.debug) result.debug = { junk: [...junk], shady: [...shady], ranked: [...scores.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10) };
  return result;
}

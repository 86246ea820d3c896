/**
 * Tree-level furniture marking: which elements are page furniture (hidden,
 * navigation, footers, comments, share bars, cookie banners …) and which are
 * "soft" article heads / teasers, using the per-element signals of
 * boilerplate.ts plus protections for large low-link wrappers and text-rich
 * sections.
 */
import type { Element } from './dom.js';
import { ElementSet, isElement } from './dom.js';
import { NON_TEXT_TAGS } from './blocks.js';
import { isHidden, isJunkTagOrRole, isSoft, junkNameStrength } from './boilerplate.js';
import { linkDensity, markerLength, type InfoTable } from './measure.js';

/**
 * Furniture and soft regions of the page. `spareable` is the text held by
 * furniture that the lenient pass would keep (forum "comments", <form>
 * wrappers): when it is small, a lenient retry cannot help.
 */
export interface Furniture {
  /** Furniture elements (their subtrees are dropped); only the outermost are listed. */
  junk: ElementSet;
  /** Article heads and teasers: only sentence-long blocks are taken from them. */
  soft: ElementSet;
  /** Text held by furniture that the lenient pass would keep. */
  spareable: number;
}

export function markJunk(root: Element, raw: InfoTable, total: number, lenient: boolean): Furniture {
  const junk = new ElementSet();
  const soft = new ElementSet();
  let spareable = 0;
  const visit = (el: Element): void => {
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
        const holdsArticle = (): boolean => {
          const marker = markerLength(child, raw);
          return marker >= 200 && marker >= 0.5 * info.len * (1 - ld);
        };
        if (!wrapper && !textRich && !holdsArticle()) {
          junk.add(child);
          if (!lenient && !isHidden(child)) {
            const spared =
              (isJunkTagOrRole(child, false) && !isJunkTagOrRole(child, true)) || junkNameStrength(child, true) < junkNameStrength(child, false);
            if (spared) spareable += info.len;
          }
          continue;
        }
      }
      if (isSoft(child) && !(total > 0 && info.len / total > 0.5)) soft.add(child);
      visit(child);
    }
  };
  visit(root);
  return { junk, soft, spareable };
}

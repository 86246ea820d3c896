/**
 * Per-element facts the extraction passes cache on the DOM nodes (dom.ts keeps them): the
 * measuring pass's text statistics and the class/id name facts of the boilerplate rules.
 */

/** Measurements of one element (junk subtrees excluded once marked). */
export interface Info {
  /** Visible non-whitespace characters. */
  len: number;
  /** Non-whitespace characters inside <a>. */
  linkLen: number;
  commas: number;
  /** Non-whitespace characters not inside a block-level child (inline text of this element). */
  inlineLen: number;
  /** Block-level descendants reachable through inline elements only (> 0: "has block children"). */
  blockCount: number;
  /** Counts used by conditional cleaning. */
  p: number;
  img: number;
  li: number;
  input: number;
  embed: number;
  headingLen: number;
  /** Sentence-ending punctuation marks. */
  sentences: number;
  /**
   * Text length of the largest content-marked descendant (<article>, <main>, articleBody,
   * "entry-content" …); -1 until measure.markerLength works it out.
   */
  markerLen: number;
}

/** What the class / id vocabulary of an element says. */
export interface NameFacts {
  strength: 0 | 1 | 2;
  lenientStrength: 0 | 1 | 2;
  soft: boolean;
  contentHint: boolean;
}

/**
 * Word sets of documents as compact vocabulary-index arrays, for the baseline word mixture
 * (word-mixture.ts). Each text is tokenised ONCE (src/detect/text.ts via reference.ts's
 * unitWordSets: case-folded, quotes/dashes unified, numeric tokens dropped, CJK split into
 * characters) and stored as a sorted Int32Array of vocabulary indices, so a bootstrap replicate
 * can rebuild p_w from resampled documents with integer additions only.
 */
import { unitWordSets } from '../reference.js';

/** The set of (non-numeric) word tokens of a whole document; empty when it has none. */
export function documentWordSet(text: string): Set<string> {
  return unitWordSets(text, 'document')[0] ?? new Set<string>();
}

/** Documents as vocabulary indices, flattened: doc d is `idx[start[d]] … idx[start[d+1]−1]` (sorted). */
export interface DocWordTable {
  idx: Int32Array;
  start: Uint32Array;
}

export function docCount(t: DocWordTable): number {
  return t.start.length - 1;
}

/** Packs per-document index lists (each sorted here) into one table. */
export function packDocs(docs: ReadonlyArray<ArrayLike<number>>): DocWordTable {
  let total = 0;
  for (const d of docs) total += d.length;
  const idx = new Int32Array(total);
  const start = new Uint32Array(docs.length + 1);
  let o = 0;
  docs.forEach((d, i) => {
    start[i] = o;
    const sorted = Int32Array.from(d).sort();
    idx.set(sorted, o);
    o += sorted.length;
  });
  start[docs.length] = o;
  return { idx, start };
}

/**
 * Interns every word seen in a set of texts and counts in how many documents of each side it
 * occurs, keeping each document as an Int32Array of intern ids. Used once at build time to
 * choose the vocabulary; afterwards only the vocabulary map is kept.
 */
export class WordInterner {
  private readonly ids = new Map<string, number>();
  readonly words: string[] = [];
  /** Document frequency per intern id, per side (side 0 = baseline, 1 = AI references). */
  private df: [Int32Array, Int32Array] = [new Int32Array(1024), new Int32Array(1024)];

  /** Interns the words of one text; returns its word ids (null when the text has no word). */
  addDocument(text: string, side: 0 | 1): Int32Array | null {
    const set = documentWordSet(text);
    if (set.size === 0) return null;
    const out = new Int32Array(set.size);
    let i = 0;
    for (const w of set) {
      let id = this.ids.get(w);
      if (id === undefined) {
        id = this.words.length;
        this.ids.set(w, id);
        this.words.push(w);
        if (id >= this.df[0].length) this.grow();
      }
      this.df[side][id]++;
      out[i++] = id;
    }
    return out;
  }

  docFrequency(id: number, side: 0 | 1): number {
    return this.df[side][id];
  }

  private grow(): void {
    for (const s of [0, 1] as const) {
      const next = new Int32Array(this.df[s].length * 2);
      next.set(this.df[s]);
      this.df[s] = next;
    }
  }
}

/** A fixed vocabulary: word → index. */
export class Vocabulary {
  private readonly index = new Map<string, number>();
  readonly words: string[] = [];

  constructor(words: Iterable<string>) {
    for (const w of words) {
      if (this.index.has(w)) continue;
      this.index.set(w, this.words.length);
      this.words.push(w);
    }
  }

  get size(): number {
    return this.words.length;
  }

  get(word: string): number | undefined {
    return this.index.get(word);
  }

  /** Vocabulary indices of a text's word set (sorted); null when the text has no word at all. */
  mapText(text: string): Int32Array | null {
    return this.mapWords(documentWordSet(text));
  }

  /** Vocabulary indices of a word set (sorted); null when the set is empty. */
  mapWords(set: ReadonlySet<string> | readonly string[]): Int32Array | null {
    if (('size' in set ? set.size : set.length) === 0) return null;
    const out: number[] = [];
    for (const w of set) {
      const i = this.index.get(w);
      if (i !== undefined) out.push(i);
    }
    return Int32Array.from(out).sort();
  }

  /** Re-expresses interned word ids in this vocabulary (dropping words outside it), sorted. */
  mapInterned(ids: Int32Array, interner: WordInterner): Int32Array {
    const out: number[] = [];
    for (let k = 0; k < ids.length; k++) {
      const i = this.index.get(interner.words[ids[k]]);
      if (i !== undefined) out.push(i);
    }
    return Int32Array.from(out).sort();
  }
}

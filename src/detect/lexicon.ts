/**
 * Marker-word ("GPT word") matching: a light suffix stemmer so that surface forms and lemmas
 * from the published lists meet the text's forms (delve/delves/delved/delving → "delv"), and
 * a matcher for single words and phrases of up to three words.
 */

const stemCache = new Map<string, string>();
const STEM_CACHE_MAX = 200_000;

/** lightStem with a bounded memo (word frequencies are Zipfian, so most lookups hit). */
export function cachedStem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = lightStem(word);
    if (stemCache.size >= STEM_CACHE_MAX) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/** Light English suffix stripper; only used to match lexicon entries, applied to both sides. */
export function lightStem(word: string): string {
  let w = word.toLowerCase().replace(/'s$/, '');
  if (w.length <= 4) return w;
  if (w.endsWith('ies') && w.length > 5) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('ingly') && w.length > 7) w = w.slice(0, -5);
  else if (w.endsWith('edly') && w.length > 6) w = w.slice(0, -4);
  else if (w.endsWith('ing') && w.length > 6) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 5) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  else if (w.endsWith('ly') && w.length > 6) w = w.slice(0, -2);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/** Stems every word of a phrase and joins them with one space. */
export function stemPhrase(phrase: string): string {
  return phrase
    .toLowerCase()
    .split(/[^\p{L}\p{N}']+/u)
    .filter((x) => x.length > 0)
    .map(lightStem)
    .join(' ');
}

export interface LexiconMatch {
  key: string;
  count: number;
}

/** Finds lexicon keys (stemmed, 1–3 words) in a token stream. */
export class LexiconMatcher {
  private readonly keys: Set<string>;
  /** First words of multi-word keys: phrases are only tried from these. */
  private readonly phraseStarts: Set<string>;
  private readonly maxLen: number;

  constructor(keys: Iterable<string>) {
    this.keys = new Set(keys);
    this.phraseStarts = new Set();
    let m = 1;
    for (const k of this.keys) {
      const parts = k.split(' ');
      m = Math.max(m, parts.length);
      if (parts.length > 1) this.phraseStarts.add(parts[0]);
    }
    this.maxLen = Math.min(3, m);
  }

  /** Counts of each matched key (phrases and their words both count, as in the published lists). */
  match(tokens: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    const stems = tokens.map(cachedStem);
    for (let i = 0; i < stems.length; i++) {
      let key = stems[i];
      if (this.keys.has(key)) out.set(key, (out.get(key) ?? 0) + 1);
      if (!this.phraseStarts.has(key)) continue;
      for (let n = 2; n <= this.maxLen && i + n <= stems.length; n++) {
        key = `${key} ${stems[i + n - 1]}`;
        if (this.keys.has(key)) out.set(key, (out.get(key) ?? 0) + 1);
      }
    }
    return out;
  }
}

/**
 * franc's language guess, computed from an index of its own trigram profiles.
 *
 * franc scores a text against every allowed language of its script by probing each
 * language's trigram dictionary once per trigram of the text: about 300 × 60 hash lookups
 * per page, which cost more than a quarter of the page's parse. Here each trigram is looked
 * up once in a table listing the languages that have it, which gives every language's
 * distance in one pass. Same data (franc's profiles and script expressions), same integer
 * distances, same tie order, so the same answers (tests/extract/language.test.ts checks it
 * against franc itself); only the work differs.
 */
import { data } from 'franc/data.js';
import { expressions } from 'franc/expressions.js';

/** franc's cut of the text. */
const MAX_LENGTH = 2048;
/** franc's distance for a trigram a language profile lacks. */
const MAX_DIFFERENCE = 300;

/**
 * The allowed languages of one script, in franc's order, and who has which trigram at which
 * rank. Trigrams of three code units below 1024 (Latin, Greek, most punctuation) are keyed by
 * one small integer (see trigramKey): a number key needs no string cut per position and hashes
 * in one step, and these are nearly all trigrams of web text; other trigrams keep string keys.
 */
interface ScriptIndex {
  languages: string[];
  /** Trigram key → pairs (language index, rank) flattened. */
  postings: Map<number, number[]>;
  /** Trigrams with a code unit at or above 1024 → pairs (language index, rank) flattened. */
  widePostings: Map<string, number[]>;
}

/** Code units below this fit in 10 bits: three of them make one small-integer key. */
const NARROW = 1024;

/** The integer key of a trigram whose code units are all below NARROW. */
function trigramKey(a: number, b: number, c: number): number {
  return (a << 20) | (b << 10) | c;
}

/** The indexes for one `only` list, built on first use per script. */
export class TrigramLanguageGuesser {
  private readonly only: ReadonlySet<string>;
  private readonly indexes = new Map<string, ScriptIndex>();

  constructor(only: Iterable<string>) {
    this.only = new Set(only);
  }

  private index(script: string): ScriptIndex {
    let ix = this.indexes.get(script);
    if (ix !== undefined) return ix;
    ix = { languages: [], postings: new Map(), widePostings: new Map() };
    const profiles = data[script];
    for (const language in profiles) {
      if (!Object.hasOwn(profiles, language) || !this.only.has(language)) continue;
      const lang = ix.languages.push(language) - 1;
      const model = profiles[language].split('|');
      // franc writes ranks from the last trigram to the first: for a repeated trigram the first rank stands.
      const seen = new Set<string>();
      for (let rank = 0; rank < model.length; rank++) {
        const trigram = model[rank];
        if (seen.has(trigram)) continue;
        seen.add(trigram);
        const a = trigram.charCodeAt(0);
        const b = trigram.charCodeAt(1);
        const c = trigram.charCodeAt(2);
        const narrow = trigram.length === 3 && a < NARROW && b < NARROW && c < NARROW;
        const key = narrow ? trigramKey(a, b, c) : 0;
        let list = narrow ? ix.postings.get(key) : ix.widePostings.get(trigram);
        if (list === undefined) {
          list = [];
          if (narrow) ix.postings.set(key, list);
          else ix.widePostings.set(trigram, list);
        }
        list.push(lang, rank);
      }
    }
    this.indexes.set(script, ix);
    return ix;
  }

  /** What `franc(value, { minLength: 1, only })` answers (ISO 639-3, or "und"). */
  guess(value: string): string {
    if (value.length < 1) return 'und';
    const text = value.slice(0, MAX_LENGTH);
    // The script with the largest share of characters; the first one wins a tie.
    let topScript: string | undefined;
    let topCount = -1;
    if (latinLetters(text) > 0) {
      // Only Latin has characters below U+0370: with some of them and nothing above, it has the largest share.
      topScript = 'Latin';
      topCount = 1;
    } else {
      for (const script in expressions) {
        if (!Object.hasOwn(expressions, script)) continue;
        const count = countMatches(expressions[script], text) / text.length || 0;
        if (count > topCount) {
          topCount = count;
          topScript = script;
        }
      }
    }
    if (topScript === undefined || !Object.hasOwn(data, topScript)) {
      // A script written in one language (Greek, Thai, Han …) names that language.
      return topScript === undefined || topCount === 0 || !this.only.has(topScript) ? 'und' : topScript;
    }
    const ix = this.index(topScript);
    const n = ix.languages.length;
    if (n === 0) return 'und';
    const { narrowKeys, narrowCounts, wide } = trigramCounts(text);
    // Every language starts as if it lacked every trigram; the ones it has are corrected.
    const distance = new Float64Array(n).fill((narrowKeys.length + wide.size) * MAX_DIFFERENCE);
    for (let t = 0; t < narrowKeys.length; t++) {
      const list = ix.postings.get(narrowKeys[t]);
      if (list !== undefined) correct(distance, list, narrowCounts[t]);
    }
    for (const [trigram, count] of wide) {
      const list = ix.widePostings.get(trigram);
      if (list !== undefined) correct(distance, list, count);
    }
    // franc sorts stably by distance: the first language (in profile order) with the least.
    let best = 0;
    for (let l = 1; l < n; l++) if (distance[l] < distance[best]) best = l;
    return ix.languages[best];
  }
}

/** Matches of a global expression in `text` (franc's `text.match(re).length`, without the array of matches). */
function countMatches(re: RegExp, text: string): number {
  if (!re.global) return text.match(re)?.length ?? 0;
  re.lastIndex = 0;
  let n = 0;
  while (re.test(text)) n++;
  re.lastIndex = 0;
  return n;
}

/**
 * Characters of franc's Latin expression when every code unit is below U+0370 (where Greek,
 * the first other script of franc's expressions, starts); -1 when some code unit is not.
 */
function latinLetters(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x370) return -1;
    if (
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      c === 0xaa ||
      c === 0xba ||
      (c >= 0xc0 && c <= 0xd6) ||
      (c >= 0xd8 && c <= 0xf6) ||
      (c >= 0xf8 && c <= 0x2b8) ||
      (c >= 0x2e0 && c <= 0x2e4)
    )
      n++;
  }
  return n;
}

/** Moves each listed language's distance from "lacks the trigram" to its rank difference. */
function correct(distance: Float64Array, list: number[], count: number): void {
  for (let i = 0; i < list.length; i += 2) {
    const d = count - list[i + 1] - 1;
    distance[list[i]] += (d < 0 ? -d : d) - MAX_DIFFERENCE;
  }
}

interface TrigramCounts {
  /** Distinct narrow trigrams by integer key (first-seen order) and their counts. */
  narrowKeys: number[];
  narrowCounts: number[];
  wide: Map<string, number>;
}

/** Trigram counts of a text as trigram-utils makes them (franc's input), narrow ones by integer key. */
function trigramCounts(value: string): TrigramCounts {
  const clean = value
    .replace(/[\u0021-\u0040]+/g, ' ')
    // Every whitespace run to one space (a lone space needs no replacing).
    .replace(/\s{2,}|[^\S ]/g, ' ')
    .trim()
    .toLowerCase();
  const padded = ` ${clean} `;
  const slot = new Map<number, number>();
  const narrowKeys: number[] = [];
  const narrowCounts: number[] = [];
  const wide = new Map<string, number>();
  for (let i = 0; i + 3 <= padded.length; i++) {
    const a = padded.charCodeAt(i);
    const b = padded.charCodeAt(i + 1);
    const c = padded.charCodeAt(i + 2);
    if (a < NARROW && b < NARROW && c < NARROW) {
      const key = trigramKey(a, b, c);
      const j = slot.get(key);
      if (j === undefined) {
        slot.set(key, narrowKeys.length);
        narrowKeys.push(key);
        narrowCounts.push(1);
      } else narrowCounts[j]++;
    } else {
      const trigram = padded.slice(i, i + 3);
      wide.set(trigram, (wide.get(trigram) ?? 0) + 1);
    }
  }
  return { narrowKeys, narrowCounts, wide };
}

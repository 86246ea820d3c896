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

/** The allowed languages of one script, in franc's order, and who has which trigram at which rank. */
interface ScriptIndex {
  languages: string[];
  /** Trigram → pairs (language index, rank) flattened. */
  postings: Map<string, number[]>;
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
    ix = { languages: [], postings: new Map() };
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
        let list = ix.postings.get(trigram);
        if (list === undefined) ix.postings.set(trigram, (list = []));
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
    for (const script in expressions) {
      if (!Object.hasOwn(expressions, script)) continue;
      const count = countMatches(expressions[script], text) / text.length || 0;
      if (count > topCount) {
        topCount = count;
        topScript = script;
      }
    }
    if (topScript === undefined || !Object.hasOwn(data, topScript)) {
      // A script written in one language (Greek, Thai, Han …) names that language.
      return topScript === undefined || topCount === 0 || !this.only.has(topScript) ? 'und' : topScript;
    }
    const ix = this.index(topScript);
    const n = ix.languages.length;
    if (n === 0) return 'und';
    const counts = trigramCounts(text);
    // Every language starts as if it lacked every trigram; the ones it has are corrected.
    const distance = new Float64Array(n).fill(counts.size * MAX_DIFFERENCE);
    for (const [trigram, count] of counts) {
      const list = ix.postings.get(trigram);
      if (list === undefined) continue;
      for (let i = 0; i < list.length; i += 2) {
        const d = count - list[i + 1] - 1;
        distance[list[i]] += (d < 0 ? -d : d) - MAX_DIFFERENCE;
      }
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

/** Trigram counts of a text as trigram-utils makes them (franc's input). */
function trigramCounts(value: string): Map<string, number> {
  const clean = value
    .replace(/[\u0021-\u0040]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  const padded = ` ${clean} `;
  const counts = new Map<string, number>();
  for (let i = 0; i + 3 <= padded.length; i++) {
    const trigram = padded.slice(i, i + 3);
    counts.set(trigram, (counts.get(trigram) ?? 0) + 1);
  }
  return counts;
}

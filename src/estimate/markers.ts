/**
 * Marker-word ("GPT word") lexicons for the excess-vocabulary statistics, and counting them
 * in texts. Matching reuses the detectors' light stemmer and phrase matcher
 * (src/detect/lexicon.ts), so "delves", "delved" and "delving" all count as "delv".
 *
 * Default lexicon (data/reference/marker-words.json, written by scripts/build-reference.ts):
 * Kobak et al. (2024/2025) — the authors' printed list of 2024 *style* excess words with 2024
 * frequency < 0.02 (../shared/lexicons/kobak2024_excess_words.csv, column
 * style_excess_2024_freq_lt_0.02 = 1). Rare style words keep the baseline "contains at least
 * one marker" rate well below 1, which the lower bound needs. Any CSV with a `word` column
 * (e.g. another file of ../shared/lexicons) can be used instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseCsv } from '../detect/csv.js';
import { LexiconMatcher, stemPhrase } from '../detect/lexicon.js';
import { dataPath } from '../detect/paths.js';
import { normalizeText, tokenize } from '../detect/text.js';

export const MARKER_FORMAT = 'ccaudit-marker-words-v1';

export interface MarkerEntry {
  /** Stemmed key the matcher looks for (e.g. "delv"). */
  key: string;
  /** Surface forms from the source list that map to this key. */
  forms: string[];
}

export interface MarkerLexicon {
  format: typeof MARKER_FORMAT;
  name: string;
  provenance: string;
  entries: MarkerEntry[];
}

/** Builds a lexicon from surface words, merging forms that share a stem. */
export function markerLexiconFromWords(words: Iterable<string>, name: string, provenance: string): MarkerLexicon {
  const byKey = new Map<string, Set<string>>();
  for (const raw of words) {
    const w = raw.trim().toLowerCase();
    if (!w) continue;
    const key = stemPhrase(w);
    if (!key) continue;
    byKey.set(key, (byKey.get(key) ?? new Set()).add(w));
  }
  const entries = [...byKey.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([key, forms]) => ({ key, forms: [...forms].sort() }));
  if (entries.length === 0) throw new Error(`marker lexicon ${name} has no words`);
  return { format: MARKER_FORMAT, name, provenance, entries };
}

export const DEFAULT_MARKER_FILE = (): string => dataPath('reference', 'marker-words.json');

/** Loads a marker lexicon: our JSON format, or any CSV with a `word` column. */
export function loadMarkerLexicon(path = DEFAULT_MARKER_FILE()): MarkerLexicon {
  if (!existsSync(path)) throw new Error(`marker-word lexicon not found at ${path} (build it with: npx tsx scripts/build-reference.ts)`);
  const text = readFileSync(path, 'utf8');
  if (/\.csv$/i.test(path)) {
    const rows = parseCsv(text);
    if (rows.length === 0 || !('word' in rows[0])) throw new Error(`${path}: expected a CSV with a "word" column`);
    return markerLexiconFromWords(
      rows.map((r) => r.word),
      path.split('/').pop()!,
      `words of ${path}`,
    );
  }
  let parsed: MarkerLexicon;
  try {
    parsed = JSON.parse(text) as MarkerLexicon;
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
  }
  if (parsed.format !== MARKER_FORMAT || !Array.isArray(parsed.entries)) throw new Error(`${path} is not a ccaudit marker-word lexicon`);
  return parsed;
}

/** What one text contributes to the marker-word statistics. */
export interface MarkerCount {
  /** Tokens in the (normalised) text. */
  words: number;
  /** Occurrences per lexicon key (only keys that occur). */
  hits: Map<string, number>;
  /** Total occurrences of all keys. */
  total: number;
}

/** Counts a lexicon's words in texts. */
export class MarkerCounter {
  private readonly matcher: LexiconMatcher;

  constructor(readonly lexicon: MarkerLexicon) {
    this.matcher = new LexiconMatcher(lexicon.entries.map((e) => e.key));
  }

  /** Counts in already-tokenised normalised text. */
  countTokens(tokens: readonly string[]): MarkerCount {
    const hits = this.matcher.match(tokens);
    let total = 0;
    for (const v of hits.values()) total += v;
    return { words: tokens.length, hits, total };
  }

  count(text: string): MarkerCount {
    return this.countTokens(tokenize(normalizeText(text)));
  }
}

/**
 * Language resolution for detectors. Extraction usually supplies franc's ISO 639-3 code;
 * when it does not (or says "und"), we decide ourselves: a cheap English function-word test
 * first (franc sometimes calls plain English "sco"), then franc on the first few KB.
 */
import { franc } from 'franc';

const ENGLISH_FUNCTION_WORDS = new Set([
  'the',
  'of',
  'and',
  'to',
  'a',
  'in',
  'is',
  'that',
  'for',
  'it',
  'as',
  'was',
  'with',
  'be',
  'by',
  'on',
  'not',
  'he',
  'i',
  'this',
  'are',
  'or',
  'his',
  'from',
  'at',
  'which',
  'but',
  'have',
  'an',
  'had',
  'they',
  'you',
  'were',
  'their',
  'one',
  'all',
  'we',
  'can',
  'her',
  'has',
  'there',
  'been',
  'if',
  'more',
  'when',
  'will',
  'would',
  'who',
  'so',
  'no',
  'she',
  'my',
  'its',
  'also',
  'than',
  'our',
  'these',
  'them',
  'what',
  'into',
]);

/** Fraction of tokens that are common English function words (≈0.4–0.5 for English prose). */
export function englishFunctionWordRatio(tokens: readonly string[]): number {
  if (tokens.length === 0) return 0;
  const n = Math.min(tokens.length, 2000);
  let hits = 0;
  for (let i = 0; i < n; i++) if (ENGLISH_FUNCTION_WORDS.has(tokens[i])) hits++;
  return hits / n;
}

/**
 * The language to act on. `declared` wins when it is a real code, except that text whose
 * tokens are clearly English is treated as English whatever the label says.
 */
export function resolveLanguage(declared: string | null | undefined, rawText: string, tokens: readonly string[]): string {
  if (declared === 'eng') return 'eng';
  const englishLike = englishFunctionWordRatio(tokens) >= 0.22;
  if (englishLike) return 'eng';
  if (declared && declared !== 'und') return declared;
  return franc(rawText.slice(0, 3000), { minLength: 20 });
}

/**
 * Style features used by the `stylometry` detector and appended to the `classifier`'s n-grams.
 * All are computed on normalised text (case, quotes and dashes folded), are length-robust
 * where possible (MATTR instead of raw TTR, rates per 100 words), and never read
 * capitalisation or typographic quote styles (dataset artifacts, see PROVENANCE.md).
 */
import type { PreparedText } from '../prepared.js';
import { splitParagraphs } from '../text.js';
import { englishFunctionWordRatio } from '../lang.js';

// Deliberately absent: document length (AI and human lengths differ by construction in the
// labeled corpora, which says nothing about web pages) and capitalisation (lowercased PubMed).
export const STYLE_FEATURE_NAMES = [
  'sent_len_mean',
  'sent_len_sd',
  'sent_len_cv',
  'sent_len_short_frac',
  'sent_len_long_frac',
  'mattr50',
  'word_len_mean',
  'long_word_frac',
  'comma_per100',
  'colon_per100',
  'semicolon_per100',
  'dash_per100',
  'paren_per100',
  'question_per100',
  'exclaim_per100',
  'quote_per100',
  'contraction_per100',
  'digit_frac',
  'function_word_frac',
  'first_person_per100',
  'second_person_per100',
  'para_count_log',
  'para_len_cv',
] as const;
export type StyleFeatureName = (typeof STYLE_FEATURE_NAMES)[number];

const FIRST_PERSON = new Set(['i', 'me', 'my', 'mine', "i'm", "i've", "i'd", "i'll", 'we', 'us', 'our']);
const SECOND_PERSON = new Set(['you', 'your', 'yours', "you're", "you've", "you'll", "you'd"]);

function meanSd(xs: readonly number[]): [number, number] {
  if (xs.length === 0) return [0, 0];
  let s = 0;
  for (const x of xs) s += x;
  const m = s / xs.length;
  let v = 0;
  for (const x of xs) v += (x - m) * (x - m);
  return [m, Math.sqrt(v / xs.length)];
}

/** Moving-average type-token ratio over windows of `w` tokens (length-independent TTR). */
export function mattr(tokens: readonly string[], w = 50): number {
  if (tokens.length === 0) return 0;
  if (tokens.length <= w) return new Set(tokens).size / tokens.length;
  const counts = new Map<string, number>();
  let distinct = 0;
  for (let i = 0; i < w; i++) {
    const c = counts.get(tokens[i]) ?? 0;
    if (c === 0) distinct++;
    counts.set(tokens[i], c + 1);
  }
  let sum = distinct;
  let windows = 1;
  for (let i = w; i < tokens.length; i++) {
    const add = tokens[i];
    const ca = counts.get(add) ?? 0;
    if (ca === 0) distinct++;
    counts.set(add, ca + 1);
    const drop = tokens[i - w];
    const cd = counts.get(drop)! - 1;
    if (cd === 0) distinct--;
    counts.set(drop, cd);
    sum += distinct;
    windows++;
  }
  return sum / windows / w;
}

/** Per-text counts gathered in one pass over the normalised characters. */
interface CharCounts {
  comma: number;
  colon: number;
  semicolon: number;
  dash: number;
  paren: number;
  question: number;
  exclaim: number;
  quote: number;
  digits: number;
  /** Words per sentence. */
  sentLens: number[];
}

// biome-ignore lint/suspicious/noConstEnum: tsc inlines these character codes in the scanning loop
const enum C {
  Space = 32,
  Newline = 10,
  Dot = 46,
  Bang = 33,
  Quest = 63,
}

function isWordChar(code: number): boolean {
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
  // Non-ASCII: letters/marks of every script; exclude general punctuation and symbols blocks.
  return !(code >= 0x2000 && code <= 0x2bff) && code !== 0xa0 && !(code >= 0x3000 && code <= 0x303f);
}

function scan(norm: string): CharCounts {
  const c: CharCounts = { comma: 0, colon: 0, semicolon: 0, dash: 0, paren: 0, question: 0, exclaim: 0, quote: 0, digits: 0, sentLens: [] };
  let inWord = false;
  let words = 0;
  const len = norm.length;
  for (let i = 0; i < len; i++) {
    const ch = norm.charCodeAt(i);
    const w: boolean = isWordChar(ch) || (inWord && ch === 39);
    if (w && !inWord) words++;
    inWord = w;
    if (w) {
      if (ch >= 48 && ch <= 57) c.digits++;
      continue;
    }
    switch (ch) {
      case 44:
        c.comma++;
        break;
      case 58:
        c.colon++;
        break;
      case 59:
        c.semicolon++;
        break;
      case 40:
        c.paren++;
        break;
      case 34:
        c.quote++;
        break;
      case 45:
        if (i > 0 && i + 1 < len && norm.charCodeAt(i - 1) === C.Space && norm.charCodeAt(i + 1) === C.Space) c.dash++;
        break;
      default:
        break;
    }
    let end = false;
    if (ch === C.Quest) c.question++;
    if (ch === C.Bang) c.exclaim++;
    if (ch === C.Newline) end = true;
    else if (ch === C.Dot || ch === C.Bang || ch === C.Quest) {
      const next = i + 1 < len ? norm.charCodeAt(i + 1) : C.Space;
      end = next === C.Space || next === C.Newline;
    }
    if (end && words > 0) {
      c.sentLens.push(words);
      words = 0;
    }
  }
  if (words > 0) c.sentLens.push(words);
  return c;
}

/** The style feature vector, in STYLE_FEATURE_NAMES order. */
export function styleFeatures(p: PreparedText): Float64Array {
  const f = new Float64Array(STYLE_FEATURE_NAMES.length);
  const tokens = p.tokens;
  const nTok = Math.max(1, tokens.length);
  const per100 = 100 / nTok;
  const norm = p.norm;
  const cc = scan(norm);

  const sentLens = cc.sentLens;
  const [sm, ssd] = meanSd(sentLens);
  let short = 0;
  let long = 0;
  for (const l of sentLens) {
    if (l <= 8) short++;
    if (l >= 30) long++;
  }
  const nSent = Math.max(1, sentLens.length);

  let charSum = 0;
  let longWords = 0;
  let first = 0;
  let second = 0;
  let contractions = 0;
  for (const t of tokens) {
    charSum += t.length;
    if (t.length >= 7) longWords++;
    if (FIRST_PERSON.has(t)) first++;
    if (SECOND_PERSON.has(t)) second++;
    if (t.includes("'")) contractions++;
  }

  const paragraphs = splitParagraphs(p.raw);
  const paraLens = paragraphs.map((q) => q.split(/\s+/).length);
  const [pm, psd] = meanSd(paraLens);

  let i = 0;
  f[i++] = Math.min(sm, 80);
  f[i++] = Math.min(ssd, 60);
  f[i++] = sm > 0 ? Math.min(ssd / sm, 3) : 0;
  f[i++] = short / nSent;
  f[i++] = long / nSent;
  f[i++] = mattr(tokens, 50);
  f[i++] = charSum / nTok;
  f[i++] = longWords / nTok;
  f[i++] = cc.comma * per100;
  f[i++] = cc.colon * per100;
  f[i++] = cc.semicolon * per100;
  f[i++] = cc.dash * per100;
  f[i++] = cc.paren * per100;
  f[i++] = cc.question * per100;
  f[i++] = cc.exclaim * per100;
  f[i++] = cc.quote * per100;
  f[i++] = contractions * per100;
  f[i++] = cc.digits / Math.max(1, norm.length);
  f[i++] = englishFunctionWordRatio(tokens);
  f[i++] = first * per100;
  f[i++] = second * per100;
  f[i++] = Math.log1p(paragraphs.length);
  f[i++] = pm > 0 && paragraphs.length > 1 ? Math.min(psd / pm, 3) : 0;
  return f;
}

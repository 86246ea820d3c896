/**
 * One normalisation pass shared by all built-in detectors. The runner scores a document
 * with every detector in turn, so a tiny cache keyed by the text avoids re-tokenising it
 * once per detector.
 */
import type { DetectorInput, UnscoredResult } from './types.js';
import { MIN_WORDS, normalizeText, tokenize } from './text.js';
import { resolveLanguage } from './lang.js';

export interface PreparedText {
  /** Original text, truncated to MAX_SCORED_CHARS. */
  raw: string;
  /** normalizeText(raw). */
  norm: string;
  /** tokenize(norm). */
  tokens: string[];
  /** Word count declared by extraction, else the token count. */
  words: number;
  /** Resolved ISO 639-3 code. */
  lang: string;
  /** Memo for derived features shared by several detectors (e.g. style features). */
  memo: Map<string, unknown>;
}

const CACHE_SIZE = 8;
/**
 * Most recent first. Compared with `===` rather than keyed by a concatenated string: texts of
 * different lengths differ in O(1), and the same string object matches at once, whereas a Map
 * key would copy and hash a page of up to hundreds of KB on every lookup.
 */
const cache: Array<{ text: string; declared: string | null; prepared: PreparedText }> = [];

export function prepare(doc: DetectorInput): PreparedText {
  const text = typeof doc?.text === 'string' ? doc.text : '';
  const declared = typeof doc?.lang === 'string' ? doc.lang : null;
  for (const e of cache) if (e.declared === declared && e.text === text) return e.prepared;
  const norm = normalizeText(text);
  const tokens = tokenize(norm);
  const words = typeof doc.words === 'number' && Number.isFinite(doc.words) && doc.words >= 0 ? doc.words : tokens.length;
  const prepared: PreparedText = {
    raw: text,
    norm,
    tokens,
    words,
    lang: tokens.length === 0 ? 'und' : resolveLanguage(declared, text, tokens),
    memo: new Map(),
  };
  if (cache.length >= CACHE_SIZE) cache.pop();
  cache.unshift({ text, declared, prepared });
  return prepared;
}

/**
 * The common "can I score this?" gate: empty → 'empty', fewer than `minWords` tokens →
 * 'too-short', a language outside `languages` → 'unsupported-language'. Returns null when fine.
 */
export function gate(p: PreparedText, languages: readonly string[], minWords = MIN_WORDS): UnscoredResult | null {
  if (p.tokens.length === 0) return { score: null, reason: 'empty' };
  if (!languages.includes('*') && !languages.includes(p.lang)) {
    return { score: null, reason: 'unsupported-language', details: { lang: p.lang } };
  }
  if (p.tokens.length < minWords) return { score: null, reason: 'too-short', details: { tokens: p.tokens.length } };
  return null;
}

/**
 * The prompt that asks a chat model for an AI reference text imitating one baseline page:
 * same title and topic, same language, about the same length, plain text.
 * The exact prompt is stored with the reference (reference_texts.prompt).
 */
import { countWords } from '../extract/language.js';
import { languageForPrompt } from './languages.js';

/** Tokens per word assumed when sizing max_tokens (English-ish BPE; CJK characters count as words). */
export const TOKENS_PER_WORD = 1.6;
/** Head-room on top of the expected length so the answer is not cut mid-sentence. */
export const TOKEN_HEADROOM = 1.3;
/** Words of the page's text given to the model as topic context. */
export const EXCERPT_WORDS = 150;
/** Longest excerpt in characters (pages without spaces can pack many characters into few "words"). */
const EXCERPT_MAX_CHARS = 2000;

/** The parts of a baseline page a prompt uses. */
export interface PromptPage {
  title: string | null;
  /** ISO 639-3 (franc), "und" when unknown. */
  lang: string | null;
  words: number;
  text: string;
}

export interface BuiltPrompt {
  /** The user message, exactly as sent. */
  prompt: string;
  /** Length asked for ("about N words"). */
  targetWords: number;
  /** max_tokens sent with the request. */
  maxTokens: number;
}

/**
 * The first `n` words of `text` (same convention as ExtractedDocument.words: whitespace words,
 * CJK characters one each), joined by single spaces.
 */
export function firstWords(text: string, n: number): string {
  const out: string[] = [];
  let count = 0;
  let chars = 0;
  for (const m of text.matchAll(/\S+/g)) {
    const token = m[0];
    const w = countWords(token);
    if (count + w > n) {
      // A CJK run counts one word per character: keep the characters that still fit.
      const room = n - count;
      if (room > 0 && w > 1) out.push(Array.from(token).slice(0, room).join(''));
      break;
    }
    out.push(token);
    count += w;
    chars += token.length + 1;
    if (count >= n || chars >= EXCERPT_MAX_CHARS) break;
  }
  const joined = out.join(' ');
  return joined.length > EXCERPT_MAX_CHARS ? Array.from(joined).slice(0, EXCERPT_MAX_CHARS).join('') : joined;
}

/** Length to ask for: the page's own, limited to what `maxTokensCap` can hold, rounded to tens. */
export function targetLength(pageWords: number, maxTokensCap: number): number {
  const fits = Math.floor(maxTokensCap / (TOKENS_PER_WORD * TOKEN_HEADROOM));
  const n = Math.max(1, Math.min(pageWords, fits));
  return n >= 100 ? Math.round(n / 10) * 10 : n;
}

/** max_tokens for an answer of about `words` words, at most `cap`. */
export function maxTokensFor(words: number, cap: number): number {
  return Math.max(1, Math.min(cap, Math.ceil(words * TOKENS_PER_WORD * TOKEN_HEADROOM)));
}

/** Builds the prompt for one page. `maxTokensCap` is --max-tokens. */
export function buildPrompt(page: PromptPage, maxTokensCap: number): BuiltPrompt {
  const targetWords = targetLength(page.words, maxTokensCap);
  const language = languageForPrompt(page.lang);
  const title = (page.title ?? '').replace(/\s+/g, ' ').trim();
  const opening = title
    ? `Write an article titled "${title}" on the same topic as the web page excerpt below, in ${language}, about ${targetWords} words.`
    : `Write an article on the same topic as the web page excerpt below, in ${language}, about ${targetWords} words.`;
  const prompt = [
    opening,
    'Write plain text only: no preamble, no title line, no Markdown formatting, no closing remarks. Do not copy the excerpt.',
    '',
    'Excerpt of the original page (for the topic only):',
    '"""',
    firstWords(page.text, EXCERPT_WORDS),
    '"""',
  ].join('\n');
  return { prompt, targetWords, maxTokens: maxTokensFor(targetWords, maxTokensCap) };
}

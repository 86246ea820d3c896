/**
 * Language identification (franc, ISO 639-3) and word counting.
 */
import { TrigramLanguageGuesser } from './trigram-language.js';

/**
 * Below this many characters (whitespace collapsed) the language is "und".
 * franc's own default (10) is far too low for its trigram profiles. Measured
 * on the 623 dev pages (/work/shared/corpora/extraction) whose extracted text
 * has ≥ 3000 characters: franc's answer on the first N characters agrees with
 * its answer on the first 3000 for 43 % of pages at N = 20, 77 % at 50,
 * 90 % at 100, 95 % at 150 and 99.5 % at 500.
 */
export const MIN_CHARS = 100;
/** Han / kana text is identified by script, so far fewer characters suffice. */
export const MIN_CHARS_CJK = 20;
/**
 * Characters handed to franc. Its cost grows linearly with the sample
 * (~3.4 ms per 1000 characters on the dev machine) while agreement with the
 * 3000-character answer is already 98.7 % at 300 characters (99.5 % at 500).
 */
export const SAMPLE_CHARS = 300;

/**
 * Languages franc may answer with: the written languages that make up nearly all of
 * Common Crawl (ISO 639-3 as franc spells them; scripts with a single language, such
 * as Thai or Korean, are recognised by script). franc's full set of 187 trigram
 * profiles includes many languages that are rare on the web and steal short texts
 * from big ones (Scots "sco" for English, Catalan for Spanish …); restricting the set
 * made franc 2.5× faster and changed 0.6 % of answers on the dev pages, those
 * misattributions mostly. A page in a language outside the list gets the closest
 * listed language.
 */
export const WEB_LANGUAGES = [
  'eng',
  'deu',
  'fra',
  'spa',
  'por',
  'ita',
  'nld',
  'pol',
  'ces',
  'slk',
  'hun',
  'ron',
  'swe',
  'dan',
  'nob',
  'nno',
  'fin',
  'ekk',
  'lvs',
  'lit',
  'slv',
  'hrv',
  'bos',
  'srp',
  'cat',
  'glg',
  'tur',
  'ind',
  'zlm',
  'vie',
  'tgl',
  'ceb',
  'jav',
  'sun',
  'afr',
  'swh',
  'hau',
  'yor',
  'ibo',
  'zul',
  'som',
  'als',
  'epo',
  'azj',
  'uzn',
  'tuk',
  'rus',
  'ukr',
  'bel',
  'bul',
  'mkd',
  'kaz',
  'kir',
  'tat',
  'tgk',
  'khk',
  'ell',
  'heb',
  'ydd',
  'arb',
  'pes',
  'prs',
  'urd',
  'pbu',
  'ckb',
  'hin',
  'mar',
  'npi',
  'ben',
  'pan',
  'guj',
  'tam',
  'tel',
  'kan',
  'mal',
  'sin',
  'tha',
  'lao',
  'khm',
  'mya',
  'kat',
  'hye',
  'amh',
  'tir',
  'cmn',
  'jpn',
  'kor',
];

/** franc restricted to WEB_LANGUAGES (see trigram-language.ts for why not franc itself). */
const guesser = new TrigramLanguageGuesser(WEB_LANGUAGES);

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const NON_CJK = /[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+/gu;

/**
 * Whitespace runs other than a lone space: replacing these by ' ' is replacing every run (`/\s+/g`),
 * without a match per word.
 */
const SPACE_RUN = /\s{2,}|[^\S ]/g;

/** Characters of the collapsed text the script test reads (the sample lies within them too). */
const HEAD_CHARS = 2000;
/** Characters at the start of the text whose collapsed form decides the sample. */
const READ_CHARS = 8000;

/** ISO 639-3 language of `text`, or "und" when it is too short to tell. */
export function detectLanguage(text: string): string {
  // Only the first few thousand characters matter for the sample and the script test.
  const { head, length } = collapsedHead(text.length > READ_CHARS ? text.slice(0, READ_CHARS) : text, HEAD_CHARS);
  const cjk = hasHighChar(head) ? head.replace(NON_CJK, '').length : 0;
  const enough = cjk * 2 > head.length ? cjk >= MIN_CHARS_CJK : length >= MIN_CHARS;
  if (!enough) return 'und';
  return guesser.guess(sampleText(head, length));
}

/**
 * The text with whitespace runs collapsed to one space and trimmed (`replace(/\s+/g, ' ').trim()`):
 * its first `keep` characters and its whole length. One scan counts; only the head is built.
 */
function collapsedHead(text: string, keep: number): { head: string; length: number } {
  let length = 0;
  let gap = false;
  // Where the text can be cut so that its collapsed form still holds more than `keep` characters.
  let cut = -1;
  for (let i = 0; i < text.length; i++) {
    if (isSpace(text.charCodeAt(i))) {
      if (length > 0) gap = true;
      continue;
    }
    if (gap) {
      length++;
      gap = false;
    }
    length++;
    if (cut < 0 && length > keep) cut = i + 1;
  }
  const flat = (cut < 0 ? text : text.slice(0, cut)).replace(SPACE_RUN, ' ').trim();
  return { head: flat.length > keep ? flat.slice(0, keep) : flat, length };
}

/** True when some code unit is at or above U+2E80 (where Han / kana start): only then can there be CJK. */
function hasHighChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x2e80) return true;
  return false;
}

/**
 * A bounded sample cut at word boundaries. Long texts are sampled after their
 * first tenth, past datelines and bylines at the top of articles. `text` is the start of
 * the collapsed text, `length` the whole one's: the sample starts within its first
 * READ_CHARS / 10 characters and ends at most 50 + SAMPLE_CHARS after, inside HEAD_CHARS.
 */
function sampleText(text: string, length: number): string {
  if (length <= SAMPLE_CHARS) return text;
  let from = length >= SAMPLE_CHARS * 4 ? Math.floor(length / 10) : 0;
  if (from > 0) {
    const space = text.indexOf(' ', from);
    if (space >= 0 && space - from < 50) from = space + 1;
  }
  let end = Math.min(length, from + SAMPLE_CHARS);
  const lastSpace = text.lastIndexOf(' ', end);
  if (lastSpace > from + SAMPLE_CHARS / 2) end = lastSpace;
  return text.slice(from, end);
}

/**
 * Word count: whitespace-delimited tokens; Han / Hiragana / Katakana
 * characters count as one word each (those scripts do not use spaces), and
 * the non-CJK runs between them count as words of their own.
 */
export function countWords(text: string): number {
  // One scan over the text; only tokens holding a character at or above U+2E80 (where the
  // Han / kana blocks start; astral Han is written with surrogates, above too) can hold CJK.
  let n = 0;
  let i = 0;
  const len = text.length;
  while (i < len) {
    while (i < len && isSpace(text.charCodeAt(i))) i++;
    if (i >= len) break;
    const start = i;
    let high = false;
    while (i < len) {
      const c = text.charCodeAt(i);
      if (isSpace(c)) break;
      if (c >= 0x2e80) high = true;
      i++;
    }
    n += high ? cjkTokenWords(text.slice(start, i)) : 1;
  }
  return n;
}

/** Characters that `\s` matches (it includes U+00A0 and U+3000). */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Words in one whitespace-free token that may hold CJK characters. */
function cjkTokenWords(token: string): number {
  if (!CJK.test(token)) return 1;
  let n = 0;
  let inRun = false;
  for (const ch of token) {
    if (CJK.test(ch)) {
      n++;
      inRun = false;
    } else if (/[\p{L}\p{N}]/u.test(ch)) {
      if (!inRun) n++;
      inRun = true;
    }
  }
  return n;
}

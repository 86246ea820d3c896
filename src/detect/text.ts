/**
 * Text normalisation and tokenisation shared by every built-in detector.
 *
 * Features are computed on *normalised* text so that detectors read writing, not
 * encoding accidents of the training corpora (see ../shared/corpora/labeled/PROVENANCE.md):
 * - case is folded (one PubMed side is lowercased; capitalisation habits differ by source),
 * - typographic quotes/apostrophes are folded to ASCII (curly quotes are far more common
 *   in some AI samples than in their human counterparts),
 * - every dash variant (em, en, horizontal bar, "--", spaced hyphen) becomes one dash token,
 * - Cyrillic/Greek homoglyphs inside Latin words are folded back (DetectRL's character attacks),
 * - NFKC folds full-width forms and ligatures; zero-width characters are dropped.
 */

/** Longest text (in UTF-16 code units) a detector looks at; the rest is ignored. */
export const MAX_SCORED_CHARS = 60_000;
/** Shortest text (in words) the built-in detectors will score. */
export const MIN_WORDS = 30;

const HOMOGLYPHS: Record<string, string> = {
  // Cyrillic
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ɡ: 'g',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
  Ѕ: 'S',
  І: 'I',
  Ј: 'J',
  // Greek
  α: 'a',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  γ: 'y',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
};
const MIXED_SCRIPT_WORD = /[\p{Script=Latin}][\p{L}]*[\u0370-\u052F]|[\u0370-\u052F][\p{L}]*[\p{Script=Latin}]/u;
const WORD_WITH_LETTERS = /[\p{L}\p{M}]+/gu;
const CONFUSABLE_CHAR = /[\u0370-\u052F\u0261]/gu;

/** Folds Cyrillic/Greek look-alikes back to Latin, but only inside mixed-script words. */
const ANY_CONFUSABLE = /[\u0370-\u052F\u0261]/;

export function foldHomoglyphs(text: string): string {
  if (!ANY_CONFUSABLE.test(text) || !MIXED_SCRIPT_WORD.test(text)) return text;
  return text.replace(WORD_WITH_LETTERS, (word) => {
    if (!MIXED_SCRIPT_WORD.test(word)) return word;
    return word.replace(CONFUSABLE_CHAR, (c) => HOMOGLYPHS[c] ?? c);
  });
}

/**
 * Canonical form used for all features: NFKC, homoglyphs folded, quotes/dashes/ellipses
 * unified, zero-width characters removed, lowercased, whitespace collapsed (paragraph
 * breaks kept as "\n").
 */
const PUNCT_FOLD_RE =
  /[\u200B-\u200D\u2060\uFEFF\u00AD\u2018\u2019\u201A\u201B\u2032\u02BC\u0060\u00B4\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB\u2026]|\s*(?:[\u2012\u2013\u2014\u2015\u2212]|--+)\s*/g;
const ODD_SPACE_RE = /[ \t\f\v\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]{2,}|[\t\f\v\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;

function foldPunct(m: string): string {
  switch (m) {
    case '\u2018':
    case '\u2019':
    case '\u201A':
    case '\u201B':
    case '\u2032':
    case '\u02BC':
    case '\u0060':
    case '\u00B4':
      return "'";
    case '\u201C':
    case '\u201D':
    case '\u201E':
    case '\u201F':
    case '\u2033':
    case '\u00AB':
    case '\u00BB':
      return '"';
    case '\u2026':
      return '...';
    default:
      // zero-width characters vanish; any dash run becomes one spaced dash
      return m.length === 1 && /[\u200B-\u200D\u2060\uFEFF\u00AD]/.test(m) ? '' : ' - ';
  }
}

export function normalizeText(text: string): string {
  let t = text.length > MAX_SCORED_CHARS ? text.slice(0, MAX_SCORED_CHARS) : text;
  t = t.normalize('NFKC');
  t = foldHomoglyphs(t);
  // Every dash used as punctuation becomes " - "; intra-word hyphens stay as they are.
  t = t.replace(PUNCT_FOLD_RE, foldPunct).replace(ODD_SPACE_RE, ' ');
  if (t.includes('\n')) t = t.replace(/ *\n\s*/g, '\n');
  return t.toLowerCase().trim();
}

const TOKEN_RE = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:'[\p{L}]+)*/gu;
const CJK_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_CHAR_G = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

/** Word tokens of (normalised) text; CJK runs are split into single characters. */
export function tokenize(text: string): string[] {
  const matches = text.match(TOKEN_RE);
  if (!matches) return [];
  // Most pages have no CJK at all: one test of the whole text spares a regex test per token.
  if (!CJK_RE.test(text)) return matches;
  const out: string[] = [];
  for (const m of matches) {
    if (CJK_RE.test(m)) {
      for (const ch of m) out.push(ch);
    } else {
      out.push(m);
    }
  }
  return out;
}

/** Word count in the convention of ExtractedDocument.words (whitespace words, CJK chars one each). */
export function countWords(text: string): number {
  let n = 0;
  const cjk = text.match(CJK_CHAR_G);
  const stripped = cjk ? text.replace(CJK_CHAR_G, ' ') : text;
  for (const part of stripped.split(/\s+/)) if (/[\p{L}\p{N}]/u.test(part)) n++;
  return n + (cjk ? cjk.length : 0);
}

/** Sentences of (normalised or raw) text: split after . ! ? followed by space/newline. */
export function splitSentences(text: string): string[] {
  const parts = text.split(/(?<=[.!?]["')\]]?)\s+|\n+/);
  const out: string[] = [];
  for (const p of parts) {
    const s = p.trim();
    if (s.length > 0) out.push(s);
  }
  return out;
}

/** Paragraphs: blocks separated by a blank line (or single newlines when there are no blank lines). */
export function splitParagraphs(text: string): string[] {
  const byBlank = text.split(/\n\s*\n/);
  const blocks = byBlank.length > 1 ? byBlank : text.split(/\n/);
  return blocks.map((b) => b.trim()).filter((b) => b.length > 0);
}

/**
 * Judging a model's answer before it is stored as an AI reference: empty answers and refusals
 * are failures, a chat-style meta preamble ("Sure, here is the article:") is removed so it
 * does not become a trivial tell for the detectors (the labelled corpora strip it too).
 */
import { countWords } from '../extract/language.js';

export type OutputVerdict = { ok: true; text: string; words: number; strippedPreamble: boolean } | { ok: false; reason: 'empty' | 'refusal' };

const PREAMBLE = /^(?:(?:sure|certainly|of course|absolutely)[,!.]?\s*)?(?:here is|here's|below is)[^\n]{0,160}:[ \t]*\n+/i;

/** Openings of a refusal. Only short answers count: a long article may start with "I'm sorry". */
const REFUSAL =
  /^(?:i'?m sorry|i am sorry|sorry,? (?:but )?i|i apologi[sz]e|as an ai\b|i (?:can ?not|can't|cannot|won't|am unable to|'m unable to|am not able to)\b|i'm not able to|unfortunately,? i (?:can ?not|can't|am unable))/i;
const REFUSAL_MAX_WORDS = 80;

export function judgeOutput(content: string | null | undefined, refusalField?: string | null): OutputVerdict {
  if (refusalField && refusalField.trim()) return { ok: false, reason: 'refusal' };
  let text = (content ?? '').trim();
  if (text === '') return { ok: false, reason: 'empty' };
  const words = countWords(text);
  if (words <= REFUSAL_MAX_WORDS && REFUSAL.test(text.replace(/^["'\s]+/, ''))) return { ok: false, reason: 'refusal' };
  let strippedPreamble = false;
  const m = PREAMBLE.exec(text);
  if (m) {
    text = text.slice(m[0].length).trim();
    strippedPreamble = true;
    if (text === '') return { ok: false, reason: 'empty' };
  }
  return { ok: true, text, words: strippedPreamble ? countWords(text) : words, strippedPreamble };
}

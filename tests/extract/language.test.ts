import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { franc } from 'franc';
import { describe, expect, it } from 'vitest';
import { countWords, detectLanguage, MIN_CHARS, WEB_LANGUAGES } from '../../src/extract/language.js';
import { TrigramLanguageGuesser } from '../../src/extract/trigram-language.js';
import { extractDocument } from '../../src/extract/index.js';
import { ccResponse, devPage, EXTRACTION } from './corpus.js';

describe('language of real extracted text (ISO 639-3)', () => {
  it.each([
    ['trafilatura-eval', 'c8469dc1035f4dba', 'eng'],
    ['trafilatura-eval', '104be559207e475a', 'deu'],
    ['trafilatura-eval', '6b17de07627bf0f4', 'fra'],
    ['trafilatura-eval', '52a19684201130d5', 'spa'],
    ['trafilatura-eval', '5c2f8e2b682f123d', 'pol'],
    ['trafilatura-eval', '3cbebea0f9d95293', 'ita'],
    ['trafilatura-eval', 'e3ace56ad8fd3032', 'cmn'],
    ['mozilla-readability', 'aktualne', 'ces'],
  ] as const)('%s %s → %s', (set, id, lang) => {
    const page = devPage(set, id);
    expect(extractDocument({ html: page.html, url: page.url }).lang).toBe(lang);
  });

  it('Russian and Dutch pages from the Common Crawl sample', () => {
    const ru = ccResponse('http://01spb.ru/company/');
    expect(extractDocument({ html: ru.body, contentType: ru.contentType }).lang).toBe('rus');
    const nl = ccResponse('http://0900-hovenier.nl/gelderland/oosterbeek/');
    expect(extractDocument({ html: nl.body, contentType: nl.contentType }).lang).toBe('nld');
  });

  it('"und" below the length threshold', () => {
    expect(detectLanguage('')).toBe('und');
    expect(detectLanguage('Hello world, how are you?')).toBe('und');
    const short = 'Das ist ein kurzer deutscher Satz.';
    expect(short.length).toBeLessThan(MIN_CHARS);
    expect(detectLanguage(short)).toBe('und');
    expect(detectLanguage(`${short} Er ist aber lang genug, wenn man noch ein paar weitere Wörter hinzufügt und so weiter.`)).toBe('deu');
  });

  it('short CJK text is enough to tell (script-based)', () => {
    expect(detectLanguage('这是一个关于天气的简短新闻报道，今天北京晴。')).toBe('cmn');
  });
});

describe('word count', () => {
  it('counts whitespace tokens', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('  one two\tthree\nfour\n\nfive  ')).toBe(5);
    expect(countWords('Grüße, Köln! — Straße')).toBe(4);
  });

  it('counts each Han / kana character as a word, and Latin runs between them as words', () => {
    expect(countWords('今天天气很好')).toBe(6);
    expect(countWords('日本語のテキスト')).toBe(8);
    expect(countWords('iPhone发布会 2024年')).toBe(1 + 3 + 1 + 1);
  });

  it('extractDocument reports the word count of its text', () => {
    const page = devPage('mozilla-readability', '001');
    const doc = extractDocument({ html: page.html });
    expect(doc.words).toBe(doc.text.split(/\s+/).filter(Boolean).length);
    expect(doc.words).toBeGreaterThan(300);
  });
});

describe('the indexed trigram guesser answers as franc does', () => {
  /** Real texts of many lengths and scripts: the dev sets' gold texts (cut two ways) and their main-text snippets. */
  function realTexts(): string[] {
    const texts: string[] = [];
    for (const set of ['mozilla-readability', 'trafilatura-eval']) {
      const lines = readFileSync(join(EXTRACTION, set, 'pages.jsonl'), 'utf8').split('\n');
      for (const line of lines) {
        if (line.trim() === '') continue;
        const page = JSON.parse(line) as { gold_text: string | null; with?: string[]; without?: string[] };
        const gold = page.gold_text ?? '';
        if (gold !== '') texts.push(gold.slice(0, 300), gold.slice(0, 40));
        texts.push(...(page.with ?? []));
      }
    }
    return texts;
  }
  // Synthetic edge cases: empty, digits and punctuation only, one character, other scripts, mixed.
  const edges = [
    '',
    '1',
    '12345 67890',
    '!!! ??? ...',
    'a',
    'ab',
    'Ελληνικά κείμενα εδώ',
    'שלום עולם',
    'Привет, мир',
    '東京は晴れ',
    'x 東京 y',
    'ไทย',
    '  \n\t ',
  ];

  it('with the web languages (as detectLanguage uses it)', () => {
    const guesser = new TrigramLanguageGuesser(WEB_LANGUAGES);
    const texts = [...realTexts(), ...edges];
    expect(texts.length).toBeGreaterThan(3000);
    const differ = texts.filter((t) => guesser.guess(t) !== franc(t, { minLength: 1, only: WEB_LANGUAGES }));
    expect(differ).toEqual([]);
  });

  it('with a short list (scripts whose languages are all excluded answer "und")', () => {
    const only = ['eng', 'deu', 'rus', 'cmn'];
    const guesser = new TrigramLanguageGuesser(only);
    const texts = [...realTexts().slice(0, 600), ...edges];
    const differ = texts.filter((t) => guesser.guess(t) !== franc(t, { minLength: 1, only }));
    expect(differ).toEqual([]);
  });
});

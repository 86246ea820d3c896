/**
 * `gpt-words`: marker-word counting with lexicons derived from the published "GPT word" lists
 * (../shared/lexicons, see data/lexicons/PROVENANCE.md).
 *   raw   = marker-word hits per 1,000 words (the statistic the published studies report)
 *   score = sigmoid(a · L + c), L = Σ weight(word) · count(word) per 100 words, where weight is
 *           the smoothed log-odds of the word in AI vs human training text (clipped at 0, so the
 *           lexicon only ever votes "AI").
 * The lexicon is configurable: pass `lexiconPath` (same JSON format) or build one with
 * `ccaudit train --kind gpt-words --lexicon-csv FILE.csv`.
 */
import type { Detector, DetectorInput, DetectorResult } from '../src/detect/types.js';
import { gate, prepare } from '../src/detect/prepared.js';
import { LexiconMatcher } from '../src/detect/lexicon.js';
import { modelHash, readJsonFile, type GptWordsLexiconFile } from '../src/detect/models.js';
import { DEFAULT_FILES } from '../src/detect/paths.js';
import { sigmoid } from '../src/detect/logistic.js';

export const GPT_WORDS_CODE_VERSION = '1';

export interface GptWordsOptions {
  lexicon?: GptWordsLexiconFile;
  lexiconPath?: string;
}

export function createGptWordsDetector(opts: GptWordsOptions = {}): Detector {
  let state: { lex: GptWordsLexiconFile; matcher: LexiconMatcher; weights: Map<string, number>; version: string } | null = null;
  const load = () => {
    if (!state) {
      const lex = opts.lexicon ?? readJsonFile<GptWordsLexiconFile>(opts.lexiconPath ?? DEFAULT_FILES.gptWords());
      if (lex.format !== 'ccaudit-gpt-words-v1' || !Array.isArray(lex.entries)) throw new Error('not a ccaudit gpt-words lexicon');
      state = {
        lex,
        matcher: new LexiconMatcher(lex.entries.map((e) => e.key)),
        weights: new Map(lex.entries.map((e) => [e.key, e.weight])),
        // Hashed once: the scan reads `version` for every document.
        version: `${GPT_WORDS_CODE_VERSION}+${modelHash(lex)}`,
      };
    }
    return state;
  };
  return {
    name: 'gpt-words',
    description: 'Marker-word ("GPT word") rate per 1,000 words and a log-odds score from published lexicons',
    get version() {
      return load().version;
    },
    get languages() {
      return load().lex.languages;
    },
    init() {
      load();
    },
    score(doc: DetectorInput): DetectorResult {
      const s = load();
      const p = prepare(doc);
      const refused = gate(p, s.lex.languages);
      if (refused) return refused;
      const hits = s.matcher.match(p.tokens);
      let total = 0;
      let weighted = 0;
      for (const [key, count] of hits) {
        total += count;
        weighted += count * (s.weights.get(key) ?? 0);
      }
      const n = p.tokens.length;
      const logOdds = (weighted * 100) / n;
      const top = [...hits.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
      return {
        score: sigmoid(s.lex.a * logOdds + s.lex.c),
        raw: (total * 1000) / n,
        details: { hits: total, logOddsPer100: logOdds, top: Object.fromEntries(top) },
      };
    },
  };
}

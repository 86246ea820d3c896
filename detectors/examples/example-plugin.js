// Example ccaudit detector plugin (plain ESM JavaScript: copy it and change it).
//
//   ccaudit score --jsonl docs.jsonl --detector-module ./detectors/examples/example-plugin.js --detector stock-phrases
//
// A plugin's default export is a detector object (or an array of them, or a function
// returning either). A detector needs: name, version, description, languages and
// score(doc) → { score: number in [0, 1] (higher = more likely AI), raw?, details? }
// or { score: null, reason: 'too-short' | 'unsupported-language' | 'empty' } when it
// cannot judge. score() must not throw on odd input. init() and scoreBatch() are optional.
//
// This one counts stock transition phrases that chat assistants overuse ("in conclusion",
// "it is important to note", "furthermore" …) per 100 words. It is a toy, not a calibrated
// detector: use `ccaudit evaluate --detector-module … --detector stock-phrases` to measure it.

const PHRASES = [
  'in conclusion',
  'it is important to note',
  'it is worth noting',
  'overall',
  'additionally',
  'furthermore',
  'moreover',
  'in summary',
  'ultimately',
  "in today's",
  'plays a crucial role',
  'a testament to',
];

const MIN_WORDS = 30;

/** @type {import('../../src/detect/types.js').Detector} */
const stockPhrases = {
  name: 'stock-phrases',
  version: '1.0.0',
  description: 'Example plugin: stock transition phrases per 100 words',
  languages: ['eng'],
  score(doc) {
    const text = typeof doc?.text === 'string' ? doc.text.toLowerCase().replace(/[\u2018\u2019]/g, "'") : '';
    const words = text.split(/\s+/).filter(Boolean).length;
    if (words === 0) return { score: null, reason: 'empty' };
    if (doc.lang && doc.lang !== 'und' && doc.lang !== 'eng') return { score: null, reason: 'unsupported-language' };
    if (words < MIN_WORDS) return { score: null, reason: 'too-short' };
    let hits = 0;
    for (const p of PHRASES) {
      let i = text.indexOf(p);
      while (i !== -1) {
        hits++;
        i = text.indexOf(p, i + p.length);
      }
    }
    const per100 = (hits * 100) / words;
    // Squash the rate into [0, 1): 0 hits → 0, one phrase per 100 words → 0.5.
    return { score: per100 / (per100 + 1), raw: per100, details: { hits } };
  },
};

export default stockPhrases;

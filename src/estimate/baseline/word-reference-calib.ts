/**
 * AI texts for the ratio calibration of the baseline word mixture when q comes from the
 * shipped reference (no domain AI references): the AI rows of the CALIB split
 * (src/detect/splits.ts) of ../shared/corpora/labeled in the reference's languages — the same
 * texts scripts/build-reference.ts fitted the shipped calibration on, and disjoint from the
 * TRAIN split q was estimated from. The held-out split is never read.
 */
import { readFileSync } from 'node:fs';
import { countWords } from '../../detect/text.js';
import { sharedLabeledFiles } from '../../detect/dataset.js';
import { parseLabeledLine } from '../../detect/labeled.js';
import { splitOf } from '../../detect/splits.js';
import type { ReferenceParams } from '../reference.js';
import type { TextItem } from './word-mixture.js';

const cache = new Map<string, TextItem[]>();

/**
 * The calib-split AI texts of the labelled corpora in `params.languages` (sync; ~0.5 s once,
 * then cached). Throws a clear error when the corpora are missing (set CCAUDIT_SHARED).
 */
export function referenceCalibrationTexts(params: Pick<ReferenceParams, 'languages'>, files: readonly string[] = sharedLabeledFiles()): TextItem[] {
  const key = `${params.languages.join(',')}|${files.join('|')}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const all = params.languages.includes('*');
  const out: TextItem[] = [];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const r = parseLabeledLine(line, file, i + 1);
      if (r.label !== 'ai' || !(all || params.languages.includes(r.lang))) return;
      if (splitOf(r.text) !== 'calib') return;
      out.push({ fields: { lang: r.lang, tld: null, words: countWords(r.text), genre: null }, text: r.text });
    });
  }
  cache.set(key, out);
  return out;
}

/**
 * AI texts for the ratio calibration of the baseline word mixture when q comes from the
 * shipped reference (no domain AI references): the AI rows of the CALIB split of the labelled
 * corpora in the reference's languages — the texts scripts/build-reference.ts fitted the
 * shipped calibration on, disjoint from the TRAIN split q was estimated from. They ship as word
 * sets (data/reference/reference-calibration.json, written by that script), since the mixture
 * reads nothing else of a text; nothing is read from ../shared at run time.
 */
import { readFileSync } from 'node:fs';
import { dataPath } from '../../detect/paths.js';
import type { ReferenceParams } from '../reference.js';
import type { WordSetItem } from './word-types.js';

export const REFERENCE_CALIBRATION_FORMAT = 'ccaudit-reference-calibration-v1';
export const DEFAULT_REFERENCE_CALIBRATION_FILE = (): string => dataPath('reference', 'reference-calibration.json');

/** The shipped file: per text its language, word count and space-separated word set. */
export interface ReferenceCalibrationFile {
  format: typeof REFERENCE_CALIBRATION_FORMAT;
  provenance: string;
  /** Languages the file covers (those of the shipped reference). */
  languages: string[];
  items: Array<{ lang: string; words: number; wordSet: string }>;
}

const cache = new Map<string, WordSetItem[]>();

/**
 * The calib-split AI texts in `params.languages` as word sets (sync; cached per file and
 * languages). Throws a clear error when the file is missing or malformed.
 */
export function referenceCalibrationItems(
  params: Pick<ReferenceParams, 'languages'>,
  file: string = DEFAULT_REFERENCE_CALIBRATION_FILE(),
): WordSetItem[] {
  const key = `${params.languages.join(',')}|${file}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let parsed: ReferenceCalibrationFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as ReferenceCalibrationFile;
  } catch (err) {
    throw new Error(`reference calibration texts: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (parsed.format !== REFERENCE_CALIBRATION_FORMAT || !Array.isArray(parsed.items))
    throw new Error(`reference calibration texts: ${file} is not a ${REFERENCE_CALIBRATION_FORMAT} file`);
  const all = params.languages.includes('*');
  const out: WordSetItem[] = parsed.items
    .filter((r) => all || params.languages.includes(r.lang))
    .map((r) => ({ fields: { lang: r.lang, tld: null, words: r.words, genre: null }, words: r.wordSet === '' ? [] : r.wordSet.split(' ') }));
  cache.set(key, out);
  return out;
}

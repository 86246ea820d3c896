/**
 * The word-occurrence reference of the mixture estimator (mixture.ts): for every vocabulary
 * word, p = share of human units containing it and q = share of AI units containing it,
 * estimated from labelled reference corpora.
 *
 * Defaults (scripts/build-reference.ts writes data/reference/mixture-reference.json):
 * - reference corpora: the TRAIN split (src/detect/splits.ts) of ../shared/corpora/labeled,
 *   English rows only; the calib split is used to choose the settings below, the held-out
 *   split never;
 * - the unit log-likelihood ratios are re-calibrated on the CALIB split (see RatioCalibration);
 * - unit: the whole document, so α is directly the share of documents (Liang et al. use
 *   sentences; a sentence share equals the document share only when AI and human documents
 *   have the same number of sentences);
 * - tokens: src/detect/text.ts normalizeText + tokenize (case-folded, quotes/dashes unified),
 *   purely numeric tokens dropped, as in Liang et al.;
 * - vocabulary: words in ≥ 5 human and ≥ 3 AI units (Liang et al.'s thresholds), then the
 *   `maxWords` = 2000 most discriminative by |logit q − logit p|;
 * - p, q: (count + ½) / (units + 1), so no probability is exactly 0 or 1.
 */
import { existsSync, readFileSync } from 'node:fs';
import { normalizeText, splitSentences, tokenize } from '../detect/text.js';
import { resolveLanguage } from '../detect/lang.js';
import { dataPath } from '../detect/paths.js';
import type { LabeledRecord } from '../detect/types.js';

export type MixtureUnit = 'document' | 'sentence';

export interface ReferenceParams {
  unit: MixtureUnit;
  /** Minimum number of human units containing a word for it to enter the vocabulary. */
  minHuman: number;
  /** Minimum number of AI units containing a word. */
  minAi: number;
  /** Keep at most this many words, the most discriminative first (null = all that qualify). */
  maxWords: number | null;
  /** Languages the reference applies to (ISO 639-3). */
  languages: string[];
}

export const DEFAULT_REFERENCE_PARAMS: ReferenceParams = {
  unit: 'document',
  minHuman: 5,
  minAi: 3,
  maxWords: 2000,
  languages: ['eng'],
};

export const REFERENCE_FORMAT = 'ccaudit-mixture-reference-v1';

/** The saved reference (data/reference/mixture-reference.json). */
export interface MixtureReferenceFile {
  format: typeof REFERENCE_FORMAT;
  params: ReferenceParams;
  /** Units each side was estimated from. */
  nHuman: number;
  nAi: number;
  /** Where the reference corpora came from. */
  provenance: string;
  /**
   * Re-calibration of the unit log-likelihood ratio, r′ = a·r + b, fitted on labelled units
   * NOT used for p and q (the calib split). Null = use the raw ratios (Liang et al.'s setting).
   */
  calibration: RatioCalibration | null;
  /** [word, p (human), q (AI)], most discriminative first. */
  words: Array<[string, number, number]>;
}

/**
 * Why re-calibrate: words are not independent, so the word-set ratio of a 200-word document is
 * far too confident (|r| of tens of nats) and the MLE degenerates into counting documents with
 * r > 0 — with the default reference, the raw-ratio MLE gives α̂ = 0.09 on the all-human and
 * 0.81 on the all-AI calib split (0.00 and 0.98 after re-calibration). A balanced logistic fit of the labels on r (Platt scaling) turns r into a calibrated
 * log-likelihood ratio, for which the mixture MLE is again consistent (the maximum-likelihood
 * label-shift estimator of Saerens et al. 2002 / Alexandari et al. 2020).
 */
export interface RatioCalibration {
  a: number;
  b: number;
  /** Units of each class the fit used. */
  nHuman: number;
  nAi: number;
  dataset: string;
}

const DIGITS = /^\p{N}+$/u;

/** The word sets of a text's units (sentences or the whole document). */
export function unitWordSets(text: string, unit: MixtureUnit): Array<Set<string>> {
  const norm = normalizeText(text);
  const parts = unit === 'document' ? [norm] : splitSentences(norm);
  const out: Array<Set<string>> = [];
  for (const part of parts) {
    const words = new Set<string>();
    for (const t of tokenize(part)) if (!DIGITS.test(t)) words.add(t);
    // Liang et al. drop one-word sentences; an empty document carries no evidence.
    if (words.size > (unit === 'sentence' ? 1 : 0)) out.push(words);
  }
  return out;
}

/** True when the reference applies to a text of this (declared) language. */
export function languageMatches(params: ReferenceParams, text: string, lang: string | null | undefined): boolean {
  if (params.languages.includes('*')) return true;
  const resolved = resolveLanguage(lang ?? null, text.slice(0, 3000), tokenize(normalizeText(text.slice(0, 3000))));
  return params.languages.includes(resolved);
}

/** Builds a reference from labelled records (the caller chooses the split). */
export function buildReference(
  records: readonly Pick<LabeledRecord, 'text' | 'label' | 'lang'>[],
  params: ReferenceParams = DEFAULT_REFERENCE_PARAMS,
  provenance = 'custom records',
): MixtureReferenceFile {
  const human = new Map<string, number>();
  const ai = new Map<string, number>();
  let nHuman = 0;
  let nAi = 0;
  for (const r of records) {
    if (!params.languages.includes('*') && !params.languages.includes(r.lang)) continue;
    const counts = r.label === 'ai' ? ai : human;
    for (const set of unitWordSets(r.text, params.unit)) {
      if (r.label === 'ai') nAi++;
      else nHuman++;
      for (const w of set) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }
  if (nHuman === 0 || nAi === 0) throw new Error('reference needs both human and AI units in the chosen languages');
  const rows: Array<[string, number, number, number]> = [];
  for (const [w, ch] of human) {
    const ca = ai.get(w) ?? 0;
    if (ch < params.minHuman || ca < params.minAi) continue;
    const p = (ch + 0.5) / (nHuman + 1);
    const q = (ca + 0.5) / (nAi + 1);
    rows.push([w, p, q, Math.abs(logit(q) - logit(p))]);
  }
  rows.sort((a, b) => b[3] - a[3] || (a[0] < b[0] ? -1 : 1));
  const kept = params.maxWords === null ? rows : rows.slice(0, params.maxWords);
  return {
    format: REFERENCE_FORMAT,
    params,
    nHuman,
    nAi,
    provenance,
    calibration: null,
    words: kept.map(([w, p, q]) => [w, round(p), round(q)]),
  };
}

const round = (x: number): number => Number(x.toPrecision(6));

/**
 * Fits r′ = a·r + b by logistic regression of the labels on the raw unit ratios, with the two
 * classes weighted equally (so the fitted logit is a log-likelihood ratio, free of the
 * calibration set's class balance). Damped Newton on standardised r.
 */
export function fitRatioCalibration(raw: ArrayLike<number>, labels: ArrayLike<0 | 1>, dataset: string): RatioCalibration {
  const n = raw.length;
  let nAi = 0;
  for (let i = 0; i < n; i++) nAi += labels[i];
  const nHuman = n - nAi;
  if (nAi === 0 || nHuman === 0) throw new Error('ratio calibration needs units of both classes');
  let mean = 0;
  for (let i = 0; i < n; i++) mean += raw[i] / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (raw[i] - mean) ** 2 / n;
  const sd = Math.sqrt(v) || 1;
  const x = Float64Array.from({ length: n }, (_, i) => (raw[i] - mean) / sd);
  const wOf = (i: number) => (labels[i] === 1 ? 0.5 / nAi : 0.5 / nHuman);
  const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
  const loss = (a: number, b: number) => {
    let l = 0;
    for (let i = 0; i < n; i++) {
      const z = a * x[i] + b;
      l += wOf(i) * softplus(labels[i] === 1 ? -z : z);
    }
    return l;
  };
  let a = 0;
  let b = 0;
  let current = loss(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-(a * x[i] + b)));
      const w = wOf(i);
      const e = p - labels[i];
      ga += w * e * x[i];
      gb += w * e;
      const c = w * p * (1 - p);
      haa += c * x[i] * x[i];
      hab += c * x[i];
      hbb += c;
    }
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1;
    let next = loss(a - da, b - db);
    while (next > current && step > 1e-8) {
      step /= 2;
      next = loss(a - step * da, b - step * db);
    }
    a -= step * da;
    b -= step * db;
    const gain = current - next;
    current = next;
    if (gain < 1e-13) break;
  }
  return { a: a / sd, b: b - (a * mean) / sd, nHuman, nAi, dataset };
}

/** Adds a ratio calibration fitted on `records` (which must not be those p and q came from). */
export function calibrateReference(
  file: MixtureReferenceFile,
  records: readonly Pick<LabeledRecord, 'text' | 'label' | 'lang'>[],
  dataset: string,
): MixtureReferenceFile {
  const ref = new MixtureReference({ ...file, calibration: null });
  const raw: number[] = [];
  const labels: Array<0 | 1> = [];
  for (const r of records) {
    if (!file.params.languages.includes('*') && !file.params.languages.includes(r.lang)) continue;
    for (const x of ref.ratios(r.text)) {
      raw.push(x);
      labels.push(r.label === 'ai' ? 1 : 0);
    }
  }
  return { ...file, calibration: fitRatioCalibration(raw, labels, dataset) };
}
const logit = (p: number): number => Math.log(p) - Math.log1p(-p);

/** A loaded reference, ready to turn texts into unit log-likelihood ratios. */
export class MixtureReference {
  readonly params: ReferenceParams;
  /** log Q(x) − log P(x) for a unit containing none of the vocabulary. */
  private readonly constant: number;
  private readonly weights: Map<string, number>;
  private readonly scale: number;
  private readonly offset: number;

  constructor(readonly file: MixtureReferenceFile) {
    if (file.format !== REFERENCE_FORMAT || !Array.isArray(file.words) || !file.params || file.calibration === undefined) {
      throw new Error('not a ccaudit mixture reference file');
    }
    this.params = file.params;
    this.weights = new Map();
    let c = 0;
    for (const [w, p, q] of file.words) {
      if (!(p > 0 && p < 1 && q > 0 && q < 1)) throw new Error(`mixture reference: bad probabilities for "${w}"`);
      c += Math.log1p(-q) - Math.log1p(-p);
      this.weights.set(w, logit(q) - logit(p));
    }
    this.constant = c;
    this.scale = file.calibration?.a ?? 1;
    this.offset = file.calibration?.b ?? 0;
  }

  get vocabularySize(): number {
    return this.weights.size;
  }

  /** log Q(x) − log P(x) of one unit's word set (re-calibrated when the file has a calibration). */
  unitRatio(words: Set<string>): number {
    let r = this.constant;
    for (const w of words) {
      const x = this.weights.get(w);
      if (x !== undefined) r += x;
    }
    return this.scale * r + this.offset;
  }

  /**
   * Document-unit ratio from the text's normalised tokens (src/detect/text.ts), for callers
   * that tokenised already; null when no word is left.
   */
  ratioOfTokens(tokens: readonly string[]): number | null {
    const words = new Set<string>();
    for (const t of tokens) if (!DIGITS.test(t)) words.add(t);
    return words.size > 0 ? this.unitRatio(words) : null;
  }

  /** Ratios of every unit of a text (empty when the text has no usable unit). */
  ratios(text: string): Float64Array {
    return Float64Array.from(unitWordSets(text, this.params.unit), (s) => this.unitRatio(s));
  }
}

export const DEFAULT_REFERENCE_FILE = (): string => dataPath('reference', 'mixture-reference.json');

/** Loads a reference file with a clear error when it is missing or malformed. */
export function loadReference(path = DEFAULT_REFERENCE_FILE()): MixtureReference {
  if (!existsSync(path)) {
    throw new Error(`mixture reference not found at ${path} (build it with: npx tsx scripts/build-reference.ts)`);
  }
  let parsed: MixtureReferenceFile;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as MixtureReferenceFile;
  } catch (err) {
    throw new Error(`mixture reference ${path}: not valid JSON (${(err as Error).message})`);
  }
  return new MixtureReference(parsed);
}

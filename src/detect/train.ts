/**
 * Trainers for the shipped artefacts. Each is a pure function of (records, options): records
 * are processed in a fixed order (sorted by id) and all randomness comes from the seed, so
 * the same inputs give byte-identical model files.
 */
import { readFileSync } from 'node:fs';
import type { LabeledRecord } from './types.js';
import { prepare, gate, type PreparedText } from './prepared.js';
import { LinearFeatureBuilder } from './linear.js';
import { STYLE_FEATURE_NAMES } from './features/style.js';
import type { NgramConfig } from './features/ngrams.js';
import { trainLogistic, fitLogistic1D, type TrainExample } from './logistic.js';
import { encodeFloat32, roundSig, type LinearModelFile, type CompressionModelFile, type GptWordsLexiconFile, type TrainingInfo } from './models.js';
import { compressionDelta } from './compress.js';
import { LexiconMatcher, stemPhrase } from './lexicon.js';
import { parseCsv } from './csv.js';
import { sha256Hex } from '../core/hash.js';

export const DEFAULT_NGRAM: NgramConfig = { bits: 18, wordOrders: [1, 2], charOrders: [4], maxChars: 20_000 };

export interface CommonTrainOptions {
  seed: number;
  /** Label for provenance, e.g. "train split". */
  split: string;
}

/** Records in a canonical order (by id, then text hash) so file order never matters. */
export function canonicalOrder(records: readonly LabeledRecord[]): LabeledRecord[] {
  return [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

/** Languages with at least `minPerClass` usable examples of each class. */
export function languagesWithData(records: readonly LabeledRecord[], minPerClass = 30): string[] {
  const counts = new Map<string, [number, number]>();
  for (const r of records) {
    const c = counts.get(r.lang) ?? [0, 0];
    c[r.label === 'ai' ? 1 : 0]++;
    counts.set(r.lang, c);
  }
  return [...counts.entries()]
    .filter(([, c]) => c[0] >= minPerClass && c[1] >= minPerClass)
    .map(([l]) => l)
    .sort();
}

function usable(records: readonly LabeledRecord[], languages: readonly string[]): Array<{ r: LabeledRecord; p: PreparedText }> {
  const out: Array<{ r: LabeledRecord; p: PreparedText }> = [];
  for (const r of canonicalOrder(records)) {
    const p = prepare({ text: r.text, lang: r.lang });
    if (gate(p, languages) === null) out.push({ r, p });
  }
  return out;
}

function info(records: Array<{ r: LabeledRecord }>, opts: CommonTrainOptions, params: TrainingInfo['params']): TrainingInfo {
  const files = [...new Set(records.map((x) => x.r.file))].sort();
  let nPos = 0;
  for (const x of records) if (x.r.label === 'ai') nPos++;
  return { files, split: opts.split, nPos, nNeg: records.length - nPos, seed: opts.seed, params };
}

export interface LinearTrainOptions extends CommonTrainOptions {
  detector: 'classifier' | 'stylometry';
  ngram: NgramConfig | null;
  withStyle: boolean;
  styleScale: number;
  epochs: number;
  learningRate: number;
  l2: number;
  /** Restrict to these languages (default: every language with enough data; stylometry: eng). */
  languages?: string[];
}

export const CLASSIFIER_DEFAULTS: Omit<LinearTrainOptions, 'seed' | 'split'> = {
  detector: 'classifier',
  ngram: DEFAULT_NGRAM,
  withStyle: true,
  styleScale: 0.1,
  epochs: 6,
  learningRate: 0.05,
  l2: 1e-6,
};

export const STYLOMETRY_DEFAULTS: Omit<LinearTrainOptions, 'seed' | 'split'> = {
  detector: 'stylometry',
  ngram: null,
  withStyle: true,
  styleScale: 1,
  epochs: 30,
  learningRate: 0.05,
  l2: 1e-3,
  languages: ['eng'],
};

export function trainLinearModel(records: readonly LabeledRecord[], opts: LinearTrainOptions): LinearModelFile {
  const languages = opts.languages ?? languagesWithData(records);
  const rows = usable(records, languages);
  if (rows.length === 0) throw new Error('no usable training documents');
  const raws = opts.withStyle ? rows.map((x) => LinearFeatureBuilder.rawStyle(x.p)) : [];
  let style: LinearModelFile['style'] = null;
  if (opts.withStyle) {
    const k = STYLE_FEATURE_NAMES.length;
    const mean = new Array<number>(k).fill(0);
    const sd = new Array<number>(k).fill(0);
    for (const f of raws) for (let j = 0; j < k; j++) mean[j] += f[j] / raws.length;
    for (const f of raws) for (let j = 0; j < k; j++) sd[j] += (f[j] - mean[j]) ** 2 / raws.length;
    style = {
      names: [...STYLE_FEATURE_NAMES],
      mean: mean.map((m) => roundSig(m)),
      sd: sd.map((v) => roundSig(Math.sqrt(v))),
      scale: opts.styleScale,
    };
  }
  const builder = new LinearFeatureBuilder(opts.ngram, style);
  const data: TrainExample[] = rows.map((x, i) => ({ x: builder.build(x.p, raws[i]), y: x.r.label === 'ai' ? 1 : 0 }));
  const m = trainLogistic(data, { dims: builder.dims, epochs: opts.epochs, learningRate: opts.learningRate, l2: opts.l2, seed: opts.seed });
  return {
    format: 'ccaudit-linear-v1',
    detector: opts.detector,
    languages,
    ngram: opts.ngram,
    style,
    bias: roundSig(m.bias),
    weightsB64: encodeFloat32(m.weights),
    training: info(rows, opts, { epochs: opts.epochs, learningRate: opts.learningRate, l2: opts.l2, styleScale: opts.styleScale }),
  };
}

export interface CompressionTrainOptions extends CommonTrainOptions {
  dictionaryBytes: number;
  level: number;
  maxChars: number;
}

export const COMPRESSION_DEFAULTS: Omit<CompressionTrainOptions, 'seed' | 'split'> = {
  dictionaryBytes: 32 * 1024,
  level: 6,
  maxChars: 8000,
};

/**
 * Builds the two preset dictionaries from English train texts (taken round-robin over
 * (file, domain) strata in seed-determined order) and fits the logistic map on the
 * remaining texts, never on those inside a dictionary.
 */
export function trainCompressionModel(records: readonly LabeledRecord[], opts: CompressionTrainOptions): CompressionModelFile {
  const languages = ['eng'];
  const rows = usable(records, languages);
  const pick = (label: 'ai' | 'human'): { dict: string; used: Set<string> } => {
    const strata = new Map<string, Array<{ r: LabeledRecord; p: PreparedText }>>();
    for (const x of rows) {
      if (x.r.label !== label) continue;
      const k = `${x.r.file}|${x.r.domain}`;
      const list = strata.get(k) ?? [];
      list.push(x);
      strata.set(k, list);
    }
    const keys = [...strata.keys()].sort();
    for (const k of keys) strata.get(k)!.sort((a, b) => (sha256Hex(`${opts.seed}|${a.r.id}`) < sha256Hex(`${opts.seed}|${b.r.id}`) ? -1 : 1));
    const used = new Set<string>();
    const parts: string[] = [];
    let bytes = 0;
    for (let round = 0; bytes < opts.dictionaryBytes; round++) {
      let added = false;
      for (const k of keys) {
        const x = strata.get(k)![round];
        if (!x || bytes >= opts.dictionaryBytes) continue;
        parts.push(x.p.norm);
        used.add(x.r.id);
        bytes += Buffer.byteLength(x.p.norm) + 1;
        added = true;
      }
      if (!added) break;
    }
    let dict = parts.join('\n');
    while (Buffer.byteLength(dict) > opts.dictionaryBytes) dict = dict.slice(0, dict.length - 64);
    return { dict, used };
  };
  const ai = pick('ai');
  const human = pick('human');
  const aiBuf = Buffer.from(ai.dict, 'utf8');
  const humanBuf = Buffer.from(human.dict, 'utf8');
  const fitRows = rows.filter((x) => !ai.used.has(x.r.id) && !human.used.has(x.r.id));
  const xs = fitRows.map((x) => compressionDelta(x.p.norm, aiBuf, humanBuf, opts.level, opts.maxChars));
  const ys = fitRows.map((x) => (x.r.label === 'ai' ? 1 : 0) as 0 | 1);
  const { a, c } = fitLogistic1D(xs, ys);
  return {
    format: 'ccaudit-compression-v1',
    detector: 'compression',
    languages,
    level: opts.level,
    maxChars: opts.maxChars,
    aiDictionary: ai.dict,
    humanDictionary: human.dict,
    a: roundSig(a),
    c: roundSig(c),
    training: info(fitRows, opts, { dictionaryBytes: opts.dictionaryBytes, aiDictionaryDocs: ai.used.size, humanDictionaryDocs: human.used.size }),
  };
}

export interface LexiconSourceRow {
  phrase: string;
  sources: string[];
}

/** Reads the published lists: gpt_words_union.csv (words) + antislop phrases (multi-word entries). */
export function readPublishedLexicon(unionCsv: string, antislopPhrasesCsv?: string): LexiconSourceRow[] {
  const rows: LexiconSourceRow[] = [];
  for (const r of parseCsv(readFileSync(unionCsv, 'utf8'))) {
    if (!r.word) continue;
    rows.push({ phrase: r.word.trim().toLowerCase(), sources: (r.sources ?? '').split(';').filter(Boolean) });
  }
  if (antislopPhrasesCsv) {
    for (const r of parseCsv(readFileSync(antislopPhrasesCsv, 'utf8'))) {
      const w = (r.word ?? '').trim().toLowerCase();
      if (w.includes(' ')) rows.push({ phrase: w, sources: ['antislop_phrases'] });
    }
  }
  return rows;
}

export interface GptWordsTrainOptions extends CommonTrainOptions {
  /** Additive smoothing of the per-word counts. */
  alpha: number;
  provenance: string;
}

/** Merges published entries by stemmed key and estimates each key's AI-vs-human log-odds on `records`. */
export function buildGptWordsLexicon(
  records: readonly LabeledRecord[],
  published: readonly LexiconSourceRow[],
  opts: GptWordsTrainOptions,
): GptWordsLexiconFile {
  const languages = ['eng'];
  const byKey = new Map<string, { forms: Set<string>; sources: Set<string> }>();
  for (const row of published) {
    const key = stemPhrase(row.phrase);
    if (!key) continue;
    const e = byKey.get(key) ?? { forms: new Set<string>(), sources: new Set<string>() };
    e.forms.add(row.phrase);
    for (const s of row.sources) e.sources.add(s);
    byKey.set(key, e);
  }
  const keys = [...byKey.keys()].sort();
  const matcher = new LexiconMatcher(keys);
  const rows = usable(records, languages);
  const docHits = rows.map((x) => matcher.match(x.p.tokens));
  const countAi = new Map<string, number>();
  const countHuman = new Map<string, number>();
  let tokAi = 0;
  let tokHuman = 0;
  rows.forEach((x, i) => {
    const ai = x.r.label === 'ai';
    if (ai) tokAi += x.p.tokens.length;
    else tokHuman += x.p.tokens.length;
    for (const [k, c] of docHits[i]) {
      const m = ai ? countAi : countHuman;
      m.set(k, (m.get(k) ?? 0) + c);
    }
  });
  const entries = keys.map((key) => {
    const ca = countAi.get(key) ?? 0;
    const ch = countHuman.get(key) ?? 0;
    const lo = Math.log((ca + opts.alpha) / (tokAi + opts.alpha)) - Math.log((ch + opts.alpha) / (tokHuman + opts.alpha));
    const e = byKey.get(key)!;
    return {
      key,
      forms: [...e.forms].sort(),
      sources: [...e.sources].sort(),
      weight: roundSig(Math.max(0, lo), 6),
      aiPerMillion: roundSig((ca * 1e6) / Math.max(1, tokAi), 6),
      humanPerMillion: roundSig((ch * 1e6) / Math.max(1, tokHuman), 6),
    };
  });
  const weight = new Map(entries.map((e) => [e.key, e.weight]));
  const xs = rows.map((x, i) => {
    let s = 0;
    for (const [k, c] of docHits[i]) s += c * (weight.get(k) ?? 0);
    return (s * 100) / x.p.tokens.length;
  });
  const ys = rows.map((x) => (x.r.label === 'ai' ? 1 : 0) as 0 | 1);
  const { a, c } = fitLogistic1D(xs, ys);
  return {
    format: 'ccaudit-gpt-words-v1',
    detector: 'gpt-words',
    languages,
    provenance: opts.provenance,
    entries,
    a: roundSig(a),
    c: roundSig(c),
    training: info(rows, opts, { alpha: opts.alpha, entries: entries.length }),
  };
}

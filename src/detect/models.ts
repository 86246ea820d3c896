/**
 * On-disk model formats (JSON, deterministic key order, no timestamps so retraining with the
 * same seed gives identical bytes) and their (de)serialisation.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createHash } from 'node:crypto';
import type { NgramConfig } from './features/ngrams.js';

/** Provenance block every shipped model carries. */
export interface TrainingInfo {
  files: string[];
  split: string;
  nPos: number;
  nNeg: number;
  seed: number;
  params: Record<string, number | string>;
}

/** Linear model over hashed n-grams and/or standardised style features. */
export interface LinearModelFile {
  format: 'ccaudit-linear-v1';
  detector: string;
  languages: string[];
  ngram: NgramConfig | null;
  style: { names: string[]; mean: number[]; sd: number[]; scale: number } | null;
  bias: number;
  /** Float32 little-endian weights, base64: first 2^bits hashed buckets, then style features. */
  weightsB64: string;
  training: TrainingInfo;
}

/** ZipPy-style compression model: one preset dictionary per class plus a logistic map. */
export interface CompressionModelFile {
  format: 'ccaudit-compression-v1';
  detector: 'compression';
  languages: string[];
  level: number;
  /** Max characters of the document compressed. */
  maxChars: number;
  aiDictionary: string;
  humanDictionary: string;
  /** score = sigmoid(a · raw + c), raw = (humanBytes − aiBytes) / inputBytes. */
  a: number;
  c: number;
  training: TrainingInfo;
}

/** Marker-word lexicon with per-entry log-odds weights. */
export interface GptWordsLexiconFile {
  format: 'ccaudit-gpt-words-v1';
  detector: 'gpt-words';
  languages: string[];
  provenance: string;
  /** Stemmed unigram or space-joined stemmed phrase → entry. */
  entries: Array<{ key: string; forms: string[]; sources: string[]; weight: number; aiPerMillion: number; humanPerMillion: number }>;
  /** score = sigmoid(a · (Σ weight·count per 100 words) + c). */
  a: number;
  c: number;
  training: TrainingInfo;
}

export function encodeFloat32(values: ArrayLike<number>): string {
  const f = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) f[i] = values[i];
  return Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString('base64');
}

export function decodeFloat32(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  const out = new Float32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

/** Rounds to `digits` significant digits so JSON output is short and stable. */
export function roundSig(x: number, digits = 8): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(digits));
}

/** JSON text of a model (2-space indent, trailing newline). */
export function serializeModel(model: object): string {
  return `${JSON.stringify(model, null, 1)}\n`;
}

export function writeModel(path: string, model: object): string {
  const text = serializeModel(model);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return createHash('sha256').update(text).digest('hex');
}

export function readJsonFile<T>(path: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${path} is not valid JSON`);
  }
}

/** Short content hash used in detector versions, so a retrained model gets a new version. */
export function modelHash(model: object): string {
  return createHash('sha256').update(serializeModel(model)).digest('hex').slice(0, 8);
}

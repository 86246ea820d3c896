/**
 * Hashed n-gram features of a text for the in-domain discriminator: word unigrams and bigrams
 * plus character 3–5-grams inside word boundaries, each counted, weighted 1 + log(count) and
 * the vector L2-normalised. Hashing keeps memory fixed whatever the vocabulary; a collision
 * only merges two rare features.
 */
import { fnv1a } from '../../core/hash.js';

/** A sparse vector: sorted unique indices and their values. */
export interface SparseVector {
  readonly index: Int32Array;
  readonly value: Float32Array;
}

export interface FeatureOptions {
  /** log2 of the hashed dimension (default 18). */
  bits?: number;
  /** Longest text read, in characters (default 20000: long pages add little and cost linear time). */
  maxChars?: number;
}

export const DEFAULT_FEATURE_BITS = 18;
const WORD = /[\p{L}\p{N}]+/gu;
const WORD_SEED = 0x2545f491;
const BIGRAM_SEED = 0x9e3779b1;
const CHAR_SEED = 0x85ebca6b;

/** The hashed, log-weighted, L2-normalised n-gram vector of `text`. */
export function hashedFeatures(text: string, o: FeatureOptions = {}): SparseVector {
  const bits = o.bits ?? DEFAULT_FEATURE_BITS;
  const mask = (1 << bits) - 1;
  const counts = new Map<number, number>();
  const bump = (h: number): void => {
    const k = h & mask;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  };
  const lower = text.slice(0, o.maxChars ?? 20000).toLowerCase();
  let prev: string | null = null;
  for (const m of lower.matchAll(WORD)) {
    const w = m[0];
    bump(fnv1a(w, WORD_SEED));
    if (prev !== null) bump(fnv1a(`${prev} ${w}`, BIGRAM_SEED));
    prev = w;
    const padded = ` ${w} `;
    for (let n = 3; n <= 5; n++) {
      if (padded.length < n) break;
      for (let i = 0; i + n <= padded.length; i++) bump(fnv1a(padded.slice(i, i + n), CHAR_SEED + n));
    }
  }
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const index = new Int32Array(keys);
  const value = new Float32Array(keys.length);
  let norm = 0;
  for (let i = 0; i < keys.length; i++) {
    const v = 1 + Math.log(counts.get(keys[i])!);
    value[i] = v;
    norm += v * v;
  }
  if (norm > 0) {
    const s = 1 / Math.sqrt(norm);
    for (let i = 0; i < value.length; i++) value[i] *= s;
  }
  return { index, value };
}

/** w·x for a dense weight vector and a sparse x. */
export function dot(weights: Float32Array, x: SparseVector): number {
  let s = 0;
  for (let i = 0; i < x.index.length; i++) s += weights[x.index[i]] * x.value[i];
  return s;
}

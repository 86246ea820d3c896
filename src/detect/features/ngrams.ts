/**
 * Hashed word and character n-gram features (the "hashing trick") over normalised text.
 * Counts are sub-linearly scaled (log1p) and the vector is L2-normalised so long and short
 * documents are comparable.
 */
import { fnv1a, mix32 } from '../../core/hash.js';

export interface NgramConfig {
  /** log2 of the number of hash buckets. */
  bits: number;
  /** Word n-gram orders, e.g. [1, 2]. */
  wordOrders: number[];
  /** Character n-gram orders over the normalised text, e.g. [3, 4]. */
  charOrders: number[];
  /** Longest prefix of the text used for character n-grams (0 = all). */
  maxChars: number;
}

/** A sparse vector: parallel arrays of bucket indices (first-seen order) and values. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

const WORD_SEED = 0x9e3779b9;
const CHAR_SEED = 0x7f4a7c15;

/**
 * Reusable featurizer. Not re-entrant (it keeps scratch buffers), which is fine in
 * single-threaded JS as long as `featurize` does not await.
 */
export class NgramFeaturizer {
  readonly dims: number;
  private readonly mask: number;
  // Uint16 keeps the scratch table small (cache-friendly); counts saturate at 65535.
  private readonly counts: Uint16Array;
  private readonly touched: Int32Array;
  private nTouched = 0;

  constructor(readonly config: NgramConfig) {
    this.dims = 1 << config.bits;
    this.mask = this.dims - 1;
    this.counts = new Uint16Array(this.dims);
    this.touched = new Int32Array(this.dims);
  }

  private add(h: number): void {
    const b = mix32(h) & this.mask;
    const c = this.counts[b];
    if (c === 0) this.touched[this.nTouched++] = b;
    if (c < 65535) this.counts[b] = c + 1;
  }

  featurize(norm: string, tokens: readonly string[]): SparseVector {
    this.nTouched = 0;
    const { wordOrders, charOrders } = this.config;
    if (wordOrders.length > 0) {
      const th = new Uint32Array(tokens.length);
      for (let i = 0; i < tokens.length; i++) th[i] = fnv1a(tokens[i], WORD_SEED);
      for (const n of wordOrders) {
        for (let i = 0; i + n <= tokens.length; i++) {
          let h = (n * 0x27d4eb2d) >>> 0;
          for (let k = 0; k < n; k++) h = Math.imul(h ^ th[i + k], 0x01000193) >>> 0;
          this.add(h);
        }
      }
    }
    const text = this.config.maxChars > 0 && norm.length > this.config.maxChars ? norm.slice(0, this.config.maxChars) : norm;
    if (charOrders.length > 0) {
      // FNV-1a is sequential, so the hashes of the 3-, 4- and 5-grams starting at i are
      // prefixes of one another: extend one running hash instead of rehashing each order.
      const maxN = Math.max(...charOrders);
      const want = new Uint8Array(maxN + 1);
      for (const n of charOrders) want[n] = 1;
      const len = text.length;
      for (let i = 0; i < len; i++) {
        let h = CHAR_SEED;
        const lim = Math.min(maxN, len - i);
        for (let k = 0; k < lim; k++) {
          h ^= text.charCodeAt(i + k);
          h = Math.imul(h, 0x01000193);
          if (want[k + 1] === 1) this.add((h ^ Math.imul(k + 1, 0x9e3779b1)) >>> 0);
        }
      }
    }
    const m = this.nTouched;
    const idx = this.touched.slice(0, m);
    const val = new Float32Array(m);
    let ss = 0;
    for (let j = 0; j < m; j++) {
      const v = Math.log1p(this.counts[idx[j]]);
      val[j] = v;
      ss += v * v;
      this.counts[idx[j]] = 0;
    }
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let j = 0; j < m; j++) val[j] *= inv;
    this.nTouched = 0;
    return { idx, val };
  }
}

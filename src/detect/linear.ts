/** Scoring with a LinearModelFile, and building its feature vectors (shared by training and scoring). */
import { NgramFeaturizer, type NgramConfig, type SparseVector } from './features/ngrams.js';
import { STYLE_FEATURE_NAMES, styleFeatures } from './features/style.js';
import type { PreparedText } from './prepared.js';
import { decodeFloat32, type LinearModelFile } from './models.js';
import { dot, sigmoid } from './logistic.js';

/** Style features of a prepared text, computed once per text and shared by detectors. */
export function cachedStyleFeatures(p: PreparedText): Float64Array {
  let f = p.memo.get('style') as Float64Array | undefined;
  if (!f) {
    f = styleFeatures(p);
    p.memo.set('style', f);
  }
  return f;
}

/** Joins hashed n-grams (indices < hashDims) with standardised style features (after). */
export class LinearFeatureBuilder {
  readonly featurizer: NgramFeaturizer | null;
  readonly hashDims: number;
  readonly dims: number;

  constructor(
    ngram: NgramConfig | null,
    private readonly style: { mean: number[]; sd: number[]; scale: number } | null,
  ) {
    this.featurizer = ngram ? new NgramFeaturizer(ngram) : null;
    this.hashDims = this.featurizer ? this.featurizer.dims : 0;
    this.dims = this.hashDims + (style ? STYLE_FEATURE_NAMES.length : 0);
  }

  /** Raw (unstandardised) style features, for computing mean/sd before training. */
  static rawStyle(p: PreparedText): Float64Array {
    return cachedStyleFeatures(p);
  }

  build(p: PreparedText, rawStyle?: Float64Array): SparseVector {
    const hashed = this.featurizer ? this.featurizer.featurize(p.norm, p.tokens) : { idx: new Int32Array(0), val: new Float32Array(0) };
    if (!this.style) return hashed;
    const sf = rawStyle ?? cachedStyleFeatures(p);
    const k = sf.length;
    const idx = new Int32Array(hashed.idx.length + k);
    const val = new Float32Array(hashed.idx.length + k);
    idx.set(hashed.idx);
    val.set(hashed.val);
    for (let j = 0; j < k; j++) {
      const sd = this.style.sd[j] > 1e-12 ? this.style.sd[j] : 1;
      // Clip standardised values so one extreme feature cannot dominate a web page's score.
      const z = Math.max(-5, Math.min(5, (sf[j] - this.style.mean[j]) / sd));
      idx[hashed.idx.length + j] = this.hashDims + j;
      val[hashed.idx.length + j] = z * this.style.scale;
    }
    return { idx, val };
  }
}

/** A ready-to-score linear model. */
export class LinearScorer {
  private readonly builder: LinearFeatureBuilder;
  private readonly weights: Float32Array;

  constructor(readonly model: LinearModelFile) {
    if (model.format !== 'ccaudit-linear-v1') throw new Error(`unsupported model format ${String(model.format)}`);
    this.builder = new LinearFeatureBuilder(model.ngram, model.style);
    this.weights = decodeFloat32(model.weightsB64);
    if (this.weights.length !== this.builder.dims) {
      throw new Error(`model ${model.detector}: ${this.weights.length} weights but ${this.builder.dims} features`);
    }
  }

  /** Log-odds (raw) and probability-like score of a prepared text. */
  score(p: PreparedText): { z: number; score: number } {
    const z = dot(this.weights, this.model.bias, this.builder.build(p));
    return { z, score: sigmoid(z) };
  }
}

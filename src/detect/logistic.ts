/**
 * Deterministic L2-regularised logistic regression over sparse vectors, trained with
 * AdaGrad SGD in a seeded order. Same data + same seed → bit-identical weights.
 */
import { mulberry32, shuffleInPlace } from '../core/rng.js';
import type { SparseVector } from './features/ngrams.js';

export interface TrainExample {
  x: SparseVector;
  /** 1 = AI, 0 = human. */
  y: 0 | 1;
}

export interface LogisticOptions {
  dims: number;
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}

export interface LogisticModel {
  weights: Float64Array;
  bias: number;
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export function dot(weights: ArrayLike<number>, bias: number, x: SparseVector): number {
  let z = bias;
  const { idx, val } = x;
  for (let j = 0; j < idx.length; j++) z += weights[idx[j]] * val[j];
  return z;
}

/** Trains with class-balanced example weights (each class contributes half the loss). */
export function trainLogistic(data: readonly TrainExample[], opts: LogisticOptions): LogisticModel {
  const w = new Float64Array(opts.dims);
  const g2 = new Float64Array(opts.dims);
  let b = 0;
  let gb2 = 0;
  let nPos = 0;
  for (const d of data) nPos += d.y;
  const nNeg = data.length - nPos;
  const wPos = nPos > 0 ? data.length / (2 * nPos) : 1;
  const wNeg = nNeg > 0 ? data.length / (2 * nNeg) : 1;
  const rand = mulberry32(opts.seed);
  const order = Array.from({ length: data.length }, (_, i) => i);
  const eps = 1e-8;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffleInPlace(order, rand);
    for (const i of order) {
      const { x, y } = data[i];
      const p = sigmoid(dot(w, b, x));
      const g = (p - y) * (y === 1 ? wPos : wNeg);
      const { idx, val } = x;
      for (let j = 0; j < idx.length; j++) {
        const k = idx[j];
        const grad = g * val[j] + opts.l2 * w[k];
        g2[k] += grad * grad;
        w[k] -= (opts.learningRate * grad) / (Math.sqrt(g2[k]) + eps);
      }
      gb2 += g * g;
      b -= (opts.learningRate * g) / (Math.sqrt(gb2) + eps);
    }
  }
  return { weights: w, bias: b };
}

/** Fits p = sigmoid(a·x + c) to one feature (Newton's method); used to map raw values to scores. */
export function fitLogistic1D(xs: readonly number[], ys: readonly (0 | 1)[], l2 = 1e-4): { a: number; c: number } {
  let a = 0;
  let c = 0;
  let nPos = 0;
  for (const y of ys) nPos += y;
  const n = ys.length;
  const wPos = nPos > 0 ? n / (2 * nPos) : 1;
  const wNeg = n - nPos > 0 ? n / (2 * (n - nPos)) : 1;
  for (let it = 0; it < 50; it++) {
    let ga = l2 * a;
    let gc = 0;
    let haa = l2;
    let hac = 0;
    let hcc = 1e-9;
    for (let i = 0; i < n; i++) {
      const sw = ys[i] === 1 ? wPos : wNeg;
      const p = sigmoid(a * xs[i] + c);
      const r = (p - ys[i]) * sw;
      const h = p * (1 - p) * sw;
      ga += r * xs[i];
      gc += r;
      haa += h * xs[i] * xs[i];
      hac += h * xs[i];
      hcc += h;
    }
    const det = haa * hcc - hac * hac;
    if (!(Math.abs(det) > 1e-12)) break;
    const da = (hcc * ga - hac * gc) / det;
    const dc = (haa * gc - hac * ga) / det;
    a -= da;
    c -= dc;
    if (Math.abs(da) + Math.abs(dc) < 1e-10) break;
  }
  return { a, c };
}

/**
 * L2-regularised logistic regression on sparse vectors, fitted by averaged stochastic
 * gradient descent with class-balanced weights. Written here rather than taken from a
 * library: no maintained JavaScript package fits sparse hashed features (the candidates are
 * dense-matrix toys), and the whole fit is thirty lines that must be deterministic for a seed.
 */
import { Rng } from '../../core/rng.js';
import { dot, type SparseVector } from './features.js';

export interface LogisticOptions {
  /** Passes over the data (default 12). */
  epochs?: number;
  /** L2 penalty per example (default 1e-4). */
  lambda?: number;
  seed?: number;
}

/** A fitted linear scorer: the log-odds of AI are w·x + b. */
export interface LinearModel {
  weights: Float32Array;
  bias: number;
}

/** Fits y ~ x (y = 1 for AI). Each class weighs half of the loss, whatever its size. */
export function fitLogistic(xs: readonly SparseVector[], ys: ArrayLike<number>, dims: number, o: LogisticOptions = {}): LinearModel {
  const n = xs.length;
  const epochs = o.epochs ?? 12;
  const lambda = o.lambda ?? 1e-4;
  const rng = new Rng(o.seed ?? 1);
  let pos = 0;
  for (let i = 0; i < n; i++) pos += ys[i];
  const wPos = pos > 0 ? n / (2 * pos) : 0;
  const wNeg = n - pos > 0 ? n / (2 * (n - pos)) : 0;
  // Weights are kept as scale × v so the L2 shrink is one multiplication per step.
  const v = new Float32Array(dims);
  let scale = 1;
  let bias = 0;
  const avg = new Float64Array(dims);
  let avgBias = 0;
  let steps = 0;
  const order = Array.from({ length: n }, (_, i) => i);
  const eta0 = 0.5;
  let t = 0;
  const touched: Float64Array = new Float64Array(dims); // step at which avg[j] was last brought up to date
  for (let e = 0; e < epochs; e++) {
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const i of order) {
      const x = xs[i];
      const y = ys[i];
      const eta = eta0 / (1 + lambda * eta0 * t);
      t++;
      const margin = scale * dot(v, x) + bias;
      const p = 1 / (1 + Math.exp(-margin));
      const g = (p - y) * (y ? wPos : wNeg);
      scale *= 1 - eta * lambda;
      if (scale < 1e-9) {
        for (let j = 0; j < dims; j++) v[j] *= scale;
        scale = 1;
      }
      const step = (eta * g) / scale;
      // Lazy averaging: a coordinate's running sum is brought up to date only when it changes
      // (the L2 shrink in between is taken at its current value: off by O(λη) per step).
      for (let k = 0; k < x.index.length; k++) {
        const j = x.index[k];
        avg[j] += (steps - touched[j]) * v[j] * scale;
        touched[j] = steps;
        v[j] -= step * x.value[k];
      }
      bias -= eta * g;
      avgBias += bias;
      steps++;
    }
  }
  const weights = new Float32Array(dims);
  for (let j = 0; j < dims; j++) weights[j] = (avg[j] + (steps - touched[j]) * v[j] * scale) / steps;
  return { weights, bias: avgBias / steps };
}

/** Log-odds of AI for x. */
export function logit(m: LinearModel, x: SparseVector): number {
  return dot(m.weights, x) + m.bias;
}

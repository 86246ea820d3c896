/**
 * Decoding rules applied when a categorical model generates synthetic data.
 * Each rule maps the model's distribution w to the distribution q of one
 * generated sample; samples are independent, so N samples are Multinomial(N, q).
 */
import type { Rng } from '../core/rng.js';

export type Decoding =
  /** Ancestral sampling at a temperature: q ∝ w^(1/T). T = 1 samples the model as it is. */
  | { kind: 'sample'; temperature: number }
  /** Always emit the most probable type (ties broken uniformly at random, once per generation). */
  | { kind: 'greedy' }
  /** Nucleus sampling: keep the most probable types until their mass reaches p, renormalise. */
  | { kind: 'top-p'; p: number }
  /**
   * Best-of-n reranking: draw n candidates, keep the one the model itself scores
   * highest (its likelihood). Equal-probability candidates tie and are broken at random.
   */
  | { kind: 'best-of'; n: number };

/** A short human-readable name, e.g. "top-p 0.9". */
export function decodingLabel(d: Decoding): string {
  switch (d.kind) {
    case 'sample':
      return d.temperature === 1 ? 'sampling T=1' : `temperature ${d.temperature}`;
    case 'greedy':
      return 'greedy';
    case 'top-p':
      return `top-p ${d.p}`;
    case 'best-of':
      return `best-of-${d.n}`;
  }
}

/** True when the rule leaves the model's distribution unchanged (no work needed). */
export function isIdentityDecoding(d: Decoding): boolean {
  return d.kind === 'sample' && d.temperature === 1;
}

/**
 * Writes the decoded distribution q into `out` at the indices
 * `active[0..activeLength)` (the types with positive model weight) and returns
 * Σq. `weights` need not be normalised; `total` is their sum.
 */
export function decodeInto(
  d: Decoding,
  weights: Float64Array,
  active: Int32Array,
  activeLength: number,
  total: number,
  out: Float64Array,
  rng: Rng,
): number {
  switch (d.kind) {
    case 'sample':
      return temperatureInto(d.temperature, weights, active, activeLength, out);
    case 'greedy':
      return greedyInto(weights, active, activeLength, out, rng);
    case 'top-p':
      return topPInto(d.p, weights, active, activeLength, total, out);
    case 'best-of':
      return bestOfInto(d.n, weights, active, activeLength, total, out);
  }
}

function temperatureInto(t: number, w: Float64Array, active: Int32Array, len: number, out: Float64Array): number {
  let max = 0;
  for (let i = 0; i < len; i++) max = Math.max(max, w[active[i]]);
  const logMax = Math.log(max);
  let sum = 0;
  for (let i = 0; i < len; i++) {
    const k = active[i];
    // Relative to the maximum, so small temperatures do not overflow.
    const q = Math.exp((Math.log(w[k]) - logMax) / t);
    out[k] = q;
    sum += q;
  }
  return sum;
}

function greedyInto(w: Float64Array, active: Int32Array, len: number, out: Float64Array, rng: Rng): number {
  let max = -Infinity;
  let ties = 0;
  for (let i = 0; i < len; i++) {
    const v = w[active[i]];
    if (v > max) {
      max = v;
      ties = 1;
    } else if (v === max) ties++;
  }
  let pick = rng.int(ties);
  for (let i = 0; i < len; i++) {
    const k = active[i];
    out[k] = 0;
    if (w[k] === max && pick-- === 0) out[k] = 1;
  }
  return 1;
}

/** Active indices sorted by weight, largest first (ties by index for determinism). */
function sortedByWeight(w: Float64Array, active: Int32Array, len: number): Int32Array {
  const order = active.slice(0, len);
  order.sort((a, b) => w[b] - w[a] || a - b);
  return order;
}

function topPInto(p: number, w: Float64Array, active: Int32Array, len: number, total: number, out: Float64Array): number {
  const order = sortedByWeight(w, active, len);
  let cum = 0;
  let kept = 0;
  for (let i = 0; i < len; i++) {
    const k = order[i];
    // Keep types until the kept mass reaches p (the type that crosses p is kept).
    if (cum < p * total * (1 - 1e-12)) {
      out[k] = w[k];
      kept += w[k];
      cum += w[k];
    } else out[k] = 0;
  }
  return kept;
}

function bestOfInto(n: number, w: Float64Array, active: Int32Array, len: number, total: number, out: Float64Array): number {
  const order = sortedByWeight(w, active, len);
  // The winner is the best-ranked candidate. With F_before and F_after the model mass
  // ranked strictly above the group and up to it, P(winner in group) =
  // P(no candidate above) − P(no candidate up to it) = (1 − F_before)^n − (1 − F_after)^n.
  let before = 0;
  let i = 0;
  let sum = 0;
  while (i < len) {
    let j = i;
    let groupMass = 0;
    while (j < len && w[order[j]] === w[order[i]]) groupMass += w[order[j++]];
    const after = Math.min(1, (before * total + groupMass) / total);
    const perType = ((1 - before) ** n - (1 - after) ** n) / (j - i);
    for (let m = i; m < j; m++) out[order[m]] = perType;
    sum += perType * (j - i);
    before = after;
    i = j;
  }
  return sum;
}

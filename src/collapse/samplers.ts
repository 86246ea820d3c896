/**
 * Exact samplers for the distributions the collapse models draw from.
 *
 * - binomial: inversion (chop-down search) when n·min(p,1−p) < 10, otherwise
 *   Hörmann's BTRS transformed rejection with squeeze (1993), the algorithm
 *   TensorFlow and JAX use. Both are exact: the only approximation is
 *   double-precision arithmetic.
 * - multinomial: sequential conditional binomials, exact by the chain rule
 *   P(x1..xK) = Π P(x_k | x_1..x_{k−1}).
 */
import type { Rng } from '../core/rng.js';

const LOG_FACTORIAL_TABLE_SIZE = 1024;
const logFactorialTable = (() => {
  const table = new Float64Array(LOG_FACTORIAL_TABLE_SIZE);
  for (let k = 2; k < LOG_FACTORIAL_TABLE_SIZE; k++) table[k] = table[k - 1] + Math.log(k);
  return table;
})();
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln(k!) for integer k ≥ 0: a table below 1024, Stirling's series (error < 1e-17 relative) above. */
export function logFactorial(k: number): number {
  if (k < LOG_FACTORIAL_TABLE_SIZE) return logFactorialTable[k];
  const inv = 1 / k;
  const inv2 = inv * inv;
  return k * Math.log(k) - k + HALF_LOG_TWO_PI + 0.5 * Math.log(k) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260));
}

/** Binomial(n, p) deviate. n is a non-negative integer; p is clamped to [0, 1]. */
export function binomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomialSmallP(rng, n, 1 - p);
  return binomialSmallP(rng, n, p);
}

function binomialSmallP(rng: Rng, n: number, p: number): number {
  return n * p < 10 ? binomialInversion(rng, n, p) : binomialBtrs(rng, n, p);
}

/** Inversion by sequential search from 0 (valid for p ≤ 1/2, n·p < 10, where q^n does not underflow). */
function binomialInversion(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const qn = Math.exp(n * Math.log1p(-p));
  const ratio = p / q;
  // The search is cut at a bound ~10 sd above the mean and restarted; the
  // probability beyond it is < 1e-20, so the restart changes nothing measurable.
  const bound = Math.min(n, n * p + 10 * Math.sqrt(n * p * q + 1));
  for (;;) {
    let x = 0;
    let px = qn;
    let u = rng.uniform();
    while (u > px) {
      x++;
      if (x > bound) break;
      u -= px;
      px *= ((n - x + 1) * ratio) / x;
    }
    if (x <= bound) return x;
  }
}

/** BTRS (Hörmann 1993, "The generation of binomial random variates"), for p ≤ 1/2 and n·p ≥ 10. */
function binomialBtrs(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  const lpq = Math.log(p / q);
  const m = Math.floor((n + 1) * p);
  const h = logFactorial(m) + logFactorial(n - m);
  for (;;) {
    const u = rng.uniform() - 0.5;
    let v = rng.uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    v = Math.log((v * alpha) / (a / (us * us) + b));
    if (v <= h - logFactorial(k) - logFactorial(n - k) + (k - m) * lpq) return k;
  }
}

/**
 * Adds a Multinomial(n, w / Σw) draw to `out`, visiting categories in the
 * order given by `order[0..orderLength)` (all of 0..w.length−1 when omitted).
 * `totalWeight` must equal the sum of the visited weights. Visiting the
 * largest weights first makes the loop stop early. Returns how many
 * categories received at least one draw, writing their indices to `touched`
 * when given.
 */
export function multinomialAdd(
  rng: Rng,
  n: number,
  weights: Float64Array,
  totalWeight: number,
  out: Float64Array,
  order?: Int32Array,
  orderLength = order ? order.length : weights.length,
  touched?: Int32Array,
): number {
  let remainingN = n;
  let remainingW = totalWeight;
  let touchedCount = 0;
  let lastPositive = -1;
  let lastPositiveDraws = 0;
  for (let i = 0; i < orderLength && remainingN > 0; i++) {
    const k = order ? order[i] : i;
    const w = weights[k];
    if (w <= 0) continue;
    const x = w >= remainingW ? remainingN : binomial(rng, remainingN, w / remainingW);
    lastPositive = k;
    lastPositiveDraws = x;
    if (x > 0) {
      if (touched) touched[touchedCount] = k;
      touchedCount++;
      out[k] += x;
      remainingN -= x;
    }
    remainingW -= w;
  }
  // Floating-point drift in remainingW can leave a last draw or two unassigned
  // (probability distortion ~1e-16); they belong to the last category visited.
  if (remainingN > 0 && lastPositive >= 0) {
    if (lastPositiveDraws === 0) {
      if (touched) touched[touchedCount] = lastPositive;
      touchedCount++;
    }
    out[lastPositive] += remainingN;
  }
  return touchedCount;
}

/**
 * Walker's alias table (Vose's construction) for drawing from a fixed
 * categorical distribution in O(1) per draw. Used for fresh human samples,
 * whose distribution never changes, where K conditional binomials per
 * generation would cost far more than N direct draws.
 */
export class AliasTable {
  readonly size: number;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const k = weights.length;
    if (k === 0) throw new RangeError('AliasTable: no categories');
    let total = 0;
    for (let i = 0; i < k; i++) total += weights[i];
    this.size = k;
    this.prob = new Float64Array(k);
    this.alias = new Int32Array(k);
    const scaled = Float64Array.from(weights, (w) => (w * k) / total);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < k; i++) (scaled[i] < 1 ? small : large).push(i);
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    // What is left has probability 1 up to rounding.
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  sample(rng: Rng): number {
    // One 53-bit uniform supplies both the column (high bits) and the coin (the rest).
    const x = rng.uniform() * this.size;
    const i = Math.min(Math.floor(x), this.size - 1); // guard against u·K rounding up to K
    return x - i < this.prob[i] ? i : this.alias[i];
  }

  /**
   * Adds n independent draws to `out` (a multinomial draw). Indices whose count
   * goes from 0 to positive are written to `touched`; returns how many.
   */
  addDraws(rng: Rng, n: number, out: Float64Array, touched: Int32Array): number {
    let count = 0;
    for (let j = 0; j < n; j++) {
      const k = this.sample(rng);
      if (out[k] === 0) touched[count++] = k;
      out[k] += 1;
    }
    return count;
  }
}

/**
 * Re-calibration of word-set log-likelihood ratios for the baseline word mixture
 * (word-mixture.ts): a balanced logistic regression of "is AI" on the raw ratio r, so the
 * fitted logit is a log-likelihood ratio (RatioCalibration in reference.ts explains why the
 * raw ratio needs it). Two shapes:
 * - `segments: 1` — Platt scaling, r′ = a·r + b (reference.ts's fitRatioCalibration);
 * - `segments: J > 1` — r′ linear in r between J+1 knots (quantiles of the calibration
 *   ratios) and flat outside them: a logistic regression on a linear-spline basis. The raw
 *   ratio's empirical log-likelihood ratio is not linear: the most human-looking AI texts make
 *   it level off at the low end, and a straight line there calls those texts far more human
 *   than they are, which pulls α̂ down.
 * Each document carries a weight (its bootstrap multiplicity; 0 = left out), so a replicate
 * refits without copying arrays, and the Newton search starts from the point fit's
 * coefficients (a bootstrap refit then takes one or two Newton steps).
 */

/** A fitted calibration: r′ = b + Σ_j a_j·φ_j(r). */
export interface RatioCurve {
  /** Segment j covers [lo_j, hi_j]; φ_j(r) = (clamp(r, lo_j, hi_j) − mid_j)/half_j. */
  lo: Float64Array;
  hi: Float64Array;
  mid: Float64Array;
  half: Float64Array;
  /** Coefficients: a_1 … a_J, then b. */
  coef: Float64Array;
}

/** Ridge on the segment coefficients (standardised features), negligible next to the loss. */
const RIDGE = 1e-5;

/** Segment of a raw ratio: the last whose lower knot is ≤ r (the first for r below all knots). */
function segmentOf(c: RatioCurve, r: number): number {
  const lo = c.lo;
  let a = 0;
  let b = lo.length - 1;
  while (a < b) {
    const m = (a + b + 1) >> 1;
    if (lo[m] <= r) a = m;
    else b = m - 1;
  }
  return a;
}

/** Position t ∈ [−1, 1] of a raw ratio in segment s (clamped to the segment). */
function positionIn(c: RatioCurve, s: number, r: number): number {
  const x = r < c.lo[s] ? c.lo[s] : r > c.hi[s] ? c.hi[s] : r;
  return (x - c.mid[s]) / c.half[s];
}

/**
 * r′ of a raw ratio. φ_j is −1 below segment j and +1 above it, so with r in segment s at
 * position t: r′ = b + Σ_{j<s} a_j − Σ_{j>s} a_j + a_s·t.
 */
export function applyCurve(c: RatioCurve, r: number): number {
  const s = segmentOf(c, r);
  const t = positionIn(c, s, r);
  const J = c.lo.length;
  let z = c.coef[J] + c.coef[s] * t;
  for (let j = 0; j < J; j++) if (j !== s) z += j < s ? c.coef[j] : -c.coef[j];
  return z;
}

/** Outer knots of a spline: these quantiles, so one extreme ratio does not set a segment's end. */
const OUTER_QUANTILE = 0.01;

/**
 * The basis of a calibration fitted on these ratios: Platt (one unbounded segment,
 * standardised) or J segments between quantiles of both classes' ratios pooled (the outer
 * knots at the 1st and 99th percentiles; r′ is flat beyond them).
 */
export function curveBasis(human: ArrayLike<number>, ai: ArrayLike<number>, segments: number): RatioCurve {
  const pooled = Float64Array.from([...Array.from(human), ...Array.from(ai)]).sort();
  if (pooled.length === 0) throw new Error('ratio calibration needs documents of both classes');
  if (segments <= 1) {
    let mean = 0;
    for (const x of pooled) mean += x / pooled.length;
    let v = 0;
    for (const x of pooled) v += (x - mean) ** 2 / pooled.length;
    const sd = Math.sqrt(v) || 1;
    return {
      lo: Float64Array.of(-Infinity),
      hi: Float64Array.of(Infinity),
      mid: Float64Array.of(mean),
      half: Float64Array.of(sd),
      coef: new Float64Array(2),
    };
  }
  const at = (q: number) => pooled[Math.min(pooled.length - 1, Math.round(q * (pooled.length - 1)))];
  const knots: number[] = [];
  for (let j = 0; j <= segments; j++) {
    const k = at(OUTER_QUANTILE + ((1 - 2 * OUTER_QUANTILE) * j) / segments);
    if (knots.length === 0 || k > knots[knots.length - 1]) knots.push(k);
  }
  return knots.length < 2 ? curveBasis(human, ai, 1) : splineBasis(knots);
}

function splineBasis(knots: readonly number[]): RatioCurve {
  const J = knots.length - 1;
  const lo = Float64Array.from({ length: J }, (_, j) => knots[j]);
  const hi = Float64Array.from({ length: J }, (_, j) => knots[j + 1]);
  return {
    lo,
    hi,
    mid: Float64Array.from({ length: J }, (_, j) => (lo[j] + hi[j]) / 2),
    half: Float64Array.from({ length: J }, (_, j) => (hi[j] - lo[j]) / 2),
    coef: new Float64Array(J + 1),
  };
}

/**
 * The point fit: a spline of `segments` segments (Platt for 1) whose segments are merged with
 * a neighbour while any has a negative slope, so r′ never decreases as r grows (a noisy
 * outer segment could otherwise make the most human-looking texts look less human).
 */
export function fitMonotoneCurve(
  human: ArrayLike<number>,
  wHuman: ArrayLike<number>,
  ai: ArrayLike<number>,
  wAi: ArrayLike<number>,
  segments: number,
): RatioCurve {
  let curve = fitCurve(curveBasis(human, ai, segments), human, wHuman, ai, wAi);
  for (;;) {
    const J = curve.lo.length;
    if (J === 1) return curve;
    let worst = -1;
    for (let j = 0; j < J; j++) if (curve.coef[j] < 0 && (worst < 0 || curve.coef[j] < curve.coef[worst])) worst = j;
    if (worst < 0) return curve;
    // drop the knot between the negative segment and a neighbour (the inner one for the ends)
    const knots = [...curve.lo, curve.hi[J - 1]];
    knots.splice(worst === J - 1 ? worst : worst + 1, 1);
    curve = fitCurve(splineBasis(knots), human, wHuman, ai, wAi);
  }
}

/**
 * Fits the coefficients of `basis` (whose own coef are the starting point) by balanced,
 * weighted logistic regression; returns a new curve. Throws when a class has no weight.
 */
export function fitCurve(
  basis: RatioCurve,
  human: ArrayLike<number>,
  wHuman: ArrayLike<number>,
  ai: ArrayLike<number>,
  wAi: ArrayLike<number>,
): RatioCurve {
  let sh = 0;
  let sa = 0;
  for (let i = 0; i < wHuman.length; i++) sh += wHuman[i];
  for (let i = 0; i < wAi.length; i++) sa += wAi[i];
  if (!(sh > 0 && sa > 0)) throw new Error('ratio calibration needs documents of both classes');
  const J = basis.lo.length;
  const D = J + 1;
  let coef = Float64Array.from(basis.coef);
  if (!coef.every(Number.isFinite)) coef = new Float64Array(D);
  const g = new Float64Array(D);
  const H = new Float64Array(D * D);
  const acc = new Float64Array(5 * J);
  const base = new Float64Array(J);
  const evaluate = (c: Float64Array) => {
    // z of a ratio in segment s at position t is base[s] + a_s·t
    for (let s = 0; s < J; s++) {
      let z = c[J];
      for (let j = 0; j < J; j++) if (j !== s) z += j < s ? c[j] : -c[j];
      base[s] = z;
    }
    acc.fill(0);
    accumulate(basis, human, wHuman, 0.5 / sh, 0, c, base, acc);
    accumulate(basis, ai, wAi, 0.5 / sa, 1, c, base, acc);
    assemble(acc, J, g, H);
    for (let j = 0; j < J; j++) {
      g[j] += RIDGE * c[j];
      H[j * D + j] += RIDGE;
    }
    H[J * D + J] += 1e-12;
  };
  evaluate(coef);
  const step = new Float64Array(D);
  const trial = new Float64Array(D);
  for (let iter = 0; iter < 50; iter++) {
    if (!solve(H, g, D, step)) break;
    let size = 0;
    for (let j = 0; j < D; j++) size = Math.max(size, Math.abs(step[j]));
    // A Newton step this small lands within ~size² of the optimum (quadratic convergence):
    // take it without another pass. 1e-3 in standardised units → r′ within ~1e-5 nats.
    if (size < 1e-3) {
      for (let j = 0; j < D; j++) coef[j] -= step[j];
      break;
    }
    let norm = 0;
    for (let j = 0; j < D; j++) norm += g[j] * g[j];
    // Newton on a convex loss: the full step almost always shrinks the gradient (always,
    // from a warm start); halve it when it does not.
    let t = 1;
    for (;;) {
      for (let j = 0; j < D; j++) trial[j] = coef[j] - t * step[j];
      evaluate(trial);
      let next = 0;
      for (let j = 0; j < D; j++) next += g[j] * g[j];
      if (next <= norm * (1 + 1e-9) || t < 1e-4) break;
      t /= 2;
    }
    coef.set(trial);
  }
  return { ...basis, coef };
}

/**
 * Adds one class's share of the balanced logistic loss to per-segment sums: with h = weight·p(1−p)
 * and e = weight·(p − y), acc[5s…5s+4] = Σh, Σh·t, Σh·t², Σe, Σe·t over the ratios in segment s
 * (the features of a ratio are fixed ±1 except its own segment's t, so these sums give the
 * whole gradient and Hessian: see assemble).
 */
function accumulate(
  basis: RatioCurve,
  r: ArrayLike<number>,
  w: ArrayLike<number>,
  scale: number,
  y: 0 | 1,
  coef: Float64Array,
  base: Float64Array,
  acc: Float64Array,
): void {
  const J = basis.lo.length;
  for (let i = 0; i < r.length; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const s = J > 1 ? segmentOf(basis, r[i]) : 0;
    const t = positionIn(basis, s, r[i]);
    const p = 1 / (1 + Math.exp(-(base[s] + coef[s] * t)));
    const cw = scale * wi;
    const e = cw * (p - y);
    const h = cw * p * (1 - p);
    const o = 5 * s;
    acc[o] += h;
    acc[o + 1] += h * t;
    acc[o + 2] += h * t * t;
    acc[o + 3] += e;
    acc[o + 4] += e * t;
  }
}

/**
 * Gradient g and Hessian H from the per-segment sums. A ratio in segment s has features
 * φ = u_s + t·e_s with u_s = (+1 for j < s, 0 at s, −1 for j > s; 1 for the intercept).
 */
function assemble(acc: Float64Array, J: number, g: Float64Array, H: Float64Array): void {
  const D = J + 1;
  g.fill(0);
  H.fill(0);
  const u = new Float64Array(D);
  for (let s = 0; s < J; s++) {
    for (let j = 0; j < J; j++) u[j] = j < s ? 1 : j > s ? -1 : 0;
    u[J] = 1;
    const o = 5 * s;
    const [sh, sht, shtt, se, set] = [acc[o], acc[o + 1], acc[o + 2], acc[o + 3], acc[o + 4]];
    for (let a = 0; a < D; a++) {
      g[a] += se * u[a];
      for (let b = 0; b < D; b++) H[a * D + b] += sh * u[a] * u[b];
      H[a * D + s] += sht * u[a];
      H[s * D + a] += sht * u[a];
    }
    g[s] += set;
    H[s * D + s] += shtt;
  }
}

/** Solves H·x = g (symmetric positive definite, small) by Cholesky; false when not PD. */
function solve(H: Float64Array, g: Float64Array, D: number, x: Float64Array): boolean {
  const L = new Float64Array(D * D);
  for (let i = 0; i < D; i++) {
    for (let j = 0; j <= i; j++) {
      let s = H[i * D + j];
      for (let k = 0; k < j; k++) s -= L[i * D + k] * L[j * D + k];
      if (i === j) {
        if (!(s > 0)) return false;
        L[i * D + i] = Math.sqrt(s);
      } else L[i * D + j] = s / L[j * D + j];
    }
  }
  for (let i = 0; i < D; i++) {
    let s = g[i];
    for (let k = 0; k < i; k++) s -= L[i * D + k] * x[k];
    x[i] = s / L[i * D + i];
  }
  for (let i = D - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < D; k++) s -= L[k * D + i] * x[k];
    x[i] = s / L[i * D + i];
  }
  return true;
}

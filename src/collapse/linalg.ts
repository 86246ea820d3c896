/** The few dense linear-algebra steps the regression model needs (d is small). */

/** Cholesky factor L (row-major d×d, lower) of a symmetric positive-definite matrix; throws if not SPD. */
export function cholesky(a: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(s > 0)) throw new Error('matrix is not positive definite');
        l[i * d + i] = Math.sqrt(s);
      } else l[i * d + j] = s / l[j * d + j];
    }
  }
  return l;
}

/** Solves (L Lᵀ) x = b in place of `out`. */
export function choleskySolve(l: Float64Array, d: number, b: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < d; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * out[k];
    out[i] = s / l[i * d + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = out[i];
    for (let k = i + 1; k < d; k++) s -= l[k * d + i] * out[k];
    out[i] = s / l[i * d + i];
  }
  return out;
}

/** tr((L Lᵀ)⁻¹) = ‖L⁻¹‖²_F. */
export function traceOfInverse(l: Float64Array, d: number): number {
  let trace = 0;
  const col = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    // Column j of L⁻¹ by forward substitution on e_j.
    col.fill(0);
    for (let i = j; i < d; i++) {
      let s = i === j ? 1 : 0;
      for (let k = j; k < i; k++) s -= l[i * d + k] * col[k];
      col[i] = s / l[i * d + i];
      trace += col[i] * col[i];
    }
  }
  return trace;
}

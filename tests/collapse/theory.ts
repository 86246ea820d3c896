/**
 * Reference formulas the collapse tests compare simulations with. Each is
 * textbook theory, written out here so the tests do not depend on the code
 * under test.
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~15 digits). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Binomial(n, p) probability mass at k. */
export function binomialPmf(n: number, p: number, k: number): number {
  if (k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  return Math.exp(logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/**
 * Upper critical value of χ²_k at tail probability 1e-4: exact for k = 1
 * (two-sided normal z = 3.8906) and k = 2 (−2 ln α), Wilson–Hilferty for k ≥ 3
 * with the one-sided z passed in.
 */
export function chiSquareCritical(k: number, z: number): number {
  if (k === 1) return 3.8906 ** 2;
  if (k === 2) return -2 * Math.log(1e-4);
  const a = 2 / (9 * k);
  return k * (1 - a + z * Math.sqrt(a)) ** 3;
}

/** z for a one-sided tail of 1e-4. */
export const Z_1E4 = 3.719;

/**
 * Pearson χ² of observed counts against expected probabilities, pooling
 * cells whose expected count is below 5 into their neighbour. Returns the
 * statistic and its degrees of freedom.
 */
export function chiSquare(observed: number[], probs: number[], total: number): { stat: number; dof: number } {
  const cells: Array<{ o: number; e: number }> = [];
  let o = 0;
  let e = 0;
  for (let i = 0; i < probs.length; i++) {
    o += observed[i] ?? 0;
    e += probs[i] * total;
    if (e >= 5) {
      cells.push({ o, e });
      o = 0;
      e = 0;
    }
  }
  if (cells.length > 0) {
    cells[cells.length - 1].o += o;
    cells[cells.length - 1].e += e;
  }
  const stat = cells.reduce((s, c) => s + (c.o - c.e) ** 2 / c.e, 0);
  return { stat, dof: cells.length - 1 };
}

/** Digamma ψ(x), x > 0: recurrence up to x ≥ 6, then the asymptotic series. */
export function digamma(x: number): number {
  let r = 0;
  while (x < 6) r -= 1 / x++;
  const f = 1 / (x * x);
  return r + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}

/** Trigamma ψ′(x), x > 0. */
export function trigamma(x: number): number {
  let r = 0;
  while (x < 6) r += 1 / (x * x++);
  const f = 1 / (x * x);
  return r + 1 / x + f / 2 + (f / x) * (1 / 6 - f * (1 / 30 - f * (1 / 42 - f / 30)));
}

/** Mean and standard error of the mean of a sample. */
export function meanAndSe(values: ArrayLike<number>): { mean: number; se: number } {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return { mean, se: Math.sqrt(ss / (n - 1) / n) };
}

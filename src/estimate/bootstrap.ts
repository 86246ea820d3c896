/** Seeded bootstrap resampling helpers shared by the estimators. */
import type { Rng } from '../core/rng.js';
import { sampleBinomial } from '../core/stats.js';

/**
 * Multinomial(n, 1/k each) counts: how often each of k items is drawn when resampling k items
 * with replacement — the weights of one ordinary bootstrap replicate.
 */
export function bootstrapCounts(rng: Rng, k: number, out?: Uint32Array): Uint32Array {
  const counts = out && out.length === k ? out : new Uint32Array(k);
  counts.fill(0);
  for (let i = 0; i < k; i++) counts[rng.int(k)]++;
  return counts;
}

/**
 * Multinomial resampling of grouped data: `counts[i]` items share value i; returns how many
 * of a size-Σcounts resample fall in each group (conditional binomials, O(groups · log n)).
 */
export function resampleGroupedCounts(rng: Rng, counts: ArrayLike<number>, out?: Float64Array): Float64Array {
  const k = counts.length;
  const res = out && out.length === k ? out : new Float64Array(k);
  let total = 0;
  for (let i = 0; i < k; i++) total += counts[i];
  let left = total;
  let massLeft = total;
  for (let i = 0; i < k; i++) {
    if (left === 0 || massLeft <= 0) {
      res[i] = 0;
      continue;
    }
    const c = counts[i];
    const draw = i === k - 1 ? left : sampleBinomial(rng, left, Math.min(1, c / massLeft));
    res[i] = draw;
    left -= draw;
    massLeft -= c;
  }
  return res;
}

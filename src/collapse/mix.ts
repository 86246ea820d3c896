/**
 * How one generation's training set splits into synthetic samples (drawn
 * from the previous generation's model) and fresh human samples (drawn from
 * the true distribution). Generation 0 is always trained on human data only.
 */
import type { Rng } from '../core/rng.js';

export type DataMix =
  /**
   * Synthetic share s_g of generation g at `share[g]` (share[0] is ignored);
   * generations past the end keep the last value, so a schedule that levels
   * off need not be stored for every generation.
   */
  | { kind: 'share'; share: ArrayLike<number> }
  /** A fixed number of fresh human samples every generation; the rest is synthetic. */
  | { kind: 'fresh-count'; count: number };

/**
 * Number of synthetic samples among `n` in generation g ≥ 1. A share s gives
 * s·n rounded stochastically (floor plus a Bernoulli on the fraction), so the
 * expected count is exactly s·n even when s·n is small.
 */
export function syntheticCount(mix: DataMix, g: number, n: number, rng: Rng): number {
  if (g <= 0) return 0;
  if (mix.kind === 'fresh-count') return Math.max(0, n - mix.count);
  const s = shareAt(mix.share, g);
  const x = s * n;
  const whole = Math.floor(x);
  const frac = x - whole;
  return frac > 0 && rng.uniform() < frac ? whole + 1 : whole;
}

/** Expected synthetic share of generation g (for reporting next to the metrics). */
export function expectedSyntheticShare(mix: DataMix, g: number, n: number): number {
  if (g <= 0) return 0;
  if (mix.kind === 'fresh-count') return Math.max(0, n - mix.count) / n;
  return shareAt(mix.share, g);
}

/** share[g] clamped to [0, 1], holding the last value past the end. */
export function shareAt(share: ArrayLike<number>, g: number): number {
  const s = share[Math.min(g, share.length - 1)];
  return Math.min(1, Math.max(0, s));
}

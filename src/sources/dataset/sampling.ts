/**
 * Deterministic row sampling for huge corpora: a row is kept when the hash of its id falls
 * below the rate, so the same rows are kept on every run, on every machine and in every shard
 * split, and a resumed scan keeps exactly what the interrupted one would have.
 */
import { fnv1a, mix32 } from '../../core/hash.js';

const SALT = 'ccaudit-sample-v1:';

/** Whether a row with this id is in a `rate` sample (0 < rate ≤ 1). */
export function keepRow(id: string, rate: number): boolean {
  if (rate >= 1) return true;
  // Two independent 32-bit hashes give 53 bits, so tiny rates are still exact.
  const hi = mix32(fnv1a(SALT + id));
  const lo = mix32(fnv1a(id, 0x9e3779b9));
  const u = (hi * 2 ** 21 + (lo >>> 11)) / 2 ** 53;
  return u < rate;
}

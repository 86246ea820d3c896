/** Deterministic hashing for features, splits, checksums and per-key random streams. */
import { createHash } from 'node:crypto';

/** 32-bit FNV-1a over UTF-16 code units of `s`, continuing from `seed`. */
export function fnv1a(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: a bijective avalanche mix (FNV bucket indices, seed mixing in rng.ts). */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hex SHA-256 of a UTF-8 string or bytes (checksums, split assignment). */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

import { createHash } from 'node:crypto';
import { mix32 } from './hash.js';

/**
 * The project's seeded pseudo-random numbers: every sample draw, bootstrap and simulation
 * takes its stream from here, so a seed reproduces a result.
 *
 * xoshiro128** 1.1 (Blackman & Vigna, 2018): 128-bit state, 32-bit output,
 * period 2^128 − 1, passes BigCrush. Chosen because it needs only 32-bit
 * integer arithmetic, which JavaScript does exactly (Math.imul, >>>).
 * State is seeded through SplitMix32-style mixing so that nearby seeds give
 * unrelated streams.
 */

/**
 * Hashes a list of integers (a user seed plus, e.g., scenario and run indices)
 * into one 32-bit value. Used to give each Monte Carlo run its own stream that
 * depends only on (seed, scenario, run), never on scheduling order.
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Fold in both 32-bit halves so seeds up to 2^53 stay distinct.
    const lo = part >>> 0;
    const hi = Math.floor(part / 4294967296) >>> 0;
    h = mix32((h ^ lo) + 0x7f4a7c15);
    h = mix32((h ^ hi) + 0x165667b1);
  }
  return h;
}

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/** A seeded xoshiro128** generator. Not cryptographic. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Second value of the last polar-method pair, or NaN when none is cached. */
  private spareNormal = Number.NaN;

  constructor(seed: number) {
    // SplitMix32 (golden-ratio increments + murmur3's finaliser, mix32) fills the state; it is never all zero.
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      return mix32(x);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /**
   * A generator seeded from text (SHA-256 of the UTF-8 seed fills the state): sample draws
   * are keyed by strings such as "seed\0crawl", and any string names a stream.
   */
  static fromText(seed: string): Rng {
    const h = createHash('sha256').update(seed, 'utf8').digest();
    return Rng.fromState([h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(12)]);
  }

  /** A generator with an explicit state (for checking against published test vectors). */
  static fromState(state: [number, number, number, number]): Rng {
    const rng = new Rng(0);
    [rng.s0, rng.s1, rng.s2, rng.s3] = state.map((v) => v | 0) as [number, number, number, number];
    if ((rng.s0 | rng.s1 | rng.s2 | rng.s3) === 0) rng.s0 = 1; // the all-zero state is a fixed point
    return rng;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * TWO_POW_26 + b) / TWO_POW_53;
  }

  /** Uniform double in (0, 1): never 0, safe for log(). */
  uniformOpen(): number {
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    return u;
  }

  /** Standard normal deviate by Marsaglia's polar method (exact). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const z = this.spareNormal;
      this.spareNormal = Number.NaN;
      return z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  /** Uniform integer in [0, n) without modulo bias; n an integer in 1..2^53. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_53) throw new RangeError(`Rng.int needs an integer in 1..2^53, got ${n}`);
    if (n <= 4294967296) {
      // Rejection keeps it unbiased: drop the top partial range of 2^32.
      const limit = Math.floor(4294967296 / n) * n;
      let x = this.nextUint32();
      while (x >= limit) x = this.nextUint32();
      return x % n;
    }
    for (;;) {
      const x = Math.floor(this.uniform() * TWO_POW_53);
      const rem = x % n;
      if (x - rem + n <= TWO_POW_53) return rem;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Mulberry32, a small 32-bit generator. Kept beside Rng only because the shipped detector
 * models and evaluation figures were trained and bootstrapped with it: switching would change them.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** In-place Fisher–Yates shuffle driven by `rand`. */
export function shuffleInPlace<T>(arr: T[], rand: () => number): T[] {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const tmp = arr[i];
    arr[i] = arr[j];
    arr[j] = tmp;
  }
  return arr;
}

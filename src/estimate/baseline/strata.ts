/**
 * Strata for domain-matched calibration: language × TLD group × length band × genre.
 *
 * Detector error rates differ by stratum (a classifier flags more short pages, more non-English
 * pages …), so baseline FPRs and score distributions are measured per stratum and the month's
 * estimate is the document-share-weighted combination. A stratum with too few baseline (or AI
 * reference) items falls back to a coarser one by dropping dimensions from the end of
 * `dims` (with the defaults: tld → length → lang → everything pooled); the level used is reported.
 */
import type { StrataSpec, StratumDim, StratumFields } from './types.js';

/** TLDs with enough web share to be their own group; every other TLD is "other". */
const DEFAULT_TLD_GROUPS: Record<string, string> = {
  com: 'com',
  org: 'org',
  net: 'net',
  edu: 'edu-gov',
  gov: 'edu-gov',
  info: 'other-generic',
  biz: 'other-generic',
  io: 'other-generic',
  co: 'other-generic',
  uk: 'uk',
  de: 'de',
  fr: 'fr',
  ru: 'ru',
  jp: 'jp',
  cn: 'cn',
  br: 'br',
  it: 'it',
  es: 'es',
  nl: 'nl',
  pl: 'pl',
  au: 'au',
  ca: 'ca',
  in: 'in',
};

/**
 * Default order: length before TLD, so TLD is given up first — detector error rates depend
 * more on length than on TLD, and imported AI references have no TLD at all (their TPR is
 * then still measured per language × length band).
 */
export const DEFAULT_STRATA: StrataSpec = {
  dims: ['lang', 'length', 'tld'],
  lengthEdges: [300, 1000],
  tldGroups: DEFAULT_TLD_GROUPS,
  minBaseline: 50,
  minAi: 30,
};

/** Fills a partial spec with the defaults and checks it. */
export function resolveStrata(spec: Partial<StrataSpec> = {}): StrataSpec {
  const s: StrataSpec = { ...DEFAULT_STRATA, ...spec };
  const seen = new Set<StratumDim>();
  for (const d of s.dims) {
    if (!['lang', 'tld', 'length', 'genre'].includes(d)) throw new Error(`unknown stratum dimension "${d}" (use lang, tld, length, genre)`);
    if (seen.has(d)) throw new Error(`stratum dimension "${d}" listed twice`);
    seen.add(d);
  }
  if (!s.lengthEdges.every((e, i) => Number.isFinite(e) && e > 0 && (i === 0 || e > s.lengthEdges[i - 1]))) {
    throw new Error(`length band edges must be increasing positive word counts, got ${s.lengthEdges.join(',')}`);
  }
  if (!(Number.isInteger(s.minBaseline) && s.minBaseline >= 1)) throw new Error(`minBaseline must be a positive integer, got ${s.minBaseline}`);
  if (!(Number.isInteger(s.minAi) && s.minAi >= 1)) throw new Error(`minAi must be a positive integer, got ${s.minAi}`);
  return s;
}

/** "<300", "300-999", "≥1000" style band label of a word count. */
export function lengthBand(words: number, edges: readonly number[]): string {
  for (let i = 0; i < edges.length; i++) {
    if (words < edges[i]) return i === 0 ? `<${edges[0]}` : `${edges[i - 1]}-${edges[i] - 1}`;
  }
  return `>=${edges[edges.length - 1]}`;
}

function dimValue(d: StratumDim, f: StratumFields, spec: StrataSpec): string {
  switch (d) {
    case 'lang':
      return f.lang && f.lang !== 'und' ? f.lang : 'und';
    case 'tld': {
      if (!f.tld) return '?';
      return spec.tldGroups[f.tld.toLowerCase()] ?? 'other';
    }
    case 'length':
      return lengthBand(f.words, spec.lengthEdges);
    case 'genre':
      return f.genre ? f.genre.toLowerCase() : '?';
  }
}

/** Number of fallback levels: 0 = all dims … dims.length = pooled. */
export const levelsOf = (spec: StrataSpec): number => spec.dims.length + 1;

/**
 * Key of a stratum at fallback `level` (0 = every dimension; each level drops the last
 * remaining dimension; `dims.length` = "*", everything pooled). Keys read "lang=eng|tld=com".
 */
export function stratumKey(f: StratumFields, spec: StrataSpec, level = 0): string {
  const used = spec.dims.slice(0, Math.max(0, spec.dims.length - level));
  if (used.length === 0) return '*';
  return used.map((d) => `${d}=${dimValue(d, f, spec)}`).join('|');
}

/**
 * The key one level coarser than `key` (its last dimension dropped; "*" after the last one).
 * Keys are built by `stratumKey`, whose levels drop dimensions from the end in the same way.
 */
export function coarserKey(key: string): string {
  const cut = key.lastIndexOf('|');
  return cut < 0 ? '*' : key.slice(0, cut);
}

/**
 * Counts of reference items per stratum key at every level, and the finest cell with enough
 * of them for a given document.
 */
export class StratumCounter {
  private readonly counts = new Map<string, number>();

  constructor(
    readonly spec: StrataSpec,
    /** Items a cell needs to be used on its own. */
    readonly minItems: number,
  ) {}

  add(f: StratumFields): void {
    for (let l = 0; l < levelsOf(this.spec); l++) {
      const k = stratumKey(f, this.spec, l);
      this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    }
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /**
   * The finest stratum with at least `minItems` items for a document with these fields, and
   * its level; the pooled cell "*" when nothing finer qualifies (even if it is itself small).
   */
  cellOf(f: StratumFields): { key: string; level: number } {
    const last = levelsOf(this.spec) - 1;
    for (let l = 0; l < last; l++) {
      const k = stratumKey(f, this.spec, l);
      if (this.count(k) >= this.minItems) return { key: k, level: l };
    }
    return { key: '*', level: last };
  }

  /** Every stratum key with its count (all levels), largest first. */
  entries(): Array<[string, number]> {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  }
}

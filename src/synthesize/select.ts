/**
 * Choosing the baseline pages to imitate: a seeded random sample of pre-cutoff documents,
 * optionally allocated proportionally over (lang, tld) strata so the references cover them.
 *
 * Every document gets a key = hash(seed, id); a stratum's sample is its k smallest keys. So the
 * sample depends only on the seed and the eligible documents (not on row order), the same
 * command picks the same pages again (a re-run resumes), and a larger --n without
 * stratification is a superset of a smaller one. Memory is O(n): documents are streamed.
 */
import { createHash } from 'node:crypto';
import type { Store } from '../store/db.js';
import { baselineCandidates, baselineStrataCounts, type BaselineFilter } from '../store/references.js';

export interface SelectionOptions extends BaselineFilter {
  /** Pages wanted. */
  n: number;
  seed: string;
  /** Allocate n proportionally over (lang, tld) strata (largest remainder). */
  stratify: boolean;
}

export interface SelectedPage {
  id: number;
  lang: string;
  tld: string | null;
  /** "lang/tld" (or "all" without stratification). */
  stratum: string;
}

export interface StratumAllocation {
  stratum: string;
  eligible: number;
  chosen: number;
}

export interface Selection {
  /** Chosen pages in key order (a deterministic shuffle). */
  pages: SelectedPage[];
  /** Baseline documents that qualified. */
  eligible: number;
  strata: StratumAllocation[];
}

export const stratumKey = (lang: string, tld: string | null): string => `${lang}/${tld ?? '-'}`;

/** Deterministic sort key of a document under a seed (52 bits of SHA-256). */
export function sampleKey(seed: string, id: number): number {
  return parseInt(createHash('sha256').update(`${seed}\u0000${id}`).digest('hex').slice(0, 13), 16);
}

/**
 * Splits `n` over strata in proportion to their sizes (Hamilton / largest remainder; ties go
 * to the larger stratum, then by name). Never gives a stratum more than it has.
 */
export function allocateProportionally(sizes: ReadonlyMap<string, number>, n: number): Map<string, number> {
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  const out = new Map<string, number>();
  if (total === 0) return out;
  const want = Math.min(n, total);
  const rows = [...sizes].map(([key, size]) => {
    const exact = (want * size) / total;
    return { key, size, base: Math.floor(exact), rem: exact - Math.floor(exact) };
  });
  let left = want - rows.reduce((a, r) => a + r.base, 0);
  rows.sort((a, b) => b.rem - a.rem || b.size - a.size || (a.key < b.key ? -1 : 1));
  for (const r of rows) {
    if (left > 0 && r.base < r.size) {
      r.base++;
      left--;
    }
  }
  for (const r of rows) out.set(r.key, r.base);
  return out;
}

/** Keeps the k smallest keys seen (k is small; replacements are rare for random keys). */
class SmallestK<T> {
  private readonly items: Array<{ key: number; value: T }> = [];
  private maxAt = -1;
  constructor(private readonly k: number) {}
  offer(key: number, value: T): void {
    if (this.k <= 0) return;
    if (this.items.length < this.k) {
      this.items.push({ key, value });
      if (this.items.length === this.k) this.findMax();
      return;
    }
    if (key >= this.items[this.maxAt].key) return;
    this.items[this.maxAt] = { key, value };
    this.findMax();
  }
  private findMax(): void {
    this.maxAt = 0;
    for (let i = 1; i < this.items.length; i++) if (this.items[i].key > this.items[this.maxAt].key) this.maxAt = i;
  }
  get entries(): ReadonlyArray<{ key: number; value: T }> {
    return this.items;
  }
}

export function selectBaselinePages(store: Store, o: SelectionOptions): Selection {
  const counts = baselineStrataCounts(store, o);
  const eligible = counts.reduce((a, c) => a + c.n, 0);
  const sizes = new Map<string, number>();
  for (const c of counts) {
    const key = o.stratify ? stratumKey(c.lang, c.tld) : 'all';
    sizes.set(key, (sizes.get(key) ?? 0) + c.n);
  }
  const quota = o.stratify ? allocateProportionally(sizes, o.n) : new Map([['all', Math.min(o.n, eligible)]]);
  const keep = new Map<string, SmallestK<SelectedPage>>();
  for (const [key, k] of quota) keep.set(key, new SmallestK<SelectedPage>(k));
  for (const doc of baselineCandidates(store, o)) {
    const stratum = o.stratify ? stratumKey(doc.lang, doc.tld) : 'all';
    keep.get(stratum)?.offer(sampleKey(o.seed, doc.id), { id: doc.id, lang: doc.lang, tld: doc.tld, stratum });
  }
  const all = [...keep.values()].flatMap((k) => k.entries);
  all.sort((a, b) => a.key - b.key || a.value.id - b.value.id);
  const strata = [...sizes].map(([stratum, n]) => ({ stratum, eligible: n, chosen: quota.get(stratum) ?? 0 }));
  strata.sort((a, b) => b.eligible - a.eligible || (a.stratum < b.stratum ? -1 : 1));
  return { pages: all.map((e) => e.value), eligible, strata };
}

/**
 * Strata of a baseline sample (`ccaudit sample --baseline`): how each crawl's quota is
 * split across (language, TLD) strata so that the pre-cutoff baseline has the languages and
 * TLDs of the audited documents.
 *
 * Cells (lang, tld) with at least `minShare` of the audited documents are strata of their own
 * ("eng/com"). The rest of a language is pooled into "<lang>/*" (that language on every TLD not
 * named above) when that remainder reaches `minShare`; otherwise, together with documents of
 * unknown language, into "other". Merging by language first follows the estimator's fallback
 * order (it drops the TLD before the language), and a rare stratum costs many index reads to
 * fill by rejection sampling, which the pooling bounds. "<lang>/*" and "other" are drawn as the
 * complement of the strata named beside them (index-line exclusions), so no line can fall in
 * two strata and "other" is not swamped by the big strata.
 *
 * Quotas are proportional to the audited counts, rounded by largest remainder so that they
 * sum to the per-crawl quota exactly. Everything here is pure: no I/O.
 *
 * Language codes: documents carry franc's ISO 639-3 codes, which name individual languages
 * ("cmn", "arb", "pes"); Common Crawl's index carries CLD2's, which name macrolanguages
 * ("zho", "ara", "fas"). Strata use the index's codes, since that is what is filtered on.
 * Length cannot be filtered from the index: it is matched later, by post-stratification in the
 * estimator.
 */
import type { FilterExclusion, SampleFilter } from './sampler.js';

/** Cells with less than this share of the audited documents are pooled (default of --min-share). */
export const DEFAULT_MIN_SHARE = 0.02;

/** Id of the pooled stratum. */
export const OTHER_STRATUM = 'other';

/**
 * franc codes (individual languages, src/extract/language.ts) whose CLD2 code in Common Crawl's
 * index is the macrolanguage (commoncrawl/language-detection-cld2, Language.java). Every other
 * code of franc's web set is spelled the same in both.
 */
const FRANC_TO_INDEX: Readonly<Record<string, string>> = {
  cmn: 'zho',
  arb: 'ara',
  pes: 'fas',
  prs: 'fas',
  ekk: 'est',
  lvs: 'lav',
  zlm: 'msa',
  swh: 'swa',
  als: 'sqi',
  azj: 'aze',
  uzn: 'uzb',
  khk: 'mon',
  ydd: 'yid',
  pbu: 'pus',
  npi: 'nep',
  nob: 'nor',
  ckb: 'kur',
};

/** The index's code for a document language; null for unknown ("und", empty, malformed). */
export function indexLanguage(code: string | null | undefined): string | null {
  const c = (code ?? '').trim().toLowerCase();
  if (!/^[a-z]{3}$/.test(c) || c === 'und') return null;
  return FRANC_TO_INDEX[c] ?? c;
}

/** A TLD as documents and the --tld filter spell it ("com", "xn--p1ai"); null when unusable. */
export function normalizeTld(tld: string | null | undefined): string | null {
  const t = (tld ?? '').trim().toLowerCase().replace(/^\.+/, '');
  return /^[a-z0-9-]+$/.test(t) && !/^\d+$/.test(t) ? t : null;
}

/** Audited documents (or hand-given weight) of one (lang, tld) cell; null = unknown / any. */
export interface StratumCell {
  lang: string | null;
  tld: string | null;
  count: number;
}

export type BaselineStratumKind = 'lang-tld' | 'lang' | 'other';

/** One stratum of the allocation. */
export interface BaselineStratum {
  /** "eng/com", "eng/*" or "other" (also part of the sample key). */
  id: string;
  kind: BaselineStratumKind;
  /** Index language code; null for "other". */
  lang: string | null;
  /** TLD of a lang-tld stratum, else null. */
  tld: string | null;
  /** Audited documents (or weight) it stands for. */
  count: number;
  /** count / total. */
  share: number;
  /** Lines to draw from each crawl. */
  quota: number;
  /** Audited cells pooled into it (1 for a lang-tld stratum). */
  cells: number;
  /** Index filter that draws it (merged over the run's status/MIME filter). */
  filter: Pick<SampleFilter, 'languages' | 'tlds' | 'exclude'>;
  /** Human-readable filter, for the allocation table. */
  describe: string;
}

export interface BaselineAllocation {
  perCrawl: number;
  minShare: number;
  /** Audited documents (or total weight) matched. */
  total: number;
  /** Largest share first; "other" last. */
  strata: BaselineStratum[];
}

export class BaselineStrataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineStrataError';
  }
}

/**
 * Splits `total` into integers proportional to `weights` that sum to `total` exactly (largest
 * remainder / Hamilton). Ties go to the larger weight, then the earlier index, so the result
 * depends only on the input order given.
 */
export function largestRemainder(weights: readonly number[], total: number): number[] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`total must be a non-negative integer, got ${total}`);
  if (weights.some((w) => !Number.isFinite(w) || w < 0)) throw new RangeError('weights must be finite and non-negative');
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) {
    if (total === 0) return weights.map(() => 0);
    throw new RangeError('cannot apportion a positive total over zero weight');
  }
  const exact = weights.map((w) => (w * total) / sum);
  const out = exact.map((x) => Math.floor(x));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = weights.map((w, i) => ({ i, w, r: exact[i] - out[i] })).sort((a, b) => b.r - a.r || b.w - a.w || a.i - b.i);
  for (const o of order) {
    if (left <= 0) break;
    out[o.i]++;
    left--;
  }
  return out;
}

/**
 * Parses --match-strata: comma-separated `LANG:TLD=WEIGHT` (`LANG:*` for the language's other
 * TLDs, `other` for the pooled rest), e.g. "eng:com=50,eng:*=20,deu:de=10,other=20". Weights are
 * relative. LANG is ISO 639-3 (franc's individual-language codes are mapped to the index's).
 */
export function parseMatchStrata(text: string): StratumCell[] {
  const cells: StratumCell[] = [];
  const seen = new Set<string>();
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new BaselineStrataError('--match-strata is empty: want LANG:TLD=WEIGHT,… (e.g. eng:com=3,deu:de=1)');
  for (const part of parts) {
    const m = /^([^=]+)=([^=]+)$/.exec(part);
    const weight = m ? Number(m[2].trim()) : NaN;
    if (!m || !Number.isFinite(weight) || weight <= 0) {
      throw new BaselineStrataError(`--match-strata: "${part}" is not LANG:TLD=WEIGHT with a positive weight`);
    }
    const name = m[1].trim().toLowerCase();
    let cell: StratumCell;
    if (name === OTHER_STRATUM) cell = { lang: null, tld: null, count: weight };
    else {
      const lt = /^([a-z]{3}):(\*|[^:]+)$/.exec(name);
      const lang = lt ? indexLanguage(lt[1]) : null;
      const tld = lt && lt[2] !== '*' ? normalizeTld(lt[2]) : null;
      if (!lt || !lang || (lt[2] !== '*' && !tld)) {
        throw new BaselineStrataError(
          `--match-strata: "${m[1].trim()}" is not LANG:TLD, LANG:* or other (LANG a 3-letter ISO 639-3 code, e.g. eng:com)`,
        );
      }
      cell = { lang, tld, count: weight };
    }
    const id = `${cell.lang ?? '?'}:${cell.tld ?? '*'}`;
    if (seen.has(id)) throw new BaselineStrataError(`--match-strata: "${m[1].trim()}" is given twice`);
    seen.add(id);
    cells.push(cell);
  }
  return cells;
}

/**
 * The allocation of `perCrawl` lines across strata for audited `cells` (see the module comment).
 * Throws BaselineStrataError when there is nothing to match.
 */
export function allocateBaseline(cells: readonly StratumCell[], opts: { perCrawl: number; minShare?: number }): BaselineAllocation {
  const minShare = opts.minShare ?? DEFAULT_MIN_SHARE;
  if (!Number.isInteger(opts.perCrawl) || opts.perCrawl <= 0)
    throw new BaselineStrataError(`the per-crawl quota must be a positive integer, got ${opts.perCrawl}`);
  if (!(minShare >= 0 && minShare < 1)) throw new BaselineStrataError(`the minimum stratum share must be in [0, 1), got ${minShare}`);
  for (const c of cells) {
    if (!Number.isFinite(c.count) || c.count < 0) throw new BaselineStrataError(`stratum ${c.lang ?? '?'}/${c.tld ?? '*'}: bad count ${c.count}`);
  }

  // Merge cells that map to the same (index language, tld): "pes" and "prs" are both "fas".
  const merged = new Map<string, { lang: string | null; tld: string | null; count: number }>();
  for (const c of cells) {
    const lang = indexLanguage(c.lang);
    const tld = lang ? normalizeTld(c.tld) : null;
    const k = `${lang ?? ''}\u0000${tld ?? ''}`;
    const m = merged.get(k);
    if (m) m.count += c.count;
    else merged.set(k, { lang, tld, count: c.count });
  }
  const total = [...merged.values()].reduce((n, c) => n + c.count, 0);
  if (!(total > 0)) throw new BaselineStrataError('no audited documents to match the baseline to');

  const named = new Map<string, string[]>(); // lang → its own-stratum TLDs
  const langRest = new Map<string, { count: number; cells: number }>();
  let other = { count: 0, cells: 0 };
  const strata: Array<Omit<BaselineStratum, 'share' | 'quota' | 'filter' | 'describe'>> = [];
  for (const c of merged.values()) {
    if (c.count <= 0) continue;
    if (c.lang && c.tld && c.count / total >= minShare) {
      strata.push({ id: `${c.lang}/${c.tld}`, kind: 'lang-tld', lang: c.lang, tld: c.tld, count: c.count, cells: 1 });
      named.set(c.lang, [...(named.get(c.lang) ?? []), c.tld]);
    } else if (c.lang) {
      const r = langRest.get(c.lang) ?? { count: 0, cells: 0 };
      langRest.set(c.lang, { count: r.count + c.count, cells: r.cells + 1 });
    } else other = { count: other.count + c.count, cells: other.cells + 1 };
  }
  const wholeLanguages: string[] = [];
  for (const [lang, r] of langRest) {
    if (r.count / total >= minShare) {
      strata.push({ id: `${lang}/*`, kind: 'lang', lang, tld: null, count: r.count, cells: r.cells });
      wholeLanguages.push(lang);
    } else other = { count: other.count + r.count, cells: other.cells + r.cells };
  }
  strata.sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (other.count > 0) strata.push({ id: OTHER_STRATUM, kind: 'other', lang: null, tld: null, count: other.count, cells: other.cells });

  const quotas = largestRemainder(
    strata.map((s) => s.count),
    opts.perCrawl,
  );
  const full = strata.map((s, i) => ({ ...s, share: s.count / total, quota: quotas[i], ...stratumFilter(s, named, wholeLanguages) }));
  return { perCrawl: opts.perCrawl, minShare, total, strata: full };
}

function stratumFilter(
  s: { kind: BaselineStratumKind; lang: string | null; tld: string | null },
  named: Map<string, string[]>,
  wholeLanguages: string[],
): { filter: BaselineStratum['filter']; describe: string } {
  const sorted = (xs: string[]) => [...xs].sort();
  if (s.kind === 'lang-tld') return { filter: { languages: [s.lang!], tlds: [s.tld!] }, describe: `language ${s.lang}, TLD .${s.tld}` };
  if (s.kind === 'lang') {
    const own = sorted(named.get(s.lang!) ?? []);
    return {
      filter: { languages: [s.lang!], exclude: own.length ? [{ language: s.lang!, tlds: own }] : undefined },
      describe: `language ${s.lang}` + (own.length ? `, TLDs other than ${own.map((t) => '.' + t).join(' ')}` : ', any TLD'),
    };
  }
  const exclude: FilterExclusion[] = [
    ...wholeLanguages.map((language) => ({ language })),
    ...[...named].filter(([lang]) => !wholeLanguages.includes(lang)).map(([language, tlds]) => ({ language, tlds: sorted(tlds) })),
  ].sort((a, b) => (a.language < b.language ? -1 : 1));
  return {
    filter: { exclude: exclude.length ? exclude : undefined },
    describe: exclude.length ? 'every line not in the strata above (and lines without a language)' : 'no filter',
  };
}

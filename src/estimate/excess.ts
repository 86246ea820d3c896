/**
 * GPT-word counters over time and the excess-vocabulary lower bound (Kobak et al. 2024,
 * "Delving into ChatGPT usage in academic writing through excess vocabulary").
 *
 * Per month: occurrences per million words of every lexicon word and of the lexicon as a
 * whole, and the share of documents containing at least one marker word (p). The baseline
 * (months before `baselineBefore`, default 2023-01, i.e. before ChatGPT-era text) gives the
 * counterfactual share q a month would have without LLMs — their pooled mean, or with
 * `baseline: 'linear'` a least-squares trend projected forward with its slope floored at 0, as
 * Kobak et al. floor theirs. If a fraction f of documents were LLM-written and an LLM document
 * contains a marker with probability ≤ 1, then p ≤ (1 − f)·q + f, so
 *
 *   f ≥ (p − q) / (1 − q)      (Kobak et al. report the excess gap δ = p − q, a looser bound)
 *
 * The interval is a bootstrap over the month's documents and the baseline months' documents.
 */
import { monthIndex, periodSpan } from '../core/months.js';
import type { MarkerCount, MarkerLexicon } from './markers.js';
import { Rng, mixSeed } from '../core/rng.js';
import { clip01, percentileInterval, sampleBinomial } from '../core/stats.js';
import {
  DEFAULT_BASELINE_BEFORE,
  DEFAULT_LEVEL,
  DEFAULT_REPLICATES,
  DEFAULT_SEED,
  noEstimate,
  okEstimate,
  type BootstrapOptions,
  type ShareEstimate,
} from './types.js';

/** Marker-word totals of one period. */
export interface PeriodMarkers {
  period: string;
  docs: number;
  /** Documents with at least one marker word. */
  docsWithAny: number;
  words: number;
  /** All marker occurrences. */
  total: number;
  hits: Map<string, number>;
}

/** Sums MarkerCounts per period (bounded memory: one map per period). */
export class MarkerAccumulator {
  private readonly byPeriod = new Map<string, PeriodMarkers>();

  add(period: string, c: MarkerCount): void {
    let p = this.byPeriod.get(period);
    if (!p) {
      p = { period, docs: 0, docsWithAny: 0, words: 0, total: 0, hits: new Map() };
      this.byPeriod.set(period, p);
    }
    p.docs++;
    p.words += c.words;
    p.total += c.total;
    if (c.total > 0) p.docsWithAny++;
    for (const [k, v] of c.hits) p.hits.set(k, (p.hits.get(k) ?? 0) + v);
  }

  /** Periods in order. */
  periods(): PeriodMarkers[] {
    return [...this.byPeriod.values()].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  }
}

export interface ExcessOptions extends BootstrapOptions {
  /** First month that is NOT baseline ("YYYY-MM"); default "2023-01". */
  baselineBefore?: string;
  /** Counterfactual share: pooled baseline mean (default) or a non-decreasing linear trend. */
  baseline?: 'mean' | 'linear';
  minDocs?: number;
  /** Words listed per period in `words` (most frequent overall first); default 25. */
  topWords?: number;
}

export interface WordTrend {
  key: string;
  forms: string[];
  /** Occurrences over all periods. */
  count: number;
  /** Occurrences per million words in the baseline months (null without baseline). */
  baselineOpm: number | null;
  periods: Array<{ period: string; count: number; opm: number; excessRatio: number | null }>;
}

export interface PeriodExcess {
  period: string;
  docs: number;
  words: number;
  /** Marker occurrences per million words, whole lexicon. */
  opm: number;
  /** Share of documents containing ≥ 1 marker word (p). */
  anyShare: number;
  /** Counterfactual share from the baseline (q); null without baseline. */
  expectedAnyShare: number | null;
  /** p − q. */
  excessGap: number | null;
  /** opm / baseline opm. */
  excessRatio: number | null;
  isBaseline: boolean;
  lowerBound: ShareEstimate;
}

export interface ExcessAnalysis {
  lexicon: { name: string; provenance: string; entries: number };
  baseline: {
    before: string;
    mode: 'mean' | 'linear';
    months: string[];
    docs: number;
    words: number;
    anyShare: number | null;
    opm: number | null;
  };
  periods: PeriodExcess[];
  words: WordTrend[];
}

const METHOD = 'excess-lower-bound';

/** A counterfactual q(t) from baseline month rates (weighted by documents). */
function counterfactual(months: ReadonlyArray<{ t: number; docs: number; any: number }>, mode: 'mean' | 'linear'): (t: number) => number {
  let n = 0;
  let k = 0;
  for (const m of months) {
    n += m.docs;
    k += m.any;
  }
  const mean = k / n;
  if (mode === 'mean' || months.length < 2) return () => mean;
  // Weighted least squares of the monthly rate on the month index.
  let tBar = 0;
  for (const m of months) tBar += (m.t * m.docs) / n;
  let sxy = 0;
  let sxx = 0;
  for (const m of months) {
    sxy += m.docs * (m.t - tBar) * (m.any / m.docs - mean);
    sxx += m.docs * (m.t - tBar) ** 2;
  }
  const slope = sxx > 0 ? Math.max(0, sxy / sxx) : 0;
  return (t) => clip01(mean + slope * (t - tBar));
}

/** Excess-vocabulary statistics and lower bounds for every period. */
export function excessAnalysis(periods: readonly PeriodMarkers[], lexicon: MarkerLexicon, opts: ExcessOptions = {}): ExcessAnalysis {
  const level = opts.level ?? DEFAULT_LEVEL;
  const replicates = opts.replicates ?? DEFAULT_REPLICATES;
  const before = opts.baselineBefore ?? DEFAULT_BASELINE_BEFORE;
  const mode = opts.baseline ?? 'mean';
  const minDocs = opts.minDocs ?? 1;
  const beforeIdx = monthIndex(before);
  // Quarters and years stand at their middle month, and are baseline periods only when they
  // end before `before`.
  const idx = (p: string): number | null => {
    const span = periodSpan(p);
    return span ? (span.first + span.last) / 2 : null;
  };
  const endsBefore = (p: string): boolean => {
    const span = periodSpan(p);
    return span !== null && span.last < beforeIdx;
  };
  const base = periods.filter((p) => endsBefore(p.period) && p.docs > 0);
  const baseMonths = base.map((p) => ({ t: idx(p.period)!, docs: p.docs, any: p.docsWithAny }));
  const baseDocs = base.reduce((s, p) => s + p.docs, 0);
  const baseWords = base.reduce((s, p) => s + p.words, 0);
  const baseHits = new Map<string, number>();
  let baseTotal = 0;
  for (const p of base) {
    baseTotal += p.total;
    for (const [k, v] of p.hits) baseHits.set(k, (baseHits.get(k) ?? 0) + v);
  }
  const hasBaseline = baseDocs > 0 && baseWords > 0;
  const q = hasBaseline ? counterfactual(baseMonths, mode) : null;
  const baseOpm = hasBaseline ? (baseTotal / baseWords) * 1e6 : null;

  const out: PeriodExcess[] = periods.map((p) => {
    const t = idx(p.period);
    const anyShare = p.docs > 0 ? p.docsWithAny / p.docs : 0;
    const opm = p.words > 0 ? (p.total / p.words) * 1e6 : 0;
    const isBaseline = endsBefore(p.period);
    const expected = q && t !== null ? q(t) : null;
    const row: PeriodExcess = {
      period: p.period,
      docs: p.docs,
      words: p.words,
      opm,
      anyShare,
      expectedAnyShare: expected,
      excessGap: expected === null ? null : anyShare - expected,
      excessRatio: baseOpm ? opm / baseOpm : null,
      isBaseline,
      lowerBound: noEstimate(METHOD, 'excess-lower-bound', null, 'no-data', p.docs, level),
    };
    if (p.docs === 0) return row;
    if (p.docs < minDocs) {
      row.lowerBound = noEstimate(METHOD, 'excess-lower-bound', null, 'too-few-documents', p.docs, level);
      return row;
    }
    if (isBaseline) {
      // The baseline months are assumed free of LLM text; a bound there would only echo that.
      row.lowerBound = noEstimate(METHOD, 'excess-lower-bound', null, 'no-data', p.docs, level, `baseline month (before ${before})`);
      return row;
    }
    if (!q || expected === null) {
      row.lowerBound = noEstimate(METHOD, 'excess-lower-bound', null, 'no-data', p.docs, level, `no baseline documents before ${before}`);
      return row;
    }
    const bound = (pp: number, qq: number) => (qq >= 1 ? 0 : clip01((pp - qq) / (1 - qq)));
    const share = bound(anyShare, expected);
    const rng = new Rng(mixSeed(opts.seed ?? DEFAULT_SEED, t ?? 0, p.docs, 991));
    const draws = new Float64Array(replicates);
    for (let b = 0; b < replicates; b++) {
      const resampled = baseMonths.map((m) => ({ t: m.t, docs: m.docs, any: sampleBinomial(rng, m.docs, m.any / m.docs) }));
      const qStar = counterfactual(resampled, mode)(t!);
      const pStar = sampleBinomial(rng, p.docs, anyShare) / p.docs;
      draws[b] = bound(pStar, qStar);
    }
    const { lo, hi } = percentileInterval(draws, level);
    row.lowerBound = okEstimate({
      method: METHOD,
      kind: 'excess-lower-bound',
      detector: null,
      share,
      lo,
      hi,
      level,
      n: p.docs,
      note: `lower bound: (p − q)/(1 − q), p = ${anyShare.toFixed(3)}, q = ${expected.toFixed(3)}`,
      details: { anyShare, expectedAnyShare: expected, excessGap: anyShare - expected, replicates },
    });
    return row;
  });

  const totals = new Map<string, number>();
  for (const p of periods) for (const [k, v] of p.hits) totals.set(k, (totals.get(k) ?? 0) + v);
  const formsOf = new Map(lexicon.entries.map((e) => [e.key, e.forms]));
  const top = [...totals.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, opts.topWords ?? 25);
  const words: WordTrend[] = top.map(([key, count]) => {
    const bOpm = hasBaseline ? (((baseHits.get(key) ?? 0) + 0.5) / baseWords) * 1e6 : null;
    return {
      key,
      forms: formsOf.get(key) ?? [key],
      count,
      baselineOpm: bOpm,
      periods: periods.map((p) => {
        const c = p.hits.get(key) ?? 0;
        const opm = p.words > 0 ? (c / p.words) * 1e6 : 0;
        return { period: p.period, count: c, opm, excessRatio: bOpm && p.words > 0 ? (((c + 0.5) / p.words) * 1e6) / bOpm : null };
      }),
    };
  });

  return {
    lexicon: { name: lexicon.name, provenance: lexicon.provenance, entries: lexicon.entries.length },
    baseline: {
      before,
      mode,
      months: base.map((p) => p.period),
      docs: baseDocs,
      words: baseWords,
      anyShare: hasBaseline ? baseMonths.reduce((s, m) => s + m.any, 0) / baseDocs : null,
      opm: baseOpm,
    },
    periods: out,
    words,
  };
}

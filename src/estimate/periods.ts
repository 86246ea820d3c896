/**
 * The periods a report groups dated documents into: calendar months ("YYYY-MM"), quarters
 * ("YYYY-Qn") or years ("YYYY"), or `auto`: months where every month of the year has enough
 * documents, else that year's quarters where every quarter has enough, else the whole year;
 * and years too short on their own are joined with their short neighbours into spans
 * ("2019–2023") until each span has enough. Deciding per year (not per month) keeps periods
 * disjoint and their keys in time order when sorted as strings
 * ("2013–2020" < "2023" < "2024-Q1" < "2024-Q2" < "2025-01").
 */
import { quarterOf, yearOf, yearsKey } from '../core/months.js';

export type PeriodKind = 'month' | 'quarter' | 'year' | 'auto';
export const PERIOD_KINDS: readonly PeriodKind[] = ['month', 'quarter', 'year', 'auto'];

/** What a report says about its periods when they are not plain months. */
export interface PeriodInfo {
  kind: Exclude<PeriodKind, 'month'>;
  /** `auto` only: each period that holds more than one month, with its months (both ascending). */
  merged?: Array<{ period: string; months: string[] }>;
}

/** Maps a document's "YYYY-MM" month to its period key. */
export type PeriodMap = (month: string) => string;

/** The period key of a month for a fixed kind. */
export function fixedPeriod(kind: Exclude<PeriodKind, 'auto'>): PeriodMap {
  switch (kind) {
    case 'month':
      return (m) => m;
    case 'quarter':
      return quarterOf;
    case 'year':
      return yearOf;
  }
}

/**
 * `auto` periods from the documents per month: per year, months if every month with
 * documents has at least `minDocs`, else quarters if every quarter has, else the year. A year
 * with fewer than `minDocs` documents in all joins the short years after it (years with
 * documents, in order, never across a year that is long enough) into one span until the span
 * has `minDocs`; a short remainder joins the span just before it, else stays short (the report
 * then says "too few documents"). No span holds years on both sides of a `breaks` month's year
 * (the baseline cutoff, the GPT-word baseline's end): a period mixing pages from before and
 * after AI would be neither a baseline nor a measurement.
 */
export function autoPeriods(docsPerMonth: ReadonlyMap<string, number>, minDocs: number, breaks: readonly string[] = []): Map<string, string> {
  const years = new Map<string, string[]>();
  for (const m of [...docsPerMonth.keys()].sort()) {
    const y = yearOf(m);
    years.set(y, [...(years.get(y) ?? []), m]);
  }
  const n = (m: string) => docsPerMonth.get(m) ?? 0;
  const out = new Map<string, string>();
  interface Span {
    years: string[];
    months: string[];
    docs: number;
  }
  const label = (span: Span): void => {
    const key = yearsKey(span.years[0], span.years[span.years.length - 1]);
    for (const m of span.months) out.set(m, key);
  };
  let open: Span | null = null;
  // The last span closed with enough documents, while no long year has come after it.
  let closed: Span | null = null;
  const finishOpen = (): void => {
    if (!open) return;
    if (closed) {
      closed.years.push(...open.years);
      closed.months.push(...open.months);
      label(closed);
    } else label(open);
    open = null;
  };
  // A break in January falls between two years; any other break splits its own year, which then
  // stands apart from the years on both sides.
  const eraOf = (year: string) =>
    breaks.reduce((era, b) => {
      const y = yearOf(b);
      if (b.endsWith('-01')) return era + (year >= y ? 2 : 0);
      return era + (year > y ? 2 : year === y ? 1 : 0);
    }, 0);
  let era = -1;
  for (const [year, months] of years) {
    const total = months.reduce((s, m) => s + n(m), 0);
    if (eraOf(year) !== era) {
      finishOpen();
      closed = null;
      era = eraOf(year);
    }
    if (total < minDocs) {
      open ??= { years: [], months: [], docs: 0 };
      open.years.push(year);
      open.months.push(...months);
      open.docs += total;
      if (open.docs >= minDocs) {
        label(open);
        closed = open;
        open = null;
      }
      continue;
    }
    finishOpen();
    closed = null;
    if (months.every((m) => n(m) >= minDocs)) {
      for (const m of months) out.set(m, m);
      continue;
    }
    const quarters = new Map<string, number>();
    for (const m of months) quarters.set(quarterOf(m), (quarters.get(quarterOf(m)) ?? 0) + n(m));
    const byQuarter = [...quarters.values()].every((c) => c >= minDocs);
    for (const m of months) out.set(m, byQuarter ? quarterOf(m) : year);
  }
  finishOpen();
  return out;
}

/** The period map for a kind; only `auto` reads the documents per month (and `breaks`, see autoPeriods). */
export function periodMap(
  kind: PeriodKind,
  docsPerMonth: ReadonlyMap<string, number>,
  minDocs: number,
  breaks: readonly string[] = [],
): { map: PeriodMap; info: PeriodInfo | null } {
  if (kind === 'month') return { map: fixedPeriod('month'), info: null };
  if (kind !== 'auto') return { map: fixedPeriod(kind), info: { kind } };
  const auto = autoPeriods(docsPerMonth, minDocs, breaks);
  // A month the counts did not see (cannot happen when both come from one pass) keeps its own key.
  const map: PeriodMap = (m) => auto.get(m) ?? m;
  const members = new Map<string, string[]>();
  for (const m of [...docsPerMonth.keys()].sort()) {
    const k = map(m);
    members.set(k, [...(members.get(k) ?? []), m]);
  }
  const merged = [...members].filter(([, ms]) => ms.length > 1).map(([period, ms]) => ({ period, months: ms }));
  return { map, info: { kind, merged } };
}

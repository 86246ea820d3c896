/**
 * The periods a report groups dated documents into: calendar months ("YYYY-MM"), quarters
 * ("YYYY-Qn") or years ("YYYY"), or `auto`: months where every month of the year has enough
 * documents, else that year's quarters where every quarter has enough, else the whole year.
 * Deciding per year (not per month) keeps periods disjoint and their keys in time order when
 * sorted as strings ("2023" < "2024-Q1" < "2024-Q2" < "2025-01").
 */
import { quarterOf, yearOf } from '../core/months.js';

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
 * documents has at least `minDocs`, else quarters if every quarter has, else the year (which
 * may still be short; the report then says so).
 */
export function autoPeriods(docsPerMonth: ReadonlyMap<string, number>, minDocs: number): Map<string, string> {
  const years = new Map<string, string[]>();
  for (const m of [...docsPerMonth.keys()].sort()) {
    const y = yearOf(m);
    years.set(y, [...(years.get(y) ?? []), m]);
  }
  const out = new Map<string, string>();
  for (const [year, months] of years) {
    const n = (m: string) => docsPerMonth.get(m) ?? 0;
    if (months.every((m) => n(m) >= minDocs)) {
      for (const m of months) out.set(m, m);
      continue;
    }
    const quarters = new Map<string, number>();
    for (const m of months) quarters.set(quarterOf(m), (quarters.get(quarterOf(m)) ?? 0) + n(m));
    const byQuarter = [...quarters.values()].every((c) => c >= minDocs);
    for (const m of months) out.set(m, byQuarter ? quarterOf(m) : year);
  }
  return out;
}

/** The period map for a kind; only `auto` reads the documents per month. */
export function periodMap(kind: PeriodKind, docsPerMonth: ReadonlyMap<string, number>, minDocs: number): { map: PeriodMap; info: PeriodInfo | null } {
  if (kind === 'month') return { map: fixedPeriod('month'), info: null };
  if (kind !== 'auto') return { map: fixedPeriod(kind), info: { kind } };
  const auto = autoPeriods(docsPerMonth, minDocs);
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

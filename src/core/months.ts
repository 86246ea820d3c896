/** Calendar months as "YYYY-MM" periods and as integer indexes for arithmetic on them. */

export const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Months since year 0 for a "YYYY-MM" period. */
export function monthIndex(period: string): number {
  const m = PERIOD.exec(period);
  if (!m) throw new Error(`bad period "${period}": expected YYYY-MM`);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

/** "YYYY-MM" for a month index. */
export function periodOf(month: number): string {
  const year = Math.floor(month / 12);
  return `${String(year).padStart(4, '0')}-${String((month % 12) + 1).padStart(2, '0')}`;
}

const QUARTER = /^(\d{4})-Q([1-4])$/;
const YEAR = /^(\d{4})$/;
/** A span of whole years, "YYYY–YYYY" (en dash), as `auto` periods join short years. */
const YEARS = /^(\d{4})\u2013(\d{4})$/;

/** The key of the years `first` to `last` ("YYYY"), one year's own key when they are the same. */
export function yearsKey(first: string, last: string): string {
  return first === last ? first : `${first}\u2013${last}`;
}

/** "YYYY-Qn" of a "YYYY-MM" month. */
export function quarterOf(month: string): string {
  const i = monthIndex(month);
  return `${month.slice(0, 4)}-Q${Math.floor((i % 12) / 3) + 1}`;
}

/** "YYYY" of a "YYYY-MM" month. */
export function yearOf(month: string): string {
  monthIndex(month);
  return month.slice(0, 4);
}

/**
 * Month index of a period's middle (fractional for an even number of months: a quarter's is its
 * second month, a year's falls between June and July); null for a key that is not a period.
 */
export function periodMiddle(key: string): number | null {
  const span = periodSpan(key);
  return span ? (span.first + span.last) / 2 : null;
}

/** The date a chart plots a period at: the first day of its middle month (of July for a year). */
export function periodDate(key: string): string | null {
  const middle = periodMiddle(key);
  return middle === null ? null : `${periodOf(Math.ceil(middle))}-01`;
}

/**
 * First and last month index of a period key: a month "YYYY-MM", a quarter "YYYY-Qn", a
 * year "YYYY" or a span of years "YYYY–YYYY"; null for anything else.
 */
export function periodSpan(key: string): { first: number; last: number } | null {
  if (PERIOD.test(key)) {
    const i = monthIndex(key);
    return { first: i, last: i };
  }
  const q = QUARTER.exec(key);
  if (q) {
    const first = Number(q[1]) * 12 + (Number(q[2]) - 1) * 3;
    return { first, last: first + 2 };
  }
  const y = YEAR.exec(key);
  if (y) return { first: Number(y[1]) * 12, last: Number(y[1]) * 12 + 11 };
  const span = YEARS.exec(key);
  if (span && span[1] <= span[2]) return { first: Number(span[1]) * 12, last: Number(span[2]) * 12 + 11 };
  return null;
}

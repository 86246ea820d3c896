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

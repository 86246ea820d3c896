/** Dates as dataset rows carry them, made ISO 8601; and the date a Common Crawl crawl id stands for. */

const ISO_PREFIX = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A row's date as ISO 8601, null when absent; undefined when the value is not a date at all
 * (a bad row). ISO strings are kept as written (no time-zone shift moves a row into another
 * month); other strings are parsed; numbers are epoch seconds (or milliseconds when ≥ 1e11);
 * Parquet timestamps arrive as Date.
 */
export function rowDate(value: unknown): string | null | undefined {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value === 'bigint') return rowDate(Number(value));
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    const ms = Math.abs(value) >= 1e11 ? value : value * 1000;
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (ISO_PREFIX.test(s)) return s.replace(' ', 'T');
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const CRAWL_ID = /^CC-MAIN-(\d{4})-(\d{2})$/;

/**
 * The Monday of the ISO week a crawl id names (`CC-MAIN-2024-10` → `2024-03-04`): the crawl's
 * period when a row has no date of its own. Null for ids without a week (`CC-MAIN-2012`).
 */
export function crawlIdDate(dump: unknown): string | null {
  if (typeof dump !== 'string') return null;
  const m = CRAWL_ID.exec(dump.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > 53) return null;
  // ISO week 1 holds January 4th; its Monday starts the week-numbering year.
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Weekday = (new Date(jan4).getUTCDay() + 6) % 7;
  const monday = jan4 - jan4Weekday * 86_400_000 + (week - 1) * 7 * 86_400_000;
  return new Date(monday).toISOString().slice(0, 10);
}

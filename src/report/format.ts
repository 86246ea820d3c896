/** Number and label formatting shared by the report renderers. */
import type { ShareEstimate } from '../estimate/types.js';
import type { ShareReport } from './model.js';

export const pct = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(digits)}%`;

export const interval = (e: ShareEstimate): string => (e.lo === null || e.hi === null ? '' : `[${pct(e.lo)}, ${pct(e.hi)}]`);

/** Why an estimate has no number, in words. */
export function statusText(e: ShareEstimate, minDocs: number): string {
  switch (e.status) {
    case 'ok':
      return '';
    case 'too-few-documents':
      return `too few documents (${e.n} < ${minDocs})`;
    case 'uncalibrated':
      return e.note ?? 'no calibration for this detector version';
    case 'baseline-period':
      return 'baseline period (before the cutoff)';
    case 'not-identifiable':
      return `detector does not separate: ${e.note ?? ''}`.trim();
    case 'no-data':
      return e.note ?? 'no data';
  }
}

/** "publication month", "crawl month", "crawl", "language" … */
export function groupLabel(r: Pick<ShareReport, 'groupBy' | 'dateBasis'>): string {
  switch (r.groupBy) {
    case 'month':
      return r.dateBasis === 'crawl' ? 'crawl month' : 'publication month';
    case 'lang':
      return 'language';
    case 'all':
      return 'corpus';
    default:
      return r.groupBy;
  }
}

/** "json-ld 40% · meta-article 60%" */
export function dateSourceText(sources: Record<string, number>, documents: number): string {
  return Object.entries(sources)
    .map(([k, v]) => `${k} ${pct(v / Math.max(1, documents), 0)}`)
    .join(' · ');
}

/**
 * Fixed-width table: numbers (cells matching NUMERIC) right-aligned, text left-aligned. A row
 * shorter than the header is a note row: its last cell runs on freely and does not widen its
 * column (e.g. "too few documents" in place of a group's estimates).
 */
export function alignTable(header: string[], rows: string[][]): string {
  const full = rows.filter((r) => r.length >= header.length);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.filter((r) => r.length >= header.length || i < r.length - 1).map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => full.length > 0 && full.every((r) => (r[i] ?? '') === '' || r[i] === '–' || /^[-+]?[\d.,]+%?$/.test(r[i])));
  const render = (cells: string[]) =>
    cells
      .map((c, i) => {
        if (cells.length < header.length && i === cells.length - 1) return c;
        return numeric[i] ? (c ?? '').padStart(widths[i]) : (c ?? '').padEnd(widths[i]);
      })
      .join('  ')
      .trimEnd();
  return [render(header), render(widths.map((w) => '-'.repeat(w))), ...rows.map(render)].join('\n');
}

/**
 * When no estimate of a group has a number and they all fail for the same reason, that
 * reason as one line (so a table shows "no scored documents" once, not per method).
 */
export function commonFailure(estimates: readonly ShareEstimate[], minDocs: number): string | null {
  if (estimates.length === 0 || estimates.some((e) => e.status === 'ok')) return null;
  if (estimates.some((e) => e.status === 'too-few-documents')) {
    return estimates.every((e) => e.status === 'too-few-documents' || e.status === 'no-data') ? `too few scored documents (minimum ${minDocs})` : null;
  }
  return estimates.every((e) => e.status === 'no-data') ? 'no scored documents' : null;
}

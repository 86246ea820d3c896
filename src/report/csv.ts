/**
 * `--format csv`: one row per group and method (long format, for spreadsheets and tools),
 * including groups with "too few documents" (empty share/lo/hi and a status). The first
 * columns after the group are the group's headline (share, lo, hi, method, n and its
 * known-answer check; empty when withheld), repeated on each of its rows, so a reader that
 * keeps the first row per group has the one number to trust. The share
 * series for `ccaudit collapse --shares` is the JSON report's `series` array.
 *
 * Columns added later are appended at the end, so readers that index columns keep working:
 * `calibration` (development / baseline / user-labeled: which reference measured the error
 * rates; empty for estimates that need none), `drift_half_width` (the drift check's
 * systematic band, a share in [0, 1], next to — not inside — [lo, hi]), `drift_periods` and
 * `headline_check_period_error` (the headline's self-check redone on mixtures with the group's
 * own topic mix: mean absolute error, a share; empty when the headline has no self-check).
 * The CSV is one table; the domain-matched calibration's strata (baseline n, FPR, TPR, AI n
 * and fallback level per stratum and detector) and the drift-check rows are in the JSON
 * report (`--format json`): `domainCalibration.detectors[].strata` and `domainCalibration.drift`.
 */
import { stringify } from 'csv-stringify/sync';
import type { ShareReport } from '../estimate/model.js';

export const CSV_COLUMNS = [
  'group',
  'headline_share',
  'headline_lo',
  'headline_hi',
  'headline_method',
  'headline_n',
  'headline_check',
  'group_by',
  'method',
  'share',
  'lo',
  'hi',
  'n',
  'documents',
  'kind',
  'detector',
  'status',
  'level',
  'date_sources',
  'note',
  'calibration',
  'drift_half_width',
  'drift_periods',
  'headline_check_period_error',
] as const;

export function renderCsv(r: ShareReport): string {
  const rows = r.groups.flatMap((g) =>
    g.estimates.map((e) => ({
      group: g.key,
      headline_share: g.headline?.share ?? '',
      headline_lo: g.headline?.lo ?? '',
      headline_hi: g.headline?.hi ?? '',
      headline_method: g.headline?.method ?? '',
      headline_n: g.headline?.n ?? '',
      headline_check: g.headline?.check.text ?? g.headlineNote ?? '',
      headline_check_period_error: g.headline?.check.period?.meanAbsError ?? '',
      group_by: r.groupBy === 'month' ? `${r.dateBasis}-month` : r.groupBy,
      method: e.method,
      share: e.share ?? '',
      lo: e.lo ?? '',
      hi: e.hi ?? '',
      n: e.n,
      documents: g.documents,
      kind: e.kind,
      detector: e.detector ?? '',
      status: e.status,
      level: e.level,
      date_sources: Object.entries(g.dateSources)
        .map(([k, v]) => `${k}:${v}`)
        .join(';'),
      note: e.note ?? '',
      calibration: e.calibration ?? '',
      drift_half_width: e.systematic?.halfWidth ?? '',
      drift_periods: e.systematic?.periods ?? '',
    })),
  );
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS] });
}

/**
 * `--format csv`: one row per group and method (long format, for spreadsheets and tools),
 * including groups with "too few documents" (empty share/lo/hi and a status). The share
 * series for `ccaudit collapse --shares` is the JSON report's `series` array.
 */
import { stringify } from 'csv-stringify/sync';
import type { ShareReport } from './model.js';

export const CSV_COLUMNS = ['group', 'group_by', 'method', 'share', 'lo', 'hi', 'n', 'documents', 'kind', 'detector', 'status', 'level', 'date_sources', 'note'] as const;

export function renderCsv(r: ShareReport): string {
  const rows = r.groups.flatMap((g) =>
    g.estimates.map((e) => ({
      group: g.key,
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
    })),
  );
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS] });
}

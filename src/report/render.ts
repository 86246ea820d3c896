/** One entry point for the renderers: a ShareReport in any of the report formats. */
import type { ShareReport } from '../estimate/model.js';
import { renderCsv } from './csv.js';
import { renderShareHtml } from './share-html.js';
import { renderTable, type MethodsShown } from './table.js';

export type { MethodsShown };

export const REPORT_FORMATS = ['table', 'csv', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The report as text: an aligned table, CSV, the model as JSON, or a self-contained HTML page. */
export async function renderReport(report: ShareReport, format: ReportFormat, o: { methods?: MethodsShown } = {}): Promise<string> {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 1)}\n`;
    case 'csv':
      return renderCsv(report);
    case 'html':
      return renderShareHtml(report, o.methods ?? 'headline');
    case 'table':
      return renderTable(report, o.methods ?? 'headline');
  }
}

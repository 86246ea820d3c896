/** Rendering a ShareReport in the chosen format to stdout or a file. */
import { writeFile } from 'node:fs/promises';
import type { ShareReport } from '../estimate/model.js';
import { renderTable } from '../report/table.js';
import { renderCsv } from '../report/csv.js';
import { renderShareHtml } from '../report/share-html.js';
import type { ReportFormat } from './report-flags.js';

export async function renderReport(report: ShareReport, format: ReportFormat): Promise<string> {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 1)}\n`;
    case 'csv':
      return renderCsv(report);
    case 'html':
      return renderShareHtml(report);
    case 'table':
      return renderTable(report);
  }
}

export async function writeReport(text: string, out: string | undefined, what: string): Promise<void> {
  if (!out) {
    process.stdout.write(text);
    return;
  }
  try {
    await writeFile(out, text);
  } catch (err) {
    throw new Error(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  process.stderr.write(`${what}: wrote ${out}\n`);
}

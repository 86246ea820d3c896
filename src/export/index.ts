/**
 * `export`: per-document results out of a store, keyed by the input's own ids, in forms
 * curators' tools read — Dolma attribute files, or one Parquet/CSV table.
 */
import { join } from 'node:path';
import type { Store } from '../store/index.js';
import { writeAttributes } from './attributes.js';
import { exportDocuments, exportedDetectors, type DetectorColumn } from './documents.js';
import { writeCsv, writeParquet } from './table.js';
import { flagThresholds, type FlagThreshold, type ThresholdOptions } from './thresholds.js';

export { attributeFileName, attributeName } from './attributes.js';
export { exportDocuments, exportedDetectors, type DetectorColumn, type ExportDocument } from './documents.js';
export { flagThresholds, ThresholdError, type FlagThreshold, type ThresholdOptions } from './thresholds.js';
export { tableColumns } from './table.js';

export type ExportFormat = 'attributes' | 'parquet' | 'csv';

export interface ExportOptions {
  format: ExportFormat;
  outDir: string;
  /** Only these detectors (default: every detector with stored scores). */
  detectors?: string[];
  /** Add a flag per detector at this false-positive rate (see thresholds.ts). */
  flag?: Omit<ThresholdOptions, 'fpr'> & { fpr: number };
}

export interface ExportSummary {
  format: ExportFormat;
  files: string[];
  documents: number;
  detectors: DetectorColumn[];
  flags: FlagThreshold[] | null;
}

/** Table file name inside the output directory. */
export const TABLE_NAME = { parquet: 'documents.parquet', csv: 'documents.csv' } as const;

export async function exportStore(store: Store, o: ExportOptions): Promise<ExportSummary> {
  const detectors = exportedDetectors(store, o.detectors ?? []);
  const missing = (o.detectors ?? []).filter((d) => !detectors.some((c) => c.detector === d));
  if (missing.length > 0) throw new Error(`no stored scores for detector(s) ${missing.join(', ')} (run \`ccaudit score\` first)`);
  const flags = o.flag ? flagThresholds(store, detectors, o.flag) : null;
  const docs = exportDocuments(store, detectors);
  if (o.format === 'attributes') {
    const sources = (store.db.prepare(`SELECT path FROM sources ORDER BY path`).all() as Array<{ path: string }>).map((r) => r.path);
    const s = await writeAttributes(docs, detectors, flags, o.outDir, sources);
    return { format: o.format, files: s.files, documents: s.documents, detectors, flags };
  }
  const file = join(o.outDir, TABLE_NAME[o.format]);
  const n = o.format === 'csv' ? await writeCsv(docs, detectors, flags, file) : writeParquet(docs, detectors, flags, file);
  return { format: o.format, files: [file], documents: n, detectors, flags };
}

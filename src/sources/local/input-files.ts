/**
 * Local input files of any kind `scan` reads — WARC/WET files and dataset shards (Parquet,
 * JSON Lines) — as one record source; each file's kind is sniffed from its bytes.
 */
import { datasetItems, datasetUnit, DATASET_NAME, sniffInput, type DatasetOptions, type DatasetUnit, type InputKind } from '../dataset/index.js';
import type { RecordSource } from '../../core/record-source.js';
import { expandWarcPaths, WARC_NAME, type ExpandedPaths } from './expand-paths.js';
import { warcFileSource, warcFileUnit, type WarcFileUnit } from './warc-files.js';

export type LocalInputUnit = (WarcFileUnit & { readonly format: 'warc' }) | DatasetUnit;

/** Files, directories (WARC and dataset names) and globs → sorted input files. */
export function expandInputPaths(args: string[]): Promise<ExpandedPaths> {
  return expandWarcPaths(args, { accept: (name) => WARC_NAME.test(name) || DATASET_NAME.test(name), what: 'WARC or dataset files' });
}

export async function localInputUnit(path: string): Promise<LocalInputUnit> {
  let kind: InputKind;
  try {
    kind = await sniffInput(path);
  } catch {
    // Unreadable here: the WARC path reports it as an unreadable source.
    kind = { kind: 'warc' };
  }
  if (kind.kind === 'parquet') return datasetUnit(path, 'parquet');
  if (kind.kind === 'jsonl') return datasetUnit(path, 'jsonl', kind.compression);
  return { ...warcFileUnit(path), format: 'warc' };
}

export function localInputSource(paths: readonly string[], dataset: DatasetOptions = {}): RecordSource<LocalInputUnit> {
  const warc = warcFileSource([]);
  return {
    async *units() {
      for (const p of paths) yield await localInputUnit(p);
    },
    open(unit, resumeOffset) {
      return unit.format === 'warc' ? warc.open(unit, resumeOffset) : datasetItems(unit, resumeOffset, dataset);
    },
  };
}

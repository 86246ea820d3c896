/** Local WARC files as a record source: one unit per file, resumed by file offset. */
import { stat } from 'node:fs/promises';
import { readWarcFile } from '../warc/index.js';
import type { RecordSource, SourceItem, SourceUnit } from '../../core/record-source.js';

export interface WarcFileUnit extends SourceUnit {
  readonly source: string;
}

export function warcFileUnit(path: string): WarcFileUnit {
  return {
    label: path,
    source: path,
    async stat() {
      const info = await stat(path);
      return { size: info.size, mtimeMs: info.mtimeMs };
    },
  };
}

export function warcFileSource(paths: readonly string[]): RecordSource<WarcFileUnit> {
  return {
    units: () => paths.map(warcFileUnit),
    async *open(unit, resumeOffset): AsyncIterable<SourceItem> {
      // Checkpoints are records' resumeOffsets: always file offsets (gzip member boundaries).
      for await (const item of readWarcFile(unit.source, { startOffset: resumeOffset, startOffsetKind: 'file' })) yield { item };
    },
  };
}

/**
 * Dolma-style attribute files: for each input shard one file of the same name (gzip JSON
 * Lines, like Dolma's `attributes/<name>/` mirrors of `documents/`), one line per document:
 * `{"id": …, "attributes": {"ccaudit__<detector>__score": [[0, <chars>, <score>]]}}`. The span
 * covers the whole text (character offsets, code points); an unscored document gets `[]`.
 * With flag thresholds, `ccaudit__<detector>__flagged` is `[[0, <chars>, 1 or 0]]`.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { basename, dirname, join, relative } from 'node:path';
import { createGzip } from 'node:zlib';
import type { DetectorColumn, ExportDocument } from './documents.js';
import type { FlagThreshold } from './thresholds.js';

export const attributeName = (detector: string, what: 'score' | 'flagged') => `ccaudit__${detector}__${what}`;

const COMPRESSED = /\.(gz|zst|zstd)$/i;
const DATA = /\.(parquet|pq|warc(\.wet)?|arc)$/i;

/** The attribute file name for an input shard: its name, as gzip JSON Lines. */
export function attributeFileName(source: string): string {
  const name = basename(source).replace(COMPRESSED, '');
  if (/\.(jsonl|json|ndjson)$/i.test(name)) return `${name}.gz`;
  return `${name.replace(DATA, '')}.jsonl.gz`;
}

/** The directory all sources share (output files keep the paths below it, so shards with equal names stay apart). */
export function commonDir(paths: readonly string[]): string {
  if (paths.length === 0) return '';
  let common = dirname(paths[0]!);
  for (const p of paths) {
    while (relative(common, p).startsWith('..')) common = dirname(common);
  }
  return common;
}

class GzipLines {
  private gzip = createGzip();
  private done: Promise<unknown>;
  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    const out = createWriteStream(path);
    this.gzip.pipe(out);
    this.done = once(out, 'close');
  }
  async write(line: string): Promise<void> {
    if (!this.gzip.write(`${line}\n`)) await once(this.gzip, 'drain');
  }
  async close(): Promise<void> {
    this.gzip.end();
    await this.done;
  }
}

export interface AttributeSummary {
  files: string[];
  documents: number;
}

export async function writeAttributes(
  docs: Iterable<ExportDocument>,
  detectors: readonly DetectorColumn[],
  flags: readonly FlagThreshold[] | null,
  outDir: string,
  sources: readonly string[],
): Promise<AttributeSummary> {
  const root = commonDir(sources);
  const summary: AttributeSummary = { files: [], documents: 0 };
  let current = null as { source: string; out: GzipLines } | null;
  try {
    for (const d of docs) {
      if (current?.source !== d.source) {
        await current?.out.close();
        const file = join(outDir, dirname(relative(root, d.source)), attributeFileName(d.source));
        current = { source: d.source, out: new GzipLines(file) };
        summary.files.push(file);
      }
      const attributes: Record<string, Array<[number, number, number]>> = {};
      detectors.forEach((c, i) => {
        const s = d.scores[i];
        attributes[attributeName(c.detector, 'score')] = s === null ? [] : [[0, d.chars, s]];
        const f = flags?.[i];
        if (f) attributes[attributeName(c.detector, 'flagged')] = s === null ? [] : [[0, d.chars, s >= f.threshold ? 1 : 0]];
      });
      await current.out.write(JSON.stringify({ id: d.id, attributes }));
      summary.documents++;
    }
  } finally {
    await current?.out.close();
  }
  return summary;
}

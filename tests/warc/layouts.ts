/**
 * SYNTHETIC re-packings of real WARC records (from shared/corpora/warc) into every gzip
 * layout the reader supports: one member per record (Common Crawl), several records per
 * member, whole-file gzip, uncompressed. The record bytes are the originals; only the
 * gzip framing is made up here.
 */
import { readFileSync } from 'node:fs';
import zlib from 'node:zlib';
import { isReadError } from '../../src/core/types.js';
import { readWarcBytes } from '../../src/sources/warc/index.js';
import { corpusPath } from './corpus.js';

/** The raw bytes of each record of a real WARC file (trailing CRLFs included); gzip files are gunzipped first. */
export async function rawRecords(rel: string): Promise<Buffer[]> {
  const file = readFileSync(corpusPath(rel));
  const bytes = rel.endsWith('.gz') ? zlib.gunzipSync(file) : file;
  const out: Buffer[] = [];
  for (const item of readWarcBytes(bytes, rel)) {
    if (isReadError(item)) throw new Error(`${rel}: unexpected read error ${item.code}`);
    out.push(bytes.subarray(item.offset, item.offset + item.length));
  }
  return out;
}

const gz = (parts: Buffer[]): Buffer => zlib.gzipSync(Buffer.concat(parts), { level: 6 });

/** Groups of consecutive records, one gzip member per group. */
export function packMembers(records: Buffer[], groupSizes: (i: number) => number): Buffer {
  const members: Buffer[] = [];
  for (let i = 0, g = 0; i < records.length; g++) {
    const n = Math.max(1, groupSizes(g));
    members.push(gz(records.slice(i, i + n)));
    i += n;
  }
  return Buffer.concat(members);
}

export type Layout = 'per-record' | 'pairs' | 'multi' | 'whole-file' | 'plain';

/**
 * `records` repeated `times` times in `layout`. 'pairs': every other pair of records shares
 * one member (pairs 0, 2, 4 … packed together, the rest one per member); 'multi': members of
 * 1–4 records in a fixed pattern.
 */
export function buildLayout(records: Buffer[], layout: Layout, times = 1): Buffer {
  const all: Buffer[] = [];
  for (let t = 0; t < times; t++) all.push(...records);
  switch (layout) {
    case 'plain':
      return Buffer.concat(all);
    case 'whole-file':
      return gz(all);
    case 'per-record':
      return packMembers(all, () => 1);
    case 'multi':
      return packMembers(all, (g) => [3, 1, 4, 2, 1][g % 5]);
    case 'pairs': {
      // member groups: [2], [1], [1], [2], [1], [1], … = pair 0 packed, pair 1 split, …
      return packMembers(all, (g) => (g % 3 === 0 ? 2 : 1));
    }
  }
}

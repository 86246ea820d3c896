/**
 * Resuming with `startOffset` at a reported record boundary yields exactly the
 * remaining items — for per-record gzip, uncompressed, misaligned-member and
 * whole-file gzip files (the last by decompressing and skipping).
 */
import { describe, expect, it } from 'vitest';
import { isReadError, type WarcItem } from '../../src/core/types.js';
import { corpusPath, readAll, recordKey } from './corpus.js';

const FILES = [
  'cc/resiliparse/warcfile.warc.gz',
  'cc/resiliparse/warcfile.warc',
  'cc/whirlwind/whirlwind.warc',
  'edge-cases/warcio/example-wrong-chunks.warc.gz',
  'edge-cases/warcio/example-bad-non-chunked.warc.gz', // whole-file gzip
  'edge-cases/gowarc/corrupted-trailing-bytes.warc.gz.open', // whole-file gzip + trailing junk
  'edge-cases/warcio/example-trunc.warc', // junk between records
  'edge-cases/node-warc/books.toscrape.warc',
  'recent/py-wacz/example-iana.warc',
];

function key(item: WarcItem): unknown {
  return isReadError(item) ? { error: item.code, offset: item.offset, kind: item.offsetKind } : recordKey(item);
}

describe('resume from startOffset', () => {
  it.each(FILES)('%s', async (file) => {
    const path = corpusPath(file);
    const full = await readAll(path);
    const recIdx = full.items.map((it, i) => (isReadError(it) ? -1 : i)).filter((i) => i >= 0);
    const picks = [...new Set([recIdx[1], recIdx[Math.floor(recIdx.length / 2)], recIdx[recIdx.length - 1]])].filter((i) => i !== undefined);
    for (const k of picks) {
      const r = full.items[k];
      if (isReadError(r)) continue;
      const resumed = await readAll(path, { startOffset: r.offset });
      expect(resumed.items.map(key), `resume at item ${k} (${r.offsetKind} ${r.offset})`).toEqual(full.items.slice(k).map(key));
    }
    // Resuming just past the last record yields what follows it (nothing, or trailing junk).
    const last = full.records[full.records.length - 1];
    if (last.offsetKind === 'member') throw new Error('no shared gzip members in these files');
    const after = await readAll(path, { startOffset: last.offset + last.length, startOffsetKind: last.offsetKind });
    const lastIdx = full.items.indexOf(last);
    expect(after.items.map(key)).toEqual(full.items.slice(lastIdx + 1).map(key));
  });

  it('treats an explicit startOffsetKind as given', async () => {
    const path = corpusPath('edge-cases/warcio/example-bad.warc.gz.bad');
    const full = await readAll(path);
    const third = full.records[2];
    expect(third.offsetKind).toBe('uncompressed');
    const resumed = await readAll(path, { startOffset: third.offset, startOffsetKind: 'uncompressed' });
    expect(resumed.records.map((r) => r.recordId)).toEqual(full.records.slice(2).map((r) => r.recordId));
  });

  it('rejects a negative startOffset with a clear error', async () => {
    await expect(readAll(corpusPath('cc/whirlwind/whirlwind.warc.gz'), { startOffset: -1 })).rejects.toThrow(/startOffset/);
  });
});

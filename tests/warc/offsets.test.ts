/**
 * Record offsets are real addresses: every record's (offset, length) re-reads
 * the same record, and they agree with the independent offsets published for
 * these files (pywb's CDXJ index of iana.warc.gz, whirlwind's documented member
 * offsets, Common Crawl's own index offsets for the range replies).
 */
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isReadError, type WarcRecord } from '../../src/core/types.js';
import { parseWarcRecordBytes, readRecordAt } from '../../src/sources/warc/index.js';
import { corpusPath, corpusWarcFiles, readAll, recordKey } from './corpus.js';

const files = corpusWarcFiles();

describe('readRecordAt re-reads every record', () => {
  it.each(files)('%s', async (file) => {
    const path = corpusPath(file);
    const { records } = await readAll(path);
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) {
      const again = await readRecordAt(path, r.offset, r.length, r.offsetKind);
      expect(isReadError(again), `re-read at ${r.offsetKind} ${r.offset}`).toBe(false);
      const rec = again as WarcRecord;
      expect(recordKey(rec)).toEqual(recordKey(r));
      // A re-read may add notes about read errors inside the range; it loses none, except the
      // note about junk *after* the record, which lies outside the range.
      const own = r.notes.filter((n) => !n.startsWith('unexpected bytes after the record block'));
      expect(rec.notes.slice(0, own.length)).toEqual(own);
    }
  });
});

describe('offsets agree with independent indexes', () => {
  it('matches all 171 lines of pywb’s CDXJ index for iana.warc.gz', async () => {
    const { records } = await readAll(corpusPath('edge-cases/pywb/iana.warc.gz'));
    const byOffset = new Map(records.map((r) => [r.offset, r]));
    const lines = readFileSync(corpusPath('index/pywb-cdx/iana.cdxj'), 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(171);
    for (const line of lines) {
      const json = JSON.parse(line.slice(line.indexOf('{'))) as { url: string; offset: string; length: string };
      const r = byOffset.get(Number(json.offset));
      expect(r, `record at ${json.offset}`).toBeDefined();
      expect(r!.length).toBe(Number(json.length));
      expect(r!.targetUri).toBe(json.url);
    }
  });

  it('puts the whirlwind records at the member offsets PROVENANCE documents', async () => {
    const warc = await readAll(corpusPath('cc/whirlwind/whirlwind.warc.gz'));
    expect(warc.records.map((r) => r.offset)).toEqual([0, 516, 1023, 18374]);
    const response = warc.records[2];
    expect(response.warcType).toBe('response');
    expect(response.length).toBe(17351);
    expect(response.targetUri).toBe('https://an.wikipedia.org/wiki/Escopete');
    const wat = await readAll(corpusPath('cc/whirlwind/whirlwind.warc.wat.gz'));
    expect(wat.records[1]).toMatchObject({ warcType: 'metadata', offset: 443 });
    const wet = await readAll(corpusPath('cc/whirlwind/whirlwind.warc.wet.gz'));
    expect(wet.records[1]).toMatchObject({ warcType: 'conversion', offset: 466 });
  });

  it('parses Common Crawl range replies at the offsets the CC index gave', () => {
    const dir = 'cc/cdx_toolkit-range-fetch';
    const rows = readFileSync(corpusPath(`${dir}/ranges.tsv`), 'utf8')
      .split('\n')
      .filter(Boolean);
    const files = corpusWarcFiles().filter((f) => f.startsWith(dir));
    expect(files).toHaveLength(3);
    for (const file of files) {
      const m = /_(\d+)_(\d+)\.warc\.gz$/.exec(file)!;
      const [offset, length] = [Number(m[1]), Number(m[2])];
      expect(rows.some((row) => row.includes(String(offset)) && row.includes(String(length)))).toBe(true);
      const bytes = readFileSync(corpusPath(file));
      expect(bytes.length).toBe(length);
      const url = `https://data.commoncrawl.org/${file}`;
      const item = parseWarcRecordBytes(bytes, url, offset);
      expect(isReadError(item)).toBe(false);
      const r = item as WarcRecord;
      expect(r).toMatchObject({ source: url, offset, length, offsetKind: 'file', warcType: 'response' });
      expect(r.notes).toEqual([]);
    }
  });

  it('gives the misaligned gzip members of example-wrong-chunks sensible ranges', async () => {
    // Members: [0,516) response headers, [516,1130) response body, [1130,1575) CRLFCRLF + request.
    const path = corpusPath('edge-cases/warcio/example-wrong-chunks.warc.gz');
    const { records } = await readAll(path);
    expect(records.map((r) => [r.warcType, r.offset, r.length, r.offsetKind])).toEqual([
      ['response', 0, 1130, 'file'],
      ['request', 1130, 445, 'file'],
    ]);
    expect(statSync(path).size).toBe(1575);
    expect(Buffer.from(records[0].payload!).toString('utf8')).toMatch(/^<!doctype html>[\s\S]*<\/html>\n$/);
  });
});

/**
 * Truncated and corrupt input: errors are items with file offsets, and reading
 * resynchronises so the records after the damage are still read.
 *
 * Real damaged files from the corpus first; then damage applied to copies of
 * real files in a temp dir (these derived fixtures are named "damaged-*").
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { isReadError, type WarcRecord } from '../../src/core/types.js';
import { parseWarcRecordBytes, readRecordAt } from '../../src/sources/warc/index.js';
import { corpusPath, readAll, recordKey } from './corpus.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'ccaudit-warc-corrupt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, bytes: Uint8Array): string => {
  const p = path.join(tmp, name);
  writeFileSync(p, bytes);
  return p;
};

describe('real damaged files', () => {
  it('clipped.warc.gz: the cut record with what was read, then a truncated-gzip error', async () => {
    const { items } = await readAll(corpusPath('edge-cases/resiliparse/clipped.warc.gz'));
    expect(items).toHaveLength(2);
    const r = items[0] as WarcRecord;
    expect(r.warcType).toBe('response');
    expect(r.payloadTruncated).toBe(true);
    // PROVENANCE: "leaving 75207 of 88275 declared bytes"
    expect(r.notes).toContain('record cut short: 75207 of 88275 declared block bytes present');
    expect(Buffer.from(r.payload!).toString('utf8')).toMatch(/^<!DOCTYPE html>/);
    expect(items[1]).toMatchObject({ kind: 'error', code: 'truncated-gzip', offset: 0, offsetKind: 'file' });
  });

  it('example-trunc.warc: junk at 2560 reported, the request after it still read', async () => {
    const { items } = await readAll(corpusPath('edge-cases/warcio/example-trunc.warc'));
    expect(items.map((i) => (isReadError(i) ? `error:${i.code}@${i.offset}` : `${i.warcType}@${i.offset}`))).toEqual([
      'warcinfo@0',
      'warcinfo@488',
      'response@1197',
      'error:junk@2560',
      'request@2566',
    ]);
    const junk = items[3];
    expect(isReadError(junk) && junk.message).toMatch(/\\x00\\x00.*6 bytes skipped/);
  });

  it('broken.warc: a too-small Content-Length leaves junk to the end of the file', async () => {
    const { records, errors } = await readAll(corpusPath('edge-cases/ipwb/broken.warc'));
    expect(records).toHaveLength(6);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/^bytes where a WARC record should start: "1 200 OK\\r\\nDate/);
    expect(errors[0].message).toContain('336 bytes skipped');
    const last = records[5];
    expect(last.notes).toContain('unexpected bytes after the record block: Content-Length may be wrong');
    expect(last.httpStatus).toBeNull(); // the 7-byte block is just "HTTP/1."
  });

  it('gowarc corrupted files: every record of the whole-file member, then the junk', async () => {
    const mid = await readAll(corpusPath('edge-cases/gowarc/corrupted-mid-record.warc.gz.open'));
    expect(mid.records).toHaveLength(12);
    expect(mid.errors[0].message).toMatch(/"CORRUPTED_GZIP_STREAM_DATA_INVAL.*skipped 34 bytes to the end of the file/);
    const trailing = await readAll(corpusPath('edge-cases/gowarc/corrupted-trailing-bytes.warc.gz.open'));
    expect(trailing.records).toHaveLength(30);
    expect(trailing.items[trailing.items.length - 1]).toMatchObject({ kind: 'error', code: 'junk', offset: 2362 });
  });
});

describe('damage applied to real files', () => {
  const gz = readFileSync(corpusPath('cc/resiliparse/warcfile.warc.gz'));
  const plain = readFileSync(corpusPath('cc/resiliparse/warcfile.warc'));

  it('a corrupt gzip member: one error at its offset, the other 49 records intact', async () => {
    const good = await readAll(corpusPath('cc/resiliparse/warcfile.warc.gz'));
    const victim = good.records[10];
    const damaged = Buffer.from(gz);
    // Overwrite 64 bytes of deflate data in the middle of member 10.
    const at = victim.offset + Math.floor(victim.length / 2);
    damaged.fill(0xff, at, at + 64);
    const file = write('damaged-member.warc.gz', damaged);
    const { records, errors } = await readAll(file);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'bad-gzip', offset: victim.offset, offsetKind: 'file' });
    expect(errors[0].message).toContain(`skipped ${victim.length} bytes to the next gzip member at ${victim.offset + victim.length}`);
    const others = records.filter((r) => r.recordId !== victim.recordId);
    expect(others.map(recordKey)).toEqual(good.records.filter((r) => r !== victim).map(recordKey));
    // Whatever could be salvaged from the damaged member is flagged.
    for (const r of records.filter((r) => r.recordId === victim.recordId)) expect(r.payloadTruncated).toBe(true);
  });

  it('junk between gzip members: reported with its length, every record still read and re-readable', async () => {
    const good = await readAll(corpusPath('cc/resiliparse/warcfile.warc.gz'));
    const cut = good.records[25].offset;
    const junk = Buffer.from('NOT A GZIP MEMBER\n\x00\x00');
    const file = write('damaged-junk.warc.gz', Buffer.concat([gz.subarray(0, cut), junk, gz.subarray(cut)]));
    const { records, errors } = await readAll(file);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'junk', offset: cut, offsetKind: 'file' });
    expect(errors[0].message).toContain(`skipped ${junk.length} bytes to the next gzip member at ${cut + junk.length}`);
    expect(records.map((r) => r.recordId)).toEqual(good.records.map((r) => r.recordId));
    expect(records[25].offset).toBe(cut + junk.length);
    const again = (await readRecordAt(file, records[25].offset, records[25].length)) as WarcRecord;
    expect(recordKey(again)).toEqual(recordKey(records[25]));
  });

  it('a Content-Length too large in one gzip member does not swallow the records after it', async () => {
    const good = await readAll(corpusPath('cc/resiliparse/warcfile.warc.gz'));
    const victim = good.records[12];
    const member = gunzipSync(gz.subarray(victim.offset, victim.offset + victim.length)).toString('latin1');
    const declared = Number(/Content-Length: (\d+)/.exec(member)![1]);
    const inflated = member.replace(`Content-Length: ${declared}`, `Content-Length: ${declared + 5000}`);
    const replacement = gzipSync(Buffer.from(inflated, 'latin1'));
    const file = write(
      'damaged-length.warc.gz',
      Buffer.concat([gz.subarray(0, victim.offset), replacement, gz.subarray(victim.offset + victim.length)]),
    );
    const { records, errors } = await readAll(file);
    expect(records.map((r) => r.recordId)).toEqual(good.records.map((r) => r.recordId));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'bad-length', offset: victim.offset, offsetKind: 'file' });
    const cut = records[12];
    expect(cut).toMatchObject({ offset: victim.offset, length: replacement.length, payloadTruncated: true });
    const shift = replacement.length - victim.length;
    expect(records.slice(13).map((r) => r.offset)).toEqual(good.records.slice(13).map((r) => r.offset + shift));
  });

  it('a per-record gzip file cut inside a member: earlier records, then a truncated-gzip error', async () => {
    const good = await readAll(corpusPath('cc/resiliparse/warcfile.warc.gz'));
    const victim = good.records[20];
    const file = write('damaged-cut.warc.gz', gz.subarray(0, victim.offset + Math.floor(victim.length * 0.6)));
    const { items, records } = await readAll(file);
    expect(records.slice(0, 20).map(recordKey)).toEqual(good.records.slice(0, 20).map(recordKey));
    const last = items[items.length - 1];
    expect(last).toMatchObject({ kind: 'error', code: 'truncated-gzip', offset: victim.offset, offsetKind: 'file' });
    if (records.length === 21) {
      expect(records[20].recordId).toBe(victim.recordId);
      expect(records[20].payloadTruncated).toBe(true);
    }
  });

  it('an uncompressed file cut inside a block: the partial record, then a truncated-record error', async () => {
    const good = await readAll(corpusPath('cc/resiliparse/warcfile.warc'));
    const victim = good.records.find((r) => r.warcType === 'response' && r.length > 20_000)!;
    const index = good.records.indexOf(victim);
    const file = write('damaged-cut.warc', plain.subarray(0, victim.offset + 10_000));
    const { items, records } = await readAll(file);
    expect(records).toHaveLength(index + 1);
    const partial = records[index];
    expect(partial.recordId).toBe(victim.recordId);
    expect(partial.payloadTruncated).toBe(true);
    expect(partial.payload!.length).toBeGreaterThan(5_000);
    expect(Buffer.compare(Buffer.from(partial.payload!), Buffer.from(victim.payload!.subarray(0, partial.payload!.length)))).toBe(0);
    expect(items[items.length - 1]).toMatchObject({ kind: 'error', code: 'truncated-record', offset: victim.offset });
  });

  it('junk between uncompressed records: one error, then back in sync', async () => {
    const good = await readAll(corpusPath('cc/resiliparse/warcfile.warc'));
    const cut = good.records[7].offset;
    const junk = Buffer.from('garbage line\r\nmore garbage WARC/1.0 not at a line start\r\n');
    const file = write('damaged-junk.warc', Buffer.concat([plain.subarray(0, cut), junk, plain.subarray(cut)]));
    const { records, errors } = await readAll(file);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'junk', offset: cut });
    expect(errors[0].message).toContain(`(${junk.length} bytes skipped)`);
    expect(records.map((r) => r.recordId)).toEqual(good.records.map((r) => r.recordId));
  });

  it('a whole-file gzip cut half way (sync and streaming inflate): records before the cut, then an error', async () => {
    const whole = gzipSync(plain);
    const file = write('damaged-whole-cut.warc.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    const good = await readAll(corpusPath('cc/resiliparse/warcfile.warc'));
    for (const opts of [{}, { maxSyncMemberBytes: 4096 }]) {
      const { items, records } = await readAll(file, opts);
      expect(records.length).toBeGreaterThan(5);
      const complete = records.filter((r) => !r.payloadTruncated);
      expect(complete.map((r) => r.recordId)).toEqual(good.records.slice(0, complete.length).map((r) => r.recordId));
      expect(complete.every((r) => r.offsetKind === 'uncompressed')).toBe(true);
      // uncompressed offsets of a whole-file gzip are the offsets in the plain file
      expect(complete.map((r) => r.offset)).toEqual(good.records.slice(0, complete.length).map((r) => r.offset));
      expect(items[items.length - 1]).toMatchObject({ kind: 'error', code: 'truncated-gzip', offset: 0 });
    }
  });

  it('bare-LF WARC header lines and trailers (example.warc rewritten) read the same records', async () => {
    const good = await readAll(corpusPath('edge-cases/warcio/example.warc'));
    const src = readFileSync(corpusPath('edge-cases/warcio/example.warc'));
    const parts: Buffer[] = [];
    for (const r of good.records) {
      const rec = src.subarray(r.offset, r.offset + r.length);
      const headEnd = rec.indexOf('\r\n\r\n') + 4;
      const length = Number(/Content-Length: (\d+)/.exec(rec.subarray(0, headEnd).toString('latin1'))![1]);
      parts.push(Buffer.from(rec.subarray(0, headEnd).toString('latin1').replace(/\r\n/g, '\n'), 'latin1'));
      parts.push(rec.subarray(headEnd, headEnd + length), Buffer.from('\n\n'));
    }
    const file = write('variant-lf.warc', Buffer.concat(parts));
    const { records, errors } = await readAll(file);
    expect(errors).toEqual([]);
    const strip = (r: WarcRecord) => ({ ...recordKey(r), offset: 0, length: 0 });
    expect(records.map(strip)).toEqual(good.records.map(strip));
  });

  it('an empty file yields nothing', async () => {
    const { items } = await readAll(write('empty.warc.gz', new Uint8Array(0)));
    expect(items).toEqual([]);
  });
});

describe('parseWarcRecordBytes never throws on bad bytes', () => {
  it('returns error items for garbage, empty and cut ranges', () => {
    const src = 'https://example.invalid/x.warc.gz';
    expect(parseWarcRecordBytes(new Uint8Array(0), src, 5)).toMatchObject({ kind: 'error', code: 'no-record', offset: 5 });
    const garbage = parseWarcRecordBytes(Buffer.from('<html>not a warc</html>'), src, 100);
    expect(garbage).toMatchObject({ kind: 'error', code: 'junk', offset: 100, offsetKind: 'file' });
    const member = readFileSync(corpusPath('cc/cdx_toolkit-range-fetch/CC-MAIN-20250802220907-20250803010907-00970_34323482_1219.warc.gz'));
    const cut = parseWarcRecordBytes(member.subarray(0, 600), src, 34323482);
    // A range cut inside the member yields the part that could be inflated, flagged, or an error.
    if (isReadError(cut)) expect(cut.code).toMatch(/truncated/);
    else {
      expect(cut.payloadTruncated).toBe(true);
      expect(cut.notes.some((n) => n.includes('truncated-gzip'))).toBe(true);
    }
    const badMagic = Buffer.from(member);
    badMagic[20] ^= 0xff;
    badMagic[21] ^= 0xff;
    const bad = parseWarcRecordBytes(badMagic, src, 0);
    expect(isReadError(bad) || (bad as WarcRecord).notes.length > 0).toBe(true);
  });
});

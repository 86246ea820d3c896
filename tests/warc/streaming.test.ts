/**
 * The streaming inflate path (members too big for one native call) gives the
 * same items as the one-call path, and reading large inputs keeps memory
 * bounded. Large inputs are built in a temp dir from real corpus files
 * (concatenated, or gzipped as one member); no timing assertions.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { isReadError, type WarcItem } from '../../src/core/types.js';
import { readWarcFile } from '../../src/sources/warc/index.js';
import { corpusPath, corpusWarcFiles, readAll, recordKey } from './corpus.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'ccaudit-warc-stream-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function key(item: WarcItem): unknown {
  return isReadError(item) ? { error: item.code, offset: item.offset, kind: item.offsetKind } : recordKey(item);
}

/** Read a file, dropping items as they come, and report how far RSS rose above where it started. */
async function rssGrowth(file: string, opts?: Parameters<typeof readWarcFile>[1]): Promise<{ records: number; errors: number; growthMb: number }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  let records = 0;
  let errors = 0;
  for await (const item of readWarcFile(file, opts)) {
    if (isReadError(item)) errors++;
    else records++;
    if ((records & 255) === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { records, errors, growthMb: (peak - base) / 2 ** 20 };
}

describe('streaming inflate path', () => {
  const gzipFiles = corpusWarcFiles().filter((f) =>
    readFileSync(corpusPath(f))
      .subarray(0, 2)
      .equals(Buffer.from([0x1f, 0x8b])),
  );

  it.each(gzipFiles)('%s reads the same with every member streamed', async (file) => {
    const oneCall = await readAll(corpusPath(file));
    const streamed = await readAll(corpusPath(file), { maxSyncMemberBytes: 1024 });
    expect(streamed.items.map(key)).toEqual(oneCall.items.map(key));
  });

  it('streams a large whole-file gzip made from real records, offsets = plain-file offsets', async () => {
    // 60 copies of the real CC extract (33 MB uncompressed) gzipped as ONE member.
    const plain = path.join(tmp, 'cc-x60.warc');
    const unit = readFileSync(corpusPath('cc/resiliparse/warcfile.warc'));
    writeFileSync(plain, unit);
    for (let i = 1; i < 60; i++) appendFileSync(plain, unit);
    const whole = path.join(tmp, 'cc-x60-whole.warc.gz');
    await pipeline(createReadStream(plain), createGzip(), createWriteStream(whole));
    expect(statSync(whole).size).toBeGreaterThan(2 * 2 ** 20); // bigger than one native call handles

    const plainRead = await readAll(plain);
    const { items, records, errors } = await readAll(whole);
    expect(errors).toEqual([]);
    expect(records).toHaveLength(60 * 50);
    expect(records.every((r) => r.offsetKind === 'uncompressed')).toBe(true);
    expect(records.map((r) => [r.offset, r.length, r.recordId])).toEqual(plainRead.records.map((r) => [r.offset, r.length, r.recordId]));
    // resume deep inside the single member
    const k = 2345;
    const resumed = await readAll(whole, { startOffset: records[k].offset });
    expect(resumed.items.map(key)).toEqual(items.slice(k).map(key));

    const mem = await rssGrowth(whole);
    expect(mem.records).toBe(3000);
    expect(mem.growthMb).toBeLessThan(120);
  });
});

describe('early exit', () => {
  const openFds = (): number => readdirSync('/proc/self/fd').length;

  it('closes the file when the consumer stops early, in both inflate paths', async () => {
    const file = corpusPath('recent/warc2zim/solidaritenum.warc.gz');
    const before = openFds();
    for (const opts of [{}, { maxSyncMemberBytes: 1024 }]) {
      let n = 0;
      for await (const item of readWarcFile(file, opts)) {
        if (!isReadError(item)) n++;
        if (n === 5) break;
      }
      expect(n).toBe(5);
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(openFds()).toBeLessThanOrEqual(before);
  });
});

describe('bounded memory', () => {
  it('reads ~60 MB of real per-record-gzip CC records without RSS growing with the file', async () => {
    const unit = readFileSync(corpusPath('cc/resiliparse/warcfile.warc.gz'));
    const file = path.join(tmp, 'cc-x450.warc.gz');
    writeFileSync(file, unit);
    for (let i = 1; i < 450; i++) appendFileSync(file, unit);
    const mem = await rssGrowth(file);
    expect(mem).toMatchObject({ records: 450 * 50, errors: 0 });
    // ~245 MB decompressed passes through; the reader holds one window and one record at a time.
    expect(mem.growthMb).toBeLessThan(120);
  });

  it('reads a ~55 MB uncompressed WARC in bounded memory', async () => {
    const unit = readFileSync(corpusPath('cc/resiliparse/warcfile.warc'));
    const file = path.join(tmp, 'cc-x100.warc');
    writeFileSync(file, unit);
    for (let i = 1; i < 100; i++) appendFileSync(file, unit);
    const mem = await rssGrowth(file);
    expect(mem).toMatchObject({ records: 100 * 50, errors: 0 });
    expect(mem.growthMb).toBeLessThan(120);
  });
});

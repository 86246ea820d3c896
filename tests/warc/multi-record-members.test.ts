/**
 * gzip members holding several records (resiliparse's and warcio's writers do this): record
 * offsets must not depend on where reading started, and a scan stopped in the middle of such
 * a member and resumed must store exactly what an uninterrupted scan stores. The input is a
 * SYNTHETIC re-packing of the real resiliparse test records (tests/warc/layouts.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReadError, type WarcItem, type WarcRecord } from '../../src/core/types.js';
import { scan } from '../../src/pipeline/index.js';
import { readRecordAt, readWarcFile } from '../../src/sources/warc/index.js';
import { storeRows } from './db-rows.js';
import { buildLayout, rawRecords } from './layouts.js';

let dir: string;
let file: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ccaudit-members-'));
  file = path.join(dir, 'pairs.warc.gz');
  // 50 real records × 8 = 400 records; pairs 0, 2, 4 … share one member.
  writeFileSync(file, buildLayout(await rawRecords('cc/resiliparse/warcfile.warc'), 'pairs', 8));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function items(startOffset?: number): Promise<WarcItem[]> {
  const out: WarcItem[] = [];
  for await (const it of readWarcFile(file, startOffset === undefined ? {} : { startOffset, startOffsetKind: 'file' })) out.push(it);
  return out;
}

const key = (it: WarcItem) => (isReadError(it) ? `error ${it.code} ${it.offsetKind}:${it.offset}` : `${it.offsetKind}:${it.offset} ${it.recordId}`);

describe('records in multi-record gzip members', () => {
  it('have unique offsets that do not depend on where reading started', async () => {
    const full = await items();
    expect(full.filter(isReadError)).toEqual([]);
    const keys = full.map(key);
    expect(new Set(full.map((r) => (r as WarcRecord).offset)).size).toBe(400);
    // Only the first member counts in decompressed coordinates; later shared members use member offset + index.
    expect(full.filter((r) => r.offsetKind === 'uncompressed')).toHaveLength(2);
    expect(full.filter((r) => r.offsetKind === 'member')).toHaveLength(198); // 100 shared members of 2, the first one in decompressed offsets
    for (let i = 0; i < full.length; i += 7) {
      const r = full[i] as WarcRecord;
      expect(r.resumeOffset).toBeTypeOf('number');
      const again = (await items(r.resumeOffset)).map(key);
      // Reading from the record's resume point re-reads at most its own member, then exactly the rest.
      const rest = keys.slice(i + 1);
      expect(again.slice(again.length - rest.length), `resume after item ${i}`).toEqual(rest);
      expect(keys.slice(0, i + 1)).toEqual(expect.arrayContaining(again.slice(0, again.length - rest.length)));
    }
  });

  it('are re-read one by one by readRecordAt', async () => {
    const full = (await items()) as WarcRecord[];
    for (const r of full.filter((_, i) => i % 5 === 1)) {
      const again = (await readRecordAt(file, r.offset, r.length, r.offsetKind)) as WarcRecord;
      expect(again.recordId).toBe(r.recordId);
      expect(again.offset).toBe(r.offset);
      // As read back from the store, where a 'member' offset is kept as 'file'.
      const stored = (await readRecordAt(file, r.offset, r.length, r.offsetKind === 'member' ? 'file' : r.offsetKind)) as WarcRecord;
      expect(stored.recordId).toBe(r.recordId);
    }
  });

  it('are stored once each when a scan is stopped inside a member and resumed', async () => {
    const whole = path.join(dir, 'whole.db');
    await scan({ db: whole, paths: [file], threads: 0 });
    const expected = storeRows(whole);
    expect(expected.records).toHaveLength(400);
    const resumed = path.join(dir, 'resumed.db');
    // Stop points (items read per run) chosen to land inside shared members and after single ones.
    for (const stopAt of [37, 81, 130, 155]) {
      let n = 0;
      const s = await scan({ db: resumed, paths: [file], threads: 0, shouldStop: () => ++n > stopAt });
      expect(s.status).toBe('interrupted');
    }
    const last = await scan({ db: resumed, paths: [file], threads: 0 });
    expect(last.status).toBe('completed');
    expect(storeRows(resumed)).toEqual(expected);
  });

  it('whole-file gzip resumes from its start without extracting stored records again', async () => {
    const whole = path.join(dir, 'whole-file.warc.gz');
    writeFileSync(whole, buildLayout(await rawRecords('cc/resiliparse/warcfile.warc'), 'whole-file', 4));
    const once = path.join(dir, 'whole-once.db');
    const all = await scan({ db: once, paths: [whole], threads: 0 });
    const db = path.join(dir, 'whole-resumed.db');
    let n = 0;
    const first = await scan({ db, paths: [whole], threads: 0, shouldStop: () => ++n > 90 });
    expect(first.status).toBe('interrupted');
    const rest = await scan({ db, paths: [whole], threads: 0 });
    expect(rest.recordsRead).toBe(200); // read again from the member start …
    expect(first.htmlDocuments + rest.htmlDocuments).toBe(all.htmlDocuments); // … but each page extracted once
    expect(storeRows(db)).toEqual(storeRows(once));
  });
});

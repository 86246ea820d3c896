import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { buildReport, openStore, scan } from '../../src/index.js';
import { countDuplicateDocuments } from '../../src/store/index.js';
import { reportDocuments } from '../../src/store/report-queries.js';
import { ROOT } from '../support/run-cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ccaudit-dups-'));

// A real wget WARC with one HTML page (crawled 2025-04), uncompressed so headers can be edited.
const original = gunzipSync(readFileSync(path.join(ROOT, 'samples/warc/recent/warcbench/fb.warc.gz'))).toString('latin1');
/** The same bytes with every WARC-Record-ID changed (same length, so framing is unchanged). */
const newIds = (warc: string, c: string) => warc.replace(/urn:uuid:[0-9A-F]/g, `urn:uuid:${c}`);

describe('exact duplicates are stored but counted once', () => {
  it('the same record id, or the same payload in the same crawl month, is left out of the shares and counted', async () => {
    const file = path.join(tmp, 'repeated.warc');
    const sameIds = original;
    const samePayloadNewIds = newIds(original, 'Z');
    // Same payload, new ids, but another crawl month: a separate observation, not a duplicate.
    const otherMonth = newIds(original, 'Y').replaceAll('WARC-Date: 2025-04-', 'WARC-Date: 2025-06-');
    writeFileSync(file, Buffer.from(original + sameIds + samePayloadNewIds + otherMonth, 'latin1'));
    const db = path.join(tmp, 'dups.db');
    const summary = await scan({ db, paths: [file], threads: 0 });
    expect(summary.htmlDocuments).toBe(4);

    const store = openStore(db, { readonly: true });
    try {
      expect(countDuplicateDocuments(store)).toBe(2);
      const kept = [...reportDocuments(store, { by: 'month', dateBasis: 'crawl', detectors: [], withText: false })];
      expect(kept.map((d) => d.group)).toEqual(['2025-04', '2025-06']);
      const report = await buildReport(store, { by: 'month', dateBasis: 'crawl', minDocs: 1, replicates: 20 });
      expect(report.duplicates).toBe(2);
      expect(report.notes).toContain('2 exact duplicate documents left out (the same WARC-Record-ID, or the same payload in the same crawl month).');
      expect(report.groups.map((g) => [g.key, g.documents])).toEqual([
        ['2025-04', 1],
        ['2025-06', 1],
      ]);
    } finally {
      store.close();
    }
  }, 120_000);
});

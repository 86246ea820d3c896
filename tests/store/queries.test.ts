import { describe, expect, it } from 'vitest';
import {
  documentsByLang,
  documentsByMonth,
  errorCountsByCode,
  hasRecord,
  listErrors,
  listRuns,
  listSources,
  monthOf,
  openStore,
  urlParts,
  StoreWriter,
  totals,
} from '../../src/store/index.js';
import { useTempDir } from './helpers.js';
import { syntheticDocument, syntheticOffsets, syntheticReadError, syntheticRecord } from './fixtures/synthetic.js';

const tempPath = useTempDir();

describe('queries', () => {
  it('counts by source, run, month, language and lists errors', () => {
    const store = openStore(tempPath('q.db'));
    const w = new StoreWriter(store, { batchSize: 8 });
    const run1 = w.beginRun('scan', ['a']);
    for (const source of ['/data/a.warc.gz', '/data/b.warc.gz']) {
      syntheticOffsets(20).forEach((offset, i) => {
        w.add(syntheticRecord(source, i, offset), i % 10 === 9 ? null : syntheticDocument(i, 100));
        if (i % 6 === 0) w.addError(syntheticReadError(source, offset, i % 12 === 0 ? 'junk' : 'bad-header'));
      });
    }
    w.finishRun(run1, 'completed');
    const run2 = w.beginRun('scan', ['b']);
    w.addError(syntheticReadError('/data/a.warc.gz', 999_999, 'truncated-gzip'));
    w.finishRun(run2, 'interrupted');

    expect(totals(store)).toMatchObject({ sources: 2, records: 40, documents: 36, errors: 9 });
    expect(listSources(store).map((s) => [s.path, s.records, s.documents, s.errors])).toEqual([
      ['/data/a.warc.gz', 20, 18, 5],
      ['/data/b.warc.gz', 20, 18, 4],
    ]);
    expect(listRuns(store).map((r) => [r.id, r.status, r.recordsAdded, r.errorsAdded])).toEqual([
      [run2, 'interrupted', 0, 1],
      [run1, 'completed', 40, 8],
    ]);

    // Synthetic months cycle over 5 values: records i%5 → crawl month.
    const byCrawl = documentsByMonth(store);
    expect(byCrawl.map((m) => m.month)).toEqual(['2019-03', '2021-11', '2023-01', '2023-06', '2024-05']);
    expect(byCrawl.reduce((s, m) => s + m.documents, 0)).toBe(36);
    const byPub = documentsByMonth(store, { by: 'publication' });
    expect(byPub.at(-1)).toMatchObject({ month: null }); // undated documents last
    expect(byPub.reduce((s, m) => s + m.documents, 0)).toBe(36);
    const german = documentsByMonth(store, { lang: 'deu' });
    expect(german.reduce((s, m) => s + m.documents, 0)).toBe(8);
    expect(documentsByLang(store)).toEqual([
      { lang: 'eng', documents: 28 },
      { lang: 'deu', documents: 8 },
    ]);

    const page1 = listErrors(store, { limit: 4 });
    expect(page1).toHaveLength(4);
    const page2 = listErrors(store, { limit: 100, afterId: page1.at(-1)!.id });
    expect(page1.length + page2.length).toBe(9);
    expect(listErrors(store, { runId: run2 })).toEqual([
      expect.objectContaining({ source: '/data/a.warc.gz', offset: 999_999, code: 'truncated-gzip', runId: run2 }),
    ]);
    expect(listErrors(store, { code: 'junk', sourceId: 2 })).toHaveLength(2);
    expect(errorCountsByCode(store)).toEqual([
      { code: 'bad-header', count: 4 },
      { code: 'junk', count: 4 },
      { code: 'truncated-gzip', count: 1 },
    ]);
    expect(errorCountsByCode(store, run2)).toEqual([{ code: 'truncated-gzip', count: 1 }]);

    expect(hasRecord(store, '/data/b.warc.gz', syntheticOffsets(3)[2])).toBe(true);
    expect(hasRecord(store, '/data/b.warc.gz', 1)).toBe(false);
    store.close();
  });
});

describe('derived columns', () => {
  it('splits hosts simply', () => {
    expect(urlParts('https://WWW.Example.co.uk./a?b')).toEqual({ host: 'www.example.co.uk', domain: 'example.co.uk', tld: 'uk' });
    expect(urlParts('http://192.168.1.10:8080/x')).toEqual({ host: '192.168.1.10', domain: '192.168.1.10', tld: null });
    expect(urlParts('http://[::1]/')).toEqual({ host: '[::1]', domain: '[::1]', tld: null });
    expect(urlParts('http://localhost/')).toEqual({ host: 'localhost', domain: 'localhost', tld: null });
    expect(urlParts('not a url')).toEqual({ host: null, domain: null, tld: null });
    expect(urlParts(null)).toEqual({ host: null, domain: null, tld: null });
  });

  it('takes YYYY-MM from ISO dates only', () => {
    expect(monthOf('2024-05-18T01:58:10Z')).toBe('2024-05');
    expect(monthOf('2024-05-18')).toBe('2024-05');
    expect(monthOf('2024-05')).toBe('2024-05');
    expect(monthOf('2024')).toBeNull();
    expect(monthOf('2024-13-01')).toBeNull();
    expect(monthOf('18 May 2024')).toBeNull();
    expect(monthOf(null)).toBeNull();
  });
});

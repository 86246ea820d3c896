import { describe, expect, it } from 'vitest';
import { crawlOfSource } from '../../src/store/report-queries.js';
import { seriesOf } from '../../src/estimate/model.js';
import { commonFailure } from '../../src/report/format.js';
import { noEstimate, okEstimate } from '../../src/estimate/types.js';
import type { GroupResult } from '../../src/estimate/aggregate.js';

describe('report model helpers', () => {
  it('names the crawl of a source by its Common Crawl id, else by file name', () => {
    expect(crawlOfSource('/data/CC-MAIN-2024-10/segments/x/warc/CC-MAIN-20240220211055-20240221001055-00000.warc.gz')).toBe('CC-MAIN-2024-10');
    expect(crawlOfSource('https://data.commoncrawl.org/crawl-data/CC-MAIN-2025-13/segments/a.warc.gz')).toBe('CC-MAIN-2025-13');
    expect(crawlOfSource('/tmp/my-archive.warc.gz')).toBe('my-archive.warc.gz');
  });

  it('puts only numeric estimates of valid months into the collapse series', () => {
    const ok = okEstimate({ method: 'corrected:x', kind: 'corrected', detector: 'x', share: 0.2, lo: 0.1, hi: 0.3, level: 0.95, n: 50 });
    const group = (key: string): GroupResult => ({
      key,
      documents: 50,
      dateSources: {},
      tooFew: false,
      disagreements: [],
      estimates: [ok, noEstimate('mixture', 'mixture', null, 'no-data', 0, 0.95)],
    });
    expect(seriesOf([group('2024-01'), group('2024-13'), group('eng')])).toEqual([
      { period: '2024-01', share: 0.2, lo: 0.1, hi: 0.3, n: 50, method: 'corrected:x' },
    ]);
  });

  it('widens a percentile interval that misses its own point estimate', () => {
    const e = okEstimate({ method: 'm', kind: 'mixture', detector: null, share: 0.05, lo: 0.06, hi: 0.2, level: 0.95, n: 10 });
    expect([e.lo, e.share, e.hi]).toEqual([0.05, 0.05, 0.2]);
  });

  it('summarises a group whose estimators all fail for one reason', () => {
    const few = noEstimate('a', 'naive', 'a', 'too-few-documents', 3, 0.95);
    const none = noEstimate('b', 'mixture', null, 'no-data', 0, 0.95);
    expect(commonFailure([few, none], 30)).toBe('too few scored documents (minimum 30)');
    expect(commonFailure([none, none], 30)).toBe('no scored documents');
    expect(commonFailure([noEstimate('c', 'corrected', 'c', 'uncalibrated', 40, 0.95), none], 30)).toBeNull();
  });
});

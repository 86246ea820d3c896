/**
 * Baseline strata (src/sources/commoncrawl/baseline-strata.ts), crawl choice before the cutoff
 * (src/pipeline/baseline-sample.ts) and baseline sample keys (src/store/sample.ts): pure functions,
 * checked on hand-made cell counts (synthetic, named so), Common Crawl's real collinfo.json and
 * real index lines (/work/shared/corpora/warc).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  allocateBaseline,
  BaselineStrataError,
  indexLanguage,
  largestRemainder,
  parseMatchStrata,
  type StratumCell,
} from '../../src/sources/commoncrawl/baseline-strata.js';
import { BaselineUsageError, endsBeforeCutoff, parseCutoff, selectBaselineCrawls } from '../../src/pipeline/baseline-sample.js';
import { parseCdxjLine, urlHost, type CdxRecord } from '../../src/sources/commoncrawl/cdxj.js';
import { CollinfoError, parseCollinfo } from '../../src/sources/commoncrawl/collinfo.js';
import { indexWarcFile, formatEntry } from '../../src/sources/commoncrawl/index-writer.js';
import { matchesFilter, normalizeFilter, sampleKey, shuffle } from '../../src/sources/commoncrawl/sampler.js';
import { Rng } from '../../src/core/rng.js';
import { baselineKeyPrefix, isBaselineSampleKey, parseBaselineSampleKey } from '../../src/store/baseline-samples.js';
import { DEFAULT_CUTOFF } from '../../src/store/baseline-queries.js';

const CORPUS = '/work/shared/corpora/warc';
const collinfo = parseCollinfo(JSON.parse(readFileSync(`${CORPUS}/index/collinfo.json`, 'utf8')));

describe('largestRemainder', () => {
  it('sums to the total exactly and stays within one of the exact share, for many random weight vectors', () => {
    const rng = Rng.fromText('apportion');
    for (let t = 0; t < 500; t++) {
      const n = 1 + rng.int(30);
      const weights = Array.from({ length: n }, () => (rng.int(4) === 0 ? 0 : rng.uniform() * 1000));
      // An explicit boolean: an inferred type predicate would narrow weights to 0[] here.
      if (weights.every((w): boolean => w === 0)) weights[0] = 1;
      const total = rng.int(5000);
      const q = largestRemainder(weights, total);
      const sum = weights.reduce((a, b) => a + b, 0);
      expect(q.reduce((a, b) => a + b, 0)).toBe(total);
      q.forEach((x, i) => {
        const exact = (weights[i] * total) / sum;
        expect(Number.isInteger(x)).toBe(true);
        expect(x).toBeGreaterThanOrEqual(Math.floor(exact));
        expect(x).toBeLessThanOrEqual(Math.ceil(exact));
      });
    }
  });

  it('gives the leftover units to the largest remainders (worked example), ties to the larger weight', () => {
    // 17:10:6 of 8 → 4.12, 2.42, 1.45: floors 4+2+1 = 7, the last unit to remainder .45.
    expect(largestRemainder([17, 10, 6], 8)).toEqual([4, 2, 2]);
    // Equal remainders (.5 each): the larger weight first, then the earlier index.
    expect(largestRemainder([1, 3], 2)).toEqual([0, 2]);
    expect(largestRemainder([1, 1], 1)).toEqual([1, 0]);
    expect(largestRemainder([0, 0], 0)).toEqual([0, 0]);
    expect(() => largestRemainder([0, 0], 3)).toThrow(RangeError);
    expect(() => largestRemainder([1, -1], 3)).toThrow(RangeError);
  });
});

/** Synthetic audited cell counts (hand-made for the test, not measured). */
const SYNTHETIC: StratumCell[] = [
  { lang: 'eng', tld: 'com', count: 620 },
  { lang: 'eng', tld: 'org', count: 140 },
  { lang: 'eng', tld: 'cat', count: 4 },
  { lang: 'eng', tld: 'io', count: 15 },
  { lang: 'eng', tld: 'me', count: 13 },
  { lang: 'deu', tld: 'de', count: 90 },
  { lang: 'deu', tld: 'at', count: 9 },
  { lang: 'cmn', tld: 'cn', count: 50 },
  { lang: 'fra', tld: 'fr', count: 12 },
  { lang: 'und', tld: 'com', count: 30 },
  { lang: 'eng', tld: null, count: 7 },
];

describe('allocateBaseline', () => {
  it('splits the quota proportionally, sums to it exactly and pools cells under the minimum share', () => {
    const a = allocateBaseline(SYNTHETIC, { perCrawl: 1000, minShare: 0.02 });
    const total = SYNTHETIC.reduce((n, c) => n + c.count, 0);
    expect(a.total).toBe(total);
    expect(a.strata.reduce((n, s) => n + s.quota, 0)).toBe(1000);
    for (const s of a.strata) {
      expect(s.share).toBeCloseTo(s.count / total, 12);
      expect(Math.abs(s.quota - 1000 * s.share)).toBeLessThan(1);
    }
    // 2% of 990 = 19.8: eng/com, eng/org, deu/de, zho/cn (cmn mapped) stand alone; eng's rest
    // (cat 4 + io 15 + me 13 + unknown TLD 7 = 39) is "eng/*"; deu/at, fra/fr and und go to "other".
    expect(a.strata.map((s) => [s.id, s.count])).toEqual([
      ['eng/com', 620],
      ['eng/org', 140],
      ['deu/de', 90],
      ['zho/cn', 50],
      ['eng/*', 39],
      ['other', 9 + 12 + 30],
    ]);
    const other = a.strata.find((s) => s.id === 'other')!;
    expect(other.cells).toBe(3);
    expect(other.filter.exclude).toEqual([{ language: 'deu', tlds: ['de'] }, { language: 'eng' }, { language: 'zho', tlds: ['cn'] }]);
    expect(a.strata.find((s) => s.id === 'eng/*')!.filter).toEqual({ languages: ['eng'], exclude: [{ language: 'eng', tlds: ['com', 'org'] }] });
    expect(a.strata.find((s) => s.id === 'zho/cn')!.filter).toEqual({ languages: ['zho'], tlds: ['cn'] });
  });

  it('is deterministic: the input order does not matter', () => {
    const ref = allocateBaseline(SYNTHETIC, { perCrawl: 37, minShare: 0.02 });
    const rng = Rng.fromText('order');
    for (let t = 0; t < 20; t++) {
      expect(allocateBaseline(shuffle([...SYNTHETIC], rng), { perCrawl: 37, minShare: 0.02 })).toEqual(ref);
    }
  });

  it('keeps every cell with minShare 0, and pools everything but the biggest with a high one', () => {
    const all = allocateBaseline(SYNTHETIC, { perCrawl: 500, minShare: 0 });
    // Every known (lang, tld) cell stands alone; unknown TLD → eng/*, unknown language → other.
    expect(all.strata.filter((s) => s.kind === 'lang-tld')).toHaveLength(9);
    expect(all.strata.map((s) => s.id)).toContain('eng/*');
    expect(all.strata.at(-1)!.id).toBe('other');
    const coarse = allocateBaseline(SYNTHETIC, { perCrawl: 500, minShare: 0.5 });
    expect(coarse.strata.map((s) => s.id)).toEqual(['eng/com', 'other']);
    expect(coarse.strata.map((s) => s.quota).reduce((a, b) => a + b)).toBe(500);
  });

  it('merges franc individual-language codes into the index macrolanguage codes', () => {
    expect(indexLanguage('cmn')).toBe('zho');
    expect(indexLanguage('pes')).toBe('fas');
    expect(indexLanguage('prs')).toBe('fas');
    expect(indexLanguage('eng')).toBe('eng');
    expect(indexLanguage('und')).toBeNull();
    expect(indexLanguage(null)).toBeNull();
    const a = allocateBaseline(
      [
        { lang: 'pes', tld: 'ir', count: 3 },
        { lang: 'prs', tld: 'ir', count: 1 },
      ],
      { perCrawl: 4 },
    );
    expect(a.strata).toMatchObject([{ id: 'fas/ir', count: 4, quota: 4 }]);
  });

  it('refuses an empty audit (no cells, or only zero counts) with a clear error', () => {
    expect(() => allocateBaseline([], { perCrawl: 10 })).toThrow(BaselineStrataError);
    expect(() => allocateBaseline([], { perCrawl: 10 })).toThrow(/no audited documents/);
    expect(() => allocateBaseline([{ lang: 'eng', tld: 'com', count: 0 }], { perCrawl: 10 })).toThrow(/no audited documents/);
    expect(() => allocateBaseline(SYNTHETIC, { perCrawl: 0 })).toThrow(/positive integer/);
    expect(() => allocateBaseline(SYNTHETIC, { perCrawl: 5, minShare: 1 })).toThrow(/\[0, 1\)/);
  });

  it("strata filters partition real index lines: each eligible line is in exactly one stratum's filter", async () => {
    // Real lines: a CC-MAIN-2024-30 shard excerpt (.fr; fra, eng, ltz …) and the 2020 CC extract
    // (GBK/windows-1251 … pages on .com, .cn, .ch, .ru; zho, deu, rus, nld, eng), indexed here.
    const lines: CdxRecord[] = gunzipSync(readFileSync(`${CORPUS}/index/cdxj/filtered_CC-MAIN-2024-30_cdx-00187.gz`))
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map(parseCdxjLine);
    for await (const e of indexWarcFile(`${CORPUS}/cc/resiliparse/warcfile.warc.gz`, '@')) lines.push(parseCdxjLine(formatEntry(e)));
    const base = normalizeFilter();
    const eligible = lines.filter((r) => matchesFilter(r, base));
    const langs = new Set(eligible.map((r) => r.languages?.[0]));
    expect(langs.size).toBeGreaterThanOrEqual(5);
    const cells: StratumCell[] = [
      { lang: 'fra', tld: 'fr', count: 50 },
      { lang: 'eng', tld: 'fr', count: 20 },
      { lang: 'cmn', tld: 'com', count: 15 },
      { lang: 'deu', tld: 'ch', count: 1 },
      { lang: 'rus', tld: 'ru', count: 8 },
      { lang: 'eng', tld: 'com', count: 2 },
      { lang: 'und', tld: 'org', count: 4 },
    ];
    for (const minShare of [0, 0.03, 0.1, 0.3]) {
      const a = allocateBaseline(cells, { perCrawl: 100, minShare });
      const filters = a.strata.map((s) => ({ id: s.id, f: normalizeFilter({ ...s.filter }) }));
      for (const r of eligible) {
        const hits = filters.filter((x) => matchesFilter(r, x.f)).map((x) => x.id);
        expect(hits, `${r.url} ${r.languages} (minShare ${minShare})`).toHaveLength(1);
        const lang = r.languages?.[0];
        const tld = urlHost(r.url)!.split('.').pop();
        if (a.strata.some((s) => s.id === `${lang}/${tld}`)) expect(hits[0]).toBe(`${lang}/${tld}`);
      }
    }
  });
});

describe('parseMatchStrata', () => {
  it('reads LANG:TLD=W, LANG:*=W and other=W', () => {
    expect(parseMatchStrata(' eng:com=3, eng:*=1.5,cmn:cn=2,other=0.5 ')).toEqual([
      { lang: 'eng', tld: 'com', count: 3 },
      { lang: 'eng', tld: null, count: 1.5 },
      { lang: 'zho', tld: 'cn', count: 2 },
      { lang: null, tld: null, count: 0.5 },
    ]);
    const a = allocateBaseline(parseMatchStrata('eng:com=3,eng:*=1,other=1'), { perCrawl: 10, minShare: 0 });
    expect(a.strata.map((s) => [s.id, s.quota])).toEqual([
      ['eng/com', 6],
      ['eng/*', 2],
      ['other', 2],
    ]);
  });

  it('refuses malformed, duplicate or non-positive entries with the offending text', () => {
    expect(() => parseMatchStrata('')).toThrow(/empty/);
    expect(() => parseMatchStrata('eng:com')).toThrow(/"eng:com" is not LANG:TLD=WEIGHT/);
    expect(() => parseMatchStrata('eng:com=0')).toThrow(/positive weight/);
    expect(() => parseMatchStrata('english:com=1')).toThrow(/"english:com" is not LANG:TLD/);
    expect(() => parseMatchStrata('eng:c.m=1')).toThrow(/is not LANG:TLD/);
    expect(() => parseMatchStrata('eng:com=1,ENG:com=2')).toThrow(/given twice/);
  });
});

describe('baseline crawl choice (Common Crawl collinfo.json, 115 real crawls)', () => {
  it('by default takes the 2 newest crawls whose whole window ends before the cutoff', () => {
    const { crawls } = selectBaselineCrawls(collinfo, { cutoff: DEFAULT_CUTOFF });
    const pre = collinfo.filter((c) => Date.parse(c.to + 'Z') < Date.parse(`${DEFAULT_CUTOFF}T00:00:00Z`));
    const newest = [...pre].sort((a, b) => (a.from < b.from ? 1 : -1)).slice(0, 2);
    expect(crawls.map((c) => c.id)).toEqual(newest.map((c) => c.id).reverse());
    expect(crawls.every((c) => endsBeforeCutoff(c, DEFAULT_CUTOFF))).toBe(true);
    // CC-MAIN-2022-49 starts before the cutoff (2022-11-26) but ends after it: never a baseline crawl.
    const straddling = collinfo.find((c) => c.id === 'CC-MAIN-2022-49')!;
    expect(straddling.from < DEFAULT_CUTOFF && straddling.to > DEFAULT_CUTOFF).toBe(true);
    expect(endsBeforeCutoff(straddling, DEFAULT_CUTOFF)).toBe(false);
    expect(crawls.map((c) => c.id)).not.toContain('CC-MAIN-2022-49');
    expect(selectBaselineCrawls(collinfo, { cutoff: DEFAULT_CUTOFF, count: 5 }).crawls).toHaveLength(5);
  });

  it('takes a month range within the pre-cutoff period and names the crawls it leaves out', () => {
    const r = selectBaselineCrawls(collinfo, { cutoff: DEFAULT_CUTOFF, from: '2022-08', to: '2022-11' });
    expect(r.crawls.every((c) => endsBeforeCutoff(c, DEFAULT_CUTOFF))).toBe(true);
    expect(r.crawls.length).toBeGreaterThan(0);
    const early = selectBaselineCrawls(collinfo, { cutoff: '2022-12-01', from: '2022-09', to: '2022-12' });
    // With the cutoff a day later, 2022-49 (month 2022-12) is in the range but does not end before it.
    expect(early.crawls.map((c) => c.id)).toEqual(['CC-MAIN-2022-40']);
    expect(early.leftOut.map((c) => c.id)).toEqual(['CC-MAIN-2022-49']);
  });

  it('refuses crawls and ranges after the cutoff (usage error), unknown ids and bad dates', () => {
    expect(() => selectBaselineCrawls(collinfo, { cutoff: DEFAULT_CUTOFF, ids: ['CC-MAIN-2023-06'] })).toThrow(BaselineUsageError);
    expect(() => selectBaselineCrawls(collinfo, { cutoff: DEFAULT_CUTOFF, ids: ['CC-MAIN-2022-49'] })).toThrow(
      /CC-MAIN-2022-49 \(2022-11-26 to 2022-12-10\) does not end before the baseline cutoff 2022-11-30/,
    );
    expect(() => selectBaselineCrawls(collinfo, { cutoff: DEFAULT_CUTOFF, from: '2021-01', to: '2023-03' })).toThrow(/--to 2023-03 is after/);
    expect(() => selectBaselineCrawls(collinfo, { cutoff: DEFAULT_CUTOFF, ids: ['CC-MAIN-1999-01'] })).toThrow(CollinfoError);
    expect(() => selectBaselineCrawls(collinfo, { cutoff: '2008-01-01' })).toThrow(/no crawl in collinfo.json ends before/);
    expect(parseCutoff('2022-11-30')).toBe('2022-11-30');
    for (const bad of ['2022-11-31', '2022/11/30', 'yesterday', '2022-1-3']) expect(() => parseCutoff(bad)).toThrow(BaselineUsageError);
  });
});

describe('baseline sample keys', () => {
  it('encode cutoff and stratum, and never look like a normal sample key', () => {
    const hash = sampleKey({ crawl: 'CC-MAIN-2022-40', seed: '1', want: 5, backend: 'zipnum', filter: normalizeFilter() });
    expect(isBaselineSampleKey(hash)).toBe(false);
    for (const stratum of ['eng/com', 'eng/*', 'other', 'zho/xn--fiqs8s']) {
      const key = baselineKeyPrefix('2022-11-30', stratum) + hash;
      expect(key).toBe(`baseline:2022-11-30:${stratum}:${hash}`);
      expect(isBaselineSampleKey(key)).toBe(true);
      expect(parseBaselineSampleKey(key)).toEqual({ cutoff: '2022-11-30', stratum, hash });
    }
    expect(parseBaselineSampleKey(`baseline:2022-11-30:eng/com:${hash}:x`)).toBeNull();
    expect(() => baselineKeyPrefix('2022-11-30', 'eng:com')).toThrow(/stratum id/);
    expect(() => baselineKeyPrefix('30.11.2022', 'other')).toThrow(/cutoff/);
  });

  it('keeps normal sample keys unchanged by the exclusion filter field', () => {
    // The spec hash of a filter without exclusions must not change (stored samples resume).
    const plain = normalizeFilter({ languages: ['eng'] });
    expect('exclude' in plain && plain.exclude !== undefined).toBe(false);
    expect(JSON.stringify(plain)).not.toMatch(/exclude/);
  });
});

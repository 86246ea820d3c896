import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShareCsv, parseShareJson, periodsNoun, readShareFile, selectMethod, ShareInputError } from '../../src/collapse/shares.js';
import { fitLogistic, generationMonth, generationShares, projectShares, trendShare } from '../../src/collapse/trend.js';
import { monthIndex, periodDate } from '../../src/core/months.js';
import { shareAt } from '../../src/collapse/mix.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const dir = mkdtempSync(path.join(tmpdir(), 'ccaudit-shares-'));
const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('share series input', () => {
  it('reads the synthetic JSON and CSV fixtures to the same series', async () => {
    const json = await readShareFile(path.join(FIXTURES, 'synthetic-shares.json'));
    const csv = await readShareFile(path.join(FIXTURES, 'synthetic-shares.csv'));
    expect(json.points).toHaveLength(30);
    expect(json.points).toEqual(csv.points);
    expect(json.method).toBe('corrected');
    expect(json.level).toBe(0.95);
    expect(json.points[0].period).toBe('2023-01');
  });

  it('sorts months, accepts CSV columns in any order with quotes and extra columns', () => {
    const doc = parseShareCsv('method,"period",extra,n,hi,lo,share\ncorrected,2024-02,x,100,0.3,0.1,0.2\n"corrected",2024-01,y,90,0.2,0.05,0.1\n');
    const input = selectMethod(doc, 'mem');
    expect(input.points.map((p) => p.period)).toEqual(['2024-01', '2024-02']);
    expect(input.points[1]).toEqual({ period: '2024-02', share: 0.2, lo: 0.1, hi: 0.3, n: 100, method: 'corrected' });
  });

  it('takes quarters, years and spans of years (report --period), in time order, and refuses overlapping ones', () => {
    const point = (period: string, share: number) => ({ period, share, lo: share / 2, hi: Math.min(1, share * 2), n: 100, method: 'headline' });
    const input = selectMethod({ series: [point('2024-Q1', 0.3), point('2013\u20132020', 0.01), point('2023', 0.1), point('2024-07', 0.4)] }, 'mem');
    expect(input.points.map((p) => p.period)).toEqual(['2013\u20132020', '2023', '2024-Q1', '2024-07']);
    expect(periodsNoun(input.points)).toBe('periods');
    expect(periodsNoun([point('2024-01', 0.1)])).toBe('months');
    // Plotted at the middle month: a year at July, a quarter at its second month.
    expect(periodDate('2023')).toBe('2023-07-01');
    expect(periodDate('2024-Q1')).toBe('2024-02-01');
    expect(periodDate('2024-07')).toBe('2024-07-01');
    const fit = fitLogistic(input, 1);
    // The projection starts after the last month the series measures.
    expect(fit.origin).toBe(monthIndex('2024-07'));
    expect(fit.slope).toBeGreaterThan(0);
    expect(() => selectMethod({ series: [point('2023', 0.1), point('2023-Q2', 0.2)] }, 'mem')).toThrow(/periods 2023 and 2023-Q2 overlap/);
    // Where the report says a longer period's documents are, the trend goes there: a year crawled
    // only from January to March stands in February and the projection starts in March.
    const placed = parseShareJson(JSON.stringify({ series: [point('2023', 0.1), { ...point('2024', 0.3), at: '2024-02', through: '2024-03' }] }));
    const partial = selectMethod(placed, 'mem');
    expect(fitLogistic(partial, 1).origin).toBe(monthIndex('2024-03'));
    expect(fitLogistic(input, 1).origin).toBe(monthIndex('2024-07'));
    expect(() => parseShareJson(JSON.stringify({ series: [{ ...point('2024', 0.3), at: '2025-01' }] }))).toThrow(
      /"at" must be a month "YYYY-MM" within 2024, got "2025-01"/,
    );
    const csv = parseShareCsv(
      'period,share,lo,hi,n,method,at,through\n2024,0.3,0.15,0.6,100,headline,2024-02,2024-03\n2023,0.1,0.05,0.2,100,headline,,\n',
    );
    expect(csv.series).toEqual(placed.series.slice().reverse());
  });

  it('picks a method, or says which ones exist', () => {
    const doc = parseShareJson(
      JSON.stringify({
        series: [
          { period: '2024-01', share: 0.1, lo: 0.05, hi: 0.2, n: 50, method: 'raw' },
          { period: '2024-01', share: 0.12, lo: 0.06, hi: 0.2, n: 50, method: 'corrected' },
        ],
      }),
    );
    expect(() => selectMethod(doc, 'f.json')).toThrow(/several methods \(raw, corrected\); pick one with --method/);
    expect(selectMethod(doc, 'f.json', 'raw').points[0].share).toBe(0.1);
    expect(() => selectMethod(doc, 'f.json', 'mle')).toThrow(/no rows for method "mle"/);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['broken.json', '{"series": [', /not valid JSON/],
    ['noseries.json', '{"rows": []}', /expected an object with a "series" array/],
    ['empty.json', '{"series": []}', /series is empty/],
    [
      'range.json',
      '{"series":[{"period":"2024-01","share":1.2,"lo":0,"hi":1,"n":5,"method":"m"}]}',
      /series\[0\]: "share" must be a number in \[0, 1\]/,
    ],
    ['order.json', '{"series":[{"period":"2024-01","share":0.3,"lo":0.4,"hi":0.5,"n":5,"method":"m"}]}', /need lo ≤ share ≤ hi/],
    [
      'period.json',
      '{"series":[{"period":"2024-13","share":0.3,"lo":0.2,"hi":0.5,"n":5,"method":"m"}]}',
      /"period" must be a month "YYYY-MM", a quarter "YYYY-Qn"/,
    ],
    ['n.json', '{"series":[{"period":"2024-01","share":0.3,"lo":0.2,"hi":0.5,"n":2.5,"method":"m"}]}', /"n" must be a positive integer/],
    ['level.json', '{"level":95,"series":[]}', /"level" must be a number in \(0, 1\)/],
    [
      'dup.json',
      '{"series":[{"period":"2024-01","share":0.3,"lo":0.2,"hi":0.5,"n":5,"method":"m"},{"period":"2024-01","share":0.3,"lo":0.2,"hi":0.5,"n":5,"method":"m"}]}',
      /period 2024-01 appears twice/,
    ],
    ['cols.csv', 'period,share,lo,hi\n2024-01,0.1,0,0.2\n', /CSV header lacks column\(s\) n, method/],
    ['cell.csv', 'period,share,lo,hi,n,method\n2024-01,abc,0,0.2,10,m\n', /line 2: "share" must be a number/],
    ['blank.csv', '\n\n', /empty file/],
  ];
  for (const [name, text, message] of bad) {
    it(`rejects ${name} with a clear error`, async () => {
      const file = write(name, text);
      await expect(readShareFile(file)).rejects.toThrow(ShareInputError);
      await expect(readShareFile(file)).rejects.toThrow(message);
    });
  }

  it('names a missing file', async () => {
    await expect(readShareFile(path.join(dir, 'nope.json'))).rejects.toThrow(/cannot read .*nope\.json: ENOENT/);
  });
});

describe('logistic trend', () => {
  /** SYNTHETIC: points exactly on a known logistic curve with tight intervals. */
  function onCurve(intercept: number, slope: number, ceiling: number, months: number) {
    const origin = monthIndex('2025-06');
    const series = Array.from({ length: months }, (_, i) => {
      const month = origin - (months - 1) + i;
      const share = trendShare({ ceiling, origin, intercept, slope }, month);
      const period = `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
      return { period, share, lo: share * 0.999, hi: Math.min(ceiling, share * 1.001), n: 1_000_000, method: 'synthetic' };
    });
    return selectMethod({ series }, 'synthetic');
  }

  it('recovers the parameters of noise-free logistic data', () => {
    const fit = fitLogistic(onCurve(-0.4, 0.08, 1, 24), 1);
    expect(fit.intercept).toBeCloseTo(-0.4, 4);
    expect(fit.slope).toBeCloseTo(0.08, 5);
    const capped = fitLogistic(onCurve(0.2, 0.05, 0.6, 24), 0.6);
    expect(capped.slope).toBeCloseTo(0.05, 5);
  });

  it('refuses a ceiling below the data and a single month', () => {
    expect(() => fitLogistic(onCurve(0, 0.1, 1, 12), 0.3)).toThrow(/exceeds the ceiling 0.3/);
    expect(() => fitLogistic(onCurve(0, 0.1, 1, 1), 1)).toThrow(/at least two periods/);
  });

  it('bootstrap bands bracket the fit and widen past the data', async () => {
    const input = await readShareFile(path.join(FIXTURES, 'synthetic-shares.json'));
    const projection = projectShares(input, { ceiling: 1, horizon: 36, bootstrap: 400, seed: 5 });
    expect(projection.months).toHaveLength(30 + 36);
    for (const m of projection.months) expect(m.q05 <= m.q50 && m.q50 <= m.q95).toBe(true);
    const last = projection.months.findIndex((m) => m.period === '2025-06');
    const widthAtData = projection.months[last].q95 - projection.months[last].q05;
    const widthAtHorizon = projection.months[last + 24].q95 - projection.months[last + 24].q05;
    expect(widthAtHorizon).toBeGreaterThan(widthAtData);
    // The fixture was generated with slope 0.075/month; the fit's interval should cover it.
    expect(Math.abs(projection.fit.slope - 0.075)).toBeLessThan(3 * projection.fit.slopeSe);
  });

  it('maps generations to crawl months and holds the share past the horizon', async () => {
    const input = await readShareFile(path.join(FIXTURES, 'synthetic-shares.json'));
    const projection = projectShares(input, { ceiling: 1, horizon: 24, bootstrap: 10, seed: 1 });
    const origin = projection.fit.origin;
    expect(generationMonth(origin, 1, 12, 24)).toBe(origin);
    expect(generationMonth(origin, 3, 12, 24)).toBe(origin + 24);
    expect(generationMonth(origin, 9, 12, 24)).toBe(origin + 24);
    const shares = generationShares(projection, 0, 60, 12);
    // Stored up to the first held generation; later ones hold the last value.
    expect(shares.length).toBeLessThanOrEqual(5);
    const at = (g: number) => shareAt(shares, g);
    expect(at(0)).toBe(0);
    expect(at(2)).toBeGreaterThan(at(1));
    expect(at(3)).toBeGreaterThan(at(2));
    expect(at(4)).toBe(at(3));
    expect(at(60)).toBe(at(3));
  });
});

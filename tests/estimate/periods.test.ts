/**
 * Report periods: months, quarters, years and `auto` (months merged per year, and short years
 * joined into spans, until groups have --min-docs documents). Unit checks of the keys and the merge rule, then the real CLI on the
 * bundled sample WARCs and on a JSONL corpus.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodSpan, quarterOf, yearOf } from '../../src/core/months.js';
import { autoPeriods, periodMap } from '../../src/estimate/periods.js';
import { runCli } from '../support/run-cli.js';

describe('period keys', () => {
  it('quarters and years of months, and the months a key spans', () => {
    expect(quarterOf('2024-01')).toBe('2024-Q1');
    expect(quarterOf('2024-06')).toBe('2024-Q2');
    expect(quarterOf('2024-12')).toBe('2024-Q4');
    expect(yearOf('2024-12')).toBe('2024');
    expect(() => quarterOf('2024-13')).toThrow(/bad period/);
    expect(periodSpan('2024-Q2')).toEqual({ first: 2024 * 12 + 3, last: 2024 * 12 + 5 });
    expect(periodSpan('2024')).toEqual({ first: 2024 * 12, last: 2024 * 12 + 11 });
    expect(periodSpan('2024-02')).toEqual({ first: 2024 * 12 + 1, last: 2024 * 12 + 1 });
    expect(periodSpan('2015\u20132018')).toEqual({ first: 2015 * 12, last: 2018 * 12 + 11 });
    expect(periodSpan('2018\u20132015')).toBeNull();
    expect(periodSpan('com')).toBeNull();
  });

  it('auto never joins years across a break (the baseline cutoff, the GPT-word baseline): pre-AI and later pages stay apart', () => {
    // SYNTHETIC counts per month.
    const counts = new Map([
      ['2019-05', 5],
      ['2020-02', 2],
      ['2023-03', 6],
    ]);
    expect([...new Set(autoPeriods(counts, 10).values())]).toEqual(['2019\u20132023']);
    const split = autoPeriods(counts, 10, ['2023-01']);
    expect([...new Set(split.values())]).toEqual(['2019\u20132020', '2023']);
    // A break inside a year (a cutoff of 2022-11-30) keeps that year apart from both sides.
    const mid = autoPeriods(new Map([...counts, ['2022-06', 3]]), 10, ['2022-11', '2023-01']);
    expect([...new Set(mid.values())]).toEqual(['2019\u20132020', '2022', '2023']);
    // A later cutoff (2023-03) splits 2023: its pre-cutoff February must not join 2024.
    const late = autoPeriods(
      new Map([
        ['2022-06', 40],
        ['2023-02', 10],
        ['2023-08', 10],
        ['2024-05', 15],
      ]),
      30,
      ['2023-01', '2023-03'],
    );
    expect(Object.fromEntries(late)).toEqual({ '2022-06': '2022-06', '2023-02': '2023', '2023-08': '2023', '2024-05': '2024' });
  });

  it('auto joins short years into spans until each has --min-docs, never across a year long enough', () => {
    // SYNTHETIC counts per month.
    const counts = new Map([
      ['2015-02', 4],
      ['2016-07', 3],
      ['2017-01', 5],
      ['2018-09', 2],
      ['2019-03', 40],
      ['2020-05', 3],
      ['2021-06', 2],
    ]);
    const p = autoPeriods(counts, 10);
    // 2015–2017 reach 12; 2018's 2 cannot reach 10 before 2019, so they join the span before.
    for (const m of ['2015-02', '2016-07', '2017-01', '2018-09']) expect(p.get(m)).toBe('2015\u20132018');
    expect(p.get('2019-03')).toBe('2019-03');
    // A short run after a long year has no span to join: it stays short, as one period.
    expect(p.get('2020-05')).toBe('2020\u20132021');
    expect(p.get('2021-06')).toBe('2020\u20132021');
    const keys = [...new Set(p.values())];
    expect([...keys].sort()).toEqual(keys);
    const { info } = periodMap('auto', counts, 10);
    expect(info!.merged).toEqual([
      { period: '2015\u20132018', months: ['2015-02', '2016-07', '2017-01', '2018-09'] },
      { period: '2020\u20132021', months: ['2020-05', '2021-06'] },
    ]);
  });

  it('auto keeps months, else quarters, else the year — decided per year, so periods never overlap', () => {
    const counts = new Map([
      ['2013-04', 63],
      ['2019-12', 1],
      ['2023-02', 40],
      ['2023-03', 2],
      ['2023-11', 45],
      ['2024-04', 36],
      ['2024-05', 1],
      ['2024-11', 2],
    ]);
    const p = autoPeriods(counts, 30);
    expect(p.get('2013-04')).toBe('2013-04');
    expect(p.get('2019-12')).toBe('2019');
    // 2023: Q1 = 42 and Q4 = 45 are both large enough.
    expect(p.get('2023-02')).toBe('2023-Q1');
    expect(p.get('2023-03')).toBe('2023-Q1');
    expect(p.get('2023-11')).toBe('2023-Q4');
    // 2024: Q4 has 2 documents, so the whole year is one period.
    expect(p.get('2024-04')).toBe('2024');
    expect(p.get('2024-11')).toBe('2024');
    // Sorted as strings, the keys are in time order.
    const keys = [...new Set(p.values())];
    expect([...keys].sort()).toEqual(['2013-04', '2019', '2023-Q1', '2023-Q4', '2024']);
    const { info } = periodMap('auto', counts, 30);
    expect(info!.merged).toEqual([
      { period: '2023-Q1', months: ['2023-02', '2023-03'] },
      { period: '2024', months: ['2024-04', '2024-05', '2024-11'] },
    ]);
    expect(periodMap('quarter', counts, 30).info).toEqual({ kind: 'quarter' });
    expect(periodMap('month', counts, 30).info).toBeNull();
  });
});

describe('--period on the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ccaudit-periods-'));
  const db = join(dir, 'samples.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeAll(async () => {
    const r = await runCli(['scan', 'samples/', '--db', db, '--threads', '0']);
    expect(r.status, r.stderr).toBe(0);
  }, 300_000);

  const report = async (...args: string[]) => {
    const r = await runCli([
      'report',
      '--db',
      db,
      '--date',
      'crawl',
      '--method',
      'naive,corrected',
      '--detector',
      'classifier',
      '--format',
      'json',
      ...args,
    ]);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  it('auto merges the sample store\'s sparse crawl months into fewer "too few documents" rows, and says which', async () => {
    const monthly = await report('--min-docs', '10');
    const auto = await report('--min-docs', '10', '--period', 'auto');
    expect(monthly.period).toBeUndefined();
    expect(auto.period.kind).toBe('auto');
    const withNumbers = (r: { groups: Array<{ tooFew: boolean; estimates: Array<{ status: string }> }> }) =>
      r.groups.filter((g) => !g.tooFew && g.estimates.some((e) => e.status === 'ok')).length;
    expect(withNumbers(auto)).toBeGreaterThanOrEqual(withNumbers(monthly));
    const tooFew = (r: { groups: Array<{ tooFew: boolean }> }) => r.groups.filter((g) => g.tooFew).length;
    expect(tooFew(auto)).toBeLessThan(tooFew(monthly));
    expect(auto.groups.map((g: { key: string }) => g.key)).toContain('2024-Q2');
    expect(auto.period.merged).toContainEqual({ period: '2024-Q2', months: ['2024-04', '2024-05'] });
    // A longer period says where its documents are, and its series points carry that for collapse.
    const q2 = auto.groups.find((g: { key: string }) => g.key === '2024-Q2');
    expect(q2.months).toEqual({ mean: '2024-04', last: '2024-05' });
    for (const p of auto.series.filter((s: { period: string }) => s.period === '2024-Q2')) {
      expect([p.at, p.through]).toEqual(['2024-04', '2024-05']);
    }
    expect(monthly.groups.every((g: { months?: unknown }) => g.months === undefined)).toBe(true);
    // Every document is in exactly one period.
    const docs = (r: { groups: Array<{ documents: number }> }) => r.groups.reduce((s, g) => s + g.documents, 0);
    expect(docs(auto)).toBe(docs(monthly));
  }, 180_000);

  it('auto at the default --min-docs (the demo): counts scored documents, so the estimable quarter stands alone and the rest say why', async () => {
    const auto = await report('--period', 'auto');
    const rows = auto.groups.map((g: { key: string; documents: number; headline: { share: number } | null; headlineNote: string | null }) => [
      g.key,
      g.documents,
      g.headline ? 'estimate' : g.headlineNote,
    ]);
    // 2013-04 holds 63 pages but only 11 with a score (the rest are too short or in no language
    // a detector reads), so it joins the later short years before 2023 (the GPT-word baseline's
    // end); 2024-Q2 has 36 scored of 37.
    expect(rows).toEqual([
      ['2013\u20132020', 80, 'too few scored documents (14 scored, minimum 30)'],
      ['2023', 7, 'too few documents (minimum 30)'],
      ['2024-Q2', 37, 'estimate'],
      ['2025', 3, 'too few documents (minimum 30)'],
    ]);
  }, 180_000);

  it('quarter and year keys; --period with a non-month grouping is a flag error', async () => {
    const q = await report('--period', 'quarter');
    expect(q.period).toEqual({ kind: 'quarter' });
    for (const g of q.groups) expect(g.key).toMatch(/^\d{4}-Q[1-4]$/);
    const y = await report('--period', 'year');
    for (const g of y.groups) expect(g.key).toMatch(/^\d{4}$/);
    const bad = await runCli(['report', '--db', db, '--by', 'tld', '--period', 'year']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--period year needs month grouping/);
    const unknown = await runCli(['report', '--db', db, '--period', 'week']);
    expect(unknown.status).toBe(2);
  }, 180_000);

  it('estimate --jsonl groups scored lines by quarter, and by auto periods from a file', async () => {
    const file = join(dir, 'scored.jsonl');
    const lines: string[] = [];
    // SYNTHETIC scored lines: 3 months of 2024 Q1 with 5 lines each, 12 lines in 2024-07.
    for (const [month, n] of [
      ['2024-01', 5],
      ['2024-02', 5],
      ['2024-03', 5],
      ['2024-07', 12],
    ] as const)
      for (let i = 0; i < n; i++) lines.push(JSON.stringify({ id: `${month}-${i}`, month, scores: { classifier: (i % 10) / 10 } }));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const run = async (...args: string[]) => {
      const r = await runCli(['estimate', '--jsonl', file, '--method', 'naive', '--min-docs', '10', ...args]);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    };
    expect((await run('--period', 'quarter')).groups.map((g: { key: string; documents: number }) => [g.key, g.documents])).toEqual([
      ['2024-Q1', 15],
      ['2024-Q3', 12],
    ]);
    const auto = await run('--period', 'auto');
    expect(auto.groups.map((g: { key: string }) => g.key)).toEqual(['2024-Q1', '2024-Q3']);
    expect(auto.period.kind).toBe('auto');
    const stdin = await runCli(['estimate', '--jsonl', '-', '--period', 'auto'], { input: lines.join('\n') });
    expect(stdin.status).toBe(2);
    expect(stdin.stderr).toMatch(/reads the input twice/);
  }, 180_000);
});

/**
 * The headline on the real path: a store built from SYNTHETIC mixtures of REAL held-out texts
 * (WARC → scan → score), two months crawled before the cutoff as the baseline, REAL held-out
 * AI texts imported as references. Every audited month gets `groups[].headline` from the
 * in-domain estimate with its self-check; the table, CSV and collapse lead with it; the trained
 * model is stored, and a second report loads it instead of training again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShareReport } from '../../src/estimate/model.js';
import { buildScoredStore, importAiReferences, makeTempDir, readAlignedTable, runCli, type ScoredStore } from './helpers.js';

const PLAN = [
  { period: '2022-04', fraction: 0, n: 60 },
  { period: '2022-09', fraction: 0, n: 60 },
  { period: '2024-03', fraction: 0, n: 60 },
  { period: '2024-06', fraction: 0.4, n: 60 },
];

describe('headline estimate per period', () => {
  const tmp = makeTempDir();
  let store: ScoredStore;
  let report: ShareReport;
  let firstMs = 0;
  const base = () => ['report', '--db', store.db, '--date', 'crawl', '--replicates', '200', '--seed', '5'];

  beforeAll(async () => {
    store = await buildScoredStore(tmp.dir, PLAN, 20261207);
    await importAiReferences(store.db, tmp.dir, store.months, 80, 17);
    const t0 = Date.now();
    const r = await runCli([...base(), '--format', 'json']);
    firstMs = Date.now() - t0;
    if (r.code !== 0) throw new Error(`report failed (${r.code}): ${r.stderr}`);
    report = JSON.parse(r.stdout) as ShareReport;
  }, 600_000);
  afterAll(() => tmp.cleanup());

  it('gives every audited month an in-domain headline whose interval holds the truth', () => {
    for (const m of store.months.filter((x) => x.period >= '2023')) {
      const g = report.groups.find((x) => x.key === m.period)!;
      const h = g.headline!;
      expect(h, g.headlineNote ?? '').not.toBeNull();
      expect(h.method).toBe('in-domain');
      expect(h.check.kind).toBe('self-check');
      expect(h.check.coverage).toBeGreaterThan(0);
      // The self-check redone on this month's own topic mix: every share, four draws.
      expect(h.check.period?.n).toBe(28);
      expect(h.check.period?.meanAbsError).toBeGreaterThanOrEqual(0);
      expect(h.check.period?.meanAbsError).toBeLessThan(0.5);
      const truth = m.aiCount / m.n;
      expect(h.lo).toBeLessThanOrEqual(truth);
      expect(h.hi).toBeGreaterThanOrEqual(truth);
      expect(h.hi - h.lo).toBeLessThan(0.8);
    }
    expect(report.inDomain?.nAi).toBe(80);
    expect(report.series[0].method).toBe('headline');
    // Baseline months are the baseline: no headline, and the reason says so.
    const before = report.groups.find((x) => x.key === '2022-04')!;
    expect(before.headline).toBeNull();
  });

  it('leads the table and the CSV with the headline', async () => {
    const t = await runCli([...base(), '--format', 'table']);
    expect(t.code, t.stderr).toBe(0);
    const rows = readAlignedTable(t.stdout, 'crawl month');
    const june = rows.find((r) => r['crawl month'] === '2024-06')!;
    expect(june.method).toBe('in-domain');
    const junePeriod = report.groups.find((g) => g.key === '2024-06')!.headline!.check.period!;
    expect(june.check).toBe(`±${(junePeriod.meanAbsError * 100).toFixed(1)} pp`);
    expect(t.stdout).toContain("check: the self-check's mean error on known-answer mixtures with each period's own topic mix");
    expect(t.stdout).toMatch(/self-check: mean error [\d.]+ points, \d+ % of \d+ known-answer intervals covered/);
    expect(t.stdout).toContain('every method of every period: --methods all');
    const c = await runCli([...base(), '--format', 'csv']);
    const csv = parse(c.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(csv[0]).slice(0, 4)).toEqual(['group', 'headline_share', 'headline_lo', 'headline_hi']);
    const row = csv.find((r) => r.group === '2024-06')!;
    expect(Number(row.headline_share)).toBeCloseTo(report.groups.find((g) => g.key === '2024-06')!.headline!.share, 9);
    expect(Number(row.headline_check_period_error)).toBeCloseTo(junePeriod.meanAbsError, 9);
    // The HTML page's lead sentence and headline table carry the latest period's own check.
    const page = join(tmp.dir, 'headline.html');
    const html = await runCli([...base(), '--format', 'html', '--out', page]);
    expect(html.code, html.stderr).toBe(0);
    const text = readFileSync(page, 'utf8');
    const off = `${(junePeriod.meanAbsError * 100).toFixed(1)} pp`;
    expect(text).toContain(`On known-answer mixtures of this period&#39;s own topics it was off by ${off} on average.`);
    expect(text).toContain(`mean error ${off} on mixtures of this period&#39;s topics`);
  }, 300_000);

  it('stores the trained model and reuses it on the next report', async () => {
    const db = new Database(store.db, { readonly: true });
    const n = (db.prepare('SELECT COUNT(*) AS n FROM indomain_models').get() as { n: number }).n;
    db.close();
    expect(n).toBe(1);
    const t0 = Date.now();
    const again = await runCli([...base(), '--format', 'json']);
    const secondMs = Date.now() - t0;
    const r2 = JSON.parse(again.stdout) as ShareReport;
    expect(r2.groups.map((g) => g.headline)).toEqual(report.groups.map((g) => g.headline));
    // Loading instead of training: the second report is faster (same machine, same moment).
    expect(secondMs).toBeLessThan(firstMs);
  }, 300_000);

  it('collapse --db projects from the headline series', async () => {
    const out = join(tmp.dir, 'collapse.json');
    const r = await runCli(['collapse', '--db', store.db, '--date', 'crawl', '--out', out, '--format', 'json', '--generations', '2', '--runs', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('"headline"');
  }, 300_000);
});

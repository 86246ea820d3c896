/**
 * Domain-matched calibration in every report format, on the real path: a store built from
 * SYNTHETIC mixtures of REAL held-out texts (WARC → scan → score), two months crawled before
 * the cutoff as the human baseline, REAL held-out AI texts imported and scored as AI
 * references, then `ccaudit report` as JSON, table, CSV and HTML with one seed. Each text
 * format must show what the JSON says: calibration per estimate, drift bands, strata, drift check.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShareReport } from '../../src/estimate/model.js';
import { calibrationLabel, driftText, pct, ppText, statusText, strataViews, stratumLevelText } from '../../src/report/format.js';
import { DRIFT_LAYER } from '../../src/report/share-html.js';
import { noEstimate } from '../../src/estimate/types.js';
import { buildScoredStore, importAiReferences, makeTempDir, readAlignedTable, runCli, type ScoredStore } from './helpers.js';

const CUTOFF = '2022-11-30';
const PLAN = [
  { period: '2022-04', fraction: 0, n: 40 },
  { period: '2022-09', fraction: 0, n: 40 },
  { period: '2024-06', fraction: 0.5, n: 60 },
];
// Pages are crawled on the 20th of their month (scripts/lib/mixtures.ts).
const BASELINE_PAGES = PLAN.filter((m) => `${m.period}-20` < CUTOFF).reduce((s, m) => s + m.n, 0);
const AI_REFERENCES = 80;

describe('domain-matched calibration in the report formats', () => {
  const tmp = makeTempDir();
  let store: ScoredStore;
  let report: ShareReport;
  const base = () => ['report', '--db', store.db, '--methods', 'all', '--replicates', '200', '--seed', '11'];

  beforeAll(async () => {
    store = await buildScoredStore(tmp.dir, PLAN, 20250407);
    await importAiReferences(store.db, tmp.dir, store.months, AI_REFERENCES, 99);
    const r = await runCli([...base(), '--format', 'json']);
    if (r.code !== 0) throw new Error(`report failed (${r.code}): ${r.stderr}`);
    report = JSON.parse(r.stdout) as ShareReport;
  }, 300_000);
  afterAll(() => tmp.cleanup());

  const domainEstimates = () => report.groups.flatMap((g) => g.estimates.filter((e) => e.calibration === 'baseline').map((e) => ({ g, e })));

  it('the JSON report carries the calibration, its strata and drift check', () => {
    const dc = report.domainCalibration!;
    expect(dc).not.toBeNull();
    expect(dc.kind).toBe('baseline');
    expect(dc.cutoff).toBe(CUTOFF);
    expect(dc.nBaseline).toBe(BASELINE_PAGES);
    expect(dc.nAi).toBe(AI_REFERENCES);
    expect(dc.detectors.length).toBeGreaterThan(0);
    for (const d of dc.detectors) expect(d.strata.some((s) => s.key === '*')).toBe(true);
    // Two baseline months: the drift check compares them.
    expect(dc.drift.length).toBeGreaterThan(0);
    for (const d of dc.drift) expect(d.nA + d.nB).toBe(BASELINE_PAGES);
    expect(domainEstimates().length).toBeGreaterThan(0);
    expect(domainEstimates().some(({ e }) => e.status === 'ok' && e.systematic)).toBe(true);
  });

  it('table: a calib column, drift bands next to the intervals, strata and drift tables', async () => {
    const r = await runCli(base());
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout;
    const rows = readAlignedTable(out.slice(out.indexOf('\nmethods:')), 'publication month').filter(
      (row) => row.method !== '' && row.calib !== undefined,
    );
    const estimates = report.groups.flatMap((g) => g.estimates);
    expect(rows.map((row) => row.method)).toEqual(estimates.map((e) => e.method));
    estimates.forEach((e, i) => {
      expect(rows[i].calib, e.method).toBe(calibrationLabel(e));
      if (e.status === 'ok' && e.systematic) expect(rows[i]['95% interval']).toMatch(new RegExp(`\\] ${driftText(e).replace(/[.+]/g, '\\$&')}$`));
      else expect(rows[i]['95% interval']).not.toMatch(/drift/);
    });
    expect(rows.some((row) => row.calib === 'dev')).toBe(true);
    expect(rows.some((row) => row.calib === 'baseline' && / pp drift$/.test(row['95% interval']))).toBe(true);

    const dc = report.domainCalibration!;
    expect(out).toContain(`domain-matched calibration (calib "baseline"): pages crawled before ${CUTOFF} are the human baseline`);
    expect(out).toContain(`human reference: ${dc.humanSource}`);
    expect(out).toContain(`AI references: ${AI_REFERENCES} (all stored sets)`);
    expect(out).toContain(`threshold rule: ${dc.thresholdRule}`);
    // One strata table per detector, in the JSON's detector order, with every stratum.
    const sections = out.split(/\ndetector (\S+): operating threshold/).slice(1);
    expect(sections.filter((_, i) => i % 2 === 0)).toEqual(dc.detectors.map((d) => d.detector));
    dc.detectors.forEach((d, i) => {
      const text = sections[2 * i + 1];
      // The table, then its two indented fallback lines.
      const views = strataViews(d.strata, dc.strata.minAi);
      const table = readAlignedTable(text.slice(text.indexOf('\n') + 1), 'stratum').slice(0, views.length);
      expect(table.map((row) => row.stratum)).toEqual(views.map((v) => v.stratum.key));
      views.forEach((v, j) => {
        expect(table[j].level).toBe(stratumLevelText(v));
        expect(table[j]['baseline n']).toBe(String(v.stratum.baselineN));
        expect(table[j].FPR).toBe(pct(v.stratum.fpr));
        expect(table[j].TPR).toBe(pct(v.stratum.tpr));
        expect(table[j]['AI n']).toBe(String(v.stratum.aiN));
      });
      expect(text).toMatch(/\n {2}baseline: /);
      expect(text).toMatch(/\n {2}AI references/);
    });
    const drift = readAlignedTable(out.slice(out.indexOf('\ndrift check (')), 'method');
    expect(drift.map((row) => row.method)).toEqual(dc.drift.map((d) => d.method));
    dc.drift.forEach((d, i) => {
      expect(drift[i].periods).toBe(d.periods);
      expect(drift[i].band).toBe(ppText(d.halfWidth));
    });
  });

  it('CSV: calibration and drift columns appended after the existing ones', async () => {
    const r = await runCli([...base(), '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'group,headline_share,headline_lo,headline_hi,headline_method,headline_n,headline_check,group_by,method,share,lo,hi,n,documents,kind,detector,status,level,date_sources,note,calibration,drift_half_width,drift_periods,headline_check_period_error',
    );
    const rows = parse(r.stdout, { columns: true }) as Array<Record<string, string>>;
    const estimates = report.groups.flatMap((g) => g.estimates.map((e) => ({ g, e })));
    expect(rows.map((row) => `${row.group} ${row.method}`)).toEqual(estimates.map(({ g, e }) => `${g.key} ${e.method}`));
    estimates.forEach(({ e }, i) => {
      expect(rows[i].calibration).toBe(e.calibration ?? '');
      expect(rows[i].drift_half_width).toBe(e.systematic ? String(e.systematic.halfWidth) : '');
      expect(rows[i].drift_periods).toBe(e.systematic?.periods ?? '');
    });
    expect(rows.some((row) => row.calibration === 'baseline' && row.drift_half_width !== '')).toBe(true);
  });

  it('HTML: calibration per series, a drift band in the chart, strata and drift tables', async () => {
    const file = join(tmp.dir, 'report.html');
    const r = await runCli([...base(), '--format', 'html', '--out', file]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<th>calibration</th>');
    expect(html).toContain('<th>drift band</th>');
    const withDrift = domainEstimates().find(({ e }) => e.status === 'ok' && e.systematic)!.e;
    expect(html).toContain(`<td>${withDrift.method}</td><td>baseline</td>`);
    expect(html).toContain(`<td>${driftText(withDrift)}</td>`);
    // Only the domain-matched chart has a drift band: its own layer, drawn before (beneath) the
    // interval marks — an area over time, or a pale bar when the chart has a single month (as here).
    const figures = html
      .split('<figure>')
      .slice(1)
      .map((f) => f.slice(0, f.indexOf('</figure>')));
    const banded = figures.filter((f) => /class="mark-(area|rule) role-mark drift_band_marks"/.test(f));
    expect(DRIFT_LAYER).toBe('drift_band');
    expect(banded).toHaveLength(1);
    expect(banded[0]).toContain('AI share: domain-matched calibration (baseline)');
    const band = banded[0].indexOf(`${DRIFT_LAYER}_marks`);
    expect(band).toBeLessThan(banded[0].indexOf('layer_1_marks'));
    // An area is drawn as a <path>, a bar (rule mark) as a <line>.
    expect(banded[0].slice(band, banded[0].indexOf('</g>', band))).toMatch(/<(path|line) /);
    const section = html.slice(html.indexOf('<h2>Domain-matched calibration</h2>'));
    expect(section.length).toBeLessThan(html.length);
    const dc = report.domainCalibration!;
    for (const d of dc.detectors) {
      expect(section).toContain(`<h3>${d.detector}: operating threshold ${d.threshold.toFixed(3)}`);
      for (const s of d.strata) expect(section).toContain(`<td>${s.key.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</td>`);
    }
    for (const d of dc.drift) expect(section).toContain(`<td>${d.method}</td><td>${d.periods}</td>`);
  });

  it('months that are themselves baseline say so when grouped by crawl month', async () => {
    const r = await runCli([...base(), '--date', 'crawl']);
    expect(r.code, r.stderr).toBe(0);
    const rows = readAlignedTable(r.stdout.slice(r.stdout.indexOf('\nmethods:')), 'crawl month');
    const baselineRows = rows.filter((row) => row.calib === 'baseline');
    expect(baselineRows.length).toBeGreaterThan(0);
    const text = statusText(noEstimate('x', 'corrected', 'x', 'baseline-period', 0, 0.95), 30);
    // Every baseline-calibrated row of the two pre-cutoff months, and none of 2024-06, is a baseline period.
    let month = '';
    const byMonth = rows.map((row) => {
      month = row['crawl month'] || month;
      return { month, row };
    });
    const domain = byMonth.filter((x) => x.row.calib === 'baseline');
    for (const { month: m, row } of domain) expect(row.note.startsWith(text), `${m} ${row.method}`).toBe(`${m}-20` < CUTOFF);
    expect(new Set(domain.filter((x) => x.row.note.startsWith(text)).map((x) => x.month))).toEqual(new Set(['2022-04', '2022-09']));
    expect(domain.some((x) => x.month === '2024-06' && x.row.share !== '–')).toBe(true);
  });
});

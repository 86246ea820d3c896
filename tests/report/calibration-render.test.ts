/**
 * The renderers on a SYNTHETIC report object (constructed here, not computed from data): it
 * holds the cases the real-path test (domain-calibration.test.ts) cannot reach with a small
 * store — strata falling back to coarser and pooled ones on both the baseline and the AI
 * side, a drift result without a band, user-labelled calibration, non-month grouping — and a
 * reference-set name that tries to inject markup. Expected texts follow from the fixture by
 * the fallback rule of src/estimate/baseline/strata.ts.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/report/table.js';
import { renderCsv } from '../../src/report/csv.js';
import { DRIFT_LAYER, renderShareHtml } from '../../src/report/share-html.js';
import { signedPct, strataFallbackLines, strataViews } from '../../src/report/format.js';
import { REPORT_FORMAT, type ShareReport } from '../../src/estimate/model.js';
import type { DomainCalibrationInfo } from '../../src/estimate/model.js';
import type { StratumSummary } from '../../src/estimate/baseline/score-model.js';
import { noEstimate, okEstimate, type ShareEstimate } from '../../src/estimate/types.js';
import type { GroupResult } from '../../src/estimate/aggregate.js';
import { readAlignedTable } from './helpers.js';

const HOSTILE_SET = 'import:<script>alert(1)</script><img src=x onerror=alert(2)>';
const PERIODS = '2019-01–2020-12 vs 2021-01–2022-10';

/** SYNTHETIC stratum summary (the FPR grid and quantiles are not rendered). */
const stratum = (key: string, level: number, baselineN: number, aiN: number, fpr: number, tpr: number | null): StratumSummary => ({
  key,
  level,
  baselineN,
  fpr,
  fprAt: [],
  quantiles: [],
  aiN,
  tpr,
});

// lang=eng|tld=com has two listed children (180 pages) of its 200: 20 pages fall back to it;
// lang=eng has 260, its listed child 200: 60; the pooled 330 vs lang=eng + lang=deu (318): 12.
// AI side (min 30): 300-999 has 10 → lang=eng|tld=com (50); nothing German has 30 → pooled.
const STRATA: StratumSummary[] = [
  stratum('*', 3, 330, 70, 0.05, 0.8),
  stratum('lang=eng', 2, 260, 55, 0.048, 0.82),
  stratum('lang=eng|tld=com', 1, 200, 50, 0.045, 0.83),
  stratum('lang=eng|tld=com|length=<300', 0, 120, 40, 0.061, 0.79),
  stratum('lang=eng|tld=com|length=300-999', 0, 60, 10, 0.0333, 0.9),
  stratum('lang=deu', 2, 58, 5, 0.069, 0.6),
  stratum('lang=deu|tld=de', 1, 58, 5, 0.069, 0.6),
  stratum('lang=deu|tld=de|length=<300', 0, 55, 5, 0.0727, 0.6),
];

const DOMAIN: DomainCalibrationInfo = {
  cutoff: '2022-11-30',
  dateBasis: 'crawl',
  kind: 'baseline',
  humanSource: '330 pages crawled before 2022-11-30',
  nBaseline: 330,
  nControl: 0,
  nAi: 70,
  aiSets: [HOSTILE_SET],
  thresholdRule: 'score at which 5% of the baseline is flagged',
  strata: { dims: ['lang', 'tld', 'length'], lengthEdges: [300, 1000], minBaseline: 50, minAi: 30 },
  detectors: [{ detector: 'det', threshold: 0.6123, nBaseline: 330, nAi: 70, auroc: 0.87, strata: STRATA }],
  recommended: 'det',
  drift: [
    { method: 'baseline-corrected:det', forward: -0.021, backward: 0.013, halfWidth: 0.021, periods: PERIODS, nA: 150, nB: 180 },
    { method: 'score-mixture:det', forward: null, backward: null, halfWidth: null, periods: PERIODS, nA: 150, nB: 180 },
  ],
};

const LEVEL = 0.95;
const band = { halfWidth: 0.021, shift: -0.021, periods: PERIODS };

/** SYNTHETIC estimates of one month: development, baseline (with and without a band) and uncalibrated ones. */
function monthEstimates(share: number, lo: number, hi: number): ShareEstimate[] {
  const common = { detector: 'det', level: LEVEL, n: 400 };
  return [
    okEstimate({ method: 'naive:det', kind: 'naive', ...common, share: share + 0.04, lo: lo + 0.04, hi: hi + 0.04 }),
    { ...okEstimate({ method: 'corrected:det', kind: 'corrected', ...common, share: share + 0.02, lo, hi: hi + 0.03 }), calibration: 'development' },
    { ...okEstimate({ method: 'baseline-corrected:det', kind: 'corrected', ...common, share, lo, hi }), calibration: 'baseline', systematic: band },
    {
      ...okEstimate({ method: 'score-mixture:det', kind: 'score-mixture', ...common, share: share - 0.01, lo: lo - 0.01, hi }),
      calibration: 'baseline',
      systematic: null,
    },
  ];
}

function baselineMonth(): ShareEstimate[] {
  const corrected = {
    ...okEstimate({ method: 'corrected:det', kind: 'corrected', detector: 'det', level: LEVEL, n: 330, share: 0.01, lo: 0, hi: 0.04 }),
    calibration: 'development' as const,
  };
  const inBaseline = (method: string, kind: ShareEstimate['kind']): ShareEstimate => ({
    ...noEstimate(method, kind, 'det', 'baseline-period', 330, LEVEL, 'this month is part of the baseline (before the cutoff)'),
    calibration: 'baseline',
  });
  return [corrected, inBaseline('baseline-corrected:det', 'corrected'), inBaseline('score-mixture:det', 'score-mixture')];
}

const group = (key: string, documents: number, estimates: ShareEstimate[]): GroupResult => ({
  key,
  documents,
  dateSources: { 'warc-date': documents },
  tooFew: false,
  disagreements: [],
  estimates,
});

/** A SYNTHETIC report with domain-matched calibration, by crawl month. */
function syntheticReport(over: Partial<ShareReport> = {}): ShareReport {
  return {
    format: REPORT_FORMAT,
    generatedAt: '2025-04-07T00:00:00.000Z',
    level: LEVEL,
    input: { kind: 'db', path: 'synthetic.db' },
    groupBy: 'month',
    dateBasis: 'crawl',
    minDocs: 30,
    replicates: 200,
    seed: 1,
    lang: null,
    detectors: [
      {
        name: 'det',
        version: '1',
        threshold: 0.6,
        calibration: { threshold: 0.6, tpr: 0.85, fpr: 0.05, nPos: 500, nNeg: 500, dataset: 'synthetic' },
        calibrationSource: 'store',
      },
    ],
    mixture: null,
    groups: [
      group('2022-10', 330, baselineMonth()),
      group('2024-03', 400, monthEstimates(0.123, 0.081, 0.169)),
      group('2024-09', 400, monthEstimates(0.2, 0.15, 0.26)),
    ],
    excluded: 0,
    duplicates: 0,
    series: [],
    gptWords: null,
    agreement: [],
    examples: [],
    domainCalibration: DOMAIN,
    inDomain: null,
    notes: [],
    ...over,
  };
}

describe('strata views (SYNTHETIC strata)', () => {
  const views = strataViews(STRATA, 30);

  it('orders own strata first and finds where pages and AI references fall back to', () => {
    expect(views.map((v) => [v.stratum.key, v.role, v.fallbackPages, v.aiStratum])).toEqual([
      ['lang=eng|tld=com|length=<300', 'own', 0, 'lang=eng|tld=com|length=<300'],
      ['lang=eng|tld=com|length=300-999', 'own', 0, 'lang=eng|tld=com'],
      ['lang=deu|tld=de|length=<300', 'own', 0, '*'],
      ['lang=eng|tld=com', 'coarser', 20, 'lang=eng|tld=com'],
      ['lang=deu|tld=de', 'coarser', 3, '*'],
      ['lang=eng', 'coarser', 60, 'lang=eng'],
      ['lang=deu', 'coarser', 0, '*'],
      ['*', 'pooled', 12, '*'],
    ]);
  });

  it('says which strata fell back to coarser and pooled ones', () => {
    expect(strataFallbackLines(views, 50, 30, 330)).toEqual([
      'baseline: 95 of 330 pages (28.8%) are in strata with fewer than 50 pages; measured on coarser strata: lang=eng|tld=com 20, lang=deu|tld=de 3, lang=eng 60; on the pooled stratum (*): 12.',
      'AI references (fewer than 30 in the stratum): from a coarser stratum for lang=eng|tld=com|length=300-999 → lang=eng|tld=com; ' +
        'from the pooled stratum (*) for lang=deu|tld=de|length=<300, lang=deu|tld=de, lang=deu.',
    ]);
    const own = strataViews([stratum('lang=eng', 0, 80, 40, 0.05, 0.7), stratum('*', 1, 80, 40, 0.05, 0.7)], 30);
    expect(strataFallbackLines(own, 50, 30, 80)).toEqual([
      'baseline: every page is measured in its own stratum (each has ≥ 50 pages).',
      'AI references: every listed stratum has ≥ 30 of its own.',
    ]);
  });

  it('prints signed drift moves without a sign on zero', () => {
    expect([signedPct(-0.149), signedPct(0.0781), signedPct(-1e-9), signedPct(null)]).toEqual(['−14.9%', '+7.8%', '0.0%', '–']);
  });
});

describe('renderers on a SYNTHETIC report with domain-matched calibration', () => {
  it('table: calib column, drift band next to the interval, strata and drift tables', () => {
    const out = renderTable(syntheticReport(), 'all');
    const rows = readAlignedTable(out.slice(out.indexOf('\nmethods:')), 'crawl month');
    const march = rows.slice(rows.findIndex((r) => r['crawl month'] === '2024-03')).slice(0, 4);
    expect(march.map((r) => [r.method, r.calib, r.share, r['95% interval']])).toEqual([
      ['naive:det', '', '16.3%', '[12.1%, 20.9%]'],
      ['corrected:det', 'dev', '14.3%', '[8.1%, 19.9%]'],
      ['baseline-corrected:det', 'baseline', '12.3%', '[8.1%, 16.9%] ±2.1 pp drift'],
      ['score-mixture:det', 'baseline', '11.3%', '[7.1%, 16.9%]'],
    ]);
    const october = rows.slice(0, 3);
    expect(october.map((r) => [r.method, r.calib, r.share, r.note])).toEqual([
      ['corrected:det', 'dev', '1.0%', ''],
      ['baseline-corrected:det', 'baseline', '–', 'baseline period (before the cutoff)'],
      ['score-mixture:det', 'baseline', '–', 'baseline period (before the cutoff)'],
    ]);

    expect(out).toContain('domain-matched calibration (calib "baseline"): pages crawled before 2022-11-30 are the human baseline');
    expect(out).toContain(`  AI references: 70 from ${HOSTILE_SET}`);
    expect(out).toContain(
      '  strata: lang × tld × length (length bands <300, 300-999, >=1000 words); a stratum needs ≥ 50 baseline pages and ≥ 30 AI references',
    );
    expect(out).toContain('detector det: operating threshold 0.612, 330 baseline pages, 70 AI references, AUROC 0.87 baseline vs AI references');
    const strata = readAlignedTable(out, 'stratum').slice(0, STRATA.length);
    expect(strata.map((r) => [r.stratum, r.level, r['baseline n'], r['fallback n'], r.FPR, r.TPR, r['AI n'], r['AI stratum']])).toEqual([
      ['lang=eng|tld=com|length=<300', '0 own', '120', '', '6.1%', '79.0%', '40', 'own'],
      ['lang=eng|tld=com|length=300-999', '0 own', '60', '', '3.3%', '90.0%', '10', 'lang=eng|tld=com'],
      ['lang=deu|tld=de|length=<300', '0 own', '55', '', '7.3%', '60.0%', '5', '*'],
      ['lang=eng|tld=com', '1 coarser', '200', '20', '4.5%', '83.0%', '50', 'own'],
      ['lang=deu|tld=de', '1 coarser', '58', '3', '6.9%', '60.0%', '5', '*'],
      ['lang=eng', '2 coarser', '260', '60', '4.8%', '82.0%', '55', 'own'],
      ['lang=deu', '2 coarser', '58', '0', '6.9%', '60.0%', '5', '*'],
      ['*', '3 pooled', '330', '12', '5.0%', '80.0%', '70', 'own'],
    ]);
    expect(out).toContain('  baseline: 95 of 330 pages (28.8%)');
    expect(out).toContain('from the pooled stratum (*) for lang=deu|tld=de|length=<300, lang=deu|tld=de, lang=deu.');
    const drift = readAlignedTable(out.slice(out.indexOf('\ndrift check (')), 'method');
    expect(drift.map((r) => [r.method, r.periods, r.forward, r.backward, r.band, r['pages A+B']])).toEqual([
      ['baseline-corrected:det', PERIODS, '−2.1%', '+1.3%', '±2.1 pp', '150+180'],
      ['score-mixture:det', PERIODS, '–', '–', '–', '150+180'],
    ]);
  });

  it('table: user-labelled calibration and a baseline without a drift check', () => {
    const user = (e: ShareEstimate): ShareEstimate => (e.calibration === 'baseline' ? { ...e, calibration: 'user-labeled', systematic: null } : e);
    const r = syntheticReport({
      groups: [group('2024-03', 400, monthEstimates(0.123, 0.081, 0.169).map(user))],
      domainCalibration: { ...DOMAIN, kind: 'user-labeled', humanSource: '200 stored human control texts', nControl: 200, drift: [] },
    });
    const out = renderTable(r, 'all');
    expect(readAlignedTable(out.slice(out.indexOf('\nmethods:')), 'crawl month').map((row) => row.calib)).toEqual(['', 'dev', 'user', 'user']);
    expect(out).not.toMatch(/pp drift/);
    expect(out).toContain('domain-matched calibration (calib "user"): the human reference is a corpus the user supplied');
    expect(out).toContain('human reference: 200 stored human control texts (baseline pages 330, control texts 200)');
    expect(out).toContain('drift check: not run (needs baseline pages in at least two months).');
  });

  it('CSV: calibration and drift columns appended; strata stay in the JSON', () => {
    const csv = renderCsv(syntheticReport());
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0])).toEqual([
      'group',
      'headline_share',
      'headline_lo',
      'headline_hi',
      'headline_method',
      'headline_n',
      'headline_check',
      'group_by',
      'method',
      'share',
      'lo',
      'hi',
      'n',
      'documents',
      'kind',
      'detector',
      'status',
      'level',
      'date_sources',
      'note',
      'calibration',
      'drift_half_width',
      'drift_periods',
      'headline_check_period_error',
    ]);
    const pick = (g: string, m: string) => rows.find((r) => r.group === g && r.method === m)!;
    expect(pick('2024-03', 'baseline-corrected:det')).toMatchObject({
      calibration: 'baseline',
      drift_half_width: '0.021',
      drift_periods: PERIODS,
      share: '0.123',
    });
    expect(pick('2024-03', 'score-mixture:det')).toMatchObject({ calibration: 'baseline', drift_half_width: '', drift_periods: '' });
    expect(pick('2024-03', 'corrected:det')).toMatchObject({ calibration: 'development', drift_half_width: '' });
    expect(pick('2024-03', 'naive:det')).toMatchObject({ calibration: '', drift_half_width: '' });
    expect(pick('2022-10', 'score-mixture:det')).toMatchObject({ calibration: 'baseline', status: 'baseline-period', share: '' });
  });

  it('HTML: calibration column, drift band layer, calibration section, escaped set names', async () => {
    const html = await renderShareHtml(syntheticReport(), 'all');
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain(HOSTILE_SET.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    expect(html).toContain('<td>baseline-corrected:det</td><td>baseline</td><td>12.3%</td><td>[8.1%, 16.9%]</td><td>±2.1 pp drift</td>');
    expect(html).toContain('<td>score-mixture:det</td><td>baseline</td><td>11.3%</td><td>[7.1%, 16.9%]</td><td></td>');
    expect(html).toContain('<td>corrected:det</td><td>development</td>');
    expect(html).toContain(
      '<td>baseline-corrected:det</td><td>baseline</td><td>–</td><td></td><td></td><td class="num">330</td><td>baseline period (before the cutoff)</td>',
    );

    const figures = html
      .split('<figure>')
      .slice(1)
      .map((f) => f.slice(0, f.indexOf('</figure>')));
    const dev = figures.find((f) => f.includes('AI share: error-corrected estimates (development calibration)'))!;
    const domain = figures.find((f) => f.includes('AI share: domain-matched calibration (baseline)'))!;
    expect(dev).not.toContain(DRIFT_LAYER);
    // One band area per series with a band (only baseline-corrected:det), beneath the interval areas.
    const bandGroup = domain.slice(domain.indexOf(`class="mark-area role-mark ${DRIFT_LAYER}_marks"`));
    expect(bandGroup.slice(0, bandGroup.indexOf('</g>')).match(/<path /g)).toHaveLength(1);
    expect(domain.indexOf(`${DRIFT_LAYER}_marks`)).toBeLessThan(domain.indexOf('layer_1_marks'));
    expect(domain).toContain('± the drift band');

    const section = html.slice(html.indexOf('<h2>Domain-matched calibration</h2>'));
    expect(section).toContain('<h3>det: operating threshold 0.612, 330 baseline pages, 70 AI references, AUROC 0.87 baseline vs AI references</h3>');
    expect(section).toContain('read the det series first');
    expect(section).toContain(
      '<tr><td>lang=eng|tld=com|length=300-999</td><td>0 own</td><td class="num">60</td><td></td><td>3.3%</td><td>90.0%</td><td class="num">10</td><td>lang=eng|tld=com</td></tr>',
    );
    expect(section).toContain('<tr><td>*</td><td>3 pooled</td><td class="num">330</td><td class="num">12</td>');
    expect(section).toContain('<li>baseline: 95 of 330 pages (28.8%) are in strata with fewer than 50 pages;');
    expect(section).toContain(
      `<tr><td>baseline-corrected:det</td><td>${PERIODS}</td><td>−2.1%</td><td>+1.3%</td><td>±2.1 pp</td><td>150 + 180</td></tr>`,
    );
    expect(section).toContain(`<tr><td>score-mixture:det</td><td>${PERIODS}</td><td>–</td><td>–</td><td>–</td><td>150 + 180</td></tr>`);
  });

  it('HTML: for groupings other than months the drift band is a pale bar under the interval bar', async () => {
    const r = syntheticReport({
      groupBy: 'lang',
      dateBasis: null,
      groups: [group('eng', 400, monthEstimates(0.123, 0.081, 0.169)), group('deu', 400, monthEstimates(0.3, 0.2, 0.4))],
    });
    const html = await renderShareHtml(r, 'all');
    const domain = html.split('<figure>').find((f) => f.includes('AI share: domain-matched calibration (baseline)'))!;
    const bandGroup = domain.slice(domain.indexOf(`class="mark-rule role-mark ${DRIFT_LAYER}_marks"`));
    expect(bandGroup.length).toBeLessThan(domain.length);
    expect(bandGroup.slice(0, bandGroup.indexOf('</g>')).match(/<line /g)).toHaveLength(2);
  });

  it('reports without domain-matched calibration have no calibration section or band', async () => {
    const r = syntheticReport({ domainCalibration: null, groups: [group('2024-03', 400, monthEstimates(0.123, 0.081, 0.169).slice(0, 2))] });
    expect(renderTable(r, 'all')).not.toContain('domain-matched calibration');
    const html = await renderShareHtml(r, 'all');
    expect(html).not.toContain('Domain-matched calibration');
    expect(html).not.toContain(DRIFT_LAYER);
    expect(html).toContain('AI share: error-corrected estimates</text>');
  });
});

/** The collapse HTML report: one self-contained page with inline SVG charts. */
import { vegaLiteToSvg, type VegaLiteSpec } from '../report/charts.js';
import { el, figure, htmlPage, table, type SafeHtml } from '../report/html.js';
import { formatNumber } from './render.js';
import type { CollapseReport, GenerationShare } from './run.js';
import { periodsNoun } from './shares.js';
import { periodDate } from '../core/months.js';
import { MODEL_DESCRIPTIONS, MODEL_NAMES } from './scenarios.js';
import type { ScenarioResult } from './simulate.js';

const WIDTH = 300;
const HEIGHT = 200;

interface BandRow {
  generation: number;
  scenario: string;
  mean: number;
  q05: number;
  q95: number;
}

/** Mean line with a 5–95% band per scenario, over generations. */
function bandChart(title: string, rows: BandRow[]): VegaLiteSpec {
  const x = { field: 'generation', type: 'quantitative' as const, title: 'generation' };
  const color = { field: 'scenario', type: 'nominal' as const, legend: { orient: 'bottom' as const, columns: 1, title: null, labelLimit: 320 } };
  return {
    title: { text: title, fontSize: 13 },
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'area', opacity: 0.18 },
        encoding: { x, y: { field: 'q05', type: 'quantitative', title: null, scale: { zero: false } }, y2: { field: 'q95' }, color },
      },
      { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y: { field: 'mean', type: 'quantitative' }, color } },
    ],
  } as VegaLiteSpec;
}

function shareByGenerationChart(scenarios: ScenarioResult[]): VegaLiteSpec {
  const rows = scenarios.flatMap((s) => s.syntheticShare.map((p) => ({ generation: p.generation, scenario: s.label, share: p.share })));
  return {
    title: { text: 'synthetic share of training data', fontSize: 13 },
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 2, interpolate: 'step-after' },
    encoding: {
      x: { field: 'generation', type: 'quantitative' },
      y: { field: 'share', type: 'quantitative', title: null, scale: { domain: [0, 1] } },
      color: { field: 'scenario', type: 'nominal', legend: { orient: 'bottom', columns: 1, title: null, labelLimit: 320 } },
    },
  } as VegaLiteSpec;
}

/** Measured monthly shares with intervals, the logistic fit, its bootstrap band, and the generations' crawl months. */
function measuredShareChart(report: CollapseReport): VegaLiteSpec | null {
  if (report.input.kind !== 'shares' || !report.projection) return null;
  const date = (period: string): string => `${period}-01`;
  const months = report.projection.months.map((m) => ({
    date: date(m.period),
    fitted: m.fitted,
    q05: m.q05,
    q95: m.q95,
    part: m.projected ? 'projected' : 'fitted',
  }));
  // A longer period stands where its documents are (`at`), else at its middle month.
  const measured = report.input.points.map((p) => ({ date: p.at ? date(p.at) : periodDate(p.period)!, share: p.share, lo: p.lo, hi: p.hi }));
  const gens = report.generationShares
    .filter((g) => g.period !== null && !g.held)
    .map((g) => ({ date: date(g.period!), share: g.share, label: `g${g.generation}` }));
  const x = { field: 'date', type: 'temporal' as const, title: null };
  return {
    title: { text: `measured AI share (${report.input.method}) and logistic projection`, fontSize: 13 },
    width: 2 * WIDTH + 40,
    height: HEIGHT + 40,
    layer: [
      {
        data: { values: months },
        mark: { type: 'area', opacity: 0.2, color: '#4c78a8' },
        encoding: { x, y: { field: 'q05', type: 'quantitative', title: 'AI share', scale: { domain: [0, 1] } }, y2: { field: 'q95' } },
      },
      {
        data: { values: months },
        mark: { type: 'line', color: '#4c78a8' },
        encoding: { x, y: { field: 'fitted', type: 'quantitative' }, strokeDash: { field: 'part', type: 'nominal', title: 'trend' } },
      },
      {
        data: { values: measured },
        mark: { type: 'rule', color: '#333' },
        encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
      },
      {
        data: { values: measured },
        mark: { type: 'point', filled: true, color: '#333', size: 24 },
        encoding: { x, y: { field: 'share', type: 'quantitative' } },
      },
      {
        data: { values: gens },
        mark: { type: 'point', shape: 'diamond', color: '#e45756', size: 60, filled: true },
        encoding: { x, y: { field: 'share', type: 'quantitative' } },
      },
      {
        data: { values: gens },
        mark: { type: 'text', dy: -10, color: '#e45756', fontSize: 10 },
        encoding: { x, y: { field: 'share', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  } as VegaLiteSpec;
}

function finalTable(scenarios: ScenarioResult[], generations: number): SafeHtml {
  const rows: Array<Array<string | number>> = [];
  for (const s of scenarios) {
    for (const m of s.metrics) {
      const first = m.points[0];
      const last = m.points[m.points.length - 1];
      rows.push([s.label, m.label, formatNumber(first.mean), `${formatNumber(last.mean)} [${formatNumber(last.q05)}, ${formatNumber(last.q95)}]`]);
    }
  }
  return table(['scenario', 'metric', 'generation 0 (mean)', `generation ${generations}: mean [5%, 95%]`], rows);
}

function inputSection(report: CollapseReport): SafeHtml[] {
  if (report.input.kind === 'fixed') {
    return [
      el('p', [
        `Every generation from 1 on trains on data that is ${formatNumber(report.input.synthetic * 100)}% synthetic (--synthetic); generation 0 trains on human data only.`,
      ]),
    ];
  }
  const p = report.projection!;
  // Generations past the horizon all share the horizon's value: one row for them.
  const trend = report.generationShares.filter((g) => g.generation > 0 && !g.held);
  const held = report.generationShares.filter((g) => g.held);
  const cell = (g: GenerationShare): string => `${formatNumber(g.share)} [${formatNumber(g.q05)}, ${formatNumber(g.q95)}]`;
  const rows: Array<Array<string | number>> = trend.map((g) => [g.generation, g.period ?? '', cell(g), 'trend']);
  if (held.length > 0) {
    const range = held.length === 1 ? String(held[0].generation) : `${held[0].generation}–${held[held.length - 1].generation}`;
    rows.push([range, held[0].period ?? '', cell(held[0]), 'held at the horizon']);
  }
  return [
    el('p', [
      `Source ${report.input.source}, method ${report.input.method}, ${report.input.points.length} ${periodsNoun(report.input.points)}, intervals at ${report.input.level * 100}%. ` +
        `Logistic trend with ceiling ${p.fit.ceiling}: growth ${formatNumber(p.fit.slope * 12)} ± ${formatNumber(p.fit.slopeSe * 12)} logit per year; ` +
        `${p.bootstrap} bootstrap curves; horizon ${p.horizon} months; generation g ≥ 1 trains on the crawl ${p.monthsPerGeneration}·(g−1) months after the last measured month.`,
    ]),
    table(['generation', 'crawl month', 'synthetic share: median [5%, 95%]', 'source'], rows),
  ];
}

export async function renderHtml(report: CollapseReport): Promise<string> {
  const sim = report.simulation;
  const body: SafeHtml[] = [];
  body.push(el('h2', ['Synthetic share']), ...inputSection(report));
  const shareSpec = measuredShareChart(report);
  if (shareSpec)
    body.push(
      figure(
        await vegaLiteToSvg(shareSpec),
        `Points: measured share per ${periodsNoun(report.input.kind === 'shares' ? report.input.points : []) === 'months' ? 'month' : 'period (at its middle month)'} with its interval. Line: logistic fit (dashed past the last month) with its 5–95% bootstrap band. Diamonds: the crawl month and share each generation trains on.`,
      ),
    );

  for (const model of MODEL_NAMES) {
    const scenarios = sim.scenarios.filter((s) => s.model === model);
    if (scenarios.length === 0) continue;
    body.push(el('h2', [model]), el('p', [MODEL_DESCRIPTIONS[model]], 'note'));
    const charts: SafeHtml[] = [
      figure(await vegaLiteToSvg(shareByGenerationChart(scenarios)), 'Synthetic share of each generation’s training data (mean over runs).'),
    ];
    for (const metric of scenarios[0].metrics) {
      const rows = scenarios.flatMap((s) =>
        (s.metrics.find((m) => m.metric === metric.metric)?.points ?? []).map((p) => ({
          generation: p.generation,
          scenario: s.label,
          mean: p.mean,
          q05: p.q05,
          q95: p.q95,
        })),
      );
      charts.push(
        figure(await vegaLiteToSvg(bandChart(metric.label, rows)), `${metric.description}. Line: mean over ${sim.runs} runs; band: 5–95% of runs.`),
      );
    }
    body.push(el('div', charts, 'charts'));
  }
  body.push(el('h2', ['Summary']), finalTable(sim.scenarios, sim.generations));
  body.push(
    el(
      'p',
      [
        `${sim.runs} runs per scenario, seed ${sim.seed}, generations 0–${sim.generations}, generated ${report.generatedAt}. These are toy models of mechanisms, not forecasts of any real model's quality; see the README for what each model stands for and does not claim.`,
      ],
      'note',
    ),
  );
  return htmlPage({
    title: 'ccaudit collapse — recursive-training projections',
    subtitle: 'What training on a web with this much synthetic text does to diversity, in the mechanisms the model-collapse literature identifies.',
    body,
  });
}

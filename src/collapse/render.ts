/** Text outputs of `ccaudit collapse`: a terminal table, JSON and long-format CSV. */
import { stringify } from 'csv-stringify/sync';
import type { CollapseReport, GenerationShare } from './run.js';
import type { ScenarioResult } from './simulate.js';
import { periodsNoun } from './shares.js';

/** Compact number formatting: 4 significant digits, no exponent for ordinary magnitudes. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e6 || abs < 1e-4) return x.toExponential(2);
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(4)));
}

/** Generations shown in the table: 0, 1, 2, 5, 10, 20, 50, … up to G, among those recorded. */
export function tableGenerations(recorded: number[], generations: number): number[] {
  const wanted = new Set<number>([0, generations]);
  for (let base = 1; base <= generations; base *= 10) for (const m of [1, 2, 5]) if (m * base <= generations) wanted.add(m * base);
  return recorded.filter((g) => wanted.has(g));
}

function pad(cells: string[][]): string {
  const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  return cells.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}

function scenarioTable(s: ScenarioResult, gens: number[]): string {
  const header = ['gen', 'synthetic', ...s.metrics.map((m) => m.label)];
  const rows = gens.map((g) => {
    const share = s.syntheticShare.find((p) => p.generation === g)?.share ?? NaN;
    return [
      String(g),
      formatNumber(share),
      ...s.metrics.map((m) => {
        const p = m.points.find((q) => q.generation === g)!;
        return `${formatNumber(p.mean)} [${formatNumber(p.q05)}, ${formatNumber(p.q95)}]`;
      }),
    ];
  });
  const params = Object.entries(s.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const lines = [`${s.label}  (${params})`, pad([header, ...rows])];
  if (s.fixation) {
    const f = s.fixation;
    lines.push(
      f.generation
        ? `  single surviving type in ${f.fixedRuns}/${f.runs} runs, at generation ${formatNumber(f.generation.mean)} on average [${formatNumber(f.generation.q05)}, ${formatNumber(f.generation.q95)}]`
        : `  no run reached a single surviving type within ${gens[gens.length - 1]} generations`,
    );
  }
  return lines.join('\n');
}

/** The terminal table: input and projection summary, then each scenario at selected generations. */
export function renderTable(report: CollapseReport): string {
  const sim = report.simulation;
  const out: string[] = [];
  if (report.input.kind === 'fixed') {
    out.push(`Synthetic share ${report.input.synthetic} in every generation from 1 on (generation 0: human data only).`);
  } else {
    const fit = report.projection!.fit;
    const last = report.input.points[report.input.points.length - 1];
    out.push(
      `Input: ${report.input.source} (method ${report.input.method}, ${report.input.points.length} ${periodsNoun(report.input.points)} to ${last.period}, last share ${formatNumber(last.share)} [${formatNumber(last.lo)}, ${formatNumber(last.hi)}])`,
      `Logistic trend, ceiling ${fit.ceiling}: growth ${formatNumber(fit.slope * 12)} logit/year (se ${formatNumber(fit.slopeSe * 12)}), dispersion ${formatNumber(fit.dispersion)}; ` +
        `${report.projection!.bootstrap} bootstrap curves, horizon ${report.projection!.horizon} months, ${report.projection!.monthsPerGeneration} months per generation.`,
    );
    const cell = (g: GenerationShare): string => `${formatNumber(g.share)} [${formatNumber(g.q05)}, ${formatNumber(g.q95)}]`;
    const trend = report.generationShares.filter((g) => g.generation > 0 && !g.held);
    const held = report.generationShares.filter((g) => g.held);
    out.push(
      'Synthetic share by generation (median [5%, 95%]): ' +
        trend.map((g) => `g${g.generation} ${g.period} ${cell(g)}`).join('; ') +
        (held.length > 0 ? `; g${held[0].generation}–g${held[held.length - 1].generation} held at the horizon's value` : ''),
    );
  }
  out.push(
    `${sim.runs} runs per scenario, generations 0–${sim.generations}, seed ${sim.seed}; cells: mean [5%, 95%] over runs. ${(sim.elapsedMs / 1000).toFixed(1)} s.`,
    '',
  );
  const gens = tableGenerations(sim.recordedGenerations, sim.generations);
  for (const s of sim.scenarios) out.push(scenarioTable(s, gens), '');
  return out.join('\n');
}

export function renderJson(report: CollapseReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/** Long format: one row per scenario, metric and recorded generation. */
export function renderCsv(report: CollapseReport): string {
  const rows: Array<Array<string | number>> = [];
  for (const s of report.simulation.scenarios) {
    const shareByGen = new Map(s.syntheticShare.map((p) => [p.generation, p.share]));
    for (const m of s.metrics) {
      for (const p of m.points) {
        rows.push([s.model, s.id, m.metric, p.generation, shareByGen.get(p.generation) ?? '', p.mean, p.sd, p.se, p.q05, p.q50, p.q95]);
      }
    }
  }
  return stringify(rows, {
    header: true,
    columns: ['model', 'scenario', 'metric', 'generation', 'synthetic_share', 'mean', 'sd', 'se', 'q05', 'q50', 'q95'],
  });
}

/** Comparing a report's estimates with the known truth of synthetic mixtures, and summarising. */
import type { ShareReport } from '../../src/estimate/model.js';
import type { MixtureMonth } from './mixtures.js';
import { alignTable, pct } from '../../src/report/format.js';

export interface Comparison {
  period: string;
  /** True AI share of the month (aiCount / n). */
  truth: number;
  /** Target fraction the month was built for. */
  fraction: number;
  method: string;
  kind: string;
  share: number;
  lo: number;
  hi: number;
  covered: boolean;
  error: number;
}

/** One row per month and numeric estimate. Months the report lacks are an error. */
export function compareToTruth(report: ShareReport, months: readonly Pick<MixtureMonth, 'period' | 'fraction' | 'aiCount' | 'n'>[]): Comparison[] {
  const out: Comparison[] = [];
  for (const m of months) {
    const g = report.groups.find((x) => x.key === m.period);
    if (!g) throw new Error(`report has no group ${m.period}`);
    const truth = m.aiCount / m.n;
    for (const e of g.estimates) {
      if (e.status !== 'ok') continue;
      out.push({
        period: m.period,
        truth,
        fraction: m.fraction,
        method: e.method,
        kind: e.kind,
        share: e.share!,
        lo: e.lo!,
        hi: e.hi!,
        covered: e.lo! <= truth && truth <= e.hi!,
        error: e.share! - truth,
      });
    }
  }
  return out;
}

export interface SummaryRow {
  method: string;
  fraction: number;
  draws: number;
  meanAbsError: number;
  bias: number;
  rmse: number;
  coverage: number;
  meanWidth: number;
}

/** Mean |error|, bias, RMSE, interval coverage and width per method and fraction. */
export function summarise(rows: readonly Comparison[]): SummaryRow[] {
  const groups = new Map<string, Comparison[]>();
  for (const r of rows) {
    const k = `${r.method}\u0000${r.fraction}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()]
    .map((rs) => {
      const n = rs.length;
      const mean = (f: (r: Comparison) => number) => rs.reduce((s, r) => s + f(r), 0) / n;
      return {
        method: rs[0].method,
        fraction: rs[0].fraction,
        draws: n,
        meanAbsError: mean((r) => Math.abs(r.error)),
        bias: mean((r) => r.error),
        rmse: Math.sqrt(mean((r) => r.error ** 2)),
        coverage: mean((r) => (r.covered ? 1 : 0)),
        meanWidth: mean((r) => r.hi - r.lo),
      };
    })
    .sort((a, b) => (a.method < b.method ? -1 : a.method > b.method ? 1 : a.fraction - b.fraction));
}

/** The summary as an aligned text table, one row per method and fraction. */
export function summaryTable(summary: readonly SummaryRow[]): string {
  return alignTable(
    ['method', 'fraction', 'draws', 'mean |err|', 'bias', 'RMSE', 'coverage', 'mean width'],
    summary.map((s) => [
      s.method,
      s.fraction.toFixed(2),
      String(s.draws),
      pct(s.meanAbsError),
      pct(s.bias),
      pct(s.rmse),
      pct(s.coverage, 0),
      pct(s.meanWidth),
    ]),
  );
}

/**
 * `ccaudit collapse` end to end, minus the CLI: read the share input, fit and
 * project the trend, map it to generations, run the simulations.
 */
import type { SharePoint } from '../estimate/model.js';
import { readShareFile } from './shares.js';
import { DEFAULT_PARAMS, type ModelName, type ModelParams } from './scenarios.js';
import { simulate, recordedGenerations, type SimulationResult } from './simulate.js';
import { quantileSorted } from '../core/stats.js';
import { generationMonth, generationShares, projectShares, type ShareProjection, type TrendFit } from './trend.js';
import { mixSeed } from '../core/rng.js';
import { shareAt } from './mix.js';
import { selectMethod, type ShareSeries } from './shares.js';
import { periodOf } from '../core/months.js';

export type CollapseInput =
  /** A measured share series to fit and project. */
  | { kind: 'shares'; path: string; method?: string }
  /** A share series already in memory (e.g. computed from a database by the report module). */
  | { kind: 'series'; doc: ShareSeries; source: string; method?: string }
  /** The same synthetic share for every generation ≥ 1. */
  | { kind: 'fixed'; synthetic: number };

export interface CollapseOptions {
  input: CollapseInput;
  /** Months projected past the last measured month. */
  horizon: number;
  /** Months between the crawls two successive generations train on. */
  monthsPerGeneration: number;
  /** Ceiling of the logistic trend. */
  ceiling: number;
  /** Bootstrap draws of the trend. */
  bootstrap: number;
  generations: number;
  runs: number;
  seed: number;
  models: readonly ModelName[];
  params?: ModelParams;
}

/** The synthetic share that generation g trains on. */
export interface GenerationShare {
  generation: number;
  /** Crawl month ("YYYY-MM") the generation trains on; null for a fixed share or generation 0. */
  period: string | null;
  /** Median over bootstrap draws (the fixed share itself for --synthetic). */
  share: number;
  q05: number;
  q95: number;
  /** Past the horizon: the share is held at the horizon's value. */
  held: boolean;
}

export interface CollapseReport {
  generatedAt: string;
  input: { kind: 'shares'; source: string; method: string; level: number; points: SharePoint[] } | { kind: 'fixed'; synthetic: number };
  projection: null | {
    fit: TrendFit;
    horizon: number;
    monthsPerGeneration: number;
    bootstrap: number;
    months: ShareProjection['months'];
  };
  generationShares: GenerationShare[];
  params: ModelParams;
  simulation: SimulationResult;
}

export async function runCollapse(opts: CollapseOptions): Promise<CollapseReport> {
  const params = opts.params ?? DEFAULT_PARAMS;
  const recordAt = recordedGenerations(opts.generations);
  let shareForRun: (run: number) => Float64Array;
  let input: CollapseReport['input'];
  let projectionOut: CollapseReport['projection'] = null;
  let generationShareRows: GenerationShare[];

  if (opts.input.kind === 'fixed') {
    const s = opts.input.synthetic;
    const shares = Float64Array.of(0, s); // held from generation 1 on (see DataMix)
    shareForRun = () => shares;
    input = { kind: 'fixed', synthetic: s };
    generationShareRows = Array.from(recordAt, (g) => {
      const share = shareAt(shares, g);
      return { generation: g, period: null, share, q05: share, q95: share, held: false };
    });
  } else {
    const series =
      opts.input.kind === 'series'
        ? selectMethod(opts.input.doc, opts.input.source, opts.input.method)
        : await readShareFile(opts.input.path, opts.input.method);
    const projection = projectShares(series, {
      ceiling: opts.ceiling,
      horizon: opts.horizon,
      bootstrap: opts.bootstrap,
      seed: mixSeed(opts.seed, 0x7472656e /* "tren" */),
    });
    // Run r trains on bootstrap curve r (cycling), so share uncertainty reaches the bands.
    const perDraw = projection.draws.map((_, b) => generationShares(projection, b, opts.generations, opts.monthsPerGeneration));
    shareForRun = (run) => perDraw[run % perDraw.length];
    input = { kind: 'shares', source: series.source, method: series.method, level: series.level, points: series.points };
    projectionOut = {
      fit: projection.fit,
      horizon: opts.horizon,
      monthsPerGeneration: opts.monthsPerGeneration,
      bootstrap: opts.bootstrap,
      months: projection.months,
    };
    generationShareRows = Array.from(recordAt, (g) => {
      const sorted = Float64Array.from(perDraw, (d) => shareAt(d, g)).sort();
      const offset = (g - 1) * opts.monthsPerGeneration;
      return {
        generation: g,
        period: g === 0 ? null : periodOf(generationMonth(projection.fit.origin, g, opts.monthsPerGeneration, opts.horizon)),
        share: quantileSorted(sorted, 0.5),
        q05: quantileSorted(sorted, 0.05),
        q95: quantileSorted(sorted, 0.95),
        held: g > 0 && offset > opts.horizon,
      };
    });
  }

  const simulation = simulate({
    models: opts.models,
    generations: opts.generations,
    runs: opts.runs,
    seed: opts.seed,
    shareForRun,
    params,
  });
  return { generatedAt: new Date().toISOString(), input, projection: projectionOut, generationShares: generationShareRows, params, simulation };
}

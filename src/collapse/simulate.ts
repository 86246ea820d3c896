/**
 * Monte Carlo driver: runs every scenario of the chosen models `runs` times
 * and summarises each metric per generation across runs.
 *
 * Run r of scenario s draws from its own stream seeded by (seed, s.id, r), so
 * results for a seed do not depend on which other models run or in what order.
 */
import { expectedSyntheticShare, type DataMix } from './mix.js';
import { mixSeed, Rng } from '../core/rng.js';
import { fnv1a } from '../core/hash.js';
import { scenariosFor, type ModelName, type ModelParams, type ScenarioSpec } from './scenarios.js';
import { summarize, type Summary } from '../core/stats.js';

export interface SimulationOptions {
  models: readonly ModelName[];
  /** Last generation G. */
  generations: number;
  runs: number;
  seed: number;
  /** Synthetic share of generations 0..G for run r (index 0 is ignored: generation 0 is human-only). */
  shareForRun: (run: number) => Float64Array;
  params: ModelParams;
  /** At most this many generations are recorded (evenly spaced, always 0 and G); default 501. */
  maxRecorded?: number;
}

export interface GenerationSummary extends Summary {
  generation: number;
}

export interface MetricSeries {
  metric: string;
  label: string;
  description: string;
  points: GenerationSummary[];
}

export interface FixationSummary {
  /** Runs that reached a single surviving type within G generations. */
  fixedRuns: number;
  runs: number;
  /** Summary of the fixation generation over the runs that fixed (null if none did). */
  generation: Summary | null;
}

export interface ScenarioResult {
  model: ModelName;
  id: string;
  label: string;
  description: string;
  params: Record<string, number | string>;
  /** Mean synthetic share of each recorded generation, over runs. */
  syntheticShare: Array<{ generation: number; share: number }>;
  metrics: MetricSeries[];
  fixation?: FixationSummary;
}

export interface SimulationResult {
  generations: number;
  runs: number;
  seed: number;
  recordedGenerations: number[];
  scenarios: ScenarioResult[];
  elapsedMs: number;
}

/** Generations to record: all when few, else `max` evenly spaced including 0 and G. */
export function recordedGenerations(generations: number, max = 501): Int32Array {
  if (generations + 1 <= max) return Int32Array.from({ length: generations + 1 }, (_, g) => g);
  const set = new Set<number>();
  for (let i = 0; i < max; i++) set.add(Math.round((i * generations) / (max - 1)));
  return Int32Array.from([...set].sort((a, b) => a - b));
}

export function runScenario(spec: ScenarioSpec, opts: Omit<SimulationOptions, 'models' | 'params'>, recordAt: Int32Array): ScenarioResult {
  const { runs, generations, seed } = opts;
  const recorded = recordAt.length;
  // values[metric][r * runs + run]: one contiguous column of runs per recorded generation.
  const values = new Map(spec.metrics.map((m) => [m.name, new Float64Array(recorded * runs)]));
  const shareSums = new Float64Array(recorded);
  const fixations: number[] = [];
  let fixationTracked = false;
  const sizeN = Number(spec.params.samples ?? spec.params.rows ?? 1);

  for (let run = 0; run < runs; run++) {
    const mix: DataMix = spec.mix === 'input' ? { kind: 'share', share: opts.shareForRun(run) } : spec.mix;
    const rng = new Rng(mixSeed(seed, fnv1a(spec.id), run));
    const out = spec.run(mix, rng, recordAt, generations);
    for (const [name, column] of values) {
      const series = out.metrics[name];
      for (let r = 0; r < recorded; r++) column[r * runs + run] = series[r];
    }
    for (let r = 0; r < recorded; r++) shareSums[r] += expectedSyntheticShare(mix, recordAt[r], sizeN);
    if (out.fixationGeneration !== undefined) {
      fixationTracked = true;
      if (out.fixationGeneration >= 0) fixations.push(out.fixationGeneration);
    }
  }

  const metrics: MetricSeries[] = spec.metrics.map((info) => {
    const column = values.get(info.name)!;
    return {
      metric: info.name,
      label: info.label,
      description: info.description,
      points: Array.from(recordAt, (generation, r) => ({ generation, ...summarize(column.subarray(r * runs, (r + 1) * runs)) })),
    };
  });
  return {
    model: spec.model,
    id: spec.id,
    label: spec.label,
    description: spec.description,
    params: spec.params,
    syntheticShare: Array.from(recordAt, (generation, r) => ({ generation, share: shareSums[r] / runs })),
    metrics,
    fixation: fixationTracked
      ? { fixedRuns: fixations.length, runs, generation: fixations.length > 0 ? summarize(Float64Array.from(fixations)) : null }
      : undefined,
  };
}

/** Run values kept at once for one scenario (8 bytes each): 400 MB. */
export const MAX_STORED_VALUES = 50_000_000;

export function simulate(opts: SimulationOptions): SimulationResult {
  const start = performance.now();
  const recordAt = recordedGenerations(opts.generations, opts.maxRecorded);
  const specs = opts.models.flatMap((m) => scenariosFor(m, opts.params));
  // Quantiles need every run's value per recorded generation; refuse sizes that would not fit.
  const widest = Math.max(0, ...specs.map((s) => s.metrics.length));
  if (widest * recordAt.length * opts.runs > MAX_STORED_VALUES) {
    const maxRuns = Math.floor(MAX_STORED_VALUES / (widest * recordAt.length));
    throw new Error(`--runs ${opts.runs} would keep ${widest * recordAt.length * opts.runs} values in memory; use at most ${maxRuns} runs`);
  }
  const scenarios = specs.map((spec) => runScenario(spec, opts, recordAt));
  return {
    generations: opts.generations,
    runs: opts.runs,
    seed: opts.seed,
    recordedGenerations: Array.from(recordAt),
    scenarios,
    elapsedMs: performance.now() - start,
  };
}

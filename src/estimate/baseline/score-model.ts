/**
 * One detector's view of the baseline: per stratum cell, the human (baseline) score
 * distribution and false-positive rate, and the AI references' score distribution and
 * true-positive rate. Built once per report; the estimators (baseline-corrected.ts,
 * score-mixture.ts) then read it for any number of months.
 *
 * Scores are binned once, on edges taken half from baseline quantiles and half from AI
 * reference quantiles, so both distributions are resolved where they have mass. Cells exist
 * at every fallback level; a document uses the finest cell with enough items (strata.ts).
 */
import { quantileSorted } from '../../core/stats.js';
import { auroc } from '../../detect/metrics.js';
import { StratumCounter, levelsOf, resolveStrata, stratumKey } from './strata.js';
import type { CalibrationKind, ScoredItem, StrataSpec, StratumFields } from './types.js';

/** How the operating threshold of the counting estimator is chosen. */
export type ThresholdRule =
  /** the score quantile at which the pooled baseline has this false-positive rate */
  | { kind: 'baseline-fpr'; fpr: number }
  /** a fixed score, e.g. the development calibration's threshold */
  | { kind: 'fixed'; value: number };

export interface ScoreModelOptions {
  strata?: Partial<StrataSpec>;
  /** Default: baseline FPR 5 %. */
  threshold?: ThresholdRule;
  /** Histogram bins of the score-mixture estimator (default 10). */
  bins?: number;
  /** Where the human reference came from (shown in reports). */
  calibration?: CalibrationKind;
  /** Short description of the human / AI reference sets (shown in reports). */
  humanSource?: string;
  aiSource?: string;
}

/** Counts of one cell: items, items at or above the threshold, and per-bin counts. */
export interface CellCounts {
  n: number;
  /** Items with score ≥ threshold (false positives for the baseline, true positives for AI). */
  above: number;
  hist: Float64Array;
  level: number;
}

/** Per-stratum description for reports (baseline side). */
export interface StratumSummary {
  key: string;
  level: number;
  baselineN: number;
  /** FPR at the operating threshold. */
  fpr: number;
  /** FPR at each threshold of `FPR_GRID`. */
  fprAt: Array<{ threshold: number; fpr: number }>;
  /** Baseline score quartiles [q25, q50, q75, q90]. */
  quantiles: number[];
  aiN: number;
  tpr: number | null;
}

export const FPR_GRID = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
export const DEFAULT_BINS = 10;
export const DEFAULT_BASELINE_FPR = 0.05;

function binOf(edges: Float64Array, s: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s >= edges[mid]) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function quantileEdges(sorted: Float64Array, parts: number): number[] {
  const out: number[] = [];
  for (let i = 1; i < parts; i++) out.push(quantileSorted(sorted, i / parts));
  return out;
}

export class BaselineScoreModel {
  readonly spec: StrataSpec;
  readonly threshold: number;
  readonly thresholdRule: ThresholdRule;
  readonly edges: Float64Array;
  readonly calibration: CalibrationKind;
  readonly humanSource: string;
  readonly aiSource: string;
  readonly baselineCounter: StratumCounter;
  readonly aiCounter: StratumCounter;
  readonly baselineCells = new Map<string, CellCounts>();
  readonly aiCells = new Map<string, CellCounts>();
  /** Sorted baseline scores per cell (for FPR-at-threshold and quantile summaries). */
  private readonly baselineScores = new Map<string, number[]>();
  readonly nBaseline: number;
  readonly nAi: number;
  /**
   * AUROC of baseline pages vs AI references: how well this detector separates human and AI
   * text IN THIS DOMAIN (null without both). The report recommends the best-separating series.
   */
  readonly auroc: number | null;

  private constructor(
    readonly detector: string,
    baseline: readonly ScoredItem[],
    ai: readonly ScoredItem[],
    opts: ScoreModelOptions,
  ) {
    this.spec = resolveStrata(opts.strata);
    this.calibration = opts.calibration ?? 'baseline';
    this.humanSource = opts.humanSource ?? 'baseline documents';
    this.aiSource = opts.aiSource ?? 'AI references';
    const b = baseline.filter((x) => x.score !== null && Number.isFinite(x.score));
    const a = ai.filter((x) => x.score !== null && Number.isFinite(x.score));
    this.nBaseline = b.length;
    this.nAi = a.length;
    const bSorted = Float64Array.from(b, (x) => x.score!).sort();
    const aSorted = Float64Array.from(a, (x) => x.score!).sort();
    this.auroc = bSorted.length > 0 && aSorted.length > 0 ? auroc(aSorted, bSorted) : null;
    this.thresholdRule = opts.threshold ?? { kind: 'baseline-fpr', fpr: DEFAULT_BASELINE_FPR };
    if (this.thresholdRule.kind === 'fixed') this.threshold = this.thresholdRule.value;
    else {
      const f = this.thresholdRule.fpr;
      if (!(f > 0 && f < 1)) throw new Error(`baseline FPR target must be in (0, 1), got ${f}`);
      // Smallest observed score with at most f of the baseline at or above it.
      this.threshold = bSorted.length === 0 ? 0.5 : thresholdForFpr(bSorted, f);
    }
    const bins = opts.bins ?? DEFAULT_BINS;
    if (!(Number.isInteger(bins) && bins >= 2)) throw new Error(`bins must be an integer ≥ 2, got ${bins}`);
    // bins − 1 inner edges: ⌈bins/2⌉ − 1 baseline quantiles and the rest AI quantiles (fewer when they coincide).
    const half = Math.max(1, Math.round(bins / 2));
    const raw = [...(bSorted.length ? quantileEdges(bSorted, half) : []), ...(aSorted.length ? quantileEdges(aSorted, bins - half + 1) : [])];
    this.edges = Float64Array.from([...new Set(raw)].sort((x, y) => x - y));

    this.baselineCounter = new StratumCounter(this.spec, this.spec.minBaseline);
    this.aiCounter = new StratumCounter(this.spec, this.spec.minAi);
    for (const x of b) this.addTo(this.baselineCells, this.baselineCounter, x, this.baselineScores);
    for (const x of a) this.addTo(this.aiCells, this.aiCounter, x, null);
    for (const list of this.baselineScores.values()) list.sort((p, q) => p - q);
  }

  static build(detector: string, baseline: readonly ScoredItem[], ai: readonly ScoredItem[], opts: ScoreModelOptions = {}): BaselineScoreModel {
    return new BaselineScoreModel(detector, baseline, ai, opts);
  }

  get bins(): number {
    return this.edges.length + 1;
  }

  binOf(score: number): number {
    return binOf(this.edges, score);
  }

  private addTo(cells: Map<string, CellCounts>, counter: StratumCounter, x: ScoredItem, scores: Map<string, number[]> | null): void {
    counter.add(x.fields);
    const s = x.score!;
    const bin = this.binOf(s);
    for (let l = 0; l < levelsOf(this.spec); l++) {
      const key = stratumKey(x.fields, this.spec, l);
      let c = cells.get(key);
      if (!c) {
        c = { n: 0, above: 0, hist: new Float64Array(this.bins), level: l };
        cells.set(key, c);
      }
      c.n++;
      if (s >= this.threshold) c.above++;
      c.hist[bin]++;
      if (scores) {
        let list = scores.get(key);
        if (!list) scores.set(key, (list = []));
        list.push(s);
      }
    }
  }

  /** The baseline cell and AI cell a document of these fields is measured against. */
  cellsFor(f: StratumFields): { baseline: string; ai: string; baselineLevel: number; aiLevel: number } {
    const b = this.baselineCounter.cellOf(f);
    const a = this.aiCounter.cellOf(f);
    return { baseline: b.key, ai: a.key, baselineLevel: b.level, aiLevel: a.level };
  }

  /** Can this model estimate anything? (needs both a baseline and AI references) */
  get usable(): boolean {
    return this.nBaseline > 0 && this.nAi > 0;
  }

  /** Baseline FPR of a cell at an arbitrary threshold. */
  fprAt(key: string, threshold: number): number {
    const s = this.baselineScores.get(key);
    if (!s || s.length === 0) return Number.NaN;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid] < threshold) lo = mid + 1;
      else hi = mid;
    }
    return (s.length - lo) / s.length;
  }

  /** Per-stratum summary of the cells documents actually use (`keys`), for reports. */
  summarize(keys: Iterable<string>): StratumSummary[] {
    const out: StratumSummary[] = [];
    for (const key of new Set(keys)) {
      const c = this.baselineCells.get(key);
      if (!c) continue;
      const sorted = Float64Array.from(this.baselineScores.get(key) ?? []);
      const ai = this.aiCells.get(key);
      out.push({
        key,
        level: c.level,
        baselineN: c.n,
        fpr: c.above / c.n,
        fprAt: FPR_GRID.map((t) => ({ threshold: t, fpr: this.fprAt(key, t) })),
        quantiles: [0.25, 0.5, 0.75, 0.9].map((q) => quantileSorted(sorted, q)),
        aiN: ai?.n ?? 0,
        tpr: ai ? ai.above / ai.n : null,
      });
    }
    return out.sort((x, y) => y.baselineN - x.baselineN);
  }
}

/** Smallest score s in the sorted list with share(≥ s) ≤ fpr (ties stay on one side). */
export function thresholdForFpr(sorted: ArrayLike<number>, fpr: number): number {
  const n = sorted.length;
  const allowed = Math.floor(fpr * n);
  if (allowed <= 0) return nextUp(sorted[n - 1]);
  let idx = n - allowed;
  // Move up past ties so that no more than `allowed` items sit at or above the threshold.
  while (idx < n && idx > 0 && sorted[idx] === sorted[idx - 1]) idx++;
  return idx >= n ? nextUp(sorted[n - 1]) : sorted[idx];
}

const nextUp = (x: number): number => x + Math.max(1e-12, Math.abs(x) * 1e-12);

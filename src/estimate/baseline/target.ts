/**
 * A group's (month's) documents arranged by the calibration cells they are measured against:
 * per (baseline cell, AI cell) pair, the number of scored documents, how many are at or above
 * the threshold, and their score histogram on the model's bins.
 */
import type { BaselineScoreModel } from './score-model.js';
import type { ScoredItem } from './types.js';

export interface TargetCell {
  baseline: string;
  ai: string;
  baselineLevel: number;
  aiLevel: number;
  n: number;
  above: number;
  hist: Float64Array;
}

export interface TargetCells {
  cells: TargetCell[];
  /** Scored documents in the group. */
  n: number;
}

export function targetCells(model: BaselineScoreModel, target: Iterable<ScoredItem>): TargetCells {
  const byKey = new Map<string, TargetCell>();
  let n = 0;
  for (const x of target) {
    if (x.score === null || !Number.isFinite(x.score)) continue;
    const c = model.cellsFor(x.fields);
    const key = `${c.baseline}#${c.ai}`;
    let cell = byKey.get(key);
    if (!cell) {
      cell = { ...c, n: 0, above: 0, hist: new Float64Array(model.bins) };
      byKey.set(key, cell);
    }
    cell.n++;
    n++;
    if (x.score >= model.threshold) cell.above++;
    cell.hist[model.binOf(x.score)]++;
  }
  const cells = [...byKey.values()].sort((a, b) => b.n - a.n);
  return { cells, n };
}

/** "3 strata (finest used: lang=eng|tld=com|length=<300); 1 pooled" style summary for notes. */
export function describeCells(t: TargetCells, levels: number): string {
  const pooled = t.cells.filter((c) => c.baselineLevel > 0).reduce((s, c) => s + c.n, 0);
  const own = t.n - pooled;
  const fallback = pooled > 0 ? `; ${pooled} of ${t.n} documents use a coarser baseline stratum` : '';
  const allPooled = t.cells.every((c) => c.baselineLevel === levels - 1);
  return allPooled ? `pooled baseline (no stratum large enough)` : `${new Set(t.cells.map((c) => c.baseline)).size} baseline strata, ${own} documents in their own stratum${fallback}`;
}

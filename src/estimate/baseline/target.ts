/**
 * A group's (month's) documents arranged by the calibration cells they are measured against:
 * per (baseline cell, AI cell) pair, the number of scored documents, how many are at or above
 * the threshold, and their score histogram on the model's bins.
 */
import type { BaselineScoreModel } from './score-model.js';
import { noEstimate, type MethodKind, type ShareEstimate } from '../types.js';
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

/** Builds a group's cells one document at a time (bounded memory: counts only). */
export class TargetCellsBuilder {
  private readonly byKey = new Map<string, TargetCell>();
  private n = 0;

  constructor(private readonly model: BaselineScoreModel) {}

  add(x: ScoredItem): void {
    if (x.score === null || !Number.isFinite(x.score)) return;
    const c = this.model.cellsFor(x.fields);
    const key = `${c.baseline}#${c.ai}`;
    let cell = this.byKey.get(key);
    if (!cell) {
      cell = { ...c, n: 0, above: 0, hist: new Float64Array(this.model.bins) };
      this.byKey.set(key, cell);
    }
    cell.n++;
    this.n++;
    if (x.score >= this.model.threshold) cell.above++;
    cell.hist[this.model.binOf(x.score)]++;
  }

  build(): TargetCells {
    return { cells: [...this.byKey.values()].sort((a, b) => b.n - a.n), n: this.n };
  }
}

export function targetCells(model: BaselineScoreModel, target: Iterable<ScoredItem>): TargetCells {
  const b = new TargetCellsBuilder(model);
  for (const x of target) b.add(x);
  return b.build();
}

/** "3 strata (finest used: lang=eng|tld=com|length=<300); 1 pooled" style summary for notes. */
export function describeCells(t: TargetCells, levels: number): string {
  const pooled = t.cells.filter((c) => c.baselineLevel > 0).reduce((s, c) => s + c.n, 0);
  const own = t.n - pooled;
  const fallback = pooled > 0 ? `; ${pooled} of ${t.n} documents use a coarser baseline stratum` : '';
  const allPooled = t.cells.every((c) => c.baselineLevel === levels - 1);
  return allPooled
    ? `pooled baseline (no stratum large enough)`
    : `${new Set(t.cells.map((c) => c.baseline)).size} baseline strata, ${own} documents in their own stratum${fallback}`;
}

/**
 * The estimate a baseline estimator returns before doing any work, when it cannot: no scored
 * documents, too few, or a model without baseline pages or AI references. Null = go ahead.
 */
export function baselinePrecheck(
  model: BaselineScoreModel,
  t: TargetCells,
  method: string,
  kind: MethodKind,
  level: number,
  minDocs = 1,
): ShareEstimate | null {
  const det = model.detector;
  if (t.n === 0) return noEstimate(method, kind, det, 'no-data', 0, level);
  if (t.n < minDocs) return noEstimate(method, kind, det, 'too-few-documents', t.n, level);
  if (!model.usable) {
    return noEstimate(
      method,
      kind,
      det,
      'uncalibrated',
      t.n,
      level,
      model.nBaseline === 0 ? 'no baseline documents scored by this detector' : 'no AI references scored by this detector',
    );
  }
  return null;
}

/**
 * Leaves out the cells a detector cannot separate in (their own baseline and AI references
 * barely differ): pairing their documents with another stratum's error rates would bring
 * back exactly the shift the strata remove. The estimate then covers the remaining documents,
 * and says how many were left out.
 */
export function identifiableCells(t: TargetCells, weak: (c: TargetCell) => boolean): { kept: TargetCells; leftOut: number } {
  const cells = t.cells.filter((c) => !weak(c));
  const n = cells.reduce((s, c) => s + c.n, 0);
  return { kept: { cells, n }, leftOut: t.n - n };
}

/** The note part for left-out cells. */
export const leftOutNote = (leftOut: number, total: number): string =>
  leftOut > 0
    ? `; ${leftOut} of ${total} documents are in strata where the detector does not separate baseline from AI references and are not in this estimate`
    : '';

/**
 * The cells the counting correction (baseline-corrected.ts) works on: per cell ONE stratum,
 * in which both the baseline's false-positive rate and the AI references' true-positive rate
 * are measured, and in which the detector separates the two by more than their sampling error.
 *
 * A group's documents arrive arranged by (baseline cell, AI cell), which the score model picks
 * independently (each the finest with enough items), so FPR may come from the pooled baseline
 * while TPR comes from a length band. Rogan–Gladen needs both rates of the same population, so
 * a document uses the coarser of its two cells for both (that stratum holds enough items on
 * either side, since it contains the finer one). A stratum whose TPR − FPR is not above z
 * standard errors moves its documents one level coarser, up to everything pooled; no document
 * is ever left out of the group's share. When even the pooled stratum does not separate, the
 * group's share is not identifiable by this detector.
 */
import type { BaselineScoreModel, CellCounts } from './score-model.js';
import { coarserKey } from './strata.js';
import type { TargetCells } from './target.js';

/** TPR − FPR of one stratum and its standard error. */
export interface Separation {
  /** TPR − FPR at the model's threshold. */
  d: number;
  /** Standard error of d from both samples (Jeffreys-smoothed rates, so 0 of n is not certain). */
  se: number;
}

export interface MatchedCell {
  /** Stratum key both rates come from. */
  key: string;
  /** Documents of the group in this cell, and how many of them are at or above the threshold. */
  n: number;
  above: number;
  baseline: CellCounts;
  ai: CellCounts;
  separation: Separation;
}

export interface MatchedCells {
  cells: MatchedCell[];
  /** Documents of the group (all of them are in `cells`). */
  n: number;
  /** Documents whose own stratum had too few baseline pages or AI references. */
  coarserForSize: number;
  /** Documents moved coarser because the detector did not separate in their stratum. */
  coarserForSeparation: number;
}

/** The pooled stratum's separation when it is too weak: the group cannot be corrected. */
export interface Unseparated {
  separation: Separation;
  /** Documents of the group that would need the pooled stratum. */
  documents: number;
}

const smoothedRate = (c: CellCounts): number => (c.above + 0.5) / (c.n + 1);

export function separationOf(baseline: CellCounts, ai: CellCounts): Separation {
  const f = smoothedRate(baseline);
  const t = smoothedRate(ai);
  return { d: ai.above / ai.n - baseline.above / baseline.n, se: Math.sqrt((f * (1 - f)) / baseline.n + (t * (1 - t)) / ai.n) };
}

/** True when TPR − FPR is more than z standard errors above 0. */
export const separates = (s: Separation, z: number): boolean => s.d - z * s.se > 0;

/**
 * The group's documents in matched, separating strata; or the pooled stratum's separation
 * when some documents only have a pooled stratum and the detector does not separate there.
 */
export function matchedCells(model: BaselineScoreModel, t: TargetCells, z: number): MatchedCells | Unseparated {
  const byKey = new Map<string, MatchedCell>();
  let coarserForSize = 0;
  let coarserForSeparation = 0;
  let unseparated = 0;
  const cellOf = (key: string): MatchedCell => {
    let m = byKey.get(key);
    if (!m) {
      const baseline = model.baselineCells.get(key)!;
      const ai = model.aiCells.get(key)!;
      m = { key, n: 0, above: 0, baseline, ai, separation: separationOf(baseline, ai) };
      byKey.set(key, m);
    }
    return m;
  };
  for (const c of t.cells) {
    let key = c.baselineLevel >= c.aiLevel ? c.baseline : c.ai;
    if (Math.max(c.baselineLevel, c.aiLevel) > 0) coarserForSize += c.n;
    let moved = false;
    while (!separates(cellOf(key).separation, z) && key !== '*') {
      key = coarserKey(key);
      moved = true;
    }
    const m = cellOf(key);
    if (!separates(m.separation, z)) unseparated += c.n;
    if (moved) coarserForSeparation += c.n;
    m.n += c.n;
    m.above += c.above;
  }
  if (unseparated > 0) return { separation: cellOf('*').separation, documents: unseparated };
  const cells = [...byKey.values()].filter((m) => m.n > 0).sort((a, b) => b.n - a.n || (a.key < b.key ? -1 : 1));
  return { cells, n: t.n, coarserForSize, coarserForSeparation };
}

/** "2 strata …" summary for the estimate's note. */
export function describeMatched(m: MatchedCells): string {
  const parts = [
    m.cells.length === 1 && m.cells[0].key === '*'
      ? 'FPR and TPR from the pooled baseline and references'
      : `FPR and TPR from the same stratum in ${m.cells.length === 1 ? '1 stratum' : `${m.cells.length} strata`}`,
  ];
  if (m.coarserForSize > 0 && !(m.cells.length === 1 && m.cells[0].key === '*')) {
    parts.push(
      `${m.coarserForSize} of ${m.n} documents use a coarser baseline stratum than their own (too few baseline pages or AI references there)`,
    );
  }
  if (m.coarserForSeparation > 0) {
    parts.push(
      `${m.coarserForSeparation} of ${m.n} documents moved to a coarser stratum because the detector does not separate baseline from AI references beyond sampling error in theirs`,
    );
  }
  return parts.join('; ');
}

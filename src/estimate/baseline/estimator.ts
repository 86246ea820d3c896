/**
 * Runs the baseline-calibrated estimators for every detector over any number of groups
 * (months), and the drift check. Used by reports (from-store.ts) and the known-answer script.
 */
import { mixSeed } from '../../core/rng.js';
import { zForLevel } from '../../core/stats.js';
import type { BootstrapOptions, ShareEstimate } from '../types.js';
import { baselineCorrectedShare } from './baseline-corrected.js';
import { BaselineScoreModel, type ScoreModelOptions } from './score-model.js';
import { scoreMixtureShare } from './score-mixture.js';
import { TargetCellsBuilder } from './target.js';
import type { StratumFields } from './types.js';

/** A baseline page, AI reference or audited document with one score per detector. */
export interface BaselineItem {
  fields: StratumFields;
  /** Aligned with the estimator's detector list; null = not scored / unsupported. */
  scores: ReadonlyArray<number | null>;
  /** "YYYY-MM" (crawl or publication month) — baseline pages only, for the drift check. */
  month?: string | null;
  /** Text, for the word mixture (baseline pages and references only). */
  text?: string | null;
  /**
   * AI references only: the model (else the set) that wrote it, so checks can leave one
   * generator out; null when unknown.
   */
  generator?: string | null;
}

export type BaselineMethod = 'baseline-corrected' | 'score-mixture';
export const BASELINE_METHODS: readonly BaselineMethod[] = ['baseline-corrected', 'score-mixture'];

export interface BaselineEstimatorOptions extends ScoreModelOptions {
  /** Per-detector fixed thresholds (e.g. development thresholds) instead of the baseline-FPR rule. */
  thresholds?: ReadonlyMap<string, number>;
  methods?: readonly BaselineMethod[];
}

export interface GroupEstimateOptions extends BootstrapOptions {
  minDocs?: number;
}

export class BaselineEstimator {
  readonly models: BaselineScoreModel[];
  private readonly methods: readonly BaselineMethod[];

  constructor(
    readonly detectors: readonly string[],
    readonly baseline: readonly BaselineItem[],
    readonly ai: readonly BaselineItem[],
    readonly opts: BaselineEstimatorOptions = {},
  ) {
    this.methods = opts.methods ?? BASELINE_METHODS;
    this.models = detectors.map((name, i) => {
      const fixed = opts.thresholds?.get(name);
      return BaselineScoreModel.build(
        name,
        baseline.map((x) => ({ fields: x.fields, score: x.scores[i] })),
        ai.map((x) => ({ fields: x.fields, score: x.scores[i] })),
        { ...opts, threshold: fixed !== undefined ? { kind: 'fixed', value: fixed } : opts.threshold },
      );
    });
  }

  /** An accumulator for one group's documents (counts only). */
  group(): BaselineGroup {
    return new BaselineGroup(this.models, this.methods);
  }

  /** Every method × detector estimate of one group. */
  estimate(items: readonly BaselineItem[], o: GroupEstimateOptions = {}): ShareEstimate[] {
    const g = this.group();
    for (const x of items) g.add(x);
    return g.estimate(o);
  }
}

export class BaselineGroup {
  private readonly builders: TargetCellsBuilder[];

  constructor(
    private readonly models: readonly BaselineScoreModel[],
    private readonly methods: readonly BaselineMethod[],
  ) {
    this.builders = models.map((m) => new TargetCellsBuilder(m));
  }

  add(x: Pick<BaselineItem, 'fields' | 'scores'>): void {
    this.builders.forEach((b, i) => b.add({ fields: x.fields, score: x.scores[i] ?? null }));
  }

  estimate(o: GroupEstimateOptions = {}): ShareEstimate[] {
    const out: ShareEstimate[] = [];
    this.models.forEach((model, i) => {
      const cells = this.builders[i].build();
      const opts = { ...o, seed: mixSeed(o.seed ?? 1, i) };
      for (const m of this.methods) {
        const e = m === 'baseline-corrected' ? baselineCorrectedShare(model, cells, opts) : scoreMixtureShare(model, cells, opts);
        e.calibration = model.calibration;
        out.push(e);
      }
    });
    return out;
  }
}

/** Result of the drift check for one method series. */
export interface DriftResult {
  method: string;
  /** Unclipped estimate on the later period with the earlier one as baseline, and vice versa. */
  forward: number | null;
  backward: number | null;
  halfWidth: number | null;
  periods: string;
  nA: number;
  nB: number;
}

/**
 * The drift check: splits the baseline into two periods (`split` = first month of period B,
 * default the month that splits the pages most evenly), uses A as the baseline for B and B for A, and reports how far
 * each method moves away from 0 on these purely human pages. The band's half-width is the
 * larger of the two moves: the systematic error that topic and style drift alone cause over
 * that time span (it also contains the check's own sampling noise, so it is conservative).
 */
export interface DriftOptions {
  /** First month of period B (default: where the pages divide most evenly). */
  split?: string;
  periodA?: [string, string];
  periodB?: [string, string];
}

/** The two baseline periods of the drift check, or null when the baseline does not span two. */
export function driftPeriods<T extends { month?: string | null }>(
  baseline: readonly T[],
  opts: DriftOptions = {},
): { A: T[]; B: T[]; label: string } | null {
  const dated = baseline.filter((x) => x.month);
  let inA: (m: string) => boolean;
  let inB: (m: string) => boolean;
  let label: string;
  if (opts.periodA && opts.periodB) {
    const [a0, a1] = opts.periodA;
    const [b0, b1] = opts.periodB;
    inA = (m) => m >= a0 && m <= a1;
    inB = (m) => m >= b0 && m <= b1;
    label = `${a0}–${a1} vs ${b0}–${b1}`;
  } else {
    const months = dated.map((x) => x.month!).sort();
    const split = opts.split ?? balancedSplit(months);
    if (!split || months.length === 0 || months[0] >= split) return null;
    inA = (m) => m < split;
    inB = (m) => m >= split;
    label = `${months[0]}–${prevMonth(split)} vs ${split}–${months[months.length - 1]}`;
  }
  const A = dated.filter((x) => inA(x.month!));
  const B = dated.filter((x) => inB(x.month!));
  return A.length > 0 && B.length > 0 ? { A, B, label } : null;
}

/**
 * A drift result from the estimates of the two directions (A as baseline for B, and B for A).
 * The band comes from the FORWARD direction only (the earlier period calibrating the later, as
 * the audited months are calibrated), with its own sampling noise taken out:
 * half-width = √max(0, shift² − se²), se from the forward interval — the baseline's sampling
 * error is already inside every estimate's statistical interval. The backward move is reported,
 * not used. The band is NOT scaled to the time between the baseline and an audited month.
 */
export function driftResult(forward: ShareEstimate, backward: ShareEstimate, periods: string, nA: number, nB: number): DriftResult {
  const uf = forward.status === 'ok' ? Number(forward.details?.unclipped ?? forward.share) : null;
  const ub = backward.status === 'ok' ? Number(backward.details?.unclipped ?? backward.share) : null;
  let halfWidth: number | null = null;
  if (uf !== null && Number.isFinite(uf) && forward.lo !== null && forward.hi !== null) {
    const se = (forward.hi - forward.lo) / (2 * zForLevel(forward.level));
    // A mixture estimate may leave [0, 1]; a band wider than the whole scale says nothing more.
    const shift = Math.min(1, Math.abs(uf));
    halfWidth = Math.sqrt(Math.max(0, shift * shift - se * se));
  }
  return { method: forward.method, forward: uf, backward: ub, halfWidth, periods, nA, nB };
}

export function driftCheck(
  detectors: readonly string[],
  baseline: readonly BaselineItem[],
  ai: readonly BaselineItem[],
  opts: BaselineEstimatorOptions & GroupEstimateOptions & DriftOptions = {},
): DriftResult[] {
  const p = driftPeriods(baseline, opts);
  if (!p) return [];
  const forward = new BaselineEstimator(detectors, p.A, ai, opts).estimate(p.B, opts);
  const backward = new BaselineEstimator(detectors, p.B, ai, opts).estimate(p.A, opts);
  return forward.map((f, i) => driftResult(f, backward[i], p.label, p.A.length, p.B.length));
}

/**
 * The month that splits sorted months into the two most equal non-empty periods (a plain
 * median fails when one month holds most pages); null with a single distinct month.
 */
export function balancedSplit(sortedMonths: readonly string[]): string | null {
  let best: string | null = null;
  let bestGap = Infinity;
  for (let i = 1; i < sortedMonths.length; i++) {
    if (sortedMonths[i] === sortedMonths[i - 1]) continue;
    const gap = Math.abs(sortedMonths.length - 2 * i);
    if (gap < bestGap) {
      bestGap = gap;
      best = sortedMonths[i];
    }
  }
  return best;
}

function prevMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number);
  return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
}

/** Attaches drift bands to the estimates of matching methods. */
export function attachDrift(estimates: ShareEstimate[], drift: readonly DriftResult[]): void {
  for (const e of estimates) {
    const d = drift.find((x) => x.method === e.method);
    if (d && d.halfWidth !== null) e.systematic = { halfWidth: d.halfWidth, shift: d.forward ?? d.backward ?? 0, periods: d.periods };
  }
}

/**
 * Where estimators disagree beyond their intervals. The error-corrected estimators
 * (corrected:*, mixture) all target the same quantity — the share of AI-written documents —
 * so two of them whose intervals do not overlap disagree. The excess-vocabulary figure is a
 * lower bound: it only conflicts with an estimate whose upper end lies below the bound's
 * lower end. Naive and page-level shares measure other things and are not compared.
 */
import type { ShareEstimate } from './types.js';

export interface Disagreement {
  a: string;
  b: string;
  /** Distance between the intervals (share units). */
  gap: number;
  message: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const show = (e: ShareEstimate) => `${e.method} ${pct(e.share!)} [${pct(e.lo!)}, ${pct(e.hi!)}]`;

export function findDisagreements(estimates: readonly ShareEstimate[]): Disagreement[] {
  const ok = estimates.filter((e) => e.status === 'ok' && e.lo !== null && e.hi !== null);
  const targets = ok.filter((e) => e.kind === 'corrected' || e.kind === 'mixture');
  const bounds = ok.filter((e) => e.kind === 'excess-lower-bound');
  const out: Disagreement[] = [];
  for (let i = 0; i < targets.length; i++) {
    for (let j = i + 1; j < targets.length; j++) {
      const [x, y] = [targets[i], targets[j]];
      const gap = Math.max(x.lo! - y.hi!, y.lo! - x.hi!);
      if (gap > 0) out.push({ a: x.method, b: y.method, gap, message: `${show(x)} and ${show(y)} disagree: their intervals do not overlap` });
    }
  }
  for (const lb of bounds) {
    for (const t of targets) {
      const gap = lb.lo! - t.hi!;
      if (gap > 0) out.push({ a: lb.method, b: t.method, gap, message: `${show(t)} lies below the excess-vocabulary lower bound ${pct(lb.lo!)}` });
    }
  }
  return out;
}

/**
 * The audit's own known-answer check. Held-out baseline and reference documents are split in
 * two halves: one gives the mixture's components, the other is drawn into mixtures of known
 * AI share (0–60 %), evenly mixed and one topic cluster at a time (a period whose topics differ
 * from the baseline's). Each mixture goes through the same estimate as a real period. The
 * result says how far this estimator is off on this corpus and how often its intervals cover
 * the truth; when they cover less often than the nominal level, `inflation` is the factor
 * that widens every interval until they would have.
 */
import { Rng, mixSeed } from '../../core/rng.js';
import { estimateShare, stratumPools, type MixtureComponents } from './score-mixture.js';

export const SELF_CHECK_SHARES = [0, 0.05, 0.1, 0.2, 0.3, 0.45, 0.6] as const;

export interface SelfCheckCase {
  design: 'mixed' | 'one-topic';
  truth: number;
  share: number;
  lo: number;
  hi: number;
}

export interface SelfCheckResult {
  /** Known-answer mixtures run. */
  n: number;
  /** Mean absolute error of the point estimates (share, not points). */
  meanAbsError: number;
  /** Share of intervals that contain the truth, before widening. */
  coverage: number;
  /** The widening factor applied to every statistical interval (≥ 1). */
  inflation: number;
  /** Coverage after widening. */
  coverageAfter: number;
  byDesign: Record<string, { n: number; meanAbsError: number; coverage: number }>;
  cases: SelfCheckCase[];
}

export interface SelfCheckOptions {
  level: number;
  replicates: number;
  seed: number;
  draws: number;
  docs: number;
}

const MAX_INFLATION = 3;

function halves(n: number, rng: Rng): [number[], number[]] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const h = Math.floor(n / 2);
  return [idx.slice(0, h), idx.slice(h)];
}

function sampleWithout(rng: Rng, from: readonly number[], k: number): number[] {
  const a = [...from];
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(a.length - i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, k);
}

export function runSelfCheck(comp: MixtureComponents, o: SelfCheckOptions): SelfCheckResult {
  const rng = new Rng(o.seed);
  const [hA, hB] = halves(comp.human.scores.length, rng);
  const [aA, aB] = halves(comp.ai.scores.length, rng);
  const pools: Array<{ design: SelfCheckCase['design']; human: number[]; ai: number[] }> = [{ design: 'mixed', human: hB, ai: aB }];
  if (comp.clusters > 1) {
    for (let c = 0; c < comp.clusters; c++) {
      const human = hB.filter((i) => comp.human.clusters[i] === c);
      const ai = aB.filter((i) => comp.ai.clusters[i] === c);
      if (human.length >= 15 && ai.length >= 8) pools.push({ design: 'one-topic', human, ai });
    }
  }
  const cases: SelfCheckCase[] = [];
  let run = 0;
  for (const pool of pools) {
    // One-topic pools share the draws between them, so the check's size does not grow with the clusters.
    const draws = pool.design === 'mixed' ? o.draws : Math.max(1, Math.round(o.draws / (pools.length - 1)));
    for (let d = 0; d < draws; d++) {
      for (const truth of SELF_CHECK_SHARES) {
        // Drawn without replacement: repeated documents would make the mixture look larger than
        // it is and the bootstrap too confident. Small pools make smaller mixtures.
        const size = Math.min(
          o.docs,
          truth < 1 ? Math.floor(pool.human.length / (1 - truth)) : o.docs,
          truth > 0 ? Math.floor(pool.ai.length / truth) : o.docs,
        );
        if (size < 30) continue;
        const nAi = Math.round(truth * size);
        const humanDraw = sampleWithout(rng, pool.human, size - nAi);
        const aiDraw = sampleWithout(rng, pool.ai, nAi);
        const scores = Float64Array.from([...aiDraw.map((j) => comp.ai.scores[j]), ...humanDraw.map((j) => comp.human.scores[j])]);
        const clusters = Int32Array.from([...aiDraw.map((j) => comp.ai.clusters[j]), ...humanDraw.map((j) => comp.human.clusters[j])]);
        const e = estimateShare(
          comp,
          { scores, clusters },
          { replicates: o.replicates, level: o.level, seed: mixSeed(o.seed, run++), humanIdx: hA, aiIdx: aA },
        );
        cases.push({ design: pool.design, truth: nAi / size, share: e.share, lo: e.lo, hi: e.hi });
      }
    }
  }
  const coverageAt = (f: number): number =>
    cases.filter((c) => c.share - f * (c.share - c.lo) - 1e-12 <= c.truth && c.truth <= c.share + f * (c.hi - c.share) + 1e-12).length /
    Math.max(1, cases.length);
  let inflation = 1;
  while (coverageAt(inflation) < o.level && inflation < MAX_INFLATION) inflation = Math.round((inflation + 0.05) * 100) / 100;
  const summary = (xs: SelfCheckCase[]) => ({
    n: xs.length,
    meanAbsError: xs.reduce((s, c) => s + Math.abs(c.share - c.truth), 0) / Math.max(1, xs.length),
    coverage: xs.filter((c) => c.lo - 1e-12 <= c.truth && c.truth <= c.hi + 1e-12).length / Math.max(1, xs.length),
  });
  const all = summary(cases);
  const byDesign: SelfCheckResult['byDesign'] = {};
  for (const d of ['mixed', 'one-topic'] as const) {
    const xs = cases.filter((c) => c.design === d);
    if (xs.length) byDesign[d] = summary(xs);
  }
  return { n: all.n, meanAbsError: all.meanAbsError, coverage: all.coverage, inflation, coverageAfter: coverageAt(inflation), byDesign, cases };
}

/** How the estimate did on known-answer mixtures with one period's own mix of strata. */
export interface PeriodSelfCheck {
  /** Mean absolute error of the point estimates (share, not points). */
  meanAbsError: number;
  /** Known-answer mixtures run. */
  n: number;
}

/**
 * The self-check redone for one period: mixtures whose documents fall in the strata in the
 * period's own proportions, so a month of one topic is checked on that topic. The overall
 * self-check mixes the baseline's topics and understates the error of a month whose topics are
 * the ones the discriminator separates worst. Point estimates only (no bootstrap): this runs for
 * every period of every report. Documents are drawn with replacement from the held-out half of
 * their stratum (of their language group, then of all, when the stratum's half is empty).
 */
export function runPeriodSelfCheck(
  comp: MixtureComponents,
  periodClusters: ArrayLike<number>,
  o: { seed: number; draws: number; docs: number },
): PeriodSelfCheck {
  const rng = new Rng(o.seed);
  const size = Math.min(o.docs, periodClusters.length);
  let err = 0;
  let n = 0;
  if (size === 0) return { meanAbsError: 0, n: 0 };
  for (let d = 0; d < o.draws; d++) {
    const [hA, hB] = halves(comp.human.scores.length, rng);
    const [aA, aB] = halves(comp.ai.scores.length, rng);
    const humanPool = stratumPools(hB, comp.human.clusters, comp);
    const aiPool = stratumPools(aB, comp.ai.clusters, comp);
    for (const truth of SELF_CHECK_SHARES) {
      const nAi = Math.round(truth * size);
      const scores = new Float64Array(size);
      const clusters = new Int32Array(size);
      for (let i = 0; i < size; i++) {
        const stratum = periodClusters[rng.int(periodClusters.length)];
        const [pool, from] = i < nAi ? [aiPool(stratum), comp.ai] : [humanPool(stratum), comp.human];
        const j = pool[rng.int(pool.length)];
        scores[i] = from.scores[j];
        clusters[i] = from.clusters[j];
      }
      const share = estimateShare(comp, { scores, clusters }, { replicates: 0, level: 0.95, seed: 0, humanIdx: hA, aiIdx: aA }).share;
      err += Math.abs(share - nAi / size);
      n++;
    }
  }
  return { meanAbsError: err / n, n };
}

/**
 * A period's share as the weight of a two-component mixture of discriminator scores: the
 * components are the held-out score distributions of baseline pages (human) and AI references,
 * binned at quantiles of their pooled scores. With topic clusters, each component is the mix of
 * its per-cluster distributions in the period's own cluster proportions (post-stratification),
 * so a month that writes about other topics than the baseline is compared with the right part
 * of it.
 */
import { Rng } from '../../core/rng.js';
import { percentileInterval } from '../../core/stats.js';

/** Scores with their topic cluster (cluster 0 when there are no clusters). */
export interface ClusteredScores {
  scores: ArrayLike<number>;
  clusters: ArrayLike<number>;
}

export interface MixtureComponents {
  human: ClusteredScores;
  ai: ClusteredScores;
  /** Upper bin edges (the last bin is open). */
  edges: Float64Array;
  clusters: number;
  /**
   * Language group of every cluster (all 0 when absent): a cluster's histogram is shrunk towards
   * its own group's pooled distribution, never towards another language's.
   */
  groups?: Int32Array;
}

/** Pseudo-documents of the pooled distribution a cluster's histogram is shrunk towards. */
const CLUSTER_PRIOR = 20;

/** Bin edges at the quantiles of the pooled held-out scores. */
export function quantileEdges(a: ArrayLike<number>, b: ArrayLike<number>, bins: number): Float64Array {
  const all = Float64Array.from([...Array.from(a), ...Array.from(b)]).sort();
  const edges = new Float64Array(bins - 1);
  for (let i = 1; i < bins; i++) edges[i - 1] = all[Math.min(all.length - 1, Math.floor((i * all.length) / bins))];
  return edges;
}

export function binOf(edges: Float64Array, x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Component bin probabilities for a period whose documents fall in clusters with weights `w`. */
function componentProbabilities(
  c: ClusteredScores,
  idx: ArrayLike<number>,
  edges: Float64Array,
  clusters: number,
  groups: Int32Array | undefined,
  w: Float64Array,
): Float64Array {
  const bins = edges.length + 1;
  const nGroups = groups ? Math.max(0, ...groups) + 1 : 1;
  const perCluster = new Float64Array(clusters * bins);
  const perClusterN = new Float64Array(clusters);
  const pooled = new Float64Array(nGroups * bins);
  const pooledN = new Float64Array(nGroups);
  for (let i = 0; i < idx.length; i++) {
    const j = idx[i];
    const b = binOf(edges, c.scores[j]);
    const k = c.clusters[j];
    const g = groups ? groups[k] : 0;
    perCluster[k * bins + b]++;
    perClusterN[k]++;
    pooled[g * bins + b]++;
    pooledN[g]++;
  }
  // Smoothing: a cluster towards its language group, a group towards all of them (half a
  // pseudo-document per bin), and all of them towards uniform; with one group, the group is all.
  const total = new Float64Array(bins);
  for (let g = 0; g < nGroups; g++) for (let b = 0; b < bins; b++) total[b] += pooled[g * bins + b];
  const allP = (b: number): number => (total[b] + 0.5) / (idx.length + 0.5 * bins);
  const groupP = (g: number, b: number): number =>
    nGroups === 1 ? allP(b) : (pooled[g * bins + b] + 0.5 * bins * allP(b)) / (pooledN[g] + 0.5 * bins);
  const out = new Float64Array(bins);
  for (let b = 0; b < bins; b++) {
    let p = 0;
    for (let k = 0; k < clusters; k++) {
      if (w[k] === 0) continue;
      const g = groups ? groups[k] : 0;
      p += (w[k] * (perCluster[k * bins + b] + CLUSTER_PRIOR * groupP(g, b))) / (perClusterN[k] + CLUSTER_PRIOR);
    }
    out[b] = p;
  }
  return out;
}

/** Maximum-likelihood mixture weight of binned counts: the log-likelihood is concave, so bisect its slope. */
export function mixtureWeight(counts: Float64Array, h: Float64Array, a: Float64Array): number {
  const slope = (pi: number): number => {
    let s = 0;
    for (let b = 0; b < counts.length; b++) if (counts[b] > 0) s += (counts[b] * (a[b] - h[b])) / (pi * a[b] + (1 - pi) * h[b]);
    return s;
  };
  if (slope(0) <= 0) return 0;
  if (slope(1) >= 0) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (slope(mid) > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const range = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

function resample(rng: Rng, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(n);
  return out;
}

/** A bootstrap resample of `from`'s entries. */
function resampleOf(rng: Rng, from: ArrayLike<number>): Int32Array {
  return resample(rng, from.length).map((i) => from[i]);
}

/** The share of one period (indices into `period`), given component documents (indices into the components). */
export function fitShare(
  comp: MixtureComponents,
  period: ClusteredScores,
  idx: { period: ArrayLike<number>; human: ArrayLike<number>; ai: ArrayLike<number> },
): number {
  const bins = comp.edges.length + 1;
  const w = new Float64Array(comp.clusters);
  const counts = new Float64Array(bins);
  for (let i = 0; i < idx.period.length; i++) {
    const j = idx.period[i];
    w[period.clusters[j]]++;
    counts[binOf(comp.edges, period.scores[j])]++;
  }
  for (let k = 0; k < w.length; k++) w[k] /= idx.period.length;
  const h = componentProbabilities(comp.human, idx.human, comp.edges, comp.clusters, comp.groups, w);
  const a = componentProbabilities(comp.ai, idx.ai, comp.edges, comp.clusters, comp.groups, w);
  return mixtureWeight(counts, h, a);
}

export interface MixtureEstimate {
  share: number;
  lo: number;
  hi: number;
  /** Bootstrap standard deviation of the share. */
  se: number;
}

/**
 * The share with a percentile-bootstrap interval that resamples the period's documents and
 * both components' held-out documents, so the interval includes the uncertainty of all three.
 * A percentile interval cannot reach a bound the estimate sits near (its replicates centre on
 * the estimate), so 0 is also tested directly: when periods of the same size and strata
 * filled with human documents alone give an estimate at least this high often enough, the
 * interval starts at 0.
 */
export function estimateShare(
  comp: MixtureComponents,
  period: ClusteredScores,
  o: { replicates: number; level: number; seed: number; humanIdx?: ArrayLike<number>; aiIdx?: ArrayLike<number> },
): MixtureEstimate {
  const humanIdx = o.humanIdx ?? range(comp.human.scores.length);
  const aiIdx = o.aiIdx ?? range(comp.ai.scores.length);
  const n = period.scores.length;
  const share = fitShare(comp, period, { period: range(n), human: humanIdx, ai: aiIdx });
  const rng = new Rng(o.seed);
  const reps = new Float64Array(o.replicates);
  for (let r = 0; r < o.replicates; r++) {
    reps[r] = fitShare(comp, period, { period: resample(rng, n), human: resampleOf(rng, humanIdx), ai: resampleOf(rng, aiIdx) });
  }
  const interval = percentileInterval(reps, o.level);
  let lo = interval.lo;
  const hi = interval.hi;
  if (lo > 0 && o.replicates > 0 && humanOnlyExceedance(comp, period, share, { ...o, humanIdx, aiIdx }) >= (1 - o.level) / 2) lo = 0;
  let mean = 0;
  for (const x of reps) mean += x;
  mean /= reps.length || 1;
  let v = 0;
  for (const x of reps) v += (x - mean) ** 2;
  return { share, lo: Math.min(lo, share), hi: Math.max(hi, share), se: Math.sqrt(v / Math.max(1, reps.length - 1)) };
}

/**
 * How often a period of the same size and strata, filled with held-out human documents alone
 * (each drawn from its own stratum's), reads at least `share`: the p-value of "no AI" for a
 * period estimated at `share`. Each replicate splits the human documents in two, fills the
 * period from one half and resamples the human component from the other, since a real
 * period's documents are never among the component's; the half-size component makes the test
 * lean towards keeping 0.
 */
function humanOnlyExceedance(
  comp: MixtureComponents,
  period: ClusteredScores,
  share: number,
  o: { replicates: number; seed: number; humanIdx: ArrayLike<number>; aiIdx: ArrayLike<number> },
): number {
  const rng = new Rng((o.seed ^ 0x6a09e667) >>> 0);
  const n = period.scores.length;
  const human = Array.from(o.humanIdx);
  const scores = new Float64Array(n);
  let exceed = 0;
  for (let r = 0; r < o.replicates; r++) {
    for (let i = human.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [human[i], human[j]] = [human[j], human[i]];
    }
    const half = human.length >> 1;
    const pools = stratumPools(human.slice(half), comp.human.clusters, comp);
    for (let i = 0; i < n; i++) {
      const pool = pools(period.clusters[i]);
      scores[i] = comp.human.scores[pool[rng.int(pool.length)]];
    }
    const s = fitShare(
      comp,
      { scores, clusters: period.clusters },
      { period: range(n), human: resampleOf(rng, human.slice(0, half)), ai: resampleOf(rng, o.aiIdx) },
    );
    if (s >= share - 1e-12) exceed++;
  }
  return exceed / o.replicates;
}

/** The documents of `from` in a stratum, else in its language group, else all of `from`. */
export function stratumPools(from: ArrayLike<number>, clusterOf: ArrayLike<number>, comp: MixtureComponents): (stratum: number) => readonly number[] {
  const byStratum = new Map<number, number[]>();
  const byGroup = new Map<number, number[]>();
  const all = Array.from(from);
  const groupOf = (k: number): number => (comp.groups ? comp.groups[k] : 0);
  const push = (m: Map<number, number[]>, key: number, j: number) => {
    const list = m.get(key);
    if (list) list.push(j);
    else m.set(key, [j]);
  };
  for (const j of all) {
    push(byStratum, clusterOf[j], j);
    push(byGroup, groupOf(clusterOf[j]), j);
  }
  return (stratum) => byStratum.get(stratum) ?? byGroup.get(groupOf(stratum)) ?? all;
}

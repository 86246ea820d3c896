/**
 * Topic strata learned from the audit's own texts: spherical k-means over hashed word tf-idf
 * vectors of the baseline pages and AI references. Clusters follow content words (idf
 * discounts the function words that separate human from AI style), so a human page and an AI
 * page on the same subject land together, and a period's cluster mix describes what it writes
 * about.
 */
import { fnv1a } from '../../core/hash.js';
import { Rng } from '../../core/rng.js';
/** A sorted sparse vector of topic weights. */
export interface TopicVector {
  readonly index: Int32Array;
  readonly value: Float32Array;
}

function dot(weights: Float32Array, x: TopicVector): number {
  let s = 0;
  for (let i = 0; i < x.index.length; i++) s += weights[x.index[i]] * x.value[i];
  return s;
}

const TOPIC_BITS = 16;
const TOPIC_DIMS = 1 << TOPIC_BITS;
const WORD = /\p{L}{3,}/gu;

/** Counts one token in hashed counts (the buckets `weigh` and `idfOf` expect). */
export function countToken(counts: Map<number, number>, token: string): void {
  const k = fnv1a(token) & (TOPIC_DIMS - 1);
  counts.set(k, (counts.get(k) ?? 0) + 1);
}

/** A text's hashed word counts (not yet idf-weighted). */
export function topicCounts(text: string, maxChars = 20000): Map<number, number> {
  const counts = new Map<number, number>();
  for (const m of text.slice(0, maxChars).toLowerCase().matchAll(WORD)) countToken(counts, m[0]);
  return counts;
}

/** Smoothed inverse document frequencies of hashed counts. */
export function idfOf(texts: readonly Map<number, number>[]): Float32Array {
  const df = new Float32Array(TOPIC_DIMS);
  for (const c of texts) for (const key of c.keys()) df[key]++;
  const idf = new Float32Array(TOPIC_DIMS);
  for (let j = 0; j < TOPIC_DIMS; j++) idf[j] = Math.log((1 + texts.length) / (1 + df[j])) + 1;
  return idf;
}

/** A text's idf-weighted, L2-normalised topic vector. */
export function weigh(counts: Map<number, number>, idf: Float32Array): TopicVector {
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const value = new Float32Array(keys.length);
  let norm = 0;
  keys.forEach((k, i) => {
    value[i] = (1 + Math.log(counts.get(k)!)) * idf[k];
    norm += value[i] * value[i];
  });
  const s = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < value.length; i++) value[i] *= s;
  return { index: new Int32Array(keys), value };
}

export interface TopicAssignment {
  cluster: number;
  /** Cosine similarity to the cluster's centroid. */
  similarity: number;
}

export class TopicClusters {
  private constructor(
    readonly idf: Float32Array,
    readonly centroids: Float32Array[],
    /** Similarity below which a document is unlike every training text's topic (the 5th percentile of their held-out similarities). */
    readonly novelBelow: number,
  ) {}

  state(): { idf: Float32Array; centroids: Float32Array[]; novelBelow: number } {
    return { idf: this.idf, centroids: this.centroids, novelBelow: this.novelBelow };
  }

  static fromState(s: { idf: Float32Array; centroids: Float32Array[]; novelBelow: number }): TopicClusters {
    return new TopicClusters(s.idf, s.centroids, s.novelBelow);
  }

  get k(): number {
    return this.centroids.length;
  }

  /** Fits k clusters (k-means++ seeding, 20 Lloyd rounds); k = 1 gives one cluster. */
  static fit(texts: readonly Map<number, number>[], k: number, seed: number): TopicClusters {
    const idf = idfOf(texts);
    const xs = texts.map((c) => weigh(c, idf));
    const rng = new Rng(seed);
    const centroids: Float32Array[] = [];
    const toDense = (x: TopicVector): Float32Array => {
      const d = new Float32Array(TOPIC_DIMS);
      for (let i = 0; i < x.index.length; i++) d[x.index[i]] = x.value[i];
      return d;
    };
    const kk = Math.max(1, Math.min(k, xs.length));
    centroids.push(toDense(xs[rng.int(xs.length)]));
    const best = new Float64Array(xs.length).fill(-Infinity);
    while (centroids.length < kk) {
      const last = centroids[centroids.length - 1];
      let total = 0;
      const d2 = xs.map((x, i) => {
        best[i] = Math.max(best[i], dot(last, x));
        const d = Math.max(0, 1 - best[i]);
        total += d;
        return d;
      });
      if (total <= 0) break;
      let r = rng.uniform() * total;
      let pick = 0;
      while (pick < d2.length - 1 && r > d2[pick]) r -= d2[pick++];
      centroids.push(toDense(xs[pick]));
    }
    const assign = new Int32Array(xs.length);
    for (let round = 0; round < 20; round++) {
      let moved = 0;
      xs.forEach((x, i) => {
        const c = nearest(centroids, x).cluster;
        if (c !== assign[i] || round === 0) moved++;
        assign[i] = c;
      });
      for (let c = 0; c < centroids.length; c++) {
        const sum = new Float32Array(TOPIC_DIMS);
        let any = false;
        xs.forEach((x, i) => {
          if (assign[i] !== c) return;
          any = true;
          for (let t = 0; t < x.index.length; t++) sum[x.index[t]] += x.value[t];
        });
        if (!any) continue;
        let norm = 0;
        for (let j = 0; j < TOPIC_DIMS; j++) norm += sum[j] * sum[j];
        const s = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        for (let j = 0; j < TOPIC_DIMS; j++) sum[j] *= s;
        centroids[c] = sum;
      }
      if (moved === 0) break;
    }
    const sims = heldOutSimilarities(xs, centroids, assign).sort((a, b) => a - b);
    const novelBelow = sims.length ? sims[Math.floor(0.05 * (sims.length - 1))] : 0;
    return new TopicClusters(idf, centroids, novelBelow);
  }

  /** The topic vector of a text's counts, for similarities between texts. */
  vector(counts: Map<number, number>): TopicVector {
    return weigh(counts, this.idf);
  }

  assign(counts: Map<number, number>): TopicAssignment {
    return nearest(this.centroids, weigh(counts, this.idf));
  }
}

/**
 * Each training text's similarity to its nearest topic as a new text would see it: its own
 * cluster's centroid (`own`: the clusters the centroids were last computed from) is recomputed
 * without it. A centroid holds a piece of every member, so a
 * member always looks more like its topic than an unseen text of the same topic does; read
 * in-sample, the 5th percentile of similarities flagged most unseen texts of small or
 * word-poor clusters as unlike every topic.
 */
function heldOutSimilarities(xs: readonly TopicVector[], centroids: readonly Float32Array[], own: Int32Array): number[] {
  const sums = centroids.map(() => new Float64Array(TOPIC_DIMS));
  xs.forEach((x, i) => {
    const sum = sums[own[i]];
    for (let t = 0; t < x.index.length; t++) sum[x.index[t]] += x.value[t];
  });
  const sumNorm2 = sums.map((sum) => sum.reduce((s, v) => s + v * v, 0));
  return xs.map((x, i) => {
    const c = own[i];
    let xs2 = 0;
    let xsum = 0;
    for (let t = 0; t < x.index.length; t++) {
      xs2 += x.value[t] * x.value[t];
      xsum += x.value[t] * sums[c][x.index[t]];
    }
    // x · (S − x) / ‖S − x‖, the cosine with the centroid of the other members.
    const rest2 = sumNorm2[c] - 2 * xsum + xs2;
    let best = rest2 > 1e-12 ? (xsum - xs2) / Math.sqrt(rest2) : 0;
    centroids.forEach((centroid, j) => {
      if (j !== c) best = Math.max(best, dot(centroid, x));
    });
    return best;
  });
}

function nearest(centroids: readonly Float32Array[], x: TopicVector): TopicAssignment {
  let cluster = 0;
  let similarity = -Infinity;
  centroids.forEach((c, i) => {
    const s = dot(c, x);
    if (s > similarity) {
      similarity = s;
      cluster = i;
    }
  });
  return { cluster, similarity };
}

/** Cosine similarity of two topic vectors (both L2-normalised). */
export function similarity(a: TopicVector, b: TopicVector): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.index.length && j < b.index.length) {
    if (a.index[i] === b.index[j]) s += a.value[i++] * b.value[j++];
    else if (a.index[i] < b.index[j]) i++;
    else j++;
  }
  return s;
}

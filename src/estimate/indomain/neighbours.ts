/**
 * Scores read against the baseline pages nearest in wording. A genre can move every score of
 * its pages (short abstracts or encyclopaedic prose look AI-like to a discriminator that learnt
 * length and register from the other genres); a month of that genre is then read as AI. The
 * baseline pages most like a document show where human pages of its kind score, so each score
 * is taken relative to the mean held-out score of its nearest baseline pages (less the mean of
 * all of them). Neighbours, unlike topic clusters, need no cluster to be pure.
 *
 * A kind of page with fewer baseline pages than there are neighbours shares its neighbours with
 * other kinds, so the neighbours' mean understates how far it sits from the rest; where pages
 * barely differ by kind, the mean is mostly noise. Both are measured on the baseline itself:
 * each page's held-out score regressed on the mean of its neighbours (itself left out) gives
 * the slope that turns a neighbour mean into the best linear guess of a page's own offset.
 */
import { countToken, similarity, weigh, type TopicVector } from './topics.js';

/**
 * Baseline pages a score is read against. Fewer (5–20 were tried on the known-answer
 * benchmark) follow a small genre more closely but add their own noise to every score, which
 * cost accuracy where the discriminator is weak and the genre does not shift.
 */
export const NEIGHBOURS = 30;

/**
 * Bounds of the fitted slope: never reversed, and at most this much larger than the neighbour
 * mean (the known-answer benchmark's sources fit 1.2–1.6; a larger value would come from a
 * baseline too small to measure it).
 */
export const MAX_OFFSET_SLOPE = 3;

/** Runs of scripts written without spaces between words, and words of three letters or more elsewhere. */
const TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]+|\p{L}{3,}/gu;
const UNSPACED = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/**
 * A text's hashed word counts; unspaced scripts count character bigrams, since a whole run of
 * Chinese would otherwise be one token no other text shares.
 */
export function neighbourCounts(text: string, maxChars = 20000): Map<number, number> {
  const counts = new Map<number, number>();
  for (const m of text.slice(0, maxChars).toLowerCase().matchAll(TOKEN)) {
    const w = m[0];
    if (UNSPACED.test(w)) for (let i = 0; i + 1 < w.length; i++) countToken(counts, w.slice(i, i + 2));
    else countToken(counts, w);
  }
  return counts;
}

export interface NeighbourState {
  idf: Float32Array;
  /** The baseline pages' vectors, concatenated; page i spans starts[i]..starts[i+1]. */
  index: Int32Array;
  value: Float32Array;
  starts: Int32Array;
  /** Held-out discriminator score of every baseline page. */
  scores: Float64Array;
  k: number;
  /** Factor from a neighbour mean to an offset (see the module comment). */
  slope: number;
}

export class HumanNeighbours {
  private readonly mean: number;

  private constructor(
    readonly idf: Float32Array,
    private readonly pages: readonly TopicVector[],
    private readonly scores: Float64Array,
    readonly k: number,
    /** Factor from a neighbour mean (less the mean of all pages) to an offset. */
    readonly slope: number,
  ) {
    this.mean = meanOf(scores);
  }

  /**
   * Baseline pages (their vectors) with their held-out scores; fits the slope on them and
   * returns, beside the neighbours, every page's own offset (itself left out).
   */
  static of(
    idf: Float32Array,
    pages: readonly TopicVector[],
    scores: Float64Array,
    k = NEIGHBOURS,
  ): { near: HumanNeighbours; pageOffsets: Float64Array } {
    const unit = new HumanNeighbours(idf, pages, scores, k, 1);
    const raw = Float64Array.from(pages, (v, i) => unit.offset(v, i));
    const slope = offsetSlope(raw, scores);
    return { near: new HumanNeighbours(idf, pages, scores, k, slope), pageOffsets: raw.map((x) => slope * x) };
  }

  vector(counts: Map<number, number>): TopicVector {
    return weigh(counts, this.idf);
  }

  /**
   * How far the baseline pages nearest to `v` score above all baseline pages; `self` is the
   * index of the page itself when `v` is a baseline page (it is not its own neighbour).
   */
  offset(v: TopicVector, self = -1): number {
    // The k most similar pages, most similar first and the earlier page first on a tie: kept
    // by insertion, since k is far smaller than the baseline and this runs for every document.
    const sim: number[] = [];
    const page: number[] = [];
    this.pages.forEach((p, i) => {
      if (i === self) return;
      const x = similarity(p, v);
      if (sim.length === this.k && x <= sim[this.k - 1]) return;
      let at = sim.length;
      while (at > 0 && sim[at - 1] < x) at--;
      sim.splice(at, 0, x);
      page.splice(at, 0, i);
      if (sim.length > this.k) {
        sim.pop();
        page.pop();
      }
    });
    if (!page.length) return 0;
    let s = 0;
    for (const i of page) s += this.scores[i];
    return this.slope * (s / page.length - this.mean);
  }

  state(): NeighbourState {
    const starts = new Int32Array(this.pages.length + 1);
    this.pages.forEach((p, i) => {
      starts[i + 1] = starts[i] + p.index.length;
    });
    const index = new Int32Array(starts[this.pages.length]);
    const value = new Float32Array(starts[this.pages.length]);
    this.pages.forEach((p, i) => {
      index.set(p.index, starts[i]);
      value.set(p.value, starts[i]);
    });
    return { idf: this.idf, index, value, starts, scores: this.scores, k: this.k, slope: this.slope };
  }

  static fromState(s: NeighbourState): HumanNeighbours {
    const pages = Array.from({ length: s.starts.length - 1 }, (_, i) => ({
      index: s.index.subarray(s.starts[i], s.starts[i + 1]),
      value: s.value.subarray(s.starts[i], s.starts[i + 1]),
    }));
    return new HumanNeighbours(s.idf, pages, s.scores, s.k, s.slope);
  }
}

function meanOf(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / Math.max(1, xs.length);
}

/** Least-squares slope of `y` on `x`, within [0, MAX_OFFSET_SLOPE]; 1 when `x` does not vary. */
function offsetSlope(x: Float64Array, y: Float64Array): number {
  const mx = meanOf(x);
  const my = meanOf(y);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxx > 0 ? Math.min(MAX_OFFSET_SLOPE, Math.max(0, sxy / sxx)) : 1;
}

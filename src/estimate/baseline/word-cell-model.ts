/**
 * One stratum cell of the baseline word mixture (word-mixture.ts): p_w from the cell's
 * baseline documents, q_w from AI references (counted like p) or fixed from the shipped
 * reference, K-fold cross-fitted ratio re-calibration, and the target documents' calibrated
 * ratios. `fit` takes bootstrap multiplicities of the cell's baseline documents and of its
 * AI-side documents (AI references or calibration texts), so one call is one replicate of the
 * WHOLE procedure: p, q, the cross-fitted calibration ratios and the calibration are all rebuilt
 * from the resampled documents (`resampledFit` draws the multiplicities: a bootstrap
 * stratified by cell, so no cell is ever left empty).
 *
 * Cross-fitting: every calibration document (baseline page or AI text) is in one of K folds;
 * its ratio uses p AND q estimated without that fold, so the calibration never sees a ratio
 * computed from the document's own words — in-sample ratios look far more human (baseline)
 * or far more AI (AI references) than a new page does. Documents sharing a `group` (a page
 * and the AI texts generated from it) share a fold, so a page's words do not reach its own
 * ratio through its AI rewrite. Target documents use p and q from all documents.
 *
 * Smoothed probabilities as in reference.ts: p = (c + ½)/(N + 1), so
 * logit p = log(c + ½) − log(N − c + ½) and log(1 − p) = log(N − c + ½) − log(N + 1), read from
 * a table of log(k + ½): a replicate costs integer additions over the documents' word lists
 * plus O(K·|V_cell|) table look-ups.
 */
import { applyCurve, curveBasis, fitCurve, fitMonotoneCurve, type RatioCurve } from './word-calibration.js';
import { docCount, type DocWordTable } from './word-vocab.js';
import { bootstrapCounts } from '../bootstrap.js';
import { Rng } from '../../core/rng.js';

/** Where q comes from in a cell. */
export type QSource =
  /** counted from the AI reference texts of the cell (cross-fitted for the calibration) */
  | { kind: 'ai-references'; docs: DocWordTable }
  /**
   * fixed q of the shipped generic reference; the calibration's AI side is a separate set
   * of AI texts that q was not estimated from (the labelled corpora's calib split)
   */
  | { kind: 'shipped-reference'; q: ReadonlyMap<number, number>; calib: DocWordTable };

export interface CellModelInput {
  /** Global vocabulary size (documents are given in global vocabulary indices). */
  vocabularySize: number;
  /** The cell's baseline documents (global vocabulary indices). */
  baseline: DocWordTable;
  /** Cross-fitting group of each baseline document (null = its own group). */
  baselineGroups: ReadonlyArray<string | null>;
  /** Cross-fitting group of each AI-side document (AI references or calibration texts). */
  aiGroups: ReadonlyArray<string | null>;
  q: QSource;
  folds: number;
  /** Vocabulary rule for AI-reference cells: minimum baseline / AI documents containing a word, and a cap. */
  minHumanDocs: number;
  minAiDocs: number;
  maxWords: number;
  /** Calibration shape: 1 = Platt (linear), J > 1 = linear spline with J segments (word-calibration.ts). */
  segments: number;
  /** Seed of the fold assignment. */
  seed: number;
  /** log(k + ½) for k = 0 … at least the largest possible resampled count. */
  logTable: Float64Array;
}

/** What one fit produced: full-data weights of the target ratios and the calibration. */
export interface CellFit {
  /** Full-data model: r_raw(x) = constant + Σ_{w∈x} weight[w] (local word indices). */
  weight: Float64Array;
  constant: number;
  /** Leave-fold-f-out models: r_raw(x) = foldConst[f] + Σ_{w∈x} foldWeight[f·m + w]. */
  foldWeight: Float64Array;
  foldConst: Float64Array;
  calibration: RatioCurve;
}

/**
 * Assigns the documents of both sides to K folds: groups (a document without one is its own
 * group) in a seeded random order, round-robin, so folds have nearly equal numbers of groups
 * and a group's documents on either side share a fold.
 */
function assignFolds(
  base: ReadonlyArray<string | null>,
  ai: ReadonlyArray<string | null>,
  k: number,
  rng: Rng,
): { base: Uint8Array; ai: Uint8Array } {
  const keyOf = (g: string | null, side: string, i: number) => (g === null ? `\u0000${side}${i}` : `g:${g}`);
  const keys = new Map<string, number>();
  base.forEach((g, i) => keys.set(keyOf(g, 'b', i), 0));
  ai.forEach((g, i) => keys.set(keyOf(g, 'a', i), 0));
  const order = [...keys.keys()];
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  order.forEach((key, rank) => keys.set(key, rank % k));
  return {
    base: Uint8Array.from(base, (g, i) => keys.get(keyOf(g, 'b', i))!),
    ai: Uint8Array.from(ai, (g, i) => keys.get(keyOf(g, 'a', i))!),
  };
}

/**
 * Documents in a cell's local word indices (< 65536 words per cell, so 16 bits: half the
 * memory traffic of the replicate loops).
 */
export interface LocalDocs {
  idx: Uint16Array;
  start: Uint32Array;
}

const localCount = (t: LocalDocs): number => t.start.length - 1;

/** Re-expresses a table in local word indices (words outside `localOf` dropped). */
function localise(t: DocWordTable, localOf: Int32Array): LocalDocs {
  let total = 0;
  for (let j = 0; j < t.idx.length; j++) if (localOf[t.idx[j]] >= 0) total++;
  const idx = new Uint16Array(total);
  const start = new Uint32Array(t.start.length);
  let o = 0;
  for (let d = 0; d < docCount(t); d++) {
    start[d] = o;
    for (let j = t.start[d]; j < t.start[d + 1]; j++) {
      const l = localOf[t.idx[j]];
      if (l >= 0) idx[o++] = l;
    }
  }
  start[docCount(t)] = o;
  return { idx, start };
}

/** Per-fold and total word counts of one side, with per-document multiplicities. */
class SideCounts {
  readonly foldCount: Int32Array;
  readonly total: Int32Array;
  readonly foldDocs: Int32Array;
  docs = 0;

  constructor(
    readonly m: number,
    readonly k: number,
  ) {
    this.foldCount = new Int32Array(k * m);
    this.total = new Int32Array(m);
    this.foldDocs = new Int32Array(k);
  }

  count(t: LocalDocs, folds: Uint8Array, weight: Int32Array): void {
    const { m, foldCount, total, foldDocs } = this;
    foldCount.fill(0);
    foldDocs.fill(0);
    const { idx, start } = t;
    for (let d = 0; d < folds.length; d++) {
      const w = weight[d];
      if (w === 0) continue;
      const base = folds[d] * m;
      foldDocs[folds[d]] += w;
      for (let j = start[d]; j < start[d + 1]; j++) foldCount[base + idx[j]] += w;
    }
    total.fill(0);
    let docs = 0;
    for (let f = 0; f < this.k; f++) {
      docs += foldDocs[f];
      const base = f * m;
      for (let w = 0; w < m; w++) total[w] += foldCount[base + w];
    }
    this.docs = docs;
  }
}

/** A prepared cell: its vocabulary, documents in local indices, folds and scratch buffers. */
export class CellModel {
  /** Global vocabulary index of each local word. */
  readonly words: Int32Array;
  /** Global → local word index (−1 = not in the cell's vocabulary). */
  readonly localOf: Int32Array;
  readonly baselineDocs: number;
  /** AI documents on the calibration's AI side (AI references of the cell, or calibration texts). */
  readonly aiDocs: number;
  readonly qKind: QSource['kind'];
  readonly folds: number;
  private readonly m: number;
  private readonly base: LocalDocs;
  private readonly baseFolds: Uint8Array;
  private readonly ai: LocalDocs;
  private readonly aiFolds: Uint8Array;
  private readonly fixedLogitQ: Float64Array | null = null;
  private readonly fixedLog1mQ: Float64Array | null = null;
  private readonly L: Float64Array;
  // scratch
  private readonly pCounts: SideCounts;
  private readonly qCounts: SideCounts | null;
  private readonly lp: Float64Array;
  private readonly l1p: Float64Array;
  private readonly lq: Float64Array;
  private readonly l1q: Float64Array;
  private readonly baseW: Int32Array;
  private readonly baseR: Float64Array;
  private readonly aiW: Int32Array;
  private readonly aiR: Float64Array;
  private readonly multBase: Uint32Array;
  private readonly multAi: Uint32Array;
  private readonly segments: number;
  /** Fit on every document once (the point estimate; warm start and basis of the replicates). */
  readonly pointFit: CellFit;

  constructor(input: CellModelInput) {
    const K = Math.max(2, Math.min(input.folds, docCount(input.baseline)));
    this.folds = K;
    this.qKind = input.q.kind;
    this.L = input.logTable;
    const V = input.vocabularySize;
    const words = this.chooseWords(input, V);
    if (words.length > 65535) throw new Error(`word mixture: ${words.length} words in one cell (at most 65535)`);
    this.words = words;
    this.m = words.length;
    this.localOf = new Int32Array(V).fill(-1);
    words.forEach((g, l) => (this.localOf[g] = l));

    const base = localise(input.baseline, this.localOf);
    const ai = localise(input.q.kind === 'ai-references' ? input.q.docs : input.q.calib, this.localOf);
    this.baselineDocs = localCount(base);
    this.aiDocs = localCount(ai);
    if (input.baselineGroups.length !== this.baselineDocs || input.aiGroups.length !== this.aiDocs) {
      throw new Error('word mixture: one cross-fitting group per document is needed');
    }
    const folds = assignFolds(input.baselineGroups, input.aiGroups, K, new Rng(input.seed));
    // Documents are stored fold by fold, so the per-fold count and weight arrays a replicate
    // touches stay in cache.
    [this.base, this.baseFolds] = sortByFold(base, folds.base);
    [this.ai, this.aiFolds] = sortByFold(ai, folds.ai);
    if (input.q.kind === 'shipped-reference') {
      const q = input.q.q;
      this.fixedLogitQ = Float64Array.from(words, (g) => {
        const v = q.get(g)!;
        return Math.log(v) - Math.log1p(-v);
      });
      this.fixedLog1mQ = Float64Array.from(words, (g) => Math.log1p(-q.get(g)!));
    }

    const m = this.m;
    this.pCounts = new SideCounts(m, K);
    this.qCounts = input.q.kind === 'ai-references' ? new SideCounts(m, K) : null;
    this.lp = new Float64Array(m);
    this.l1p = new Float64Array(m);
    this.lq = this.fixedLogitQ ? this.fixedLogitQ : new Float64Array(m);
    this.l1q = this.fixedLog1mQ ? this.fixedLog1mQ : new Float64Array(m);
    this.baseW = new Int32Array(this.baselineDocs);
    this.baseR = new Float64Array(this.baselineDocs);
    this.aiW = new Int32Array(this.aiDocs);
    this.aiR = new Float64Array(this.aiDocs);
    this.multBase = new Uint32Array(this.baselineDocs);
    this.multAi = new Uint32Array(this.aiDocs);
    this.segments = input.segments;
    this.pointFit = this.fit(null, null, null, this.newFit());
  }

  get vocabularySize(): number {
    return this.m;
  }

  /**
   * The cell's vocabulary. Shipped reference: its words (q is known only for them). AI
   * references: words in ≥ minHumanDocs baseline and ≥ minAiDocs AI documents of the cell
   * (Liang et al.'s thresholds), the `maxWords` most frequent first — chosen by frequency,
   * not by |logit q − logit p|, so the selection does not favour words whose baseline counts
   * happen to be low in the very documents the calibration then scores.
   */
  private chooseWords(input: CellModelInput, V: number): Int32Array {
    if (input.q.kind === 'shipped-reference') return Int32Array.from([...input.q.q.keys()].sort((a, b) => a - b));
    const dfH = new Int32Array(V);
    const dfA = new Int32Array(V);
    const { baseline } = input;
    for (let j = 0; j < baseline.idx.length; j++) dfH[baseline.idx[j]]++;
    const ai = input.q.docs;
    for (let j = 0; j < ai.idx.length; j++) dfA[ai.idx[j]]++;
    const keep: number[] = [];
    for (let g = 0; g < V; g++) if (dfH[g] >= input.minHumanDocs && dfA[g] >= input.minAiDocs) keep.push(g);
    keep.sort((a, b) => dfH[b] + dfA[b] - (dfH[a] + dfA[a]) || a - b);
    return Int32Array.from(keep.slice(0, input.maxWords)).sort();
  }

  /** A scratch result for fit / resampledFit. */
  newFit(): CellFit {
    return {
      weight: new Float64Array(this.m),
      constant: 0,
      foldWeight: new Float64Array(this.folds * this.m),
      foldConst: new Float64Array(this.folds),
      calibration: curveBasis([0], [0], 1),
    };
  }

  /** Re-expresses documents given in global vocabulary indices in the cell's local indices. */
  localDocs(t: DocWordTable): LocalDocs {
    return localise(t, this.localOf);
  }

  /**
   * One bootstrap replicate of the cell procedure: resamples the cell's baseline documents
   * and its AI-side documents (each with replacement, same size), then fits. The calibration
   * keeps the point fit's knots and starts from its coefficients.
   */
  resampledFit(rng: Rng, out: CellFit): CellFit {
    bootstrapCounts(rng, this.baselineDocs, this.multBase);
    bootstrapCounts(rng, this.aiDocs, this.multAi);
    return this.fit(this.multBase, this.multAi, this.pointFit.calibration, out);
  }

  /**
   * One fit of the whole cell procedure with the given multiplicities (null = all ones):
   * p (and q) from the weighted documents, cross-fitted calibration ratios, calibration fit.
   * Writes into and returns `out`.
   */
  fit(multBase: ArrayLike<number> | null, multAi: ArrayLike<number> | null, warm: RatioCurve | null, out: CellFit): CellFit {
    const { m, L, lp, l1p, lq, l1q } = this;
    // p side
    copyWeights(multBase, this.baseW);
    this.pCounts.count(this.base, this.baseFolds, this.baseW);
    smoothedLogs(this.pCounts.total, this.pCounts.docs, L, lp, l1p);
    // q side
    copyWeights(multAi, this.aiW);
    if (this.qCounts) {
      this.qCounts.count(this.ai, this.aiFolds, this.aiW);
      smoothedLogs(this.qCounts.total, this.qCounts.docs, L, lq, l1q);
    }
    // full-data weights (target documents)
    const weight = out.weight;
    let constant = 0;
    for (let w = 0; w < m; w++) {
      weight[w] = lq[w] - lp[w];
      constant += l1q[w] - l1p[w];
    }
    out.constant = constant;
    // calibration documents: p and q without the document's fold
    this.foldWeights(out.foldWeight, out.foldConst);
    ratiosByFold(this.base, this.baseFolds, this.baseW, out.foldWeight, out.foldConst, m, this.baseR);
    ratiosByFold(this.ai, this.aiFolds, this.aiW, out.foldWeight, out.foldConst, m, this.aiR);
    // The point fit chooses the knots from its ratios; replicates keep them and start from its coefficients.
    out.calibration = warm
      ? fitCurve(warm, this.baseR, this.baseW, this.aiR, this.aiW)
      : fitMonotoneCurve(this.baseR, this.baseW, this.aiR, this.aiW, this.segments);
    return out;
  }

  /** Calibrated ratios of target documents (local indices) under a fit. */
  targetRatios(fit: CellFit, docs: LocalDocs, out: Float64Array): Float64Array {
    const { weight, constant, calibration } = fit;
    for (let d = 0; d < out.length; d++) {
      let r = constant;
      for (let j = docs.start[d]; j < docs.start[d + 1]; j++) r += weight[docs.idx[j]];
      out[d] = applyCurve(calibration, r);
    }
    return out;
  }

  /** Fills foldWeight/foldConst with each leave-fold-out model's per-word weight and constant. */
  private foldWeights(foldWeight: Float64Array, foldConst: Float64Array): void {
    const { m, L, pCounts, qCounts, lq, l1q } = this;
    for (let f = 0; f < this.folds; f++) {
      const base = f * m;
      const nP = pCounts.docs - pCounts.foldDocs[f];
      const logNP1 = Math.log(nP + 1);
      let c = 0;
      if (qCounts) {
        const nQ = qCounts.docs - qCounts.foldDocs[f];
        const logNQ1 = Math.log(nQ + 1);
        for (let w = 0; w < m; w++) {
          const kp = pCounts.total[w] - pCounts.foldCount[base + w];
          const kq = qCounts.total[w] - qCounts.foldCount[base + w];
          foldWeight[base + w] = L[kq] - L[nQ - kq] - (L[kp] - L[nP - kp]);
          c += L[nQ - kq] - logNQ1 - (L[nP - kp] - logNP1);
        }
      } else {
        for (let w = 0; w < m; w++) {
          const kp = pCounts.total[w] - pCounts.foldCount[base + w];
          foldWeight[base + w] = lq[w] - (L[kp] - L[nP - kp]);
          c += l1q[w] - (L[nP - kp] - logNP1);
        }
      }
      foldConst[f] = c;
    }
  }
}

/** The documents reordered so that each fold's are contiguous, with their folds. */
function sortByFold(t: LocalDocs, folds: Uint8Array): [LocalDocs, Uint8Array] {
  const order = Array.from(folds.keys()).sort((x, y) => folds[x] - folds[y] || x - y);
  const idx = new Uint16Array(t.idx.length);
  const start = new Uint32Array(t.start.length);
  let o = 0;
  order.forEach((d, i) => {
    start[i] = o;
    idx.set(t.idx.subarray(t.start[d], t.start[d + 1]), o);
    o += t.start[d + 1] - t.start[d];
  });
  start[order.length] = o;
  return [{ idx, start }, Uint8Array.from(order, (d) => folds[d])];
}

function copyWeights(mult: ArrayLike<number> | null, out: Int32Array): void {
  if (mult === null) out.fill(1);
  else for (let i = 0; i < out.length; i++) out[i] = mult[i];
}

/** logit p and log(1 − p) of the smoothed shares (c + ½)/(n + 1). */
function smoothedLogs(counts: Int32Array, n: number, L: Float64Array, logit: Float64Array, log1m: Float64Array): void {
  const logN1 = Math.log(n + 1);
  for (let w = 0; w < counts.length; w++) {
    const c = counts[w];
    logit[w] = L[c] - L[n - c];
    log1m[w] = L[n - c] - logN1;
  }
}

function ratiosByFold(
  t: LocalDocs,
  folds: Uint8Array,
  weight: Int32Array,
  foldWeight: Float64Array,
  foldConst: Float64Array,
  m: number,
  out: Float64Array,
): void {
  for (let d = 0; d < folds.length; d++) {
    if (weight[d] === 0) continue;
    const base = folds[d] * m;
    let r = foldConst[folds[d]];
    for (let j = t.start[d]; j < t.start[d + 1]; j++) r += foldWeight[base + t.idx[j]];
    out[d] = r;
  }
}

/** log(k + ½) for k = 0 … max. */
export function logHalfTable(max: number): Float64Array {
  return Float64Array.from({ length: max + 1 }, (_, k) => Math.log(k + 0.5));
}

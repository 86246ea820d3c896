/**
 * Distributional mixture MLE (Liang et al. 2024, "Monitoring AI-Modified Content at Scale",
 * ICML 2024; "Mapping the Increasing Use of LLMs in Scientific Papers", COLM 2024).
 *
 * A unit (a sentence or a whole document) is reduced to the SET of words it contains. With
 * p_w / q_w the probability that a human / AI unit contains word w (estimated from reference
 * corpora, see reference.ts) and words treated as independent, a unit x has
 *
 *   log P(x) = Σ_{w∈V} [w∈x]·log p_w + [w∉x]·log(1−p_w)          (likewise Q with q_w)
 *   r(x) = log Q(x) − log P(x) = C + Σ_{w∈x∩V} (logit q_w − logit p_w),
 *   C = Σ_{w∈V} log(1−q_w) − log(1−p_w).
 *
 * The corpus is modelled as the mixture (1−α)·P + α·Q; the estimate α̂ maximises
 * ℓ(α) = Σ_x log(1 − α + α·e^{r(x)}), which is concave in α, so a safeguarded Newton search
 * on ℓ′ finds it. The interval is a percentile bootstrap that resamples DOCUMENTS (a
 * document's sentences move together, since they share an author).
 */
import { bootstrapCounts, resampleGroupedCounts } from './bootstrap.js';
import { Rng, mixSeed } from '../core/rng.js';
import { percentileInterval } from '../core/stats.js';
import { DEFAULT_LEVEL, DEFAULT_REPLICATES, DEFAULT_SEED, noEstimate, okEstimate, type BootstrapOptions, type ShareEstimate } from './types.js';

/**
 * Unit log-likelihood ratios of a group of documents, flattened: units of document d are
 * `r[start[d]] … r[start[d+1]−1]`. `count[d]` is how many identical documents item d stands
 * for (1 unless binned).
 */
export interface UnitRatios {
  r: Float64Array;
  start: Uint32Array;
  count: Float64Array;
}

/** Packs per-document ratio lists into UnitRatios (each document counted once). */
export function packRatios(perDoc: ReadonlyArray<ArrayLike<number>>): UnitRatios {
  let total = 0;
  for (const d of perDoc) total += d.length;
  const r = new Float64Array(total);
  const start = new Uint32Array(perDoc.length + 1);
  let o = 0;
  perDoc.forEach((d, i) => {
    start[i] = o;
    for (let j = 0; j < d.length; j++) r[o++] = d[j];
  });
  start[perDoc.length] = o;
  return { r, start, count: new Float64Array(perDoc.length).fill(1) };
}

/**
 * Groups single-unit documents by their ratio rounded to `resolution`, so bootstraps over
 * very large groups cost O(distinct values) per replicate. The rounding moves each r by at
 * most resolution/2 (default 0.005 nats), far below the ratios' own estimation error.
 */
export function binRatios(values: ArrayLike<number>, resolution = 0.01): UnitRatios {
  const bins = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    const key = Math.round(values[i] / resolution);
    bins.set(key, (bins.get(key) ?? 0) + 1);
  }
  const keys = [...bins.keys()].sort((a, b) => a - b);
  const r = Float64Array.from(keys, (k) => k * resolution);
  const start = Uint32Array.from({ length: keys.length + 1 }, (_, i) => i);
  return { r, start, count: Float64Array.from(keys, (k) => bins.get(k)!) };
}

/** (R − 1)/(1 − α + αR) with R = e^r, computed without overflow. */
function term(r: number, alpha: number): number {
  if (r > 0) {
    const e = Math.exp(-r);
    return (1 - e) / ((1 - alpha) * e + alpha);
  }
  const R = Math.exp(r);
  return (R - 1) / (1 - alpha + alpha * R);
}

/** ℓ′(α) and ℓ″(α) for unit ratios weighted by per-document weights. */
function derivatives(data: UnitRatios, weights: ArrayLike<number>, alpha: number): { g: number; h: number } {
  let g = 0;
  let h = 0;
  const { r, start } = data;
  for (let d = 0; d < weights.length; d++) {
    const w = weights[d];
    if (w === 0) continue;
    for (let i = start[d]; i < start[d + 1]; i++) {
      const t = term(r[i], alpha);
      g += w * t;
      h -= w * t * t;
    }
  }
  return { g, h };
}

const EDGE = 1e-9;

/** The α in [0, 1] maximising the weighted mixture log-likelihood. */
export function mleAlpha(data: UnitRatios, weights: ArrayLike<number> = data.count): number {
  if (derivatives(data, weights, EDGE).g <= 0) return 0;
  if (derivatives(data, weights, 1 - EDGE).g >= 0) return 1;
  // ℓ′ is decreasing (ℓ concave): keep a bracket [a, b] with ℓ′(a) > 0 > ℓ′(b).
  let a = EDGE;
  let b = 1 - EDGE;
  let x = 0.5;
  for (let iter = 0; iter < 100; iter++) {
    const { g, h } = derivatives(data, weights, x);
    if (g > 0) a = x;
    else b = x;
    let next = h < 0 ? x - g / h : Number.NaN;
    if (!(next > a && next < b)) next = (a + b) / 2;
    if (Math.abs(next - x) < 1e-9 || b - a < 1e-9) return next;
    x = next;
  }
  return x;
}

export interface MixtureOptions extends BootstrapOptions {
  minDocs?: number;
  /** Method label (default "mixture"). */
  method?: string;
  /** Unit the reference was built for (shown in notes). */
  unit?: 'document' | 'sentence';
}

/** Mixture share of a group from its documents' unit ratios, with a document bootstrap interval. */
export function mixtureShare(data: UnitRatios, opts: MixtureOptions = {}): ShareEstimate {
  const level = opts.level ?? DEFAULT_LEVEL;
  const method = opts.method ?? 'mixture';
  let docs = 0;
  for (let d = 0; d < data.count.length; d++) docs += data.count[d];
  const units = unitCount(data);
  if (docs === 0 || units === 0) return noEstimate(method, 'mixture', null, 'no-data', 0, level);
  if (docs < (opts.minDocs ?? 1)) return noEstimate(method, 'mixture', null, 'too-few-documents', docs, level);
  const share = mleAlpha(data);
  const replicates = opts.replicates ?? DEFAULT_REPLICATES;
  const rng = new Rng(mixSeed(opts.seed ?? DEFAULT_SEED, docs, units, 77));
  const draws = new Float64Array(replicates);
  const unitWeights = data.count.every((c) => c === 1);
  const ones = new Uint32Array(data.count.length);
  const grouped = new Float64Array(data.count.length);
  for (let b = 0; b < replicates; b++) {
    const w = unitWeights ? bootstrapCounts(rng, data.count.length, ones) : resampleGroupedCounts(rng, data.count, grouped);
    draws[b] = mleAlpha(data, w);
  }
  const { lo, hi } = percentileInterval(draws, level);
  return okEstimate({
    method,
    kind: 'mixture',
    detector: null,
    share,
    lo,
    hi,
    level,
    n: docs,
    note: `word-occurrence mixture MLE over ${opts.unit ?? 'unit'}s (Liang et al. 2024)`,
    details: { units, replicates },
  });
}

function unitCount(data: UnitRatios): number {
  let u = 0;
  for (let d = 0; d < data.count.length; d++) u += (data.start[d + 1] - data.start[d]) * data.count[d];
  return u;
}

/**
 * The stored form of an in-domain model: a JSON header followed by the typed arrays it names
 * (weights, held-out scores, folds, clusters, topic centroids, the baseline pages' neighbour
 * vectors), each 8-byte aligned. Written here because the layout is ours alone; JSON alone
 * would multiply the size by five.
 */
import type { CrossFitResult, FeatureSpec } from './discriminator.js';
import type { MixtureComponents } from './score-mixture.js';
import type { NeighbourState } from './neighbours.js';
import type { StrataState } from './strata.js';

export const MODEL_FORMAT = 8;
const MAGIC = 'ccaudit-indomain';

type Typed = Float32Array | Float64Array | Int32Array;
const KINDS = { f32: Float32Array, f64: Float64Array, i32: Int32Array } as const;
type Kind = keyof typeof KINDS;

export interface ModelParts<Info> {
  info: Info;
  options: { level: number; replicates: number; seed: number };
  inflation: number;
  driftBand: number;
  /** One cross-fitted discriminator per language group. */
  discriminator: { fits: CrossFitResult[]; features: FeatureSpec };
  components: MixtureComponents;
  neighbours: NeighbourState;
  strata: StrataState;
}

const kindOf = (a: Typed): Kind => (a instanceof Float32Array ? 'f32' : a instanceof Float64Array ? 'f64' : 'i32');

export function encodeModel<Info>(m: ModelParts<Info>): Uint8Array {
  const arrays: Typed[] = [];
  const ref = (a: ArrayLike<number>): { $a: number; kind: Kind } => {
    const typed = a instanceof Float32Array || a instanceof Float64Array || a instanceof Int32Array ? a : Float64Array.from(a);
    arrays.push(typed);
    return { $a: arrays.length - 1, kind: kindOf(typed) };
  };
  // A fold model's weights are zero wherever its training texts had no feature (most of the
  // hashed space, and more so for one language group's model): stored as index/value pairs.
  const sparse = (w: Float64Array) => {
    const index: number[] = [];
    w.forEach((x, i) => {
      if (x !== 0) index.push(i);
    });
    return { length: w.length, index: ref(Int32Array.from(index)), value: ref(Float64Array.from(index, (i) => w[i])) };
  };
  const header = {
    magic: MAGIC,
    format: MODEL_FORMAT,
    info: m.info,
    options: m.options,
    inflation: m.inflation,
    driftBand: m.driftBand,
    features: m.discriminator.features,
    fits: m.discriminator.fits.map((fit) => ({
      models: fit.models.map((x) => ({ weights: sparse(x.weights), bias: x.bias })),
      human: ref(fit.human),
      ai: ref(fit.ai),
      humanFold: ref(fit.humanFold),
      aiFold: ref(fit.aiFold),
    })),
    components: {
      humanScores: ref(m.components.human.scores),
      aiScores: ref(m.components.ai.scores),
      humanClusters: ref(m.components.human.clusters),
      aiClusters: ref(m.components.ai.clusters),
      edges: ref(m.components.edges),
      clusters: m.components.clusters,
      groups: m.components.groups ? ref(m.components.groups) : null,
    },
    neighbours: {
      idf: ref(m.neighbours.idf),
      index: ref(m.neighbours.index),
      value: ref(m.neighbours.value),
      starts: ref(m.neighbours.starts),
      scores: ref(m.neighbours.scores),
      k: m.neighbours.k,
      slope: m.neighbours.slope,
    },
    strata: {
      languages: m.strata.languages,
      fallback: m.strata.fallback,
      topics: m.strata.topics.map((t) => ({ idf: ref(t.idf), centroids: t.centroids.map(ref), novelBelow: t.novelBelow })),
    },
    arrays: [] as Array<{ kind: Kind; offset: number; length: number }>,
  };
  let offset = 0;
  for (const a of arrays) {
    header.arrays.push({ kind: kindOf(a), offset, length: a.length });
    offset += Math.ceil(a.byteLength / 8) * 8;
  }
  const head = new TextEncoder().encode(JSON.stringify(header));
  const start = 8 + Math.ceil(head.length / 8) * 8;
  const out = new Uint8Array(start + offset);
  new DataView(out.buffer).setUint32(0, head.length, true);
  out.set(head, 8);
  header.arrays.forEach((d, i) => out.set(new Uint8Array(arrays[i].buffer, arrays[i].byteOffset, arrays[i].byteLength), start + d.offset));
  return out;
}

export function decodeModel<Info>(bytes: Uint8Array): ModelParts<Info> {
  const copy = new Uint8Array(bytes); // aligned, owned
  const len = new DataView(copy.buffer).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(copy.subarray(8, 8 + len)));
  if (header.magic !== MAGIC || header.format !== MODEL_FORMAT) throw new Error(`not an in-domain model of format ${MODEL_FORMAT}`);
  const start = 8 + Math.ceil(len / 8) * 8;
  const arrays: Typed[] = header.arrays.map(
    (d: { kind: Kind; offset: number; length: number }) => new KINDS[d.kind](copy.buffer, start + d.offset, d.length),
  );
  const get = <T extends Typed>(r: { $a: number }): T => arrays[r.$a] as T;
  type StoredFit = {
    models: Array<{ weights: { length: number; index: { $a: number }; value: { $a: number } }; bias: number }>;
    human: { $a: number };
    ai: { $a: number };
    humanFold: { $a: number };
    aiFold: { $a: number };
  };
  const fits: CrossFitResult[] = header.fits.map((f: StoredFit) => ({
    models: f.models.map((x) => {
      const weights = new Float64Array(x.weights.length);
      const index = get<Int32Array>(x.weights.index);
      const value = get<Float64Array>(x.weights.value);
      index.forEach((i, n) => {
        weights[i] = value[n];
      });
      return { weights, bias: x.bias };
    }),
    human: get<Float64Array>(f.human),
    ai: get<Float64Array>(f.ai),
    humanFold: get<Int32Array>(f.humanFold),
    aiFold: get<Int32Array>(f.aiFold),
  }));
  return {
    info: header.info,
    options: header.options,
    inflation: header.inflation,
    driftBand: header.driftBand,
    discriminator: { fits, features: header.features },
    components: {
      human: { scores: get<Float64Array>(header.components.humanScores), clusters: get<Int32Array>(header.components.humanClusters) },
      ai: { scores: get<Float64Array>(header.components.aiScores), clusters: get<Int32Array>(header.components.aiClusters) },
      edges: get<Float64Array>(header.components.edges),
      clusters: header.components.clusters,
      ...(header.components.groups ? { groups: get<Int32Array>(header.components.groups) } : {}),
    },
    neighbours: {
      idf: get<Float32Array>(header.neighbours.idf),
      index: get<Int32Array>(header.neighbours.index),
      value: get<Float32Array>(header.neighbours.value),
      starts: get<Int32Array>(header.neighbours.starts),
      scores: get<Float64Array>(header.neighbours.scores),
      k: header.neighbours.k,
      slope: header.neighbours.slope,
    },
    strata: {
      languages: header.strata.languages,
      fallback: header.strata.fallback,
      topics: header.strata.topics.map((t: { idf: { $a: number }; centroids: Array<{ $a: number }>; novelBelow: number }) => ({
        idf: get<Float32Array>(t.idf),
        centroids: t.centroids.map((r) => get<Float32Array>(r)),
        novelBelow: t.novelBelow,
      })),
    },
  };
}

/**
 * The audit's own discriminator: baseline pages (human text of exactly the audited domain)
 * against AI references (AI text on that domain), cross-fitted. Every training text is scored
 * by the one fold model that did not see it, so the held-out scores are honest samples of
 * what a new human or AI document of this domain scores; an audited document is scored by the
 * fold model its text hashes to, which makes its score exchangeable with those held-out scores.
 */
import { fnv1a } from '../../core/hash.js';
import { Rng, mixSeed } from '../../core/rng.js';
import { NgramFeaturizer, type NgramConfig, type SparseVector } from '../../detect/features/ngrams.js';
import { dot, trainLogistic, type LogisticModel } from '../../detect/logistic.js';
import { normalizeText, tokenize } from '../../detect/text.js';
import { STYLE_FEATURE_NAMES, styleFeatures } from '../../detect/features/style.js';
import { prepare } from '../../detect/prepared.js';

/**
 * The discriminator reuses the shipped classifier's featurizer, style features and logistic
 * regression (hashed word 1–2-grams and character n-grams, log-scaled and L2-normalised, then
 * the style features standardised on the audit's own texts; AdaGrad, seeded).
 */
export interface DiscriminatorOptions {
  /** Cross-fitting folds (default 5). */
  folds?: number;
  /** log2 of the hashed dimension (default 18). */
  bits?: number;
  /** Passes over the training texts (default 6). */
  epochs?: number;
  /** AdaGrad learning rate (default 0.1: best of 0.05 and 0.1 on the known-answer benchmark). */
  learningRate?: number;
  /** L2 penalty (default 1e-6). */
  l2?: number;
  /**
   * Weight of the standardised style features (sentence lengths, punctuation, vocabulary
   * richness…) beside the unit-norm n-gram vector; 0 leaves them out (default STYLE_SCALE).
   */
  styleScale?: number;
  seed?: number;
}

/**
 * Default weight of the style features. They carry register, which n-grams learnt from a few
 * hundred texts miss within a genre; on the known-answer benchmark they lowered the error of
 * months of one genre on every source.
 */
export const STYLE_SCALE = 1;

/** Standardisation of the style features, fitted on the audit's own training texts. */
export interface StyleScaling {
  mean: number[];
  sd: number[];
  scale: number;
}

/** What the discriminator reads of a text: hashed n-grams, then standardised style features. */
export interface FeatureSpec {
  ngram: NgramConfig;
  style: StyleScaling | null;
}

/** Builds feature vectors for one spec (keeps the featurizer's scratch buffers: one per spec). */
export class DiscriminatorFeaturizer {
  private readonly featurizer: NgramFeaturizer;
  readonly dims: number;

  constructor(readonly spec: FeatureSpec) {
    this.featurizer = new NgramFeaturizer(spec.ngram);
    this.dims = this.featurizer.dims + (spec.style ? spec.style.mean.length : 0);
  }

  /**
   * A spec whose style scaling is fitted on the training texts' raw style features (`styleFeatures`;
   * style omitted when `styleScale` is 0).
   */
  static fit(styles: readonly Float64Array[], o: Pick<DiscriminatorOptions, 'bits' | 'styleScale'>): DiscriminatorFeaturizer {
    const ngram = discriminatorFeatures(o.bits ?? 18);
    const scale = o.styleScale ?? STYLE_SCALE;
    if (scale <= 0 || styles.length === 0) return new DiscriminatorFeaturizer({ ngram, style: null });
    const k = STYLE_FEATURE_NAMES.length;
    const sum = new Float64Array(k);
    const sum2 = new Float64Array(k);
    for (const f of styles) {
      for (let j = 0; j < k; j++) {
        sum[j] += f[j];
        sum2[j] += f[j] * f[j];
      }
    }
    const n = styles.length;
    const mean = Array.from(sum, (s) => s / n);
    const sd = Array.from(sum2, (s2, j) => Math.sqrt(Math.max(0, s2 / n - mean[j] * mean[j])));
    return new DiscriminatorFeaturizer({ ngram, style: { mean, sd, scale } });
  }

  /** A text's vector; `style` is its raw style features when the caller already has them. */
  of(text: string, style?: Float64Array): SparseVector {
    const hashed = featuresOf(this.featurizer, text);
    const scaling = this.spec.style;
    if (!scaling) return hashed;
    const f = style ?? styleFeatures(prepare({ text }));
    const k = f.length;
    const idx = new Int32Array(hashed.idx.length + k);
    const val = new Float32Array(hashed.idx.length + k);
    idx.set(hashed.idx);
    val.set(hashed.val);
    for (let j = 0; j < k; j++) {
      const sd = scaling.sd[j] > 1e-12 ? scaling.sd[j] : 1;
      // Clipped so one extreme value on a web page cannot decide its score alone.
      const z = Math.max(-4, Math.min(4, (f[j] - scaling.mean[j]) / sd));
      idx[hashed.idx.length + j] = this.featurizer.dims + j;
      val[hashed.idx.length + j] = (z * scaling.scale) / Math.sqrt(k);
    }
    return { idx, val };
  }
}

/** The n-grams the discriminator reads (character 3–5-grams as well: style, not only topic). */
export function discriminatorFeatures(bits = 18): NgramConfig {
  return { bits, wordOrders: [1, 2], charOrders: [3, 4, 5], maxChars: 20_000 };
}

/** A text's features (the featurizer keeps scratch buffers: one per discriminator, reused). */
export function featuresOf(featurizer: NgramFeaturizer, text: string): SparseVector {
  const norm = normalizeText(text);
  return featurizer.featurize(norm, tokenize(norm));
}

/**
 * Texts that must share a fold: an AI reference and the baseline page it was written from
 * (same opening, same title, same story). Split across folds, the model that scores one has
 * learnt the other's topic words with the opposite label, and the held-out scores no longer
 * look like those of a new document on a new topic.
 */
export interface FoldGroups {
  human: Int32Array;
  ai: Int32Array;
}

export interface CrossFitResult {
  models: LogisticModel[];
  /** Held-out log-odds of every human and every AI training text, in input order. */
  human: Float64Array;
  ai: Float64Array;
  /** Fold of every human / AI training text. */
  humanFold: Int32Array;
  aiFold: Int32Array;
}

export class Discriminator {
  private constructor(
    readonly fit: CrossFitResult,
    private readonly featurizer: DiscriminatorFeaturizer,
  ) {}

  /** Trains the cross-fitted models on vectors built by `featurizer`; deterministic for a seed. */
  static train(
    featurizer: DiscriminatorFeaturizer,
    human: readonly SparseVector[],
    ai: readonly SparseVector[],
    o: DiscriminatorOptions = {},
    groups?: FoldGroups,
  ): Discriminator {
    const folds = Math.max(2, o.folds ?? 5);
    const rng = new Rng(o.seed ?? 1);
    let humanFold: Int32Array;
    let aiFold: Int32Array;
    if (groups) {
      // Groups are numbered over human texts then AI texts; each group goes to one fold.
      const nGroups = Math.max(0, ...groups.human, ...groups.ai) + 1;
      const groupFold = stratifiedFolds(nGroups, folds, rng);
      humanFold = groups.human.map((g) => groupFold[g]);
      aiFold = groups.ai.map((g) => groupFold[g]);
    } else {
      humanFold = stratifiedFolds(human.length, folds, rng);
      aiFold = stratifiedFolds(ai.length, folds, rng);
    }
    const models: LogisticModel[] = [];
    const hScores = new Float64Array(human.length);
    const aScores = new Float64Array(ai.length);
    for (let k = 0; k < folds; k++) {
      const xs: SparseVector[] = [];
      const ys: number[] = [];
      human.forEach((x, i) => {
        if (humanFold[i] !== k) xs.push(x) && ys.push(0);
      });
      ai.forEach((x, i) => {
        if (aiFold[i] !== k) xs.push(x) && ys.push(1);
      });
      const m = trainLogistic(
        xs.map((x, i) => ({ x, y: ys[i] as 0 | 1 })),
        { dims: featurizer.dims, epochs: o.epochs ?? 6, learningRate: o.learningRate ?? 0.1, l2: o.l2 ?? 1e-6, seed: (o.seed ?? 1) + k },
      );
      models.push(m);
      human.forEach((x, i) => humanFold[i] === k && (hScores[i] = dot(m.weights, m.bias, x)));
      ai.forEach((x, i) => aiFold[i] === k && (aScores[i] = dot(m.weights, m.bias, x)));
    }
    return new Discriminator({ models, human: hScores, ai: aScores, humanFold, aiFold }, featurizer);
  }

  /** What `fromState` needs to rebuild the scorer. */
  state(): { fit: CrossFitResult; features: FeatureSpec } {
    return { fit: this.fit, features: this.featurizer.spec };
  }

  /** `featurizer`: one already built for `s.features`, shared with other discriminators. */
  static fromState(s: { fit: CrossFitResult; features: FeatureSpec }, featurizer = new DiscriminatorFeaturizer(s.features)): Discriminator {
    return new Discriminator(s.fit, featurizer);
  }

  /** Features of a text, as the models were trained on (`style`: its raw style features, if at hand). */
  features(text: string, style?: Float64Array): SparseVector {
    return this.featurizer.of(text, style);
  }

  /** The fold model a text is scored by: fixed by its content, so a re-run scores it the same. */
  foldOf(text: string): number {
    return fnv1a(text) % this.fit.models.length;
  }

  /** Log-odds of AI of an audited document's text. */
  score(text: string, features: SparseVector = this.features(text)): number {
    const m = this.fit.models[this.foldOf(text)];
    return dot(m.weights, m.bias, features);
  }
}

/** Fold labels 0..k−1 in a seeded random order, as equal in size as possible. */
function stratifiedFolds(n: number, k: number, rng: Rng): Int32Array {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const out = new Int32Array(n);
  order.forEach((idx, pos) => {
    out[idx] = pos % k;
  });
  return out;
}

/**
 * One cross-fitted discriminator per language group. Trained together, the languages share
 * the bias and the style weights, and a small language is fitted as an afterthought of the
 * large ones: on GLIMPSE's Chinese Q&A (30 baseline pages and 15 references among 450 texts)
 * the held-out AUROC within Chinese was 0.72 trained with the other languages and 0.93 trained
 * alone. With one language group this is exactly one discriminator.
 */
export class GroupedDiscriminator {
  private constructor(
    /** The discriminator of each language group. */
    private readonly parts: readonly Discriminator[],
    /**
     * Held-out log-odds of every human and every AI training text, in input order (empty when
     * rebuilt from a stored state: only training reads them).
     */
    readonly heldOut: { human: Float64Array; ai: Float64Array },
  ) {}

  /**
   * Trains one discriminator per group on the texts of that group (`humanGroup[i]`,
   * `aiGroup[j]`: group of each text, 0..groups−1); deterministic for a seed.
   */
  static train(
    featurizer: DiscriminatorFeaturizer,
    human: readonly SparseVector[],
    ai: readonly SparseVector[],
    humanGroup: Int32Array,
    aiGroup: Int32Array,
    groups: number,
    o: DiscriminatorOptions = {},
    folds?: FoldGroups,
  ): GroupedDiscriminator {
    const parts: Discriminator[] = [];
    const heldOut = { human: new Float64Array(human.length), ai: new Float64Array(ai.length) };
    for (let g = 0; g < groups; g++) {
      const hIdx = indicesOf(humanGroup, g);
      const aIdx = indicesOf(aiGroup, g);
      const sub = folds && { human: Int32Array.from(hIdx, (i) => folds.human[i]), ai: Int32Array.from(aIdx, (j) => folds.ai[j]) };
      const seed = groups === 1 ? o.seed : mixSeed(o.seed ?? 1, g);
      const d = Discriminator.train(
        featurizer,
        hIdx.map((i) => human[i]),
        aIdx.map((j) => ai[j]),
        { ...o, seed },
        sub,
      );
      hIdx.forEach((i, n) => {
        heldOut.human[i] = d.fit.human[n];
      });
      aIdx.forEach((j, n) => {
        heldOut.ai[j] = d.fit.ai[n];
      });
      parts.push(d);
    }
    return new GroupedDiscriminator(parts, heldOut);
  }

  /** Features of a text, as the models were trained on (`style`: its raw style features, if at hand). */
  features(text: string, style?: Float64Array): SparseVector {
    return this.parts[0].features(text, style);
  }

  /** Log-odds of AI of an audited document's text, by the discriminator of its language group. */
  score(text: string, features: SparseVector, group: number): number {
    return this.parts[group].score(text, features);
  }

  /** What `fromState` needs to rebuild the scorers. */
  state(): { fits: CrossFitResult[]; features: FeatureSpec } {
    return { fits: this.parts.map((p) => p.fit), features: this.parts[0].state().features };
  }

  static fromState(s: { fits: readonly CrossFitResult[]; features: FeatureSpec }): GroupedDiscriminator {
    // One featurizer (and its scratch buffers, sized to the hashed space) for every group.
    const featurizer = new DiscriminatorFeaturizer(s.features);
    return new GroupedDiscriminator(
      s.fits.map((fit) => Discriminator.fromState({ fit, features: s.features }, featurizer)),
      { human: new Float64Array(0), ai: new Float64Array(0) },
    );
  }
}

function indicesOf(groupOf: Int32Array, g: number): number[] {
  const out: number[] = [];
  groupOf.forEach((x, i) => {
    if (x === g) out.push(i);
  });
  return out;
}

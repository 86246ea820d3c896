/**
 * Strata for post-stratification: language first, then topic clusters within each language.
 * A discriminator reads disjoint n-grams in two languages, so how far its AI references score
 * above its baseline pages differs from one language to the next; mixed into one topic
 * cluster (topic words of different languages never overlap, so k-means lumps small languages
 * together), a month in one language would be read against another language's components.
 * A language gets strata of its own when the training texts hold enough of both kinds in it;
 * the rest share one "other languages" group.
 */
import { TopicClusters } from './topics.js';
import { mixSeed } from '../../core/rng.js';

/** Baseline pages and AI references a language needs for strata of its own. */
export const MIN_LANGUAGE_HUMAN = 20;
export const MIN_LANGUAGE_AI = 10;

/** Language code of the group that holds every language without strata of its own. */
export const OTHER_LANGUAGES = '*';

/** A training text as the strata see it. */
export interface StratumText {
  counts: Map<number, number>;
  lang: string;
  human: boolean;
}

export interface StrataState {
  languages: string[];
  /** Group of a language with no group of its own when there is no shared group. */
  fallback: number;
  topics: Array<{ idf: Float32Array; centroids: Float32Array[]; novelBelow: number }>;
}

export interface StratumAssignment {
  stratum: number;
  /** Cosine similarity to the topic centroid of the stratum. */
  similarity: number;
  /** Unlike every training text of its language group (below their 5th percentile of similarity). */
  novel: boolean;
}

export class TopicStrata {
  /** First stratum of each language group. */
  private readonly first: number[];
  /** Language group of every stratum. */
  readonly groupOf: Int32Array;

  private constructor(
    /** Language of each group; OTHER_LANGUAGES for the shared group. */
    readonly languages: readonly string[],
    private readonly topics: readonly TopicClusters[],
    private readonly fallback: number,
  ) {
    this.first = [];
    let n = 0;
    for (const t of topics) {
      this.first.push(n);
      n += t.k;
    }
    this.groupOf = new Int32Array(n);
    topics.forEach((t, g) => this.groupOf.fill(g, this.first[g], this.first[g] + t.k));
  }

  /** Number of strata. */
  get k(): number {
    return this.groupOf.length;
  }

  /**
   * Groups the texts by language and clusters each group's topics (`clustersFor(n)` clusters
   * for a group of n texts); deterministic for a seed.
   */
  static fit(texts: readonly StratumText[], clustersFor: (n: number) => number, seed: number): TopicStrata {
    const tally = new Map<string, { human: number; ai: number }>();
    for (const t of texts) {
      const c = tally.get(t.lang) ?? { human: 0, ai: 0 };
      if (t.human) c.human++;
      else c.ai++;
      tally.set(t.lang, c);
    }
    const own = [...tally.entries()]
      .filter(([, c]) => c.human >= MIN_LANGUAGE_HUMAN && c.ai >= MIN_LANGUAGE_AI)
      .map(([lang]) => lang)
      .sort();
    const rest = texts.filter((t) => !own.includes(t.lang));
    const restHuman = rest.filter((t) => t.human).length;
    // A small remainder joins the largest language instead of making strata it cannot fill.
    const languages =
      rest.length && (own.length === 0 || (restHuman >= MIN_LANGUAGE_HUMAN && rest.length - restHuman >= MIN_LANGUAGE_AI))
        ? [...own, OTHER_LANGUAGES]
        : own;
    const largest = own.length
      ? own.reduce((a, b) => (tally.get(b)!.human + tally.get(b)!.ai > tally.get(a)!.human + tally.get(a)!.ai ? b : a))
      : OTHER_LANGUAGES;
    const other = languages.indexOf(OTHER_LANGUAGES);
    const fallback = other >= 0 ? other : languages.indexOf(largest);
    const groupOfLang = (lang: string): number => {
      const g = languages.indexOf(lang);
      return g >= 0 ? g : fallback;
    };
    const topics = languages.map((_, g) => {
      const members = texts.filter((t) => groupOfLang(t.lang) === g).map((t) => t.counts);
      return TopicClusters.fit(members, clustersFor(members.length), languages.length === 1 ? seed : mixSeed(seed, g));
    });
    return new TopicStrata(languages, topics, fallback);
  }

  static fromState(s: StrataState): TopicStrata {
    return new TopicStrata(s.languages, s.topics.map(TopicClusters.fromState), s.fallback);
  }

  state(): StrataState {
    return { languages: [...this.languages], topics: this.topics.map((t) => t.state()), fallback: this.fallback };
  }

  /** The language group of a text of language `lang` (a language without one: the shared or the largest group). */
  private group(lang: string): number {
    const g = this.languages.indexOf(lang);
    return g >= 0 ? g : this.fallback;
  }

  assign(counts: Map<number, number>, lang: string): StratumAssignment {
    const g = this.group(lang);
    const t = this.topics[g].assign(counts);
    return { stratum: this.first[g] + t.cluster, similarity: t.similarity, novel: t.similarity < this.topics[g].novelBelow };
  }
}

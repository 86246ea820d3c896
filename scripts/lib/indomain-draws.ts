/**
 * The draws of the in-domain known-answer benchmark: one labelled source split by group into
 * baseline pages, AI references and four target months at known AI shares, under three designs.
 * SYNTHETIC mixtures of REAL labelled texts; shared by the in-memory benchmark and its run
 * through the WARC → scan → report path, so both measure exactly the same draws.
 */
import type { LabeledRecord } from '../../src/detect/types.js';
import { Rng, mixSeed } from '../../src/core/rng.js';
import { loadLabeled } from '../../src/detect/labeled.js';
import { sharedLabeledFiles } from '../../src/detect/dataset.js';
import { groupKey } from '../../src/detect/splits.js';
import { TopicClusters, similarity, topicCounts } from '../../src/estimate/indomain/topics.js';

export const FRACTIONS = [0, 0.05, 0.2, 0.5];
export type Design = 'same' | 'split-generators' | 'genre-shift';
/** Every design, in the order that numbers their draws (a design's draws do not depend on which others run). */
export const DESIGNS: readonly Design[] = ['same', 'split-generators', 'genre-shift'];

export function shuffled<T>(rng: Rng, xs: readonly T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export interface Draw {
  baseline: LabeledRecord[];
  references: LabeledRecord[];
  months: Array<{ docs: LabeledRecord[]; truth: number; label: string }>;
}

/** Groups of texts that share an opening (an AI continuation and the page it continues). */
function openingGroups(texts: readonly LabeledRecord[]): Map<string, LabeledRecord[]> {
  const groups = new Map<string, LabeledRecord[]>();
  for (const r of texts) {
    const k = groupKey(r.text);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return groups;
}

/**
 * Opening groups, and an AI text with no human text in its group joins the human text most
 * similar in topic when they are close enough (a rewrite or an article written from its title).
 * Split apart, the AI twin of a target page would sit in the references and teach the
 * discriminator that page's topic as AI: a leak no real audit has, whose references are
 * written from baseline pages.
 */
function twinGroups(texts: readonly LabeledRecord[]): Map<string, LabeledRecord[]> {
  const groups = openingGroups(texts);
  const counts = new Map(texts.map((r) => [r, topicCounts(r.text)]));
  const topics = TopicClusters.fit([...counts.values()], 1, 1);
  const vec = new Map(texts.map((r) => [r, topics.vector(counts.get(r)!)]));
  // Each group with a human text, by the topic vector of that text (looked up once, not per pair).
  const humans = [...groups.entries()].flatMap(([key, g]) => {
    const page = g.find((r) => r.label === 'human');
    return page ? [{ key, vector: vec.get(page)! }] : [];
  });
  for (const [k, g] of [...groups.entries()]) {
    if (g.some((r) => r.label === 'human')) continue;
    let best: string | null = null;
    let bestSim = TWIN_SIMILARITY;
    const own = vec.get(g[0])!;
    for (const { key: hk, vector } of humans) {
      const sim = similarity(own, vector);
      if (sim > bestSim) {
        bestSim = sim;
        best = hk;
      }
    }
    if (best === null) continue;
    groups.set(best, [...groups.get(best)!, ...g]);
    groups.delete(k);
  }
  return groups;
}

const TWIN_SIMILARITY = 0.35;

export function draw(
  rng: Rng,
  texts: readonly LabeledRecord[],
  o: { n: number; nb: number; na: number; design: Design; pairing: 'opening' | 'twins' },
): Draw | string {
  const generators = [...new Set(texts.filter((r) => r.label === 'ai').map((r) => r.generator ?? '?'))].sort();
  let refGen: Set<string> | null = null;
  if (o.design === 'split-generators') {
    if (generators.length < 2) return `one generator only (${generators[0]})`;
    refGen = new Set(shuffled(rng, generators).slice(0, Math.floor(generators.length / 2)));
  }
  const groups = o.pairing === 'opening' ? openingGroups(texts) : twinGroups(texts);
  const baseline: LabeledRecord[] = [];
  const references: LabeledRecord[] = [];
  const rest: LabeledRecord[] = [];
  for (const g of shuffled(rng, [...groups.values()])) {
    const toCalibration = baseline.length < o.nb || references.length < o.na;
    for (const r of g) {
      if (toCalibration) {
        if (r.label === 'human') baseline.push(r);
        else if (!refGen || refGen.has(r.generator ?? '?')) references.push(r);
      } else if (r.label === 'human' || !refGen || !refGen.has(r.generator ?? '?')) rest.push(r);
    }
  }
  const months: Draw['months'] = [];
  const domains = [...new Set(rest.map((r) => r.domain))].sort();
  for (const [i, f] of FRACTIONS.entries()) {
    let pool = rest;
    let label = `${f * 100}%`;
    if (o.design === 'genre-shift') {
      const d = domains[(i + rng.int(domains.length)) % domains.length];
      pool = rest.filter((r) => r.domain === d);
      label += ` ${d}`;
    }
    const human = shuffled(
      rng,
      pool.filter((r) => r.label === 'human'),
    );
    const ai = shuffled(
      rng,
      pool.filter((r) => r.label === 'ai'),
    );
    const nAi = Math.min(Math.round(f * o.n), ai.length);
    const nHuman = Math.min(o.n - nAi, human.length);
    if (nHuman < 30 || (f > 0 && nAi === 0)) return `too few target texts for ${label}`;
    months.push({ docs: [...human.slice(0, nHuman), ...ai.slice(0, nAi)], truth: nAi / (nAi + nHuman), label });
  }
  return { baseline: baseline.slice(0, o.nb), references: references.slice(0, o.na), months };
}

/** Calls `summarise` for every design and source, then for each design's sources pooled. */
export function summariseByDesign<R extends { design: Design; source: string }>(
  designs: readonly Design[],
  sources: readonly string[],
  rows: readonly R[],
  summarise: (design: Design, source: string, rows: R[]) => void,
): void {
  for (const design of designs) {
    for (const source of sources)
      summarise(
        design,
        source,
        rows.filter((r) => r.design === design && r.source === source),
      );
    summarise(
      design,
      'pooled',
      rows.filter((r) => r.design === design),
    );
  }
}

export interface BenchmarkDraw {
  design: Design;
  source: string;
  /** Draw number within its design and source. */
  index: number;
  draw: Draw;
}

/**
 * The benchmark's draws for comma-separated designs and sources (default: every labelled
 * source), each seeded by (seed, draw, source, design) so a design's draws do not depend on
 * which other designs or sources run. A source that cannot make a draw is skipped with the
 * reason on stderr.
 */
export async function benchmarkDraws(o: {
  designs: string;
  sources?: string;
  draws: number;
  n: number;
  baseline: number;
  aiRefs: number;
  seed: number;
  pairing: 'twins' | 'opening';
}): Promise<{ designs: Design[]; sources: string[]; draws: Generator<BenchmarkDraw> }> {
  const all = await loadLabeled(sharedLabeledFiles());
  const stems = [...new Set(all.map((r) => r.file))].sort();
  const sources = o.sources ? o.sources.split(',') : stems;
  const designs = o.designs.split(',') as Design[];
  const unknown = designs.find((d) => !DESIGNS.includes(d));
  if (unknown) throw new Error(`unknown design "${unknown}" (one of ${DESIGNS.join(', ')})`);
  function* draws(): Generator<BenchmarkDraw> {
    for (const design of designs) {
      for (const source of sources) {
        const texts = all.filter((r) => r.file === source);
        for (let index = 0; index < o.draws; index++) {
          const rng = new Rng(mixSeed(o.seed, index, stems.indexOf(source), DESIGNS.indexOf(design)));
          const x = draw(rng, texts, { n: o.n, nb: o.baseline, na: o.aiRefs, design, pairing: o.pairing });
          if (typeof x === 'string') {
            console.error(`${design} ${source} draw ${index}: skipped: ${x}`);
            break;
          }
          yield { design, source, index, draw: x };
        }
      }
    }
  }
  return { designs, sources, draws: draws() };
}

/** The command-line options every benchmark over these draws takes (for `parseArgs`). */
export const DRAW_OPTIONS = {
  draws: { type: 'string', default: '3' },
  n: { type: 'string', default: '200' },
  baseline: { type: 'string', default: '300' },
  'ai-refs': { type: 'string', default: '150' },
  design: { type: 'string', default: DESIGNS.join(',') },
  sources: { type: 'string' },
  seed: { type: 'string', default: '20261207' },
} as const;

/** The draws those options ask for. */
export function drawsFromOptions(
  values: { draws?: string; n?: string; baseline?: string; 'ai-refs'?: string; design?: string; sources?: string; seed?: string },
  pairing: 'twins' | 'opening' = 'twins',
): ReturnType<typeof benchmarkDraws> {
  return benchmarkDraws({
    designs: values.design ?? DESIGNS.join(','),
    sources: values.sources,
    draws: Number(values.draws ?? 3),
    n: Number(values.n ?? 200),
    baseline: Number(values.baseline ?? 300),
    aiRefs: Number(values['ai-refs'] ?? 150),
    seed: Number(values.seed ?? 20261207),
    pairing,
  });
}

/** A model, or why it could not be built (too few texts, not identifiable). */
export function buildOrReason<M>(build: () => M): M | string {
  try {
    return build();
  } catch (err) {
    return (err as Error).message;
  }
}

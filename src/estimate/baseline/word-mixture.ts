/**
 * The word-mixture MLE (Liang et al. 2024; src/estimate/mixture.ts) with P estimated from the
 * BASELINE documents of the same stratum instead of generic labelled
 * text, whose p_w does not transfer to web pages (topic and style shift bias α̂).
 *
 * Per stratum cell (language × TLD group × length band …, src/estimate/baseline/strata.ts):
 * - p_w = share of the cell's baseline (pre-cutoff, human) documents containing w; a cell with
 *   fewer than `minBaseline` documents falls back to a coarser cell (never across languages);
 * - q_w = share of the cell's AI reference texts containing w when at least `minAi` exist
 *   (same fallback), else the shipped reference's generic q (its languages only);
 * - the document log-likelihood ratio is re-calibrated (RatioCalibration in reference.ts says
 *   why; word-calibration.ts: a 4-segment linear spline, Platt with `calibrationSegments: 1`)
 *   on K-FOLD CROSS-FITTED ratios: each baseline page and each AI text is scored with p and q
 *   estimated without its fold (word-cell-model.ts), so the calibration never sees a ratio
 *   built from the document's own words. The AI side is the cell's AI references, or — with
 *   the shipped q — AI texts q was not estimated from (the labelled corpora's calib split);
 * - the group's share is the MLE of one α over all its target documents, each scored by its
 *   own cell (option `combine: 'strata'`: Σ document share × the cell's own α̂).
 * The interval is a percentile bootstrap of the WHOLE procedure: each replicate resamples the
 * target documents and, per cell, the baseline documents and the AI-side texts, then rebuilds
 * p (and q), the cross-fitted ratios, the calibration and α̂. A cell's replicate stream depends
 * only on (seed, cell), so every group of a report sees the same baseline replicates.
 *
 * Vocabulary (per cell): with the shipped q, the shipped reference's 2000 words (q is known
 * only for them); with AI references, words in ≥ 5 baseline and ≥ 3 AI documents of the cell
 * (Liang et al.'s thresholds), at most the 2000 most frequent — chosen by frequency, so any
 * language present in the baseline and the AI references works.
 */
import { loadReference, type MixtureReference } from '../reference.js';
import { mleAlpha, type UnitRatios } from '../mixture.js';
import { Rng, mixSeed } from '../../core/rng.js';
import { percentileInterval } from '../../core/stats.js';
import { DEFAULT_LEVEL, DEFAULT_REPLICATES, DEFAULT_SEED, noEstimate, okEstimate, type BootstrapOptions, type ShareEstimate } from '../types.js';
import { bootstrapCounts } from '../bootstrap.js';
import { resolveStrata, stratumKey } from './strata.js';
import type { StrataSpec, StratumFields } from './types.js';
import { docCount, packDocs, Vocabulary, WordInterner } from './word-vocab.js';
import { checkItem, makeSide, sideSpec, type Side } from './word-sides.js';
import { WordCells } from './word-cells.js';
import { aiPosterior, strataAlpha, stringHash, subRatios } from './word-alpha.js';
import {
  WORD_MIXTURE_METHOD,
  type PreparedTextItem,
  type TextItem,
  type WordMixtureBaselineOptions,
  type WordMixtureDescription,
} from './word-types.js';

export * from './word-types.js';

const DEFAULT_MIN_DOCS = 30;

/** Prepared once per report from the baseline (and AI references); then estimates any number of groups. */
export class BaselineWordMixture {
  private constructor(
    private readonly spec: StrataSpec,
    private readonly vocab: Vocabulary,
    private readonly baseline: Side,
    private readonly ai: Side | null,
    private readonly reference: MixtureReference | null,
    private readonly opts: WordMixtureBaselineOptions,
    private readonly cells: WordCells,
  ) {}

  static build(baseline: readonly TextItem[], opts: WordMixtureBaselineOptions = {}): BaselineWordMixture {
    const spec = resolveStrata(opts.strata);
    const notes: string[] = [];
    const intOption = (name: keyof WordMixtureBaselineOptions, lo: number, hi: number) => {
      const v = opts[name];
      if (v !== undefined && !(Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi)) {
        throw new Error(`word mixture: ${name} must be an integer in ${lo}–${hi}, got ${String(v)}`);
      }
    };
    intOption('folds', 2, 50);
    intOption('calibrationSegments', 1, 20);
    intOption('minHumanDocs', 1, 1e9);
    intOption('minAiDocs', 1, 1e9);
    intOption('maxWords', 1, 65535);
    intOption('minDocs', 1, 1e9);
    if (opts.combine !== undefined && opts.combine !== 'pooled' && opts.combine !== 'strata') {
      throw new Error(`word mixture: combine must be "pooled" or "strata", got ${String(opts.combine)}`);
    }
    baseline.forEach((t, i) => checkItem(t, 'baseline', i));
    const aiItems = opts.ai ?? [];
    aiItems.forEach((t, i) => checkItem(t, 'AI reference', i));
    let reference: MixtureReference | null;
    if (opts.reference !== undefined) reference = opts.reference;
    else {
      try {
        reference = loadReference();
      } catch (err) {
        reference = null;
        notes.push(`no shipped reference: ${(err as Error).message}`);
      }
    }
    if (reference && reference.params.unit !== 'document') {
      notes.push(`shipped reference is per ${reference.params.unit}, not per document: not used`);
      reference = null;
    }
    const minHuman = opts.minHumanDocs ?? 5;
    const minAi = opts.minAiDocs ?? 3;

    // Tokenise every text once; keep interned word ids per document.
    const interner = new WordInterner();
    const keepIds = (items: readonly TextItem[], side: 0 | 1) => {
      const ids: Int32Array[] = [];
      const fields: StratumFields[] = [];
      const groups: Array<string | null> = [];
      for (const t of items) {
        const w = interner.addDocument(t.text, side);
        if (!w) continue;
        ids.push(w);
        fields.push(t.fields);
        groups.push(t.group ?? null);
      }
      return { ids, fields, groups };
    };
    const base = keepIds(baseline, 0);
    const ai = keepIds(aiItems, 1);
    if (base.ids.length === 0) throw new Error('word mixture: the baseline has no document with words');
    if (base.ids.length < baseline.length) notes.push(`${baseline.length - base.ids.length} baseline documents without words ignored`);

    // Vocabulary: shipped words ∪ words common enough on both sides to pass a cell's thresholds.
    const vocabWords: string[] = reference ? reference.file.words.map((w) => w[0]) : [];
    if (ai.ids.length > 0) {
      for (let id = 0; id < interner.words.length; id++) {
        if (interner.docFrequency(id, 0) >= minHuman && interner.docFrequency(id, 1) >= minAi) vocabWords.push(interner.words[id]);
      }
    }
    const vocab = new Vocabulary(vocabWords);
    const shippedQ = reference ? new Map(reference.file.words.map(([w, , q]) => [vocab.get(w)!, q])) : null;
    const table = (ids: Int32Array[]) => packDocs(ids.map((d) => vocab.mapInterned(d, interner)));

    const baseSide = makeSide(table(base.ids), base.fields, base.groups, spec, spec.minBaseline);
    const aiSide = ai.ids.length > 0 ? makeSide(table(ai.ids), ai.fields, ai.groups, sideSpec(spec, aiItems, null), spec.minAi) : null;
    const cells = new WordCells(spec, vocab, baseSide, aiSide, reference, shippedQ, opts.referenceCalibration, opts, notes);
    return new BaselineWordMixture(spec, vocab, baseSide, aiSide, reference, opts, cells);
  }

  /** The document's vocabulary ids (null when it has no vocabulary word). */
  prepare(item: TextItem): PreparedTextItem | null {
    checkItem(item, 'target', 0);
    const ids = this.vocab.mapText(item.text);
    return ids === null ? null : { fields: item.fields, ids };
  }

  /** Share of AI documents in `target`, with a bootstrap interval over target, baseline and AI-side documents. */
  estimate(target: ReadonlyArray<TextItem | PreparedTextItem>, opts: BootstrapOptions = {}): ShareEstimate {
    const level = opts.level ?? this.opts.level ?? DEFAULT_LEVEL;
    const replicates = opts.replicates ?? this.opts.replicates ?? DEFAULT_REPLICATES;
    const seed = opts.seed ?? this.opts.seed ?? DEFAULT_SEED;
    const minDocs = this.opts.minDocs ?? DEFAULT_MIN_DOCS;
    const method = WORD_MIXTURE_METHOD;
    target.forEach((t, i) => {
      if (!('ids' in t)) checkItem(t, 'target', i);
    });

    // Map target documents to cells.
    const byCell = new Map<string, Int32Array[]>();
    const skipped: Record<string, number> = {};
    let noWords = 0;
    for (const item of target) {
      const ids = 'ids' in item ? item.ids : this.vocab.mapText(item.text);
      if (ids === null) {
        noWords++;
        continue;
      }
      const fine = stratumKey(item.fields, this.spec, 0);
      const res = this.cells.resolve(item.fields, fine);
      if ('unsupported' in res) {
        skipped[res.unsupported] = (skipped[res.unsupported] ?? 0) + 1;
        const u = this.cells.unsupportedCounts.get(fine)!;
        u.targetDocs++;
        continue;
      }
      const info = this.cells.entries.get(res.model)!.info;
      info.targetStrata[fine] = (info.targetStrata[fine] ?? 0) + 1;
      let list = byCell.get(res.model);
      if (!list) byCell.set(res.model, (list = []));
      list.push(ids);
    }
    let n = 0;
    for (const l of byCell.values()) n += l.length;
    const skippedTotal = Object.values(skipped).reduce((s, x) => s + x, 0);
    if (n === 0) {
      if (skippedTotal === 0)
        return noEstimate(method, 'mixture', null, 'no-data', 0, level, noWords > 0 ? `${noWords} documents without words` : undefined);
      return noEstimate(
        method,
        'mixture',
        null,
        'not-identifiable',
        0,
        level,
        Object.entries(skipped)
          .map(([r, c]) => `${c} documents: ${r}`)
          .join('; '),
      );
    }
    if (n < minDocs) return noEstimate(method, 'mixture', null, 'too-few-documents', n, level);

    // Target documents of all cells, cell by cell, as one list of calibrated ratios.
    const combine = this.opts.combine ?? 'pooled';
    const all: UnitRatios = { r: new Float64Array(n), start: Uint32Array.from({ length: n + 1 }, (_, i) => i), count: new Float64Array(n).fill(1) };
    let offset = 0;
    const groups = [...byCell.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([key, docs]) => {
        const { model } = this.cells.entries.get(key)!;
        const g = {
          key,
          model,
          local: model.localDocs(packDocs(docs)),
          from: offset,
          n: docs.length,
          fit: model.newFit(),
          rng: new Rng(mixSeed(seed, stringHash(key))),
        };
        offset += docs.length;
        model.targetRatios(model.pointFit, g.local, all.r.subarray(g.from, g.from + g.n));
        return g;
      });
    const alphaOf = (w: Float64Array | Uint32Array) => (combine === 'pooled' ? mleAlpha(all, w) : strataAlpha(all, w, groups));
    const share = alphaOf(all.count);
    // Per cell: the MLE within the cell and, at the pooled α̂, the mean posterior P(AI | x) of
    // its documents (these means, weighted by document shares, add up to the pooled α̂).
    const cells = groups.map((g) => {
      const sub = subRatios(all, g.from, g.n);
      let posterior = 0;
      for (let i = g.from; i < g.from + g.n; i++) posterior += aiPosterior(all.r[i], share) / g.n;
      return { cell: g.key, n: g.n, alpha: mleAlpha(sub), posterior, qSource: g.model.qKind };
    });

    // Bootstrap of the whole procedure. Each cell's baseline/AI stream depends only on
    // (seed, cell), so every group of a report sees the same baseline replicates.
    const targetRng = new Rng(mixSeed(seed, n, 0x7a26));
    const mult = new Uint32Array(n);
    const draws = new Float64Array(replicates);
    for (let b = 0; b < replicates; b++) {
      bootstrapCounts(targetRng, n, mult);
      for (const g of groups) {
        g.model.resampledFit(g.rng, g.fit);
        g.model.targetRatios(g.fit, g.local, all.r.subarray(g.from, g.from + g.n));
      }
      draws[b] = alphaOf(mult);
    }
    const { lo, hi } = percentileInterval(draws, level);
    const cellNote = groups.length === 1 ? '1 stratum' : `${groups.length} strata`;
    return okEstimate({
      method,
      kind: 'mixture',
      detector: null,
      share,
      lo,
      hi,
      level,
      n,
      note:
        `word-occurrence mixture MLE with P from pre-cutoff baseline documents of the same stratum (${cellNote}, ` +
        `${combine === 'pooled' ? 'one α over all strata' : 'strata weighted by document share'}); ` +
        'the interval resamples target, baseline and AI-side documents',
      details: {
        replicates,
        combine,
        cells,
        ...(skippedTotal > 0 ? { skipped } : {}),
        ...(noWords > 0 ? { noWords } : {}),
      },
    });
  }

  /** What was used per stratum (baseline n, level/fallback, q source), for the report. */
  describe(): WordMixtureDescription {
    return {
      method: WORD_MIXTURE_METHOD,
      dims: [...this.spec.dims],
      minBaseline: this.spec.minBaseline,
      minAi: this.spec.minAi,
      baselineDocs: docCount(this.baseline.table),
      aiReferenceDocs: this.ai ? docCount(this.ai.table) : 0,
      vocabulary: this.vocab.size,
      reference: this.reference
        ? { words: this.reference.vocabularySize, languages: [...this.reference.params.languages], provenance: this.reference.file.provenance }
        : null,
      referenceCalibrationDocs: this.cells.calibrationDocs,
      cells: [...this.cells.entries.values()]
        .map((c) => ({ ...c.info, targetStrata: { ...c.info.targetStrata } }))
        .sort((a, b) => (a.key < b.key ? -1 : 1)),
      unsupported: [...this.cells.unsupportedCounts.entries()]
        .map(([stratum, u]) => ({ stratum, ...u }))
        .sort((a, b) => (a.stratum < b.stratum ? -1 : 1)),
      notes: [...this.cells.notes],
    };
  }
}

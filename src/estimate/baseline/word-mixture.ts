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
import { CellModel, logHalfTable } from './word-cell-model.js';
import { referenceCalibrationItems } from './word-reference-calib.js';
import { docCount, packDocs, Vocabulary, WordInterner } from './word-vocab.js';
import { cellTable, checkItem, chooseCell, langKey, makeSide, MIN_CELL_DOCS, sideSpec, type CellChoice, type Side } from './word-sides.js';
import { aiPosterior, curveSummary, strataAlpha, stringHash, subRatios } from './word-alpha.js';
import {
  WORD_MIXTURE_METHOD,
  type PreparedTextItem,
  type TextItem,
  type WordMixtureBaselineOptions,
  type WordMixtureCellInfo,
  type WordMixtureDescription,
  type WordSetItem,
} from './word-types.js';

export * from './word-types.js';

type Resolution = { model: string } | { unsupported: string };

const DEFAULT_MIN_DOCS = 30;

interface CellEntry {
  model: CellModel;
  info: WordMixtureCellInfo;
}

/** Prepared once per report from the baseline (and AI references); then estimates any number of groups. */
export class BaselineWordMixture {
  private readonly cells = new Map<string, CellEntry>();
  private readonly resolutions = new Map<string, Resolution>();
  private readonly unsupportedCounts = new Map<string, { reason: string; targetDocs: number }>();
  private calib: Side | null | undefined;
  private readonly notes: string[] = [];
  private readonly logTable: Float64Array;

  private constructor(
    private readonly spec: StrataSpec,
    private readonly vocab: Vocabulary,
    private readonly baseline: Side,
    private readonly ai: Side | null,
    private readonly reference: MixtureReference | null,
    /** Global vocabulary index → shipped q. */
    private readonly shippedQ: Map<number, number> | null,
    private readonly calibItems: ReadonlyArray<TextItem | WordSetItem> | null | undefined,
    private readonly opts: WordMixtureBaselineOptions,
    notes: string[],
  ) {
    this.notes.push(...notes);
    this.logTable = logHalfTable(Math.max(docCount(baseline.table), ai ? docCount(ai.table) : 0) + 1);
  }

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
    return new BaselineWordMixture(spec, vocab, baseSide, aiSide, reference, shippedQ, opts.referenceCalibration, opts, notes);
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
      const res = this.resolve(item.fields, fine);
      if ('unsupported' in res) {
        skipped[res.unsupported] = (skipped[res.unsupported] ?? 0) + 1;
        const u = this.unsupportedCounts.get(fine)!;
        u.targetDocs++;
        continue;
      }
      const info = this.cells.get(res.model)!.info;
      info.targetStrata[fine] = (info.targetStrata[fine] ?? 0) + 1;
      let list = byCell.get(res.model);
      if (!list) byCell.set(res.model, (list = []));
      list.push(ids);
    }
    let n = 0;
    for (const l of byCell.values()) n += l.length;
    const skippedTotal = Object.values(skipped).reduce((s, x) => s + x, 0);
    if (n === 0) {
      if (skippedTotal === 0) return noEstimate(method, 'mixture', null, 'no-data', 0, level, noWords > 0 ? `${noWords} documents without words` : undefined);
      return noEstimate(method, 'mixture', null, 'not-identifiable', 0, level, Object.entries(skipped).map(([r, c]) => `${c} documents: ${r}`).join('; '));
    }
    if (n < minDocs) return noEstimate(method, 'mixture', null, 'too-few-documents', n, level);

    // Target documents of all cells, cell by cell, as one list of calibrated ratios.
    const combine = this.opts.combine ?? 'pooled';
    const all: UnitRatios = { r: new Float64Array(n), start: Uint32Array.from({ length: n + 1 }, (_, i) => i), count: new Float64Array(n).fill(1) };
    let offset = 0;
    const groups = [...byCell.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([key, docs]) => {
        const { model } = this.cells.get(key)!;
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
      referenceCalibrationDocs: this.calib ? docCount(this.calib.table) : null,
      cells: [...this.cells.values()].map((c) => ({ ...c.info, targetStrata: { ...c.info.targetStrata } })).sort((a, b) => (a.key < b.key ? -1 : 1)),
      unsupported: [...this.unsupportedCounts.entries()].map(([stratum, u]) => ({ stratum, ...u })).sort((a, b) => (a.stratum < b.stratum ? -1 : 1)),
      notes: [...this.notes],
    };
  }

  /** The cell (built on first use) for a target stratum, or why there is none. */
  private resolve(f: StratumFields, fine: string): Resolution {
    const hit = this.resolutions.get(fine);
    if (hit) return hit;
    const res = this.resolveUncached(f);
    this.resolutions.set(fine, res);
    if ('unsupported' in res) this.unsupportedCounts.set(fine, { reason: res.unsupported, targetDocs: 0 });
    return res;
  }

  private resolveUncached(f: StratumFields): Resolution {
    const lang = langKey(f, this.spec);
    const p = chooseCell(this.baseline, f, this.spec.minBaseline, MIN_CELL_DOCS);
    if (!p) return { unsupported: `fewer than ${MIN_CELL_DOCS} baseline documents in ${lang}` };
    const folds = this.opts.folds ?? 5;
    const pCell = () => cellTable(this.baseline, p);
    const common = {
      vocabularySize: this.vocab.size,
      folds,
      minHumanDocs: this.opts.minHumanDocs ?? 5,
      minAiDocs: this.opts.minAiDocs ?? 3,
      maxWords: this.opts.maxWords ?? 2000,
      logTable: this.logTable,
      segments: this.opts.calibrationSegments ?? 4,
    };
    const q = this.ai ? chooseCell(this.ai, f, this.spec.minAi, null) : null;
    if (q) {
      const key = `${p.key} ◂ ai:${q.key}`;
      if (!this.cells.has(key)) {
        const base = pCell();
        const ai = cellTable(this.ai!, q);
        const model = new CellModel({
          ...common,
          baseline: base.table,
          baselineGroups: base.groups,
          aiGroups: ai.groups,
          q: { kind: 'ai-references', docs: ai.table },
          seed: mixSeed(this.opts.seed ?? DEFAULT_SEED, stringHash(key)),
        });
        if (model.vocabularySize === 0) return { unsupported: `no word passes the vocabulary thresholds in ${p.key} / ${q.key}` };
        this.cells.set(key, { model, info: this.info(key, p, 'ai-references', q, model) });
      }
      return { model: key };
    }
    const ref = this.reference;
    if (!ref || !this.shippedQ) return { unsupported: `fewer than ${this.spec.minAi} AI references in ${lang} and no shipped reference` };
    const langs = ref.params.languages;
    const code = lang.slice('lang='.length);
    if (!langs.includes('*') && !langs.includes(code)) {
      return { unsupported: `fewer than ${this.spec.minAi} AI references in ${lang}; the shipped reference covers ${langs.join(', ')} only` };
    }
    const calib = this.calibrationSide();
    if (!calib) return { unsupported: `fewer than ${this.spec.minAi} AI references in ${lang} and no AI texts to calibrate the shipped q` };
    const c = chooseCell(calib, f, this.spec.minAi, MIN_CELL_DOCS);
    if (!c) return { unsupported: `no calibration AI texts in ${lang} for the shipped q` };
    const key = `${p.key} ◂ shipped:${c.key}`;
    if (!this.cells.has(key)) {
      const base = pCell();
      const ai = cellTable(calib, c);
      const model = new CellModel({
        ...common,
        baseline: base.table,
        baselineGroups: base.groups,
        aiGroups: ai.groups,
        q: { kind: 'shipped-reference', q: this.shippedQ, calib: ai.table },
        seed: mixSeed(this.opts.seed ?? DEFAULT_SEED, stringHash(key)),
      });
      this.cells.set(key, { model, info: this.info(key, p, 'shipped-reference', c, model) });
    }
    return { model: key };
  }

  private info(key: string, p: CellChoice, qSource: WordMixtureCellInfo['qSource'], a: CellChoice, model: CellModel): WordMixtureCellInfo {
    return {
      key,
      baselineCell: p.key,
      baselineLevel: p.level,
      baselineDocs: p.n,
      belowMinBaseline: p.belowMin,
      qSource,
      aiCell: a.key,
      aiLevel: a.level,
      aiDocs: model.aiDocs,
      vocabulary: model.vocabularySize,
      folds: model.folds,
      calibration: curveSummary(model.pointFit.calibration),
      targetStrata: {},
    };
  }

  /** Calibration texts for the shipped q, mapped to the vocabulary on first use (null when unavailable). */
  private calibrationSide(): Side | null {
    if (this.calib !== undefined) return this.calib;
    let items: ReadonlyArray<TextItem | WordSetItem> | null = this.calibItems ?? null;
    if (this.calibItems === undefined && this.reference) {
      try {
        items = referenceCalibrationItems(this.reference.params);
      } catch (err) {
        this.notes.push(`no calibration texts for the shipped q: ${(err as Error).message}`);
        items = null;
      }
    }
    if (!items || items.length === 0) return (this.calib = null);
    items.forEach((t, i) => checkItem(t, 'reference calibration', i));
    const docs: Int32Array[] = [];
    const fields: StratumFields[] = [];
    const groups: Array<string | null> = [];
    for (const t of items) {
      const ids = 'text' in t ? this.vocab.mapText(t.text) : this.vocab.mapWords(t.words);
      if (!ids) continue;
      docs.push(ids);
      fields.push(t.fields);
      groups.push(t.group ?? null);
    }
    const spec = sideSpec(this.spec, items, ['lang', 'length']);
    this.calib = makeSide(packDocs(docs), fields, groups, spec, this.spec.minAi);
    return this.calib;
  }
}

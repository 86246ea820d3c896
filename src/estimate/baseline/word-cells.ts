/**
 * The cells of the baseline word mixture: for a target stratum, the baseline cell p comes from
 * and the source of q (the stratum's AI references, else the shipped reference calibrated on
 * its calib-split AI texts), each built into a CellModel on first use and cached.
 */
import type { MixtureReference } from '../reference.js';
import { mixSeed } from '../../core/rng.js';
import { DEFAULT_SEED } from '../types.js';
import type { StrataSpec, StratumFields } from './types.js';
import { CellModel, logHalfTable } from './word-cell-model.js';
import { referenceCalibrationItems } from './word-reference-calib.js';
import { docCount, packDocs, type Vocabulary } from './word-vocab.js';
import { cellTable, checkItem, chooseCell, langKey, makeSide, MIN_CELL_DOCS, sideSpec, type CellChoice, type Side } from './word-sides.js';
import { curveSummary, stringHash } from './word-alpha.js';
import type { TextItem, WordMixtureBaselineOptions, WordMixtureCellInfo, WordSetItem } from './word-types.js';

export type Resolution = { model: string } | { unsupported: string };

export interface CellEntry {
  model: CellModel;
  info: WordMixtureCellInfo;
}

export class WordCells {
  readonly entries = new Map<string, CellEntry>();
  private readonly resolutions = new Map<string, Resolution>();
  /** Target strata without a cell: why, and how many target documents they held. */
  readonly unsupportedCounts = new Map<string, { reason: string; targetDocs: number }>();
  private calib: Side | null | undefined;
  readonly notes: string[] = [];
  private readonly logTable: Float64Array;

  constructor(
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

  /** Calibration texts for the shipped q that have a vocabulary word (null until needed / unavailable). */
  get calibrationDocs(): number | null {
    return this.calib ? docCount(this.calib.table) : null;
  }

  /** The cell (built on first use) for a target stratum, or why there is none. */
  resolve(f: StratumFields, fine: string): Resolution {
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
      if (!this.entries.has(key)) {
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
        this.entries.set(key, { model, info: this.info(key, p, 'ai-references', q, model) });
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
    if (!this.entries.has(key)) {
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
      this.entries.set(key, { model, info: this.info(key, p, 'shipped-reference', c, model) });
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

/**
 * The sides of the baseline word mixture (baseline, AI references, calibration texts): their
 * documents as word tables with strata counts, and the choice of a side's cell for a stratum
 * (finest cell with enough documents, never across languages).
 */
import { levelsOf, stratumKey, StratumCounter } from './strata.js';
import type { StrataSpec, StratumDim, StratumFields } from './types.js';
import { packDocs, type DocWordTable } from './word-vocab.js';
import type { TextItem, WordSetItem } from './word-types.js';

/** A side (baseline, AI references, calibration texts): documents, their strata and counts. */
export interface Side {
  table: DocWordTable;
  fields: StratumFields[];
  groups: Array<string | null>;
  spec: StrataSpec;
  counter: StratumCounter;
  /** Languages of the items in each key at levels that no longer split by language. */
  langs: Map<string, Set<string>>;
}

export interface CellChoice {
  key: string;
  level: number;
  n: number;
  belowMin: boolean;
}

/** Baseline documents a cell needs at all (below minBaseline it is used but flagged). */
export const MIN_CELL_DOCS = 5;

export const langKey = (f: StratumFields, spec: StrataSpec): string => stratumKey(f, { ...spec, dims: ['lang'] }, 0);
const keepsLang = (spec: StrataSpec, level: number): boolean => spec.dims.slice(0, Math.max(0, spec.dims.length - level)).includes('lang');

export function makeSide(table: DocWordTable, fields: StratumFields[], groups: Array<string | null>, spec: StrataSpec, minItems: number): Side {
  const counter = new StratumCounter(spec, minItems);
  const langs = new Map<string, Set<string>>();
  const splitsLang = spec.dims.includes('lang');
  for (const f of fields) {
    counter.add(f);
    if (!splitsLang) continue;
    for (let l = 0; l < levelsOf(spec); l++) {
      if (keepsLang(spec, l)) continue;
      const k = stratumKey(f, spec, l);
      let s = langs.get(k);
      if (!s) langs.set(k, (s = new Set()));
      s.add(langKey(f, spec));
    }
  }
  return { table, fields, groups, spec, counter, langs };
}

/**
 * The finest cell of `side` with ≥ `min` items for fields `f` that stays within f's language
 * (when the spec splits by language). When none qualifies, the coarsest same-language cell
 * with ≥ `floor` items (flagged belowMin), else null.
 */
export function chooseCell(side: Side, f: StratumFields, min: number, floor: number | null): CellChoice | null {
  const { spec } = side;
  const lang = langKey(f, spec);
  let coarsest: CellChoice | null = null;
  for (let l = 0; l < levelsOf(spec); l++) {
    const key = stratumKey(f, spec, l);
    if (spec.dims.includes('lang') && !keepsLang(spec, l)) {
      const ls = side.langs.get(key);
      if (!ls || ls.size !== 1 || !ls.has(lang)) break;
    }
    const n = side.counter.count(key);
    if (n >= min) return { key, level: l, n, belowMin: false };
    coarsest = { key, level: l, n, belowMin: true };
  }
  return coarsest && floor !== null && coarsest.n >= floor ? coarsest : null;
}

/** Documents of a side in one cell, as a sub-table, with their cross-fitting groups. */
export function cellTable(side: Side, cell: CellChoice): { table: DocWordTable; groups: Array<string | null> } {
  const docs: Int32Array[] = [];
  const groups: Array<string | null> = [];
  side.fields.forEach((f, d) => {
    if (stratumKey(f, side.spec, cell.level) !== cell.key) return;
    docs.push(side.table.idx.subarray(side.table.start[d], side.table.start[d + 1]));
    groups.push(side.groups[d]);
  });
  return { table: packDocs(docs), groups };
}

/** The spec an AI-side set is matched with: dims its items do not all carry (tld, genre) are dropped. */
export function sideSpec(spec: StrataSpec, items: ReadonlyArray<TextItem | WordSetItem>, keep: readonly StratumDim[] | null): StrataSpec {
  const known = (d: StratumDim) => d === 'lang' || d === 'length' || items.every((t) => (d === 'tld' ? !!t.fields.tld : !!t.fields.genre));
  return { ...spec, dims: spec.dims.filter((d) => (keep ? keep.includes(d) : known(d))) };
}

export function checkItem(item: TextItem | WordSetItem, what: string, i: number): void {
  const hasWords = item && 'words' in item && Array.isArray(item.words);
  if (!item || (!hasWords && typeof (item as TextItem).text !== 'string') || !item.fields || typeof item.fields !== 'object') {
    throw new Error(`word mixture: ${what} item ${i} needs {fields, text: string}`);
  }
  if (!Number.isFinite(item.fields.words)) throw new Error(`word mixture: ${what} item ${i} has no finite fields.words`);
  if (item.group !== undefined && item.group !== null && typeof item.group !== 'string') {
    throw new Error(`word mixture: ${what} item ${i} has a group that is not a string`);
  }
}

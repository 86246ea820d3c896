/**
 * Human baseline texts and AI references read from JSONL files, for `ccaudit estimate --jsonl
 * --baseline FILE --references FILE`: the same inputs a store report reads from its pre-cutoff
 * pages and its references table.
 *
 * Line format: the labelled-corpus format `references import` reads ({text, label?, lang?,
 * domain|genre?, generator?}), plus optional `set` (taken as the generator when there is none),
 * `month` (a baseline text's month, for the drift check), `url` or `tld` (the TLD stratum), and
 * `scores` ({detector: score}, used instead of scoring the text). A line labelled differently
 * from its file (an "ai" line in the baseline file) is skipped with its line number.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseReferenceLine } from '../../synthesize/import-jsonl.js';
import { monthOf, urlParts } from '../../store/derive.js';
import type { BaselineItem } from '../baseline/estimator.js';

/** Scores one text for every detector of the run (given scores win where present). */
export type LineScorer = (text: string | null, lang: string | null, given: Record<string, unknown> | null) => Promise<Array<number | null>>;

export interface ReferenceFile {
  items: BaselineItem[];
  /** Lines skipped as bad. */
  bad: number;
  /** Texts no detector of the run could score. */
  unscored: number;
  /** AI references per generator (null key = unknown), for the report's source line. */
  generators: Map<string | null, number>;
  notes: string[];
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** Reads and scores a baseline (`label` human) or references (`label` ai) JSONL file. */
export async function readReferenceFile(path: string, label: 'human' | 'ai', score: LineScorer): Promise<ReferenceFile> {
  const what = label === 'human' ? 'baseline' : 'references';
  if (!existsSync(path)) throw new Error(`${what} file not found: ${path}`);
  const out: ReferenceFile = { items: [], bad: 0, unscored: 0, generators: new Map(), notes: [] };
  let lineNo = 0;
  for await (const raw of createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })) {
    lineNo++;
    if (raw.trim() === '') continue;
    const row = parseReferenceLine(raw, lineNo, { setName: what, origin: 'import', label });
    if (typeof row === 'string') {
      if (out.bad++ < 5) out.notes.push(`${what} file ${path}:${lineNo}: ${row} (skipped)`);
      continue;
    }
    // parseReferenceLine has checked that the line is a JSON object.
    const o = JSON.parse(raw) as Record<string, unknown>;
    const scores = await score(
      row.text,
      row.lang ?? null,
      o.scores && typeof o.scores === 'object' && !Array.isArray(o.scores) ? (o.scores as Record<string, unknown>) : null,
    );
    if (scores.every((s) => s === null)) out.unscored++;
    const generator = label === 'ai' ? (row.generator ?? str(o.set)) : null;
    if (label === 'ai') out.generators.set(generator, (out.generators.get(generator) ?? 0) + 1);
    out.items.push({
      fields: { lang: row.lang ?? null, tld: str(o.tld)?.toLowerCase() ?? urlParts(str(o.url)).tld, words: row.words, genre: row.genre ?? null },
      scores,
      month: typeof o.month === 'string' ? monthOf(o.month) : null,
      text: row.text,
      ...(label === 'ai' ? { generator } : {}),
    });
  }
  if (out.bad > 5) out.notes.push(`${what} file ${path}: ${out.bad} bad lines skipped in all`);
  if (out.unscored > 0) {
    out.notes.push(
      `${what} file ${path}: ${out.unscored} texts have no score from any detector of this run (with already scored input, give each line the same "scores" as the corpus)`,
    );
  }
  return out;
}

/** "120 AI references of refs.jsonl (gpt-4o 60, llama-3 60)" */
export function describeReferences(path: string, f: ReferenceFile): string {
  const named = [...f.generators].filter(([g]) => g !== null).sort((a, b) => b[1] - a[1] || (a[0]! < b[0]! ? -1 : 1));
  const unknown = f.generators.get(null) ?? 0;
  const parts = [...named.map(([g, n]) => `${g} ${n}`), ...(unknown > 0 && named.length > 0 ? [`unknown generator ${unknown}`] : [])];
  return `${f.items.length} AI references of ${path}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

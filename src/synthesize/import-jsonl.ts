/**
 * `ccaudit references import`: labelled JSONL → reference_texts, streamed line by line
 * (node:readline) and written in batches, so a file of any size needs bounded memory.
 *
 * Line format (as in shared/corpora/labeled/*.jsonl): {text, label: "human"|"ai", id?,
 * generator?, lang?, domain?, title?, source?}. The file's "domain" is a genre (news, creative,
 * science …) and is stored as `genre`; web domain and TLD stay unknown (null).
 * Rows without text or label are reported with their line number and skipped.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { Store } from '../store/db.js';
import { addReferences, type ReferenceInput, type ReferenceLabel, type ReferenceOrigin } from '../store/references.js';
import { countWords } from '../extract/language.js';

export interface ImportOptions {
  /** Set name (default import:<file stem> / control:<file stem>). */
  setName: string;
  /** 'import' (labelled, either label) or 'control' (human-only corpus). */
  origin: Exclude<ReferenceOrigin, 'synthesize'>;
  /**
   * Label for rows that have none; rows whose own label differs are reported and skipped.
   * Control corpora are always 'human'.
   */
  label?: ReferenceLabel;
  /** Rows per transaction (default 500). */
  batchSize?: number;
  runId?: number | null;
  onBadLine?(lineNo: number, message: string): void;
}

export interface ImportSummary {
  file: string;
  setName: string;
  origin: string;
  /** Non-blank lines read. */
  lines: number;
  added: number;
  /** Rows already in the set (same id), left alone. */
  duplicates: number;
  /** Rows skipped as bad (reported through onBadLine). */
  bad: number;
  byLabel: Record<ReferenceLabel, number>;
}

/** Default set name for an imported file. */
export function defaultImportSetName(file: string, origin: ImportOptions['origin']): string {
  return `${origin}:${basename(file).replace(/\.jsonl$/i, '')}`;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** One line → a reference row, or an error message. */
export function parseReferenceLine(line: string, lineNo: number, o: ImportOptions): ReferenceInput | string {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return 'expected a JSON object';
  const r = obj as Record<string, unknown>;
  if (typeof r.text !== 'string' || r.text.trim() === '') return 'missing "text"';
  const wanted = o.origin === 'control' ? 'human' : o.label;
  let label: ReferenceLabel;
  if (r.label === undefined || r.label === null) {
    if (!wanted) return 'missing "label" (give --label human|ai to label rows that have none)';
    label = wanted;
  } else if (r.label === 'human' || r.label === 'ai') {
    if (wanted && r.label !== wanted)
      return `label "${r.label}" in a set imported as ${o.origin === 'control' ? 'a human control corpus' : `--label ${wanted}`}`;
    label = r.label;
  } else {
    return `"label" must be "human" or "ai", got ${JSON.stringify(r.label)}`;
  }
  const id = typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : `line:${lineNo}`;
  return {
    setName: o.setName,
    externalId: id,
    label,
    origin: o.origin,
    generator: label === 'ai' ? str(r.generator) : null,
    title: str(r.title),
    text: r.text,
    lang: str(r.lang),
    genre: str(r.domain) ?? str(r.genre),
    words: countWords(r.text),
    details: str(r.source) ? { source: r.source } : null,
    runId: o.runId ?? null,
  };
}

export async function importReferencesJsonl(store: Store, file: string, o: ImportOptions): Promise<ImportSummary> {
  const summary: ImportSummary = {
    file,
    setName: o.setName,
    origin: o.origin,
    lines: 0,
    added: 0,
    duplicates: 0,
    bad: 0,
    byLabel: { human: 0, ai: 0 },
  };
  const batchSize = Math.max(1, o.batchSize ?? 500);
  let batch: ReferenceInput[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    // One transaction per batch; addReferences nests as savepoints, one per row, so the new
    // rows can be counted per label (it returns only a total).
    store.db.transaction(() => {
      for (const row of rows) {
        const added = addReferences(store, [row]);
        if (added) summary.byLabel[row.label]++;
        else summary.duplicates++;
        summary.added += added;
      }
    })();
  };
  const input = createReadStream(file, { encoding: 'utf8' });
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const line of rl) {
      lineNo++;
      if (line.trim() === '') continue;
      summary.lines++;
      const parsed = parseReferenceLine(line, lineNo, o);
      if (typeof parsed === 'string') {
        summary.bad++;
        o.onBadLine?.(lineNo, parsed);
        continue;
      }
      batch.push(parsed);
      if (batch.length >= batchSize) flush();
    }
    flush();
  } finally {
    rl.close();
    input.destroy();
  }
  return summary;
}

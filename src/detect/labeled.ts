/** Reading labeled JSONL ({id, text, label, source, domain, generator, lang}) with clear errors. */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { LabeledRecord } from './types.js';

export class LabeledDataError extends Error {}

/** Parses one labeled line; throws LabeledDataError naming file and line on bad input. */
export function parseLabeledLine(line: string, file: string, lineNo: number): LabeledRecord {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    throw new LabeledDataError(`${file}:${lineNo}: not valid JSON`);
  }
  if (!obj || typeof obj !== 'object') throw new LabeledDataError(`${file}:${lineNo}: expected a JSON object`);
  const o = obj as Record<string, unknown>;
  if (typeof o.text !== 'string') throw new LabeledDataError(`${file}:${lineNo}: missing string field "text"`);
  if (o.label !== 'human' && o.label !== 'ai') {
    throw new LabeledDataError(`${file}:${lineNo}: "label" must be "human" or "ai"`);
  }
  const stem = basename(file).replace(/\.jsonl$/i, '');
  const variant = typeof o.id === 'string' ? (/^[^-]+-(?:ai|human)-(.+)-[0-9a-f]{12}$/.exec(o.id)?.[1] ?? null) : null;
  return {
    id: typeof o.id === 'string' ? o.id : `${stem}-${lineNo}`,
    text: o.text,
    label: o.label,
    source: typeof o.source === 'string' ? o.source : stem,
    domain: typeof o.domain === 'string' ? o.domain : 'unknown',
    generator: typeof o.generator === 'string' ? o.generator : null,
    lang: typeof o.lang === 'string' ? o.lang : 'und',
    file: stem,
    variant,
  };
}

/** Streams the records of one labeled JSONL file. */
export async function* readLabeledFile(file: string): AsyncGenerator<LabeledRecord> {
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    if (line.trim() === '') continue;
    yield parseLabeledLine(line, file, lineNo);
  }
}

/** Loads several labeled files into memory (the development sets are ~20 MB in total). */
export async function loadLabeled(files: readonly string[]): Promise<LabeledRecord[]> {
  const out: LabeledRecord[] = [];
  for (const f of files) for await (const r of readLabeledFile(f)) out.push(r);
  return out;
}

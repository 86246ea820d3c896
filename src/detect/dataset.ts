/** Where the development corpora and lexicons live (../shared beside the project, or $CCAUDIT_SHARED). */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from './paths.js';
import type { LabeledRecord } from './types.js';
import { splitOf, type Split } from './splits.js';

export function sharedDir(): string {
  return resolve(process.env.CCAUDIT_SHARED ?? join(projectRoot(), '..', 'shared'));
}

/** The labeled development files (sorted), or a clear error when ../shared is missing. */
export function sharedLabeledFiles(): string[] {
  const dir = join(sharedDir(), 'corpora', 'labeled');
  if (!existsSync(dir)) throw new Error(`labeled corpora not found at ${dir} (set CCAUDIT_SHARED)`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(dir, f));
}

export function sharedLexiconFile(name: string): string {
  return join(sharedDir(), 'lexicons', name);
}

/** Records of the given split(s). */
export function inSplit(records: readonly LabeledRecord[], ...splits: Split[]): LabeledRecord[] {
  return records.filter((r) => splits.includes(splitOf(r.text)));
}

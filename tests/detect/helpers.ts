import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { loadLabeled } from '../../src/detect/labeled.js';
import { sharedLabeledFiles } from '../../src/detect/dataset.js';
import { splitOf } from '../../src/detect/splits.js';
import type { LabeledRecord } from '../../src/detect/types.js';

/** A fresh temp directory per test, removed afterwards. */
export function useTempDir(): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccaudit-detect-'));
    dirs.push(dir);
    return dir;
  };
}

let cache: LabeledRecord[] | null = null;

/** The real development corpora from ../shared/corpora/labeled (loaded once per test file). */
export async function labeledCorpus(): Promise<LabeledRecord[]> {
  cache ??= await loadLabeled(sharedLabeledFiles());
  return cache;
}

/** First `n` records per class of one file's heldout split (never used for training). */
export async function heldoutSample(file: string, n: number): Promise<{ ai: LabeledRecord[]; human: LabeledRecord[] }> {
  const recs = (await labeledCorpus()).filter((r) => r.file === file && splitOf(r.text) === 'heldout');
  return { ai: recs.filter((r) => r.label === 'ai').slice(0, n), human: recs.filter((r) => r.label === 'human').slice(0, n) };
}

/**
 * User-supplied human-only corpora for the baseline (`--control FILE.jsonl` or a
 * database), read at report time without touching the audited store:
 * - a JSONL file (text, lang, domain/genre …; rows labelled "ai" are refused) is scored in memory
 *   by the built-in detectors, which must be exactly the versions the store was scored with;
 * - another ccaudit store: every document in it is taken as human (e.g. a curated crawl).
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { initDetectors } from '../../detect/runner.js';
import { selectDetectors } from '../../../detectors/registry.js';
import { parseReferenceLine } from '../../synthesize/import-jsonl.js';
import { openStore } from '../../store/index.js';
import { baselineDocuments, type DetectorVersion } from '../../store/baseline-queries.js';
import type { BaselineItem } from '../baseline/estimator.js';

export interface ControlCorpus {
  items: BaselineItem[];
  description: string;
  notes: string[];
}

/** Scores a human-only JSONL corpus with the detector versions the report uses. */
export async function scoreControlFile(file: string, detectors: readonly DetectorVersion[]): Promise<ControlCorpus> {
  if (!existsSync(file)) throw new Error(`control corpus not found: ${file}`);
  const impls = await selectDetectors({ names: detectors.map((d) => d.detector) });
  impls.forEach((d, i) => {
    if (d.version !== detectors[i].detectorVersion) {
      throw new Error(
        `control corpus: detector ${d.name} is version ${d.version} here but the store was scored with ${detectors[i].detectorVersion}; ` +
          're-score the store (`ccaudit score`) or import the corpus with `ccaudit references import --as control` on a matching installation',
      );
    }
  });
  await initDetectors(impls);
  const items: BaselineItem[] = [];
  const notes: string[] = [];
  let bad = 0;
  let lineNo = 0;
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    const row = parseReferenceLine(line, lineNo, { setName: 'control-file', origin: 'control' });
    if (typeof row === 'string') {
      if (bad++ < 5) notes.push(`control corpus ${file}:${lineNo}: ${row} (skipped)`);
      continue;
    }
    const scores: Array<number | null> = [];
    for (const d of impls) {
      try {
        const r = await d.score({ text: row.text, lang: row.lang ?? 'und' });
        scores.push(r.score === null || !Number.isFinite(r.score) ? null : r.score);
      } catch {
        scores.push(null);
      }
    }
    items.push({ fields: { lang: row.lang ?? null, tld: null, words: row.words, genre: row.genre ?? null }, scores, month: null, text: row.text });
  }
  if (bad > 5) notes.push(`control corpus ${file}: ${bad} bad lines skipped in all`);
  return { items, description: `${items.length} texts of ${file}`, notes };
}

/** Every document of another ccaudit store, as human control items (scores of the same detector versions). */
export function controlDatabase(path: string, detectors: readonly DetectorVersion[]): ControlCorpus {
  if (!existsSync(path)) throw new Error(`control database not found: ${path}`);
  const store = openStore(path, { readonly: true });
  try {
    const items: BaselineItem[] = [];
    let unscored = 0;
    for (const r of baselineDocuments(store, { detectors, cutoff: '9999-12-31', dateBasis: 'crawl', withText: true })) {
      if (r.scores.every((s) => s === null)) unscored++;
      items.push({ fields: { lang: r.lang, tld: r.tld, words: r.words, genre: r.genre }, scores: r.scores, month: null, text: r.text ?? null });
    }
    const notes =
      unscored > 0
        ? [`control database ${path}: ${unscored} documents have no score from the report's detector versions (run \`ccaudit score --db ${path}\`)`]
        : [];
    return { items, description: `${items.length} documents of ${path}`, notes };
  } finally {
    store.close();
  }
}

/**
 * The pipeline's score step ("score as they go" during scan/sample): detectors are
 * initialised once per thread and every extracted document gets one DocumentScore per detector.
 */
import type { DocumentScore, ExtractedDocument } from '../core/types.js';
import type { Detector } from '../detect/types.js';
import { initDetectors, safeScore } from '../detect/runner.js';
import { selectDetectors } from '../../detectors/registry.js';
import { detailsOf } from './score-store.js';

export type Scorer = Detector;

/** Selects and initialises detectors by name (empty list = every built-in) plus plugin modules. */
export async function loadScorers(names: string[], modules: string[] = []): Promise<Scorer[]> {
  const detectors = await selectDetectors({ names: names.length > 0 ? names : undefined, modules });
  await initDetectors(detectors);
  return detectors;
}

/**
 * A detector's version, read once per detector instance: `version` may be a getter (the
 * built-ins hash their model file), and a scan stores it with every score. Reading it per
 * document once cost more than all the scoring itself.
 */
const versions = new WeakMap<Scorer, string>();

function versionOf(d: Scorer): string {
  let v = versions.get(d);
  if (v === undefined) {
    v = d.version;
    versions.set(d, v);
  }
  return v;
}

export async function scoreStep(detectors: readonly Scorer[], doc: ExtractedDocument): Promise<DocumentScore[]> {
  const out: DocumentScore[] = [];
  for (const d of detectors) {
    const r = await safeScore(d, { text: doc.text, lang: doc.lang, words: doc.words });
    out.push({ detector: d.name, detectorVersion: versionOf(d), score: r.score, raw: r.raw ?? null, details: detailsOf(r) });
  }
  return out;
}

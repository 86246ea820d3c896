/**
 * Initialising and running detectors safely: a detector that throws or returns
 * something outside [0, 1] yields `{ score: null, reason: 'error' }` for that document
 * instead of stopping the run.
 */
import type { Detector, DetectorInput, DetectorResult } from './types.js';

export async function initDetectors(detectors: readonly Detector[]): Promise<void> {
  for (const d of detectors) {
    try {
      await d.init?.();
    } catch (err) {
      throw new Error(`detector "${d.name}" failed to initialise: ${(err as Error).message}`);
    }
  }
}

/** Checks a detector's answer; anything malformed becomes an 'error' result. */
export function checkResult(detector: Detector, r: unknown): DetectorResult {
  if (!r || typeof r !== 'object') return { score: null, reason: 'error', details: { message: `${detector.name} returned ${typeof r}` } };
  const o = r as DetectorResult;
  if (o.score === null) {
    const reason = (o as { reason?: unknown }).reason;
    const ok = reason === 'unsupported-language' || reason === 'too-short' || reason === 'empty' || reason === 'error';
    return { score: null, reason: ok ? reason : 'error', details: o.details };
  }
  if (typeof o.score !== 'number' || !Number.isFinite(o.score) || o.score < 0 || o.score > 1) {
    return { score: null, reason: 'error', details: { message: `${detector.name} returned score ${String(o.score)} outside [0, 1]` } };
  }
  if (o.raw !== undefined && o.raw !== null && (typeof o.raw !== 'number' || !Number.isFinite(o.raw))) return { ...o, raw: null };
  return o;
}

/** Scores one document with one detector, never throwing. */
export async function safeScore(detector: Detector, doc: DetectorInput): Promise<DetectorResult> {
  try {
    return checkResult(detector, await detector.score(doc));
  } catch (err) {
    return { score: null, reason: 'error', details: { message: (err as Error).message } };
  }
}

/** Scores many documents with one detector, using its batch path when it has one. */
export async function safeScoreMany(detector: Detector, docs: readonly DetectorInput[]): Promise<DetectorResult[]> {
  if (detector.scoreBatch && docs.length > 0) {
    try {
      const out = await detector.scoreBatch([...docs]);
      if (Array.isArray(out) && out.length === docs.length) return out.map((r) => checkResult(detector, r));
    } catch {
      // fall back to one at a time so one bad document does not sink the batch
    }
  }
  const out: DetectorResult[] = [];
  for (const d of docs) out.push(await safeScore(detector, d));
  return out;
}

/** Scores one document with every detector: name → result. */
export async function scoreWithAll(detectors: readonly Detector[], doc: DetectorInput): Promise<Map<string, DetectorResult>> {
  const out = new Map<string, DetectorResult>();
  for (const d of detectors) out.set(d.name, await safeScore(d, doc));
  return out;
}

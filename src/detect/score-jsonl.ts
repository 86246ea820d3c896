/**
 * `ccaudit score --jsonl`: reads `{id, text, lang?}` lines, writes
 * `{id, scores: {detector: score|null}}` lines (plus `raw` with --raw). Streams with
 * back-pressure, so input size is not limited by memory. Bad lines are reported on stderr
 * with their line number and skipped.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import type { Detector } from './types.js';
import { safeScore } from './runner.js';

export interface JsonlScoringOptions {
  includeRaw?: boolean;
  onBadLine?(lineNo: number, message: string): void;
}

export interface JsonlScoringSummary {
  lines: number;
  scored: number;
  bad: number;
}

export async function scoreJsonlStream(
  input: Readable,
  output: Writable,
  detectors: readonly Detector[],
  opts: JsonlScoringOptions = {},
): Promise<JsonlScoringSummary> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  const summary: JsonlScoringSummary = { lines: 0, scored: 0, bad: 0 };
  for await (const line of rl) {
    summary.lines++;
    if (line.trim() === '') continue;
    let obj: { id?: unknown; text?: unknown; lang?: unknown };
    try {
      obj = JSON.parse(line);
    } catch {
      summary.bad++;
      opts.onBadLine?.(summary.lines, 'not valid JSON');
      continue;
    }
    if (!obj || typeof obj !== 'object' || typeof obj.text !== 'string') {
      summary.bad++;
      opts.onBadLine?.(summary.lines, 'expected an object with a string "text"');
      continue;
    }
    const id = typeof obj.id === 'string' || typeof obj.id === 'number' ? obj.id : summary.lines;
    const doc = { text: obj.text, lang: typeof obj.lang === 'string' ? obj.lang : null };
    const scores: Record<string, number | null> = {};
    const raw: Record<string, number | null> = {};
    for (const d of detectors) {
      const r = await safeScore(d, doc);
      scores[d.name] = r.score;
      raw[d.name] = r.raw ?? null;
    }
    const out = opts.includeRaw ? { id, scores, raw } : { id, scores };
    if (!output.write(`${JSON.stringify(out)}\n`)) await once(output, 'drain');
    summary.scored++;
  }
  return summary;
}

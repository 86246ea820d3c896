/**
 * `segments`: runs an inner detector over ~500-word chunks and reports the (word-weighted)
 * fraction of the article judged AI, as published web studies do; a page is "primarily AI"
 * when more than half of it is. A chunk is judged AI when the inner score reaches the inner
 * detector's calibrated threshold (data/calibration.json), else 0.5.
 */
import type { Detector, DetectorInput, DetectorResult, ScoredSpan } from '../src/detect/types.js';
import { gate, prepare } from '../src/detect/prepared.js';
import { MIN_WORDS } from '../src/detect/text.js';

export const SEGMENTS_CODE_VERSION = '1';
/** Longest text looked at (≈ 20,000 words); further text is ignored. */
export const SEGMENTS_MAX_CHARS = 150_000;

export interface SegmentsOptions {
  inner: Detector;
  /** Target words per chunk (default 500). */
  chunkWords?: number;
  /** Inner score at or above which a chunk counts as AI. */
  threshold?: number;
}

export interface Chunk {
  start: number;
  end: number;
  words: number;
}

/**
 * Cuts text into chunks of about `chunkWords` words at whitespace, preferring paragraph or
 * sentence ends; a short tail (< MIN_WORDS) joins the previous chunk.
 */
export function chunkText(text: string, chunkWords: number): Chunk[] {
  const chunks: Chunk[] = [];
  const re = /\S+/g;
  let start = -1;
  let end = 0;
  let words = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (start < 0) start = m.index;
    end = m.index + m[0].length;
    words++;
    const atBoundary = /[.!?]["')\]]?$/.test(m[0]) || text.charCodeAt(end) === 10;
    if (words >= chunkWords && (atBoundary || words >= chunkWords * 1.5)) {
      chunks.push({ start, end, words });
      start = -1;
      words = 0;
    }
  }
  if (words > 0 && start >= 0) {
    const last = chunks[chunks.length - 1];
    if (last && words < MIN_WORDS) {
      last.end = end;
      last.words += words;
    } else {
      chunks.push({ start, end, words });
    }
  }
  return chunks;
}

export function createSegmentsDetector(opts: SegmentsOptions): Detector {
  const chunkWords = opts.chunkWords ?? 500;
  const threshold = opts.threshold ?? 0.5;
  const inner = opts.inner;
  return {
    name: 'segments',
    description: `Fraction of ${chunkWords}-word chunks judged AI by "${inner.name}" (threshold ${threshold.toFixed(3)})`,
    get version() {
      return `${SEGMENTS_CODE_VERSION}+${inner.name}@${inner.version}+w${chunkWords}+t${threshold.toFixed(4)}`;
    },
    get languages() {
      return inner.languages;
    },
    async init() {
      await inner.init?.();
    },
    async score(doc: DetectorInput): Promise<DetectorResult> {
      const p = prepare(doc);
      const refused = gate(p, inner.languages);
      if (refused) return refused;
      const text = p.raw.length > SEGMENTS_MAX_CHARS ? p.raw.slice(0, SEGMENTS_MAX_CHARS) : p.raw;
      const chunks = chunkText(text, chunkWords);
      const spans: ScoredSpan[] = [];
      let aiWords = 0;
      let scoredWords = 0;
      let sum = 0;
      for (const c of chunks) {
        const r = await inner.score({ text: text.slice(c.start, c.end), lang: p.lang });
        spans.push({ start: c.start, end: c.end, score: r.score, label: r.score === null ? r.reason : r.score >= threshold ? 'ai' : 'human' });
        if (r.score === null) continue;
        scoredWords += c.words;
        sum += r.score * c.words;
        if (r.score >= threshold) aiWords += c.words;
      }
      if (scoredWords === 0) return { score: null, reason: 'too-short', details: { chunks: chunks.length } };
      const fraction = aiWords / scoredWords;
      return {
        score: fraction,
        raw: sum / scoredWords,
        spans,
        details: { chunks: chunks.length, scoredChunks: spans.filter((s) => s.score !== null).length, primarilyAi: fraction > 0.5 },
      };
    },
  };
}

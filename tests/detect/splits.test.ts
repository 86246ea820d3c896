import { describe, expect, it } from 'vitest';
import { groupKey, splitOf } from '../../src/detect/splits.js';
import { labeledCorpus } from './helpers.js';

describe('labeled split', () => {
  it('is a pure function of the text', () => {
    const t = 'The quick brown fox jumps over the lazy dog, again and again, for science.';
    expect(splitOf(t)).toBe(splitOf(t));
    expect(groupKey(t.replace('The', '\u201CThe'))).toBe(groupKey(`"${t}`));
  });

  it('gives about 70/15/15 on the development corpora', async () => {
    const recs = await labeledCorpus();
    const counts = { train: 0, calib: 0, heldout: 0 };
    for (const r of recs) counts[splitOf(r.text)]++;
    expect(counts.train / recs.length).toBeGreaterThan(0.65);
    expect(counts.train / recs.length).toBeLessThan(0.75);
    expect(counts.heldout / recs.length).toBeGreaterThan(0.12);
    expect(counts.calib / recs.length).toBeGreaterThan(0.12);
  });

  it('keeps fast-detect-gpt continuations with the human article whose opening they share', async () => {
    const recs = (await labeledCorpus()).filter((r) => r.file === 'fastdetectgpt');
    const humanSplit = new Map<string, string>();
    for (const r of recs) if (r.label === 'human') humanSplit.set(groupKey(r.text), splitOf(r.text));
    let shared = 0;
    for (const r of recs) {
      if (r.label !== 'ai') continue;
      const s = humanSplit.get(groupKey(r.text));
      if (s === undefined) continue;
      shared++;
      expect(splitOf(r.text)).toBe(s);
    }
    expect(shared).toBeGreaterThan(1000);
  });
});

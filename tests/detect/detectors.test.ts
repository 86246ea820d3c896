import { describe, expect, it } from 'vitest';
import { BUILTIN_NAMES, createBuiltinDetector } from '../../detectors/index.js';
import { auroc } from '../../src/detect/metrics.js';
import type { Detector } from '../../src/detect/types.js';
import { heldoutSample, labeledCorpus } from './helpers.js';

/** Minimum AUROC on 60+60 real heldout DetectRL texts (chat-model output vs human). */
const MIN_AUROC: Record<string, number> = { 'gpt-words': 0.7, classifier: 0.9, compression: 0.7, stylometry: 0.8, segments: 0.8 };

async function scores(d: Detector, texts: string[]): Promise<Array<number | null>> {
  const out: Array<number | null> = [];
  for (const t of texts) out.push((await d.score({ text: t, lang: 'eng' })).score);
  return out;
}

describe.each(BUILTIN_NAMES)('built-in detector %s', (name) => {
  const det = createBuiltinDetector(name);

  it('has valid metadata', async () => {
    await det.init?.();
    expect(det.name).toBe(name);
    expect(det.version).toMatch(/\S/);
    expect(det.languages.length).toBeGreaterThan(0);
  });

  it('separates held-out AI text from human text', async () => {
    const { ai, human } = await heldoutSample('detectrl', 60);
    const sa = (
      await scores(
        det,
        ai.map((r) => r.text),
      )
    ).filter((s): s is number => s !== null);
    const sh = (
      await scores(
        det,
        human.map((r) => r.text),
      )
    ).filter((s): s is number => s !== null);
    expect(sa.length).toBeGreaterThan(50);
    expect(sh.length).toBeGreaterThan(50);
    for (const s of [...sa, ...sh]) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
    expect(auroc(sa, sh)).toBeGreaterThanOrEqual(MIN_AUROC[name]);
  });

  it('is deterministic across calls and fresh instances', async () => {
    const { ai, human } = await heldoutSample('detectrl_attacks', 5);
    const texts = [...ai, ...human].map((r) => r.text);
    const a = await scores(det, texts);
    const b = await scores(det, texts);
    const c = await scores(createBuiltinDetector(name), texts);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('refuses empty and very short text with a reason', async () => {
    for (const text of ['', '   \n\n ', '!!! ...']) {
      expect(await det.score({ text })).toMatchObject({ score: null, reason: 'empty' });
    }
    expect(await det.score({ text: 'Just a few words here, far too short to judge.' })).toMatchObject({ score: null, reason: 'too-short' });
  });

  it('never throws on odd input', async () => {
    const odd = [undefined, null, 42, { text: 7 }, { text: '\u0000\uFFFF\uD800'.repeat(50) }, { text: '🙂 '.repeat(200) }];
    for (const doc of odd) {
      const r = await det.score(doc as never);
      expect(r.score === null || (r.score >= 0 && r.score <= 1)).toBe(true);
    }
  });

  it('handles non-English text per its language list', async () => {
    const rus = (await labeledCorpus()).find((r) => r.lang === 'rus' && r.text.length > 1500)!;
    const r = await det.score({ text: rus.text, lang: 'rus' });
    if (det.languages.includes('rus')) expect(r.score).not.toBeNull();
    else expect(r).toMatchObject({ score: null, reason: 'unsupported-language' });
    // Without a declared language the detector works it out itself.
    const r2 = await det.score({ text: rus.text });
    expect(r2.score === null ? r2.reason : 'scored').toBe(det.languages.includes('rus') ? 'scored' : 'unsupported-language');
  });

  it('scores a huge document without failing', async () => {
    const { human } = await heldoutSample('detectrl', 20);
    const base = human.map((r) => r.text).join('\n\n');
    const huge = base.repeat(Math.ceil(3_000_000 / base.length));
    const r = await det.score({ text: huge, lang: 'eng' });
    expect(r.score).not.toBeNull();
    expect(r.score!).toBeGreaterThanOrEqual(0);
    expect(r.score!).toBeLessThanOrEqual(1);
  });
});

describe('segments', () => {
  it('reports per-chunk spans and the primarily-AI call on a long mixed document', async () => {
    const seg = createBuiltinDetector('segments');
    const { ai, human } = await heldoutSample('detectrl', 40);
    // Synthetic mixture built from real texts: ~1,500 words human, then ~1,500 words AI.
    const take = (rs: typeof ai, words: number) => {
      const out: string[] = [];
      let n = 0;
      for (const r of rs) {
        if (n >= words) break;
        out.push(r.text);
        n += r.text.split(/\s+/).length;
      }
      return out.join('\n\n');
    };
    const text = `${take(human, 1500)}\n\n${take(ai, 1500)}`;
    const r = await seg.score({ text, lang: 'eng' });
    expect(r.score).not.toBeNull();
    if (r.score === null) return;
    expect(r.spans!.length).toBeGreaterThanOrEqual(5);
    const firstHalf = r.spans!.filter((s) => s.end < text.length / 2 - 2000);
    const secondHalf = r.spans!.filter((s) => s.start > text.length / 2 + 2000);
    const meanScore = (xs: typeof firstHalf) => xs.reduce((a, s) => a + (s.score ?? 0), 0) / xs.length;
    expect(meanScore(secondHalf)).toBeGreaterThan(meanScore(firstHalf));
    expect(r.score).toBeGreaterThan(0.2);
    expect(r.score).toBeLessThan(0.8);
    expect(typeof r.details?.primarilyAi).toBe('boolean');
  });
});

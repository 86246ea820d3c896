import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildGptWordsLexicon,
  readPublishedLexicon,
  trainCompressionModel,
  trainLinearModel,
  CLASSIFIER_DEFAULTS,
  STYLOMETRY_DEFAULTS,
  COMPRESSION_DEFAULTS,
} from '../../src/detect/train.js';
import { writeModel } from '../../src/detect/models.js';
import { sharedLexiconFile } from '../../src/detect/dataset.js';
import { splitOf } from '../../src/detect/splits.js';
import { createClassifierDetector } from '../../detectors/classifier.js';
import { auroc } from '../../src/detect/metrics.js';
import { labeledCorpus, useTempDir } from './helpers.js';

async function smallTrainSet() {
  const recs = (await labeledCorpus()).filter((r) => r.file === 'detectrl' && splitOf(r.text) === 'train');
  // Reverse the order: training must not depend on input order.
  return { forward: recs.slice(0, 400), reversed: recs.slice(0, 400).reverse() };
}

describe('deterministic training', () => {
  const tempDir = useTempDir();
  const small = { ...CLASSIFIER_DEFAULTS, ngram: { bits: 12, wordOrders: [1, 2], charOrders: [4], maxChars: 20_000 }, epochs: 3 };

  it('retraining a small classifier twice gives identical bytes (and input order does not matter)', async () => {
    const { forward, reversed } = await smallTrainSet();
    const dir = tempDir();
    const h1 = writeModel(join(dir, 'a.json'), trainLinearModel(forward, { ...small, seed: 7, split: 'test' }));
    const h2 = writeModel(join(dir, 'b.json'), trainLinearModel(reversed, { ...small, seed: 7, split: 'test' }));
    expect(h2).toBe(h1);
    expect(readFileSync(join(dir, 'a.json'))).toEqual(readFileSync(join(dir, 'b.json')));
    const h3 = writeModel(join(dir, 'c.json'), trainLinearModel(forward, { ...small, seed: 8, split: 'test' }));
    expect(h3).not.toBe(h1);
  });

  it('a small trained classifier generalises to held-out rows of the same source', async () => {
    const { forward } = await smallTrainSet();
    const model = trainLinearModel(forward, { ...small, seed: 7, split: 'test' });
    const det = createClassifierDetector({ model });
    const held = (await labeledCorpus()).filter((r) => r.file === 'detectrl' && splitOf(r.text) === 'heldout').slice(0, 200);
    const pos: number[] = [];
    const neg: number[] = [];
    for (const r of held) {
      const s = det.score({ text: r.text, lang: r.lang }) as { score: number | null };
      if (s.score !== null) (r.label === 'ai' ? pos : neg).push(s.score);
    }
    expect(auroc(pos, neg)).toBeGreaterThan(0.85);
  });

  it('stylometry, compression and gpt-words models are reproducible too', async () => {
    const { forward, reversed } = await smallTrainSet();
    const published = readPublishedLexicon(sharedLexiconFile('gpt_words_union.csv'));
    const build = (recs: typeof forward) => [
      trainLinearModel(recs, { ...STYLOMETRY_DEFAULTS, epochs: 5, seed: 3, split: 'test' }),
      trainCompressionModel(recs, { ...COMPRESSION_DEFAULTS, dictionaryBytes: 4096, seed: 3, split: 'test' }),
      buildGptWordsLexicon(recs, published, { seed: 3, split: 'test', alpha: 1, provenance: 'test' }),
    ];
    const dir = tempDir();
    const a = build(forward).map((m, i) => writeModel(join(dir, `a${i}.json`), m));
    const b = build(reversed).map((m, i) => writeModel(join(dir, `b${i}.json`), m));
    expect(b).toEqual(a);
  });
});

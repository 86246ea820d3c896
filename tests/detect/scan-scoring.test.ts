import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readWarcFile } from '../../src/sources/warc/index.js';
import { extractRecord, isHtmlResponse } from '../../src/pipeline/extract-step.js';
import { isReadError, type ExtractedDocument } from '../../src/core/types.js';
import { sharedDir } from '../../src/detect/dataset.js';
import { loadScorers, scoreStep as scoreDocument } from '../../src/pipeline/score-step.js';
import { detailsOf } from '../../src/pipeline/score-store.js';
import { prepare } from '../../src/detect/prepared.js';
import { tokenize } from '../../src/detect/text.js';
import { modelHash, readJsonFile } from '../../src/detect/models.js';
import { DEFAULT_FILES } from '../../src/detect/paths.js';
import { createBuiltinDetector } from '../../detectors/index.js';
import { CLASSIFIER_CODE_VERSION } from '../../detectors/classifier.js';
import { STYLOMETRY_CODE_VERSION } from '../../detectors/stylometry.js';
import { COMPRESSION_CODE_VERSION } from '../../detectors/compression.js';
import { GPT_WORDS_CODE_VERSION } from '../../detectors/gpt-words.js';
import type { Detector } from '../../src/detect/types.js';

/** Real web pages: every HTML response of a real Common Crawl WARC file, extracted. */
async function realPages(): Promise<ExtractedDocument[]> {
  const docs: ExtractedDocument[] = [];
  for await (const item of readWarcFile(join(sharedDir(), 'corpora/warc/cc/resiliparse/warcfile.warc.gz'))) {
    if (!isReadError(item) && isHtmlResponse(item)) docs.push(extractRecord(item));
  }
  return docs;
}

describe('scoring during a scan', () => {
  let pages: ExtractedDocument[] = [];
  beforeAll(async () => {
    pages = await realPages();
  });

  it('has real pages with enough words to score', () => {
    expect(pages.filter((d) => d.words >= 100).length).toBeGreaterThanOrEqual(5);
  });

  it('gives every built-in the same result as calling it directly, with its version', async () => {
    const scorers = await loadScorers([]);
    for (const doc of pages.slice(0, 40)) {
      const got = await scoreDocument(scorers, doc);
      expect(got.map((s) => s.detector)).toEqual(scorers.map((d) => d.name));
      for (const [i, d] of scorers.entries()) {
        const fresh = createBuiltinDetector(d.name);
        const r = await fresh.score({ text: doc.text, lang: doc.lang, words: doc.words });
        expect(got[i]).toEqual({ detector: d.name, detectorVersion: fresh.version, score: r.score, raw: r.raw ?? null, details: detailsOf(r) });
      }
    }
  });

  it('reads a detector version once per detector, not once per document', async () => {
    let reads = 0;
    const counting: Detector = {
      name: 'counting',
      get version() {
        reads++;
        return '1';
      },
      description: 'counts version reads (synthetic test detector)',
      languages: ['*'],
      score: () => ({ score: 0.5 }),
    };
    for (const doc of pages.slice(0, 10)) await scoreDocument([counting], doc);
    expect(reads).toBe(1);
  });
});

describe('built-in detector versions', () => {
  // Versions are hashed once per instance; they must still be exactly code version + model hash,
  // or stored scores would be re-scored (or, worse, not re-scored after a retrain).
  it.each([
    ['classifier', CLASSIFIER_CODE_VERSION, DEFAULT_FILES.classifier],
    ['stylometry', STYLOMETRY_CODE_VERSION, DEFAULT_FILES.stylometry],
    ['compression', COMPRESSION_CODE_VERSION, DEFAULT_FILES.compression],
    ['gpt-words', GPT_WORDS_CODE_VERSION, DEFAULT_FILES.gptWords],
  ] as const)('%s = code version + hash of the shipped model', (name, code, file) => {
    const d = createBuiltinDetector(name);
    expect(d.version).toBe(`${code}+${modelHash(readJsonFile<object>(file()))}`);
    expect(d.version).toBe(d.version);
  });
});

describe('shared text preparation', () => {
  it('splits CJK runs into characters and leaves other tokens whole', () => {
    expect(tokenize('hello world, plain text')).toEqual(['hello', 'world', 'plain', 'text']);
    expect(tokenize('the 東京タワー is tall')).toEqual(['the', '東', '京', 'タ', 'ワ', 'ー', 'is', 'tall']);
    expect(tokenize('...')).toEqual([]);
  });

  it('reuses one preparation for equal texts and keeps declared languages apart', () => {
    const text = 'A synthetic sentence for the cache test. '.repeat(20);
    const a = prepare({ text, lang: 'eng' });
    expect(prepare({ text: `${text}`.slice(0), lang: 'eng' })).toBe(a);
    // an equal string built separately is still the same text
    expect(prepare({ text: text.split('').join(''), lang: 'eng' })).toBe(a);
    const b = prepare({ text, lang: null });
    expect(b).not.toBe(a);
    expect(b.norm).toBe(a.norm);
    for (let i = 0; i < 10; i++) prepare({ text: `other synthetic text number ${i}` });
    const again = prepare({ text, lang: 'eng' });
    expect(again).not.toBe(a); // evicted after newer texts, recomputed identically
    expect(again.tokens).toEqual(a.tokens);
  });
});

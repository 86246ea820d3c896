import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, getCalibration, saveCalibration, StoreWriter } from '../../src/store/index.js';
import type { ExtractedDocument, WarcRecord } from '../../src/core/types.js';
import { createBuiltinDetector } from '../../detectors/index.js';
import { scoreStoredDocuments } from '../../src/pipeline/score-store.js';
import { calibrate } from '../../src/detect/calibration.js';
import { heldoutSample, labeledCorpus, useTempDir } from './helpers.js';

/** Synthetic WARC records carrying real labeled texts as their extracted documents. */
function syntheticRecord(i: number): WarcRecord {
  return {
    source: 'synthetic://detect-test.warc',
    offset: i * 1000,
    length: 900,
    offsetKind: 'file',
    warcVersion: '1.0',
    warcType: 'response',
    targetUri: `https://example.org/doc/${i}`,
    warcDate: '2024-05-18T01:58:10Z',
    warcDateRaw: '2024-05-18T01:58:10Z',
    recordId: `<urn:uuid:${i}>`,
    warcHeaders: [],
    httpStatus: 200,
    httpHeaders: [],
    contentType: 'text/html',
    payload: null,
    payloadTruncated: false,
    notes: [],
  };
}

function doc(text: string, lang: string): ExtractedDocument {
  return { title: null, text, date: null, dateSource: null, lang, words: text.split(/\s+/).length, charset: 'utf-8', charsetSource: 'default' };
}

describe('score --db', () => {
  const tempDir = useTempDir();

  it('scores stored documents once per detector version, stores nulls for unsupported ones, and resumes', async () => {
    const path = join(tempDir(), 't.db');
    const store = openStore(path);
    const { ai, human } = await heldoutSample('detectrl', 6);
    const rus = (await labeledCorpus()).find((r) => r.lang === 'rus')!;
    const texts: Array<[string, string]> = [...ai, ...human].map((r) => [r.text, 'eng']);
    texts.push([rus.text, 'rus'], ['Too short.', 'eng']);
    const writer = new StoreWriter(store);
    texts.forEach(([t, l], i) => writer.add(syntheticRecord(i), doc(t, l)));
    writer.flush();

    const dets = [createBuiltinDetector('gpt-words'), createBuiltinDetector('classifier')];
    const first = await scoreStoredDocuments(store, dets, { batchSize: 4 });
    expect(first.map((s) => s.scored + s.unsupported + s.errors)).toEqual([texts.length, texts.length]);
    expect(first[0].unsupported).toBe(2); // Russian + too short for the English-only lexicon
    expect(first[1].unsupported).toBe(1); // the classifier knows Russian
    const rows = store.db.prepare('SELECT detector, score, details FROM scores ORDER BY document_id').all() as Array<{
      detector: string;
      score: number | null;
      details: string | null;
    }>;
    expect(rows.length).toBe(2 * texts.length);
    const nullRow = rows.find((r) => r.detector === 'gpt-words' && r.score === null)!;
    expect(JSON.parse(nullRow.details!).reason).toMatch(/unsupported-language|too-short/);

    const again = await scoreStoredDocuments(store, dets, { batchSize: 4 });
    expect(again.map((s) => s.scored + s.unsupported)).toEqual([0, 0]);
    store.close();
  });

  it('stores calibrations where the estimators read them', async () => {
    const store = openStore(join(tempDir(), 'c.db'));
    const e = calibrate('classifier', 'v-test', [0.9, 0.8, 0.2, 0.1, 0.7, 0.3], [1, 1, 0, 0, 1, 0], 0.05, 'synthetic');
    saveCalibration(store, e);
    const back = getCalibration(store, 'classifier', 'v-test')!;
    expect(back.threshold).toBe(e.threshold);
    expect(back.tpr).toBe(1);
    expect(back.nNeg).toBe(3);
    store.close();
  });
});

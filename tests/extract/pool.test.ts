import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { createStagePool } from '../../src/pipeline/stage-pool.js';

const DIR = path.resolve(__dirname, '../../../shared/corpora/extraction/mozilla-readability/html');
const pages = ['001.html.gz', '002.html.gz', '003-metadata-preferred.html.gz'].map((f) => gunzipSync(readFileSync(path.join(DIR, f))));

describe('stage pool (extract and score steps)', () => {
  it('worker threads give exactly what inline extraction and scoring give (real pages)', async () => {
    const inline = createStagePool({ threads: 0, detectors: [] });
    const workers = createStagePool({ threads: 2, detectors: [] });
    try {
      for (const html of pages) {
        const a = await inline.run({ html, url: null, contentType: 'text/html' });
        const b = await workers.run({ html, url: null, contentType: 'text/html' });
        expect(b.doc).toEqual(a.doc);
        expect(b.scores).toEqual(a.scores);
        expect(a.scores.map((s) => s.detector).sort()).toEqual(['classifier', 'compression', 'gpt-words', 'segments', 'stylometry']);
      }
    } finally {
      await inline.close();
      await workers.close();
    }
  }, 120_000);

  it('a page over the time limit fails alone and the pool goes on with a fresh worker', async () => {
    // 1 ms cannot be met (a worker needs far longer just to load), so the first job times out.
    const pool = createStagePool({ threads: 1, jobTimeoutMs: 1 });
    try {
      await expect(pool.run({ html: pages[0]! })).rejects.toThrow(/extract-timeout/);
    } finally {
      await pool.close();
    }
    const ok = createStagePool({ threads: 1 });
    try {
      const r = await ok.run({ html: pages[1]! });
      expect(r.doc.words).toBeGreaterThan(50);
      expect(r.scores).toEqual([]);
    } finally {
      await ok.close();
    }
  }, 120_000);

  it('a worker that crashes fails only the page it was on; the page queued behind it goes to a fresh worker', async () => {
    const plugin = path.resolve(__dirname, 'fixtures/synthetic-crash-plugin.js');
    const pool = createStagePool({ threads: 1, detectors: ['synthetic-crash'], detectorModules: [plugin] });
    const words = Array.from({ length: 200 }, (_, i) => `word${i % 17}`).join(' ');
    const crashing = Buffer.from(`<html><body><article><h1>Title</h1><p>CRASHMARKER ${words}</p><p>${words}</p></article></body></html>`);
    try {
      // One worker holds both jobs: the crash takes the first, the second must still be answered.
      const first = pool.run({ html: crashing, url: null, contentType: 'text/html' });
      const second = pool.run({ html: pages[1]!, url: null, contentType: 'text/html' });
      await expect(first).rejects.toThrow(/synthetic worker crash/);
      const r = await second;
      expect(r.doc.words).toBeGreaterThan(50);
      expect(r.scores.map((x) => [x.detector, x.score])).toEqual([['synthetic-crash', 0.5]]);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('a detector plugin that cannot load makes the job reject (not hang); the CLI checks plugins before starting workers', async () => {
    const pool = createStagePool({ threads: 1, detectors: [], detectorModules: ['./does-not-exist-plugin.js'] });
    try {
      await expect(pool.run({ html: pages[0]! })).rejects.toThrow();
    } finally {
      await pool.close();
    }
  }, 120_000);
});

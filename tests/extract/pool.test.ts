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

  it('a detector plugin that cannot load makes the job reject (not hang); the CLI checks plugins before starting workers', async () => {
    const pool = createStagePool({ threads: 1, detectors: [], detectorModules: ['./does-not-exist-plugin.js'] });
    try {
      await expect(pool.run({ html: pages[0]! })).rejects.toThrow();
    } finally {
      await pool.close();
    }
  }, 120_000);
});

/**
 * SYNTHETIC known-answer mixtures of REAL labelled text, for validating the estimators end to
 * end: held-out texts of ../shared/corpora/labeled (split 'heldout' of src/detect/splits.ts,
 * never used for training or calibration) are mixed at known AI fractions per month, wrapped
 * in minimal HTML pages with a publication date, and written as real WARC files (warcio's
 * WARCRecord / WARCSerializer, one gzip member per record as Common Crawl does). The truth of
 * month m is exactly aiCount/n of the documents written for it.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { WARCRecord, WARCSerializer } from 'warcio';
import { loadLabeled } from '../../src/detect/labeled.js';
import { inSplit, sharedLabeledFiles } from '../../src/detect/dataset.js';
import type { LabeledRecord } from '../../src/detect/types.js';
import { escapeHtml } from '../../src/report/html.js';
import { Rng } from '../../src/core/rng.js';

export interface HeldoutPool {
  ai: LabeledRecord[];
  human: LabeledRecord[];
}

/** The held-out split of the labeled corpora, in the given languages (default English). */
export async function heldoutPool(languages: readonly string[] = ['eng']): Promise<HeldoutPool> {
  const held = inSplit(await loadLabeled(sharedLabeledFiles()), 'heldout').filter((r) => languages.includes(r.lang));
  return { ai: held.filter((r) => r.label === 'ai'), human: held.filter((r) => r.label === 'human') };
}

export interface MonthPlan {
  /** "YYYY-MM". */
  period: string;
  /** Target AI fraction. */
  fraction: number;
  /** Documents in the month. */
  n: number;
}

export interface MixtureDoc {
  record: LabeledRecord;
  /** Page URL (unique per month and position). */
  url: string;
  title: string;
}

export interface MixtureMonth extends MonthPlan {
  /** Exactly round(fraction · n) AI documents: the month's true AI share is aiCount / n. */
  aiCount: number;
  docs: MixtureDoc[];
}

/** k distinct items of `pool`, uniformly (partial Fisher–Yates on a copy of the indices). */
function sampleWithoutReplacement<T>(rng: Rng, pool: readonly T[], k: number): T[] {
  if (k > pool.length) throw new Error(`need ${k} items but the pool has ${pool.length}`);
  const idx = Array.from({ length: pool.length }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(pool.length - i);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, k).map((i) => pool[i]);
}

/**
 * Draws each month independently: aiCount AI and n − aiCount human texts, without
 * replacement within the month, in random order. (Texts may recur across months.)
 */
export function drawMixture(pool: HeldoutPool, plan: readonly MonthPlan[], seed: number): MixtureMonth[] {
  const rng = new Rng(seed);
  return plan.map((m) => {
    const aiCount = Math.round(m.fraction * m.n);
    const picked = [...sampleWithoutReplacement(rng, pool.ai, aiCount), ...sampleWithoutReplacement(rng, pool.human, m.n - aiCount)];
    const order = sampleWithoutReplacement(rng, picked, picked.length);
    const docs = order.map((record, i) => {
      const words = record.text.split(/\s+/).slice(0, 8).join(' ');
      return { record, url: `https://synthetic-mixture.example/${m.period}/${i}.html`, title: words };
    });
    return { ...m, aiCount, docs };
  });
}

/** A minimal article page: title, publication date, the text as paragraphs. */
export function articleHtml(title: string, published: string, text: string): string {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('\n');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    `<meta property="article:published_time" content="${published}">`,
    '</head><body><article>',
    `<h1>${escapeHtml(title)}</h1>`,
    paragraphs,
    '</article></body></html>',
  ].join('\n');
}

/** One gzip-member WARC response record for an HTML page. */
export async function warcResponse(url: string, warcDate: string, html: string): Promise<Uint8Array> {
  const body = new TextEncoder().encode(html);
  const record = WARCRecord.create(
    {
      url,
      date: warcDate,
      type: 'response',
      warcVersion: 'WARC/1.1',
      httpHeaders: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(body.length) },
      statusline: 'HTTP/1.1 200 OK',
    },
    [body],
  );
  return WARCSerializer.serialize(record, { gzip: true });
}

/**
 * Writes the months as one .warc.gz file. Pages are dated the 10th of their month
 * (article:published_time); their WARC-Date is the 20th, so the publication date is never
 * after the capture.
 */
export async function writeMixtureWarc(path: string, months: readonly MixtureMonth[]): Promise<number> {
  const out = createWriteStream(path);
  let records = 0;
  for (const m of months) {
    for (let i = 0; i < m.docs.length; i++) {
      const d = m.docs[i];
      const published = `${m.period}-10T09:00:00Z`;
      const seconds = String(i % 60).padStart(2, '0');
      const minutes = String(Math.floor(i / 60) % 60).padStart(2, '0');
      const warcDate = `${m.period}-20T12:${minutes}:${seconds}Z`;
      const bytes = await warcResponse(d.url, warcDate, articleHtml(d.title, published, d.record.text));
      if (!out.write(bytes)) await once(out, 'drain');
      records++;
    }
  }
  out.end();
  await once(out, 'finish');
  return records;
}

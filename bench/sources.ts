/**
 * The real WARC files every bench reads: per-record gzip (each record its own gzip member,
 * as Common Crawl writes them), from ../shared/corpora/warc, and how to load their HTML pages.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWarcFile } from '../src/sources/warc/index.js';
import { isHtmlResponse } from '../src/pipeline/extract-step.js';
import type { WarcRecord } from '../src/core/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// Run from bench/ (tsx) or dist/bench/ (compiled): ../shared sits beside the checkout either way.
export const SHARED =
  process.env.CCAUDIT_SHARED ??
  [path.resolve(here, '../../shared'), path.resolve(here, '../../../shared')].find((d) => existsSync(path.join(d, 'corpora/warc'))) ??
  path.resolve(here, '../../shared');
export const WARC_DIR = path.join(SHARED, 'corpora/warc');

export const SOURCE_FILES = [
  'cc/jwarc/cc.warc.gz',
  'cc/resiliparse/warcfile.warc.gz',
  'cc/whirlwind/whirlwind.warc.gz',
  'edge-cases/dolma/sample-0000.warc.gz',
  'edge-cases/dolma/sample-0001.warc.gz',
  'edge-cases/ipwb/sample-1.warc.gz',
  'edge-cases/ipwb/IAH-20080430204825-00000-blackbook.warc.gz',
  'edge-cases/pywb/iana.warc.gz',
  'recent/warc2zim/solidaritenum.warc.gz',
  'recent/replayweb.page/data.warc.gz',
  'recent/js-wacz/lil-projects.warc.gz',
];

/** Every successful HTML response in the source files, read once into memory. */
export async function loadHtmlRecords(): Promise<WarcRecord[]> {
  const out: WarcRecord[] = [];
  for (const f of SOURCE_FILES) {
    for await (const item of readWarcFile(path.join(WARC_DIR, f))) {
      if ((item as { kind?: string }).kind !== 'error' && isHtmlResponse(item as WarcRecord)) out.push(item as WarcRecord);
    }
  }
  return out;
}

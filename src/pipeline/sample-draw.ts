/**
 * Common Crawl specifics of `sample` before fetching: endpoints, the crawl list, and the
 * zipnum indexes a crawl's draws share.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { parseCollinfo, type CrawlInfo } from '../sources/commoncrawl/collinfo.js';
import { DEFAULT_DATA_URL, DEFAULT_INDEX_URL, type HttpClient } from '../sources/commoncrawl/fetcher.js';
import { drawFromZipnum, filterSurtPrefixes, type SampleSpec } from '../sources/commoncrawl/sampler.js';
import { BlockReader, openClusterIndex, type ClusterIndex } from '../sources/commoncrawl/zipnum.js';

export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(base, 'ccaudit');
}

/** Endpoints from options, then environment, then Common Crawl's. */
export function endpoints(opts: { indexUrl?: string; dataUrl?: string }): { indexUrl: string; dataUrl: string } {
  const clean = (u: string) => u.replace(/\/+$/, '');
  return {
    indexUrl: clean(opts.indexUrl ?? process.env.CCAUDIT_INDEX_URL ?? DEFAULT_INDEX_URL),
    dataUrl: clean(opts.dataUrl ?? process.env.CCAUDIT_DATA_URL ?? DEFAULT_DATA_URL),
  };
}

export async function loadCrawlList(http: HttpClient, indexUrl: string, file?: string): Promise<CrawlInfo[]> {
  if (file) return parseCollinfo(JSON.parse(await readFile(file, 'utf8')), file);
  const url = `${indexUrl}/collinfo.json`;
  const reply = await http.get(url);
  let json: unknown;
  try {
    json = JSON.parse(reply.body.toString('utf8'));
  } catch {
    throw new Error(`${url} is not JSON`);
  }
  return parseCollinfo(json, url);
}

interface ZipnumEntry {
  index: ClusterIndex;
  reader: BlockReader;
  /** cluster.idx was downloaded for it and no draw has counted that request yet. */
  uncountedDownload: boolean;
}

/**
 * The zipnum indexes of the crawl being drawn, one per SURT-prefix restriction, each with its
 * block reader: strata of one crawl share the parsed cluster.idx (≈100 MB for a recent crawl)
 * and the block cache instead of loading them once per stratum.
 */
export class ZipnumIndexes {
  private crawl = '';
  private readonly byPrefixes = new Map<string, Promise<ZipnumEntry>>();

  constructor(
    readonly http: HttpClient,
    readonly dataUrl: string,
    readonly cacheDir: string,
  ) {}

  /** Drops the previous crawl's indexes (bounded memory: one crawl at a time). */
  forCrawl(crawl: string): void {
    if (crawl !== this.crawl) this.byPrefixes.clear();
    this.crawl = crawl;
  }

  get(prefixes: string[] | null) {
    const k = JSON.stringify(prefixes);
    let entry = this.byPrefixes.get(k);
    if (!entry) {
      const crawl = this.crawl;
      entry = openClusterIndex(this.http, this.dataUrl, crawl, this.cacheDir, { prefixes: prefixes ?? undefined }).then(({ index, downloaded }) => ({
        index,
        reader: new BlockReader(this.http, this.dataUrl, crawl, index),
        uncountedDownload: downloaded,
      }));
      entry.catch(() => this.byPrefixes.delete(k));
      this.byPrefixes.set(k, entry);
    }
    return entry;
  }
}

export async function drawZipnum(spec: SampleSpec, zipnum: ZipnumIndexes, maxDraws?: number) {
  const entry = await zipnum.get(filterSurtPrefixes(spec.filter));
  const { index, reader } = entry;
  const readsBefore = reader.reads;
  const download = entry.uncountedDownload ? 1 : 0;
  entry.uncountedDownload = false;
  const result = await drawFromZipnum(spec, index, (i) => reader.lines(i), { maxDraws });
  // Count HTTP requests, not block look-ups (cached blocks cost nothing).
  return { ...result, indexRequests: reader.reads - readsBefore + download };
}

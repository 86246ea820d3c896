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
import { BlockReader, detectLinesPerBlock, openClusterIndex, ZipnumError, type ClusterIndex } from '../sources/commoncrawl/zipnum.js';
import { GaveUpError } from '../core/retry.js';

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
  /** cluster.idx was downloaded in this run (not read from the cache). */
  fresh: boolean;
  /** Lines per block found in the index's first blocks (once looked at). */
  linesPerBlock?: number;
}

/**
 * The zipnum indexes of the crawl being drawn, one per SURT-prefix restriction, each with its
 * block reader: strata of one crawl share the parsed cluster.idx (≈100 MB for a recent crawl)
 * and the block cache instead of loading them once per stratum.
 */
export class ZipnumIndexes {
  private crawl = '';
  private readonly byPrefixes = new Map<string, Promise<ZipnumEntry>>();
  /** The next load of this crawl downloads cluster.idx again (its cached copy proved stale). */
  private refresh = false;

  constructor(
    readonly http: HttpClient,
    readonly dataUrl: string,
    readonly cacheDir: string,
  ) {}

  /** Drops the previous crawl's indexes (bounded memory: one crawl at a time). */
  forCrawl(crawl: string): void {
    if (crawl !== this.crawl) {
      this.byPrefixes.clear();
      this.refresh = false;
    }
    this.crawl = crawl;
  }

  /** Forgets the crawl's parsed indexes and downloads cluster.idx again on the next get. */
  invalidate(): void {
    this.byPrefixes.clear();
    this.refresh = true;
  }

  get(prefixes: string[] | null) {
    const k = JSON.stringify(prefixes);
    let entry = this.byPrefixes.get(k);
    if (!entry) {
      const crawl = this.crawl;
      const refresh = this.refresh;
      this.refresh = false;
      entry = openClusterIndex(this.http, this.dataUrl, crawl, this.cacheDir, { prefixes: prefixes ?? undefined, refresh }).then(
        ({ index, downloaded }) => ({
          index,
          reader: new BlockReader(this.http, this.dataUrl, crawl, index),
          uncountedDownload: downloaded,
          fresh: downloaded,
        }),
      );
      entry.catch(() => this.byPrefixes.delete(k));
      this.byPrefixes.set(k, entry);
    }
    return entry;
  }
}

export interface ZipnumDrawInfo {
  linesPerBlock: number;
  /** Lines per block came from the index itself (no --lines-per-block given). */
  detected: boolean;
  /** The cached cluster.idx did not match the server's shards and was downloaded again. */
  refetched: boolean;
}

/**
 * Draws a zipnum sample. `spec.linesPerBlock` undefined: the block size is read from the index.
 * A cached cluster.idx whose blocks do not read back (not gzip, out of range) is downloaded
 * again once and the draw redone; the draw is a function of the seed, so the retry is the
 * same draw.
 */
export async function drawZipnum(spec: SampleSpec, zipnum: ZipnumIndexes, maxDraws?: number) {
  let refetched = false;
  for (;;) {
    const entry = await zipnum.get(filterSurtPrefixes(spec.filter));
    const { index, reader } = entry;
    const readsBefore = reader.reads;
    const download = entry.uncountedDownload ? 1 : 0;
    entry.uncountedDownload = false;
    try {
      const detected = spec.linesPerBlock === undefined;
      if (detected && entry.linesPerBlock === undefined) entry.linesPerBlock = await detectLinesPerBlock(index, (i) => reader.lines(i));
      const linesPerBlock = spec.linesPerBlock ?? entry.linesPerBlock!;
      const result = await drawFromZipnum({ ...spec, linesPerBlock }, index, (i) => reader.lines(i), { maxDraws });
      const info: ZipnumDrawInfo = { linesPerBlock, detected, refetched };
      // Count HTTP requests, not block look-ups (cached blocks cost nothing).
      return { ...result, indexRequests: reader.reads - readsBefore + download, zipnum: info };
    } catch (err) {
      if (entry.fresh || refetched || !looksStale(err)) throw err;
      refetched = true;
      zipnum.invalidate();
    }
  }
}

/** Failures that mean the cached cluster.idx does not describe the server's shards. */
function looksStale(err: unknown): boolean {
  if (err instanceof ZipnumError) return true;
  if (err instanceof GaveUpError) return ['http-416', 'short-body', 'content-range', 'http-404'].includes(err.code);
  return false;
}

/**
 * Seeded, reproducible sampling of index lines with filters and per-crawl quotas.
 *
 * The random stream of a crawl depends only on (seed, crawl id), so a crawl's sample is the
 * same whichever other crawls are sampled with it, and whatever order replies arrive in.
 * Two back ends:
 * - zipnum (default): uniform over the whole crawl (see zipnum.ts);
 * - CDX API (with a URL pattern): pages of the pattern's result drawn in random order, then
 *   lines drawn uniformly from what was read. Exact when every page is read (narrow patterns);
 *   a cluster sample of pages otherwise.
 */
import { createHash } from 'node:crypto';
import { parseCdxjLine, surt, urlHost, type CdxRecord } from './cdxj.js';
import type { CdxApiClient, CdxQuery, MatchType } from './cdx-api.js';
import { Rng } from '../../core/rng.js';
import { sampleZipnum, type ClusterIndex, type ZipnumSampleStats } from './zipnum.js';

/** The random stream for one crawl of a sample. */
export function crawlRng(seed: string, crawl: string): Rng {
  return Rng.fromText(`${seed}\u0000${crawl}`);
}

/** Which index lines are eligible. */
export interface SampleFilter {
  /** HTTP statuses to keep. Default [200]. */
  statuses?: number[];
  /** MIME types (detected, else declared) to keep. Default text/html and application/xhtml+xml. */
  mimes?: string[];
  /** Keep lines whose primary (first) language is one of these ISO 639-3 codes. */
  languages?: string[];
  /** Host names; a line matches a host or any of its subdomains ("example.com" ⊇ "www.example.com"). */
  hosts?: string[];
  /** Top-level domains ("de", "co.uk"). */
  tlds?: string[];
  /**
   * Lines to leave out, by primary language (and TLD): a baseline stratum "language L, other
   * TLDs" or the pooled "other" stratum is the complement of the strata named beside it.
   * Lines without a language are never excluded.
   */
  exclude?: FilterExclusion[];
  /**
   * Keep only CC's `warc/` subset (drop `robotstxt/` and `crawldiagnostics/`). Default true.
   * Filenames without a subset folder (local indexes) are kept.
   */
  warcSubsetOnly?: boolean;
}

/** Lines whose primary language is `language` and, when `tlds` is given, whose host is under one of them. */
export interface FilterExclusion {
  language: string;
  tlds?: string[] | null;
}

export const DEFAULT_MIMES = ['text/html', 'application/xhtml+xml'];

export interface NormalizedFilter {
  statuses: number[];
  mimes: string[];
  languages: string[] | null;
  hosts: string[] | null;
  tlds: string[] | null;
  warcSubsetOnly: boolean;
  /** Absent (not null) when empty, so the sample keys of filters without exclusions stay as they were. */
  exclude?: Array<{ language: string; tlds: string[] | null }>;
}

export function normalizeFilter(f: SampleFilter = {}): NormalizedFilter {
  const list = (xs: string[] | undefined) =>
    xs && xs.length > 0
      ? [
          ...new Set(
            xs
              .map((x) =>
                x
                  .trim()
                  .toLowerCase()
                  .replace(/^\*?\.+|\.+$/g, ''),
              )
              .filter(Boolean),
          ),
        ].sort()
      : null;
  return {
    statuses: [...new Set(f.statuses ?? [200])].sort((a, b) => a - b),
    mimes: [...new Set((f.mimes ?? DEFAULT_MIMES).map((m) => m.toLowerCase()))].sort(),
    languages: list(f.languages),
    hosts: list(f.hosts),
    tlds: list(f.tlds),
    warcSubsetOnly: f.warcSubsetOnly ?? true,
    exclude: normalizeExclusions(f.exclude),
  };
}

function normalizeExclusions(xs: FilterExclusion[] | undefined): NormalizedFilter['exclude'] {
  if (!xs || xs.length === 0) return undefined;
  const byLang = new Map<string, Set<string> | null>();
  for (const x of xs) {
    const language = x.language.trim().toLowerCase();
    if (!language) continue;
    const tlds =
      x.tlds && x.tlds.length > 0
        ? x.tlds
            .map((t) =>
              t
                .trim()
                .toLowerCase()
                .replace(/^\*?\.+|\.+$/g, ''),
            )
            .filter(Boolean)
        : null;
    const had = byLang.get(language);
    // A whole-language exclusion swallows TLD-restricted ones of the same language.
    if (had === null || tlds === null) byLang.set(language, null);
    else byLang.set(language, new Set([...(had ?? []), ...tlds]));
  }
  if (byLang.size === 0) return undefined;
  return [...byLang].sort(([a], [b]) => cmp(a, b)).map(([language, tlds]) => ({ language, tlds: tlds ? [...tlds].sort() : null }));
}

const hostUnder = (host: string, tlds: string[]) => tlds.some((t) => host.endsWith('.' + t));

/** Does the line pass the filter? */
export function matchesFilter(r: CdxRecord, f: NormalizedFilter): boolean {
  if (r.status === null || !f.statuses.includes(r.status)) return false;
  const mime = (r.mimeDetected ?? r.mime ?? '').split(';')[0].trim().toLowerCase();
  if (!f.mimes.includes(mime)) return false;
  if (f.warcSubsetOnly && /\/(robotstxt|crawldiagnostics)\//.test(r.filename)) return false;
  const lang = r.languages?.[0]?.toLowerCase();
  if (f.languages && !(lang && f.languages.includes(lang))) return false;
  if (f.hosts || f.tlds || f.exclude) {
    const host = urlHost(r.url);
    if (!host && (f.hosts || f.tlds)) return false;
    if (f.hosts && !f.hosts.some((h) => host === h || host!.endsWith('.' + h))) return false;
    if (f.tlds && !hostUnder(host!, f.tlds)) return false;
    if (f.exclude && lang) {
      for (const e of f.exclude) {
        if (e.language === lang && (e.tlds === null || (host !== null && hostUnder(host, e.tlds)))) return false;
      }
    }
  }
  return true;
}

/** SURT prefixes covering the host/TLD filter, for restricting zipnum blocks (null = all). */
export function filterSurtPrefixes(f: NormalizedFilter): string[] | null {
  const prefixes: string[] = [];
  if (f.hosts) {
    for (const h of f.hosts) {
      const key = surt(`http://${h}/`).replace(/\)\/$/, '');
      prefixes.push(key + ')', key + ',');
    }
  }
  if (f.tlds && !f.hosts) {
    for (const t of f.tlds) prefixes.push(t.split('.').reverse().join(',') + ',');
  }
  return prefixes.length > 0 ? prefixes : null;
}

/** Everything that determines a crawl's sample; its hash names the sample in the store. */
export interface SampleSpec {
  crawl: string;
  seed: string;
  want: number;
  backend: 'zipnum' | 'cdx-api';
  filter: NormalizedFilter;
  /** CDX API only. */
  urlPattern?: string | null;
  matchType?: MatchType | null;
  /** zipnum only. */
  linesPerBlock?: number;
}

/** Stable id of a sample spec (hex, 16 chars). */
export function sampleKey(spec: SampleSpec): string {
  const canonical = JSON.stringify({
    crawl: spec.crawl,
    seed: spec.seed,
    want: spec.want,
    backend: spec.backend,
    filter: spec.filter,
    urlPattern: spec.urlPattern ?? null,
    matchType: spec.matchType ?? null,
    linesPerBlock: spec.backend === 'zipnum' ? (spec.linesPerBlock ?? 3000) : null,
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

export interface DrawResult {
  records: CdxRecord[];
  /** Fewer eligible lines were found than wanted. */
  short: boolean;
  /** Index requests made (pages; for zipnum, block look-ups unless the caller counts HTTP reads). */
  indexRequests: number;
  details: Record<string, number>;
}

/** Zipnum back end: uniform draw over the crawl's blocks. */
export async function drawFromZipnum(
  spec: SampleSpec,
  index: ClusterIndex,
  readBlock: (i: number) => Promise<string[]>,
  opts: { maxDraws?: number; onProgress?(s: ZipnumSampleStats): void } = {},
): Promise<DrawResult> {
  let lookups = 0;
  const result = await sampleZipnum({
    index,
    readBlock: (i) => {
      lookups++;
      return readBlock(i);
    },
    rng: crawlRng(spec.seed, spec.crawl),
    want: spec.want,
    linesPerBlock: spec.linesPerBlock,
    maxDraws: opts.maxDraws,
    accept: (line) => {
      const r = parseCdxjLine(line);
      return matchesFilter(r, spec.filter) ? r : null;
    },
    onRound: opts.onProgress,
  });
  return {
    records: result.draws.map((d) => d.record),
    short: result.exhausted,
    indexRequests: lookups,
    details: { ...result.stats, blockLookups: lookups },
  };
}

/** Filters sent to the server; the same checks run again on the client (servers differ). */
function serverFilters(f: NormalizedFilter): string[] {
  return f.statuses.length === 1 ? [`=status:${f.statuses[0]}`] : [];
}

/** CDX API back end: random pages of the URL pattern's result, then uniform lines. */
export async function drawFromCdxApi(spec: SampleSpec, client: CdxApiClient, opts: { maxPages?: number } = {}): Promise<DrawResult> {
  if (!spec.urlPattern) throw new Error('the CDX API back end needs a URL pattern');
  const rng = crawlRng(spec.seed, spec.crawl);
  const q: CdxQuery = {
    url: spec.urlPattern,
    matchType: spec.matchType ?? undefined,
    filter: serverFilters(spec.filter),
  };
  const maxPages = opts.maxPages ?? 10;
  const { pages } = await client.numPages(q);
  let requests = 1;
  // Pages in a seeded random order; stop once enough lines are pooled (4× the quota) or maxPages.
  const order = Array.from({ length: pages }, (_, i) => i);
  shuffle(order, rng);
  const pool: CdxRecord[] = [];
  const seen = new Set<string>();
  let pagesRead = 0;
  let badLines = 0;
  for (const p of order) {
    if (pagesRead >= maxPages || pool.length >= spec.want * 4) break;
    const page = await client.page(q, p);
    requests++;
    pagesRead++;
    badLines += page.badLines;
    for (const r of page.records) {
      const id = `${r.filename}\u0000${r.offset}`;
      if (seen.has(id) || !matchesFilter(r, spec.filter)) continue;
      seen.add(id);
      pool.push(r);
    }
  }
  // Sort the pool by position so the draw does not depend on page order, then draw.
  pool.sort((a, b) => cmp(a.urlkey, b.urlkey) || cmp(a.timestamp, b.timestamp) || cmp(a.filename, b.filename) || a.offset - b.offset);
  const k = Math.min(spec.want, pool.length);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(pool.length - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return {
    records: pool.slice(0, k),
    short: k < spec.want,
    indexRequests: requests,
    details: { pages, pagesRead, pooled: pool.length, badLines },
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Fisher–Yates with the seeded rng. */
export function shuffle<T>(xs: T[], rng: Rng): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

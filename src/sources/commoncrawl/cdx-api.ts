/**
 * Client for Common Crawl's CDX server (pywb): `<endpoint>?url=…&output=json`, with
 * matchType, filter, fl, from/to, limit and paging (`showNumPages`, `page`).
 *
 * Replies as the real server gives them: NDJSON lines; HTTP 404 `{"message": "No Captures found
 * for: …"}` for an empty result; HTTP 400 `{"message": "Page 1 invalid: …"}` past the last
 * page. Both are answers, not failures. 503/504/5xx are retried by the HttpClient.
 */
import { CdxParseError, parseCdxApiLine, type CdxRecord } from './cdxj.js';
import type { HttpClient } from './fetcher.js';

export type MatchType = 'exact' | 'prefix' | 'host' | 'domain';

export interface CdxQuery {
  /** URL or pattern: "example.com/path", "example.com/*" (prefix), "*.example.com" (domain). */
  url: string;
  matchType?: MatchType;
  /** pywb filters, e.g. "=status:200", "~mime:html", "!status:404" (regex by default). */
  filter?: string[];
  /** Fields to return; lines then lack the others. */
  fl?: string[];
  /** Timestamp bounds (yyyyMMddhhmmss prefixes). */
  from?: string;
  to?: string;
  limit?: number;
  /** Blocks per page (server default 5 at CC). */
  pageSize?: number;
}

export interface PageInfo {
  pages: number;
  pageSize: number | null;
  blocks: number | null;
}

export interface CdxPage {
  records: CdxRecord[];
  /** Lines the client could not use (bad JSON, missing filename/offset/length). */
  badLines: number;
  /** The server said the page is past the end (HTTP 400). */
  outOfRange: boolean;
}

export class CdxApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CdxApiError';
  }
}

export class CdxApiClient {
  constructor(
    private readonly http: HttpClient,
    /** The crawl's endpoint, e.g. "https://index.commoncrawl.org/CC-MAIN-2024-22-index". */
    readonly endpoint: string,
  ) {}

  /** Request URL for a query (and page). */
  url(q: CdxQuery, extra: Record<string, string> = {}): string {
    const p = new URLSearchParams();
    p.set('url', q.url);
    p.set('output', 'json');
    if (q.matchType) p.set('matchType', q.matchType);
    for (const f of q.filter ?? []) p.append('filter', f);
    if (q.fl?.length) p.set('fl', q.fl.join(','));
    if (q.from) p.set('from', q.from);
    if (q.to) p.set('to', q.to);
    if (q.limit !== undefined) p.set('limit', String(q.limit));
    if (q.pageSize !== undefined) p.set('pageSize', String(q.pageSize));
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    return `${this.endpoint}?${p.toString()}`;
  }

  /** How many pages the query spans (`showNumPages=true`). */
  async numPages(q: CdxQuery): Promise<PageInfo> {
    const reply = await this.http.get(this.url(q, { showNumPages: 'true' }), { passStatuses: [404] });
    if (reply.status === 404) return { pages: 0, pageSize: null, blocks: 0 };
    const text = reply.body.toString('utf8').trim();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CdxApiError(`showNumPages reply is not JSON: ${text.slice(0, 200)}`);
    }
    // pywb answers {"pages": N, "pageSize": S, "blocks": B}; older servers a bare number.
    if (typeof json === 'number') return { pages: json, pageSize: null, blocks: null };
    const o = json as Record<string, unknown>;
    if (typeof o?.pages !== 'number' || !Number.isInteger(o.pages) || o.pages < 0) {
      throw new CdxApiError(`showNumPages reply lacks a page count: ${text.slice(0, 200)}`);
    }
    return {
      pages: o.pages,
      pageSize: typeof o.pageSize === 'number' ? o.pageSize : null,
      blocks: typeof o.blocks === 'number' ? o.blocks : null,
    };
  }

  /** One page of results (all results when `page` is undefined). */
  async page(q: CdxQuery, page?: number): Promise<CdxPage> {
    const extra: Record<string, string> = page === undefined ? {} : { page: String(page) };
    const reply = await this.http.get(this.url(q, extra), { passStatuses: [404, 400] });
    const text = reply.body.toString('utf8');
    if (reply.status === 404) {
      if (/No Captures found/i.test(text)) return { records: [], badLines: 0, outOfRange: false };
      throw new CdxApiError(`index server answered 404: ${text.trim().slice(0, 200)} (is the crawl id right?)`);
    }
    if (reply.status === 400) {
      if (/Page \d+ invalid/i.test(text)) return { records: [], badLines: 0, outOfRange: true };
      throw new CdxApiError(`index server rejected the query (400): ${text.trim().slice(0, 200)}`);
    }
    const records: CdxRecord[] = [];
    let badLines = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        records.push(parseCdxApiLine(line));
      } catch (err) {
        if (!(err instanceof CdxParseError)) throw err;
        badLines++;
      }
    }
    return { records, badLines, outOfRange: false };
  }

  /** Every result of a query, page by page in order. */
  async *query(q: CdxQuery): AsyncGenerator<CdxRecord> {
    const { pages } = await this.numPages(q);
    for (let p = 0; p < pages; p++) {
      const page = await this.page(q, p);
      if (page.outOfRange) break;
      yield* page.records;
    }
  }
}

/**
 * The CDX endpoint to use for a crawl: collinfo's `cdx-api` when it lives on the configured
 * index server, else `<index-url>/<crawl>-index` (a mirror serving CC's collinfo.json verbatim
 * must not send us back to index.commoncrawl.org).
 */
export function cdxEndpoint(indexUrl: string, crawlId: string, collinfoCdxApi?: string | null): string {
  const base = indexUrl.replace(/\/+$/, '');
  if (collinfoCdxApi) {
    try {
      if (new URL(collinfoCdxApi).origin === new URL(base).origin) return collinfoCdxApi;
    } catch {
      /* fall through */
    }
  }
  return `${base}/${crawlId}-index`;
}

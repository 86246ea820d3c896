/**
 * The crawl list (`<index-url>/collinfo.json`) and choosing crawls from it:
 * by id, by a month range (one crawl per month, or all), or the latest N.
 */

/** One crawl as listed in collinfo.json. */
export interface CrawlInfo {
  /** "CC-MAIN-2024-22". */
  id: string;
  /** "May 2024 Index". */
  name: string;
  /** CDX server endpoint, "https://index.commoncrawl.org/CC-MAIN-2024-22-index". */
  cdxApi: string;
  timegate: string | null;
  /** Window of capture times, ISO without zone as CC writes it ("2024-05-17T23:31:22"). */
  from: string;
  to: string;
}

export class CollinfoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CollinfoError';
  }
}

/** Validates a parsed collinfo.json body. Newest first, as CC serves it. */
export function parseCollinfo(json: unknown, where = 'collinfo.json'): CrawlInfo[] {
  if (!Array.isArray(json)) throw new CollinfoError(`${where}: expected a JSON array of crawls`);
  return json.map((entry, i) => {
    if (!entry || typeof entry !== 'object') throw new CollinfoError(`${where}: entry ${i} is not an object`);
    const e = entry as Record<string, unknown>;
    const id = str(e.id);
    const cdxApi = str(e['cdx-api']);
    const from = str(e.from);
    const to = str(e.to);
    if (!id || !cdxApi || !from || !to) {
      throw new CollinfoError(`${where}: entry ${i} lacks one of "id", "cdx-api", "from", "to"`);
    }
    if (Number.isNaN(Date.parse(from + 'Z')) || Number.isNaN(Date.parse(to + 'Z'))) {
      throw new CollinfoError(`${where}: entry ${i} (${id}) has unparseable from/to dates`);
    }
    return { id, name: str(e.name) ?? id, cdxApi, timegate: str(e.timegate), from, to };
  });
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/**
 * The month a crawl stands for: the month of the midpoint of its capture window
 * (crawls often start at the end of one month and run into the next).
 */
export function crawlMonth(crawl: CrawlInfo): string {
  const a = Date.parse(crawl.from + 'Z');
  const b = Date.parse(crawl.to + 'Z');
  return new Date((a + b) / 2).toISOString().slice(0, 7);
}

export interface CrawlSelection {
  /** Explicit crawl ids (repeatable --crawl). */
  ids?: string[];
  /** Month range "YYYY-MM" (inclusive), by crawlMonth. */
  from?: string;
  to?: string;
  /** With a range: 'one' keeps the newest crawl per month, 'all' keeps every crawl. */
  perMonth?: 'one' | 'all';
  /** The N newest crawls (applied after the range, if any). */
  latest?: number;
}

/** Selected crawls, oldest first. Throws CollinfoError naming unknown ids or an empty result. */
export function selectCrawls(all: CrawlInfo[], sel: CrawlSelection): CrawlInfo[] {
  const byId = new Map(all.map((c) => [c.id, c]));
  const chosen = new Map<string, CrawlInfo>();
  const hasRange = sel.from !== undefined || sel.to !== undefined;

  if (sel.ids && sel.ids.length > 0) {
    const unknown = sel.ids.filter((id) => !byId.has(id));
    if (unknown.length > 0) {
      throw new CollinfoError(`unknown crawl id(s): ${unknown.join(', ')} (collinfo lists ${all.length} crawls, newest ${all[0]?.id ?? 'none'})`);
    }
    for (const id of sel.ids) chosen.set(id, byId.get(id)!);
  }

  if (hasRange || sel.latest !== undefined) {
    for (const m of [sel.from, sel.to]) {
      if (m !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(m)) throw new CollinfoError(`bad month "${m}", want YYYY-MM`);
    }
    const newestFirst = [...all].sort((a, b) => (a.from < b.from ? 1 : a.from > b.from ? -1 : 0));
    let pool = newestFirst.filter((c) => {
      const m = crawlMonth(c);
      return (sel.from === undefined || m >= sel.from) && (sel.to === undefined || m <= sel.to);
    });
    if (hasRange && (sel.perMonth ?? 'one') === 'one') {
      const seen = new Set<string>();
      pool = pool.filter((c) => {
        const m = crawlMonth(c);
        if (seen.has(m)) return false;
        seen.add(m);
        return true;
      });
    }
    if (sel.latest !== undefined) {
      if (!Number.isInteger(sel.latest) || sel.latest <= 0) throw new CollinfoError(`--latest wants a positive integer`);
      pool = pool.slice(0, sel.latest);
    }
    for (const c of pool) chosen.set(c.id, c);
  }

  if (!sel.ids?.length && !hasRange && sel.latest === undefined) {
    throw new CollinfoError('no crawl selected: give --crawl ID, --from/--to YYYY-MM or --latest N');
  }
  const result = [...chosen.values()].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  if (result.length === 0) throw new CollinfoError('the selection matches no crawl in collinfo.json');
  return result;
}

/**
 * Common Crawl index lines: CDXJ (`<urlkey> <timestamp> <json>`, the zipnum shards) and the
 * CDX server's NDJSON (the same JSON with `urlkey` and `timestamp` folded in).
 *
 * Real data drifts, so parsing is lenient where CC is inconsistent and strict where a value
 * is needed to fetch the record:
 * - every JSON value is a string ("200", "9754"), numbers are parsed here;
 * - the charset key is `charset` in some crawls and `encoding` in others;
 * - `languages` and the charset are absent on non-HTML lines and on crawls before ~2018;
 * - `digest` may carry a `sha1:` prefix (columnar-index style) or not.
 */
export { surt } from './surt.js';

/** One capture as listed by the index. */
export interface CdxRecord {
  /** SURT key, e.g. "com,example)/". */
  urlkey: string;
  /** 14-digit capture time, yyyyMMddhhmmss (UTC). */
  timestamp: string;
  url: string;
  /** MIME type from the HTTP Content-Type (or "warc/revisit"). */
  mime: string | null;
  /** MIME type CC detected from the payload (`mime-detected`), when given. */
  mimeDetected: string | null;
  /** HTTP status; null for revisits and lines without one. */
  status: number | null;
  /** Payload SHA-1, base32, without "sha1:". */
  digest: string | null;
  /** Bytes of the record in `filename` (the gzip member for CC). */
  length: number;
  /** Byte offset of the record in `filename`. */
  offset: number;
  /** Path relative to the data endpoint, e.g. "crawl-data/CC-MAIN-2024-30/segments/…/warc/….warc.gz". */
  filename: string;
  /** ISO 639-3 codes, primary first; null when the index gives none. */
  languages: string[] | null;
  /** Charset from `charset` or `encoding`; null when absent. */
  charset: string | null;
  redirect: string | null;
  /** Truncation reason ("length", "time", "disconnect") when the record was cut short. */
  truncated: string | null;
  /** Every JSON field as it was given (values stringified), for writing the line back out. */
  fields: Record<string, string>;
}

/** A line that cannot be used; the message says what is wrong and shows the line. */
export class CdxParseError extends Error {
  constructor(
    message: string,
    readonly line: string,
  ) {
    super(`${message}: ${line.length > 200 ? line.slice(0, 200) + '…' : line}`);
    this.name = 'CdxParseError';
  }
}

/** Parses a CDXJ line `<urlkey> <timestamp> {json}`. */
export function parseCdxjLine(line: string): CdxRecord {
  const text = line.replace(/\r?\n$/, '');
  const sp1 = text.indexOf(' ');
  const sp2 = sp1 < 0 ? -1 : text.indexOf(' ', sp1 + 1);
  if (sp1 <= 0 || sp2 < 0) throw new CdxParseError('not a CDXJ line (want "<urlkey> <timestamp> {json}")', text);
  const urlkey = text.slice(0, sp1);
  const timestamp = text.slice(sp1 + 1, sp2);
  const json = parseJsonObject(text.slice(sp2 + 1), text);
  return fromFields(urlkey, timestamp, json, text);
}

/** Parses one NDJSON line of the CDX server API (`output=json`). */
export function parseCdxApiLine(line: string): CdxRecord {
  const text = line.trim();
  const json = parseJsonObject(text, text);
  const urlkey = json.urlkey;
  const timestamp = json.timestamp;
  if (typeof urlkey !== 'string' || typeof timestamp !== 'string') {
    throw new CdxParseError('CDX API line lacks "urlkey" or "timestamp"', text);
  }
  const rest = { ...json };
  delete rest.urlkey;
  delete rest.timestamp;
  return fromFields(urlkey, timestamp, rest, text);
}

function parseJsonObject(text: string, line: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CdxParseError(`bad JSON (${(err as Error).message})`, line);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CdxParseError('JSON part is not an object', line);
  }
  return value as Record<string, unknown>;
}

function fromFields(urlkey: string, timestamp: string, json: Record<string, unknown>, line: string): CdxRecord {
  if (!/^\d{4,14}$/.test(timestamp)) throw new CdxParseError(`bad timestamp "${timestamp}"`, line);
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(json)) {
    if (v === null || v === undefined) continue;
    fields[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  const url = fields.url;
  if (!url) throw new CdxParseError('no "url"', line);
  const filename = fields.filename;
  if (!filename) throw new CdxParseError('no "filename"', line);
  const offset = nonNegativeInt(fields.offset, 'offset', line);
  const length = nonNegativeInt(fields.length, 'length', line);
  if (length === 0) throw new CdxParseError('"length" is 0', line);
  const statusText = fields.status;
  const status = statusText !== undefined && /^\d{3}$/.test(statusText) ? Number(statusText) : null;
  const langs = fields.languages
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    urlkey,
    timestamp,
    url,
    mime: fields.mime ?? null,
    mimeDetected: fields['mime-detected'] ?? null,
    status,
    digest: fields.digest ? fields.digest.replace(/^sha1:/i, '') : null,
    length,
    offset,
    filename,
    languages: langs && langs.length > 0 ? langs : null,
    charset: fields.charset ?? fields.encoding ?? null,
    redirect: fields.redirect ?? null,
    truncated: fields.truncated ?? null,
    fields,
  };
}

function nonNegativeInt(value: string | undefined, name: string, line: string): number {
  if (value === undefined) throw new CdxParseError(`no "${name}"`, line);
  if (!/^\d+$/.test(value)) throw new CdxParseError(`"${name}" is not a non-negative integer ("${value}")`, line);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new CdxParseError(`"${name}" is too large ("${value}")`, line);
  return n;
}

/** Field order of CC's CDXJ JSON; other fields follow in the order given. */
const FIELD_ORDER = [
  'url',
  'mime',
  'mime-detected',
  'status',
  'digest',
  'length',
  'offset',
  'filename',
  'charset',
  'languages',
  'truncated',
  'redirect',
];

/**
 * Formats a CDXJ line exactly as CC's shards look: Python `json.dumps` spacing (", " and ": "),
 * string values, non-ASCII escaped as \uXXXX. No trailing newline.
 */
export function formatCdxjLine(urlkey: string, timestamp: string, fields: Record<string, string>): string {
  const keys = Object.keys(fields);
  const ordered = [...FIELD_ORDER.filter((k) => k in fields), ...keys.filter((k) => !FIELD_ORDER.includes(k))];
  const body = ordered.map((k) => `${pyJsonString(k)}: ${pyJsonString(fields[k])}`).join(', ');
  return `${urlkey} ${timestamp} {${body}}`;
}

/** The line as the CDX server API returns it (`output=json`), urlkey and timestamp first. */
export function formatCdxApiLine(urlkey: string, timestamp: string, fields: Record<string, string>): string {
  const line = formatCdxjLine(urlkey, timestamp, fields);
  const json = line.slice(line.indexOf('{') + 1);
  return `{"urlkey": ${pyJsonString(urlkey)}, "timestamp": ${pyJsonString(timestamp)}${json === '}' ? '}' : ', ' + json}`;
}

/** JSON string literal as Python's json.dumps(ensure_ascii=True) writes it. */
export function pyJsonString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** `YYYYMMDDhhmmss` → ISO 8601 UTC ("2024-07-16T15:31:55Z"); shorter timestamps are padded. */
export function timestampToIso(ts: string): string {
  const t = (ts + '00000101000000'.slice(ts.length)).slice(0, 14);
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}Z`;
}

/** Host name of a URL, lowercased, or null when it has none. */
export function urlHost(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase() || null;
  } catch {
    const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#:@]*@)?([^/?#:]+)/i.exec(url);
    return m ? m[2].toLowerCase() : null;
  }
}

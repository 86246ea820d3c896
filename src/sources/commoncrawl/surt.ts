/**
 * SURT url keys as Common Crawl's index writes them (the `urlkey` before the timestamp):
 * `http://www.Example.com/A/?b=1&a=2#x` → `com,example)/a?a=2&b=1`.
 *
 * A port of the canonicalisation in the Python `surt` package (Google + IA canonicalizers,
 * SURT format without scheme or trailing comma), which CC's and pywb's indexers use.
 * Works on bytes so that non-UTF-8 percent escapes survive as they do there.
 */
import { domainToASCII } from 'node:url';

const URL_PARTS = /^([a-zA-Z][a-zA-Z0-9+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#.*)?$/s;

/** SURT key of `url`. Never throws: an unparseable URL is returned lowercased, as pywb does. */
export function surt(url: string): string {
  let u = url.trim().replace(/[\t\r\n]/g, '');
  if (!u) return '-';
  if (u.startsWith('filedesc')) return u;
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(u)) u = 'http://' + u;
  const m = URL_PARTS.exec(u);
  if (!m) return u.toLowerCase();
  const scheme = m[1].toLowerCase();
  let authority = m[2];
  if (authority === undefined) {
    // dns:host, mailto:… and other opaque URIs: key is the lowercased URI.
    return u.toLowerCase();
  }
  const rawPath = m[3] ?? '';
  const rawQuery = m[4];

  // Authority: drop user info, split the port.
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  let host = authority;
  let port: number | null = null;
  const portMatch = /:(\d*)$/.exec(authority);
  if (portMatch && !authority.endsWith(']')) {
    host = authority.slice(0, portMatch.index);
    port = portMatch[1] === '' ? null : Number(portMatch[1]);
  }
  if (port !== null && port === defaultPort(scheme)) port = null;

  host = canonicalHost(host);
  const path = canonicalPath(rawPath);
  const query = rawQuery === undefined ? null : canonicalQuery(rawQuery);

  const hostKey = host.split('.').reverse().join(',');
  let key = hostKey + (port !== null ? `:${port}` : '') + ')';
  key += path || (query !== null ? '/' : '');
  if (query !== null) key += '?' + query;
  return key;
}

function defaultPort(scheme: string): number | null {
  if (scheme === 'http') return 80;
  if (scheme === 'https') return 443;
  return null;
}

function canonicalHost(raw: string): string {
  let host = latin1(unescapeRepeatedly(bytes(raw)));
  // Non-ASCII host names become punycode; domainToASCII returns '' when it cannot.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range is all of ASCII
  if (/[^\x00-\x7f]/.test(host)) {
    const utf8 = Buffer.from(host, 'latin1').toString('utf8');
    host = domainToASCII(utf8) || utf8;
  }
  host = host.replace(/\.\.+/g, '.').replace(/^\.+|\.+$/g, '');
  const ip = numericIPv4(host);
  host = ip ?? latin1(escapeOnce(bytes(host.toLowerCase())));
  return host.replace(/^www\d*\./, '');
}

/** "3279880203" → "195.127.0.11" (bare 32-bit numbers, as the Google canonicalizer does). */
function numericIPv4(host: string): string | null {
  if (!/^\d+$/.test(host)) return null;
  const n = Number(BigInt(host) & 0xffffffffn);
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function canonicalPath(raw: string): string {
  let path = latin1(escapeOnce(normalizePath(unescapeRepeatedly(bytes(raw))))).toLowerCase();
  path = stripPathSessionId(path);
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path;
}

function canonicalQuery(raw: string): string | null {
  let q = latin1(escapeOnce(unescapeRepeatedly(bytes(raw))));
  q = stripQuerySessionId(q).toLowerCase();
  q = alphaReorderQuery(q);
  return q === '' ? null : q;
}

/** Sorts `a=1&b=2` pairs as Python sorts (key, value) tuples; `?foo` keeps no "=". */
function alphaReorderQuery(q: string): string {
  if (q.length <= 1) return q;
  const args = q.split('&').map((a) => {
    const eq = a.indexOf('=');
    return eq < 0 ? ([a] as [string]) : ([a.slice(0, eq), a.slice(eq + 1)] as [string, string]);
  });
  args.sort((x, y) => {
    if (x[0] !== y[0]) return x[0] < y[0] ? -1 : 1;
    // A 1-tuple sorts before a 2-tuple with the same key.
    if (x.length !== y.length) return x.length - y.length;
    const xv = x[1] ?? '';
    const yv = y[1] ?? '';
    return xv < yv ? -1 : xv > yv ? 1 : 0;
  });
  return args.map((a) => (a.length === 1 ? a[0] : `${a[0]}=${a[1]}`)).join('&');
}

const PATH_SESSION_IDS = [/^(.*\/)(\((?:[a-z]\([0-9a-z]{24}\))+\)\/)([^?]+\.aspx.*)$/i, /^(.*\/)(\([0-9a-z]{24}\)\/)([^?]+\.aspx.*)$/i];
function stripPathSessionId(path: string): string {
  for (const re of PATH_SESSION_IDS) {
    const m = re.exec(path);
    if (m) path = m[1] + m[3];
  }
  return path;
}

const QUERY_SESSION_IDS = [
  /^(.*)(?:jsessionid=[0-9a-z]{32})(?:&(.*))?$/i,
  /^(.*)(?:phpsessid=[0-9a-z]{32})(?:&(.*))?$/i,
  /^(.*)(?:sid=[0-9a-z]{32})(?:&(.*))?$/i,
  /^(.*)(?:aspsessionid[a-z]{8}=[a-z]{24})(?:&(.*))?$/i,
  /^(.*)(?:cfid=[^&]+&cftoken=[^&]+)(?:&(.*))?$/i,
];
function stripQuerySessionId(q: string): string {
  for (const re of QUERY_SESSION_IDS) {
    const m = re.exec(q);
    if (m) q = m[2] ? m[1] + m[2] : m[1];
  }
  return q;
}

/** Resolves "." and ".." segments and collapses empty segments, keeping a trailing "/". */
function normalizePath(path: Buffer): Buffer {
  const s = latin1(path);
  if (!s) return bytes('/');
  const parts = s.split('/').slice(1);
  const kept: string[] = [];
  for (const p of parts) {
    if (p === '.') continue;
    if (p === '..') {
      if (kept.length > 0) kept.pop();
      else kept.push(p);
    } else kept.push(p);
  }
  let out = '/';
  for (let i = 0; i < kept.length - 1; i++) if (kept[i].length > 0) out += kept[i] + '/';
  if (kept.length > 0) out += kept[kept.length - 1];
  return Buffer.from(out, 'latin1');
}

function unescapeRepeatedly(input: Buffer): Buffer {
  let cur = input;
  for (;;) {
    const next = percentDecode(cur);
    if (next.equals(cur)) return cur;
    cur = next;
  }
}

function percentDecode(input: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === 0x25 && i + 2 < input.length && isHex(input[i + 1]) && isHex(input[i + 2])) {
      out.push(parseInt(String.fromCharCode(input[i + 1], input[i + 2]), 16));
      i += 2;
    } else out.push(c);
  }
  return Buffer.from(out);
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

/** Python `quote(s, safe="!\"$&'()*+,-./:;<=>?@[\\]^_`{|}~")`: escapes controls, space, #, %, non-ASCII. */
const SAFE = new Set(Array.from(`!"$&'()*+,-./:;<=>?@[\\]^_\`{|}~`).map((c) => c.charCodeAt(0)));
function escapeOnce(input: Buffer): Buffer {
  let out = '';
  for (const c of input) {
    const alnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (alnum || SAFE.has(c)) out += String.fromCharCode(c);
    else out += '%' + c.toString(16).toUpperCase().padStart(2, '0');
  }
  return Buffer.from(out, 'latin1');
}

/** Text → bytes: UTF-8 for non-Latin text (URLs in WARC headers are UTF-8 when not escaped). */
function bytes(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

function latin1(b: Buffer): string {
  return b.toString('latin1');
}

/**
 * WARC header block parsing: the version line, named fields (repeats kept in
 * order), and the normalisations the pipeline relies on (WARC-Date → ISO UTC,
 * WARC-Target-URI without `<…>`).
 *
 * WARC/0.17 (Heritrix 1.14, ipwb/IAH-…-blackbook.warc.gz) uses the same
 * `WARC/<version>` line followed by named fields as 1.0/1.1, so one parser
 * serves all versions seen in the corpus.
 */
import { decodeHeaderText } from './bytes.js';

export type HeaderList = Array<[string, string]>;

export interface ParsedWarcHeader {
  /** "1.0", "1.1", "0.17" … */
  version: string;
  headers: HeaderList;
  /** Declared Content-Length of the block. */
  contentLength: number;
  notes: string[];
}

export type WarcHeaderResult = { ok: true; value: ParsedWarcHeader } | { ok: false; message: string };

const VERSION_LINE = /^WARC\/(\d+\.\d+)[ \t]*$/;

/** Does this look like the start of a WARC version line? Needs ≥ 6 bytes to say yes. */
export function startsWithWarcMagic(b: Uint8Array, at: number): boolean {
  return (
    b[at] === 0x57 && // W
    b[at + 1] === 0x41 && // A
    b[at + 2] === 0x52 && // R
    b[at + 3] === 0x43 && // C
    b[at + 4] === 0x2f && // /
    b[at + 5] >= 0x30 &&
    b[at + 5] <= 0x39
  );
}

/** Parse a header block (version line through the blank line). */
export function parseWarcHeaderBlock(bytes: Uint8Array): WarcHeaderResult {
  const text = decodeHeaderText(bytes);
  const lines = text.split('\n');
  const versionMatch = VERSION_LINE.exec(stripCR(lines[0]));
  if (!versionMatch) {
    return { ok: false, message: `bad WARC version line ${JSON.stringify(lines[0].slice(0, 60))}` };
  }
  const headers: HeaderList = [];
  const notes: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = stripCR(lines[i]);
    if (line === '') continue;
    if ((line[0] === ' ' || line[0] === '\t') && headers.length > 0) {
      // obs-fold continuation line
      const last = headers[headers.length - 1];
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      notes.push(`WARC header line without a name ignored: ${JSON.stringify(line.slice(0, 60))}`);
      continue;
    }
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  const lengthRaw = getHeader(headers, 'Content-Length');
  if (lengthRaw === null) return { ok: false, message: 'WARC header has no Content-Length' };
  if (!/^\d+$/.test(lengthRaw)) {
    return { ok: false, message: `WARC Content-Length is not a number: ${JSON.stringify(lengthRaw.slice(0, 40))}` };
  }
  const contentLength = Number(lengthRaw);
  if (!Number.isSafeInteger(contentLength)) {
    return { ok: false, message: `WARC Content-Length too large: ${lengthRaw}` };
  }
  return { ok: true, value: { version: versionMatch[1], headers, contentLength, notes } };
}

function stripCR(line: string): string {
  return line.charCodeAt(line.length - 1) === 0x0d ? line.slice(0, -1) : line;
}

/** First value of a header field (case-insensitive name), or null. */
export function getHeader(headers: HeaderList, name: string): string | null {
  const lower = name.toLowerCase();
  for (const [k, v] of headers) {
    if (k.length === lower.length && k.toLowerCase() === lower) return v;
  }
  return null;
}

/** All values of a header field (case-insensitive name), in order. */
export function getHeaderAll(headers: HeaderList, name: string): string[] {
  const lower = name.toLowerCase();
  const out: string[] = [];
  for (const [k, v] of headers) if (k.toLowerCase() === lower) out.push(v);
  return out;
}

/** WARC-Target-URI without the `<…>` brackets wget writes (WARC/1.0 draft form). */
export function cleanTargetUri(raw: string | null): string | null {
  if (raw === null) return null;
  let s = raw.trim();
  if (s.startsWith('<') && s.endsWith('>')) s = s.slice(1, -1).trim();
  return s === '' ? null : s;
}

/** Fast path for the usual form "YYYY-MM-DDTHH:MM:SSZ" (already normalised when valid). */
function isCanonicalUtc(s: string): boolean {
  if (s.length !== 20 || s.charCodeAt(19) !== 0x5a /* Z */) return false;
  if (s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':') return false;
  for (const i of DIGIT_POSITIONS) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  const num = (i: number): number => (s.charCodeAt(i) - 0x30) * 10 + (s.charCodeAt(i + 1) - 0x30);
  const mo = num(5);
  const d = num(8);
  if (mo < 1 || mo > 12 || d < 1 || num(11) > 23 || num(14) > 59 || num(17) > 59) return false;
  return d <= 28 || new Date(Date.UTC(Number(s.slice(0, 4)), mo - 1, d)).getUTCDate() === d;
}
const DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?$/;

/**
 * Normalise a WARC-Date to ISO 8601 UTC: "2024-05-18T01:58:10Z", with
 * milliseconds only when the source had sub-second digits
 * ("2020-04-12T18:42:50.696Z" from ".696509Z"). Accepts missing seconds
 * ("2019-08-15T01:02"), missing time, numeric offsets, no zone (taken as UTC,
 * as WARC requires UTC) and 14-digit ARC/CDX timestamps. Null if unparseable.
 */
export function normaliseWarcDate(raw: string | null): string | null {
  if (raw === null) return null;
  const s = raw.trim();
  if (isCanonicalUtc(s)) return s;
  let y: number,
    mo: number,
    d: number,
    h = 0,
    mi = 0,
    sec = 0,
    ms = 0,
    hasFraction = false;
  let offsetMinutes = 0;
  const m = ISO_DATE.exec(s);
  if (m) {
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (m[4] !== undefined) {
      h = Number(m[4]);
      mi = Number(m[5]);
    }
    if (m[6] !== undefined) sec = Number(m[6]);
    if (m[7] !== undefined) {
      hasFraction = true;
      ms = Math.floor(Number(`0.${m[7]}`) * 1000);
    }
    const zone = m[8];
    if (zone && zone.toUpperCase() !== 'Z') {
      const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
      offsetMinutes = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
    }
  } else {
    const c = COMPACT_DATE.exec(s);
    if (!c) return null;
    [y, mo, d] = [Number(c[1]), Number(c[2]), Number(c[3])];
    h = Number(c[4] ?? 0);
    mi = Number(c[5] ?? 0);
    sec = Number(c[6] ?? 0);
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return null;
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return null; // e.g. 31 February
  const t = Date.UTC(y, mo - 1, d, h, mi, Math.min(sec, 59), ms) - offsetMinutes * 60_000;
  if (Number.isNaN(t)) return null;
  const iso = new Date(t).toISOString(); // always has .sss
  return hasFraction ? iso : iso.replace(/\.\d{3}Z$/, 'Z');
}

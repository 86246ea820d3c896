/**
 * Parsing of publication-date strings found in HTML metadata and URLs into
 * ISO 8601, with a plausibility window (not before 1990, not after a
 * caller-given limit such as the WARC-Date).
 */

/** Earliest publication date accepted. */
export const MIN_DATE = '1990-01-01';

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  janvier: 1,
  januar: 1,
  enero: 1,
  gennaio: 1,
  januari: 1,
  jänner: 1,
  janeiro: 1,
  stycznia: 1,
  feb: 2,
  february: 2,
  février: 2,
  fevrier: 2,
  februar: 2,
  febrero: 2,
  febbraio: 2,
  februari: 2,
  fevereiro: 2,
  lutego: 2,
  mar: 3,
  march: 3,
  mars: 3,
  märz: 3,
  maerz: 3,
  marzo: 3,
  maart: 3,
  março: 3,
  marca: 3,
  apr: 4,
  april: 4,
  avril: 4,
  abril: 4,
  aprile: 4,
  kwietnia: 4,
  may: 5,
  mai: 5,
  mayo: 5,
  maggio: 5,
  mei: 5,
  maio: 5,
  maja: 5,
  jun: 6,
  june: 6,
  juin: 6,
  juni: 6,
  junio: 6,
  giugno: 6,
  junho: 6,
  czerwca: 6,
  jul: 7,
  july: 7,
  juillet: 7,
  juli: 7,
  julio: 7,
  luglio: 7,
  julho: 7,
  lipca: 7,
  aug: 8,
  august: 8,
  août: 8,
  aout: 8,
  agosto: 8,
  augustus: 8,
  sierpnia: 8,
  sep: 9,
  sept: 9,
  september: 9,
  septembre: 9,
  septiembre: 9,
  settembre: 9,
  setembro: 9,
  września: 9,
  oct: 10,
  october: 10,
  octobre: 10,
  oktober: 10,
  octubre: 10,
  ottobre: 10,
  outubro: 10,
  października: 10,
  nov: 11,
  november: 11,
  novembre: 11,
  noviembre: 11,
  novembro: 11,
  listopada: 11,
  dec: 12,
  december: 12,
  décembre: 12,
  decembre: 12,
  dezember: 12,
  diciembre: 12,
  dicembre: 12,
  dezembro: 12,
  grudnia: 12,
};

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function validYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

function fmtOffset(tz: string | undefined): string {
  if (!tz) return '';
  if (tz === 'Z' || tz === 'z') return 'Z';
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(tz);
  if (!m) return '';
  return `${m[1]}${m[2]}:${m[3] ?? '00'}`;
}

/**
 * Parse a date string into ISO 8601: "YYYY-MM-DD" for dates, or
 * "YYYY-MM-DDTHH:MM:SS" plus the offset as written ("Z", "+02:00") when a time
 * is given (the offset is kept so the date stays the publisher's local date).
 * Returns null when the string is not a recognisable date.
 */
export function parseDateString(input: string | null | undefined): string | null {
  if (!input) return null;
  const s = input.trim().replace(/\s+/g, ' ');
  if (s.length < 4 || s.length > 80) return null;
  let m: RegExpExecArray | null;

  // ISO 8601 and close relatives: 2024-03-15, 2024-03-15T10:00:00+01:00, 2024/03/15 10:00, 2024.03.15
  m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|z|[+-]\d{2}:?\d{2}|[+-]\d{2}|UTC|GMT)?)?/.exec(s);
  if (m) {
    const y = +m[1],
      mo = +m[2],
      d = +m[3];
    if (!validYmd(y, mo, d)) return null;
    const date = `${m[1]}-${pad(mo)}-${pad(d)}`;
    if (m[4] === undefined) return date;
    const h = +m[4],
      mi = +m[5],
      sec = m[6] ? +m[6] : 0;
    if (h > 23 || mi > 59 || sec > 60) return date;
    const tz = m[7] === 'UTC' || m[7] === 'GMT' ? 'Z' : fmtOffset(m[7]);
    return `${date}T${pad(h)}:${pad(mi)}:${pad(sec)}${tz}`;
  }
  // Compact ISO: 20240315 or 20240315T101500Z
  m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?$/.exec(s);
  if (m) {
    const y = +m[1],
      mo = +m[2],
      d = +m[3];
    if (!validYmd(y, mo, d)) return null;
    return `${m[1]}-${m[2]}-${m[3]}`;
  }
  // Day-first numeric: 15.03.2024, 15/03/2024 (European order; US m/d/y is ambiguous and
  // resolved only when the first number cannot be a month).
  m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?:[ ,T]+(\d{1,2})[:.h](\d{2}))?/.exec(s);
  if (m) {
    let d = +m[1],
      mo = +m[2];
    const y = +m[3];
    if (mo > 12 && d <= 12) [d, mo] = [mo, d];
    if (!validYmd(y, mo, d)) return null;
    return `${y}-${pad(mo)}-${pad(d)}`;
  }
  // Unix timestamps (seconds or milliseconds).
  m = /^(\d{10})(\d{3})?$/.exec(s);
  if (m) {
    const dt = new Date(+m[1] * 1000);
    return dt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  // Textual months: "March 15, 2024", "15 March 2024", "Fri, 15 Mar 2024 10:00:00 GMT", "15. März 2024".
  const lower = s.toLowerCase();
  m = /(\d{1,2})(?:st|nd|rd|th|\.)?\s+(?:de\s+)?([a-zà-ÿąćęłńóśźż]{3,12})\.?,?\s+(?:de\s+)?(\d{4})/.exec(lower);
  if (m && MONTHS[m[2]] !== undefined) {
    const d = +m[1],
      mo = MONTHS[m[2]],
      y = +m[3];
    if (validYmd(y, mo, d)) return withTextTime(`${y}-${pad(mo)}-${pad(d)}`, lower);
  }
  m = /([a-zà-ÿ]{3,12})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})/.exec(lower);
  if (m && MONTHS[m[1]] !== undefined) {
    const d = +m[2],
      mo = MONTHS[m[1]],
      y = +m[3];
    if (validYmd(y, mo, d)) return withTextTime(`${y}-${pad(mo)}-${pad(d)}`, lower);
  }
  return null;
}

/** Add an RFC-2822-style time ("10:00:00 GMT") when present. */
function withTextTime(date: string, s: string): string {
  const m = /\b(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(gmt|utc|z|[+-]\d{4})\b/.exec(s);
  if (!m) return date;
  const tz = m[4] === 'gmt' || m[4] === 'utc' || m[4] === 'z' ? 'Z' : fmtOffset(m[4]);
  return `${date}T${pad(+m[1])}:${m[2]}:${m[3] ?? '00'}${tz}`;
}

/** Date patterns in URLs: /2024/03/15/, 2024-03-15, /20240315/, /2024/03/. */
export function dateFromUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let path: string;
  try {
    const u = new URL(url);
    path = u.pathname + (u.search ?? '');
  } catch {
    path = url;
  }
  let m = /(?:^|[/_-])((?:19|20)\d{2})[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?=$|[/_.-])/.exec(path);
  if (m && validYmd(+m[1], +m[2], +m[3])) return `${m[1]}-${pad(+m[2])}-${pad(+m[3])}`;
  m = /(?:^|\/)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=$|[/_.-])/.exec(path);
  if (m && validYmd(+m[1], +m[2], +m[3])) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /\/((?:19|20)\d{2})\/(0?[1-9]|1[0-2])\/(?!\d)/.exec(path);
  if (m) return `${m[1]}-${pad(+m[2])}`;
  return null;
}

/**
 * True when an ISO date lies in [1990-01-01, notAfter]. `notAfter` is an
 * ISO date or date-time (e.g. the WARC-Date); when absent, "now" is used.
 * A publication time up to one day after `notAfter` is tolerated (time zones).
 */
export function isPlausibleDate(iso: string, notAfter?: string | null): boolean {
  const day = iso.slice(0, 10);
  if (day.length >= 7 && day < MIN_DATE.slice(0, day.length)) return false;
  const limitMs = notAfter ? Date.parse(notAfter) : Date.now();
  const limit = Number.isNaN(limitMs) ? Date.now() : limitMs;
  const startMs = Date.parse(day.length === 7 ? `${day}-01` : day);
  if (Number.isNaN(startMs)) return false;
  return startMs <= limit + 24 * 3600 * 1000;
}

/** Columns derived from record/document fields for grouping in reports. Pure functions. */

export interface UrlParts {
  /** Lower-case host name without a trailing dot, e.g. "www.example.co.uk". */
  host: string | null;
  /** Host without a leading "www." (a simple stand-in for the registered domain). */
  domain: string | null;
  /** Last label of the host ("uk"); null for IP addresses and single-label hosts. */
  tld: string | null;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Splits a URL into host, domain and TLD; nulls when the URL does not parse or has no host. */
export function urlParts(url: string | null | undefined): UrlParts {
  const none: UrlParts = { host: null, domain: null, tld: null };
  if (!url) return none;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return none;
  }
  if (!host) return none;
  const isIp = IPV4.test(host) || host.startsWith('[');
  const domain = host.startsWith('www.') && host.length > 4 ? host.slice(4) : host;
  const labels = host.split('.');
  const tld = !isIp && labels.length >= 2 ? labels[labels.length - 1] || null : null;
  return { host, domain, tld };
}

const YEAR_MONTH = /^(\d{4})-(\d{2})(?:$|[-T ])/;

/** "YYYY-MM" of an ISO 8601 date or date-time; null when absent, year-only or malformed. */
export function monthOf(date: string | null | undefined): string | null {
  if (!date) return null;
  const m = YEAR_MONTH.exec(date.trim());
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  return `${m[1]}-${m[2]}`;
}

/** "url" when the location has a scheme ("https://…", "s3://…"), else "file". */
export function sourceKind(location: string): 'file' | 'url' {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location) ? 'url' : 'file';
}

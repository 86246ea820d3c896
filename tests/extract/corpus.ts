/**
 * Test helpers: real HTML from /work/shared. HTTP bodies are sliced out of
 * uncompressed WARC files by walking records on their Content-Length (a
 * deliberately tiny reader, independent of src/warc/), and dev-set pages are
 * read from the extraction corpora.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const SHARED = '/work/shared/corpora';
export const RESILIPARSE_WARC = join(SHARED, 'warc/cc/resiliparse/warcfile.warc');
export const QSL_WARC_GZ = join(SHARED, 'warc/recent/warc2zim/qsl.net-encoding-alias.warc.gz');
export const EXTRACTION = join(SHARED, 'extraction');

/** One HTTP response from a WARC file. */
export interface HttpResponse {
  uri: string;
  warcDate: string | null;
  contentType: string | null;
  body: Uint8Array;
}

function indexOf(buf: Buffer, needle: string, from: number): number {
  return buf.indexOf(needle, from, 'latin1');
}

/** All HTTP response records of an uncompressed WARC buffer. */
export function httpResponses(warc: Buffer): HttpResponse[] {
  const out: HttpResponse[] = [];
  let pos = 0;
  while (pos < warc.length) {
    const start = indexOf(warc, 'WARC/', pos);
    if (start < 0) break;
    const headerEnd = indexOf(warc, '\r\n\r\n', start);
    if (headerEnd < 0) break;
    const header = warc.subarray(start, headerEnd).toString('latin1');
    const field = (name: string): string | null => {
      const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(header);
      return m ? m[1].trim() : null;
    };
    const length = Number(field('Content-Length') ?? '0');
    const blockStart = headerEnd + 4;
    const block = warc.subarray(blockStart, blockStart + length);
    pos = blockStart + length;
    if (field('WARC-Type') !== 'response' || !/application\/http/i.test(field('Content-Type') ?? '')) continue;
    const httpEnd = block.indexOf('\r\n\r\n', 0, 'latin1');
    if (httpEnd < 0) continue;
    const httpHeader = block.subarray(0, httpEnd).toString('latin1');
    const ct = /^content-type:\s*(.*)$/im.exec(httpHeader);
    out.push({
      uri: (field('WARC-Target-URI') ?? '').replace(/^<|>$/g, ''),
      warcDate: field('WARC-Date'),
      contentType: ct ? ct[1].trim() : null,
      body: block.subarray(httpEnd + 4),
    });
  }
  return out;
}

let resiliparse: HttpResponse[] | null = null;

/** The HTTP response for `uri` in the resiliparse CC sample (CC-MAIN-2020-34). */
export function ccResponse(uri: string): HttpResponse {
  resiliparse ??= httpResponses(readFileSync(RESILIPARSE_WARC));
  const r = resiliparse.find((x) => x.uri === uri);
  if (!r) throw new Error(`no response for ${uri} in ${RESILIPARSE_WARC}`);
  return r;
}

/** The swlogs.htm response of the warc2zim "encoding alias" sample (gzip-compressed WARC). */
export function qslResponse(): HttpResponse {
  const r = httpResponses(gunzipSync(readFileSync(QSL_WARC_GZ))).find((x) => x.uri.endsWith('/swlogs.htm'));
  if (!r) throw new Error('qsl.net swlogs.htm not found');
  return r;
}

/** A page of an extraction dev set, with its raw HTML bytes. */
export interface DevPage {
  id: string;
  url: string | null;
  html: Uint8Array;
  gold_text?: string | null;
  with?: string[];
  without?: string[];
  title?: string | null;
  publishedTime?: string | null;
  meta_title?: string | null;
  meta_date?: string | null;
}

const pageCache = new Map<string, Array<Omit<DevPage, 'html'> & { html_file: string }>>();

/** Load one page of `mozilla-readability` or `trafilatura-eval` by id. */
export function devPage(set: 'mozilla-readability' | 'trafilatura-eval', id: string): DevPage {
  if (!pageCache.has(set)) {
    const lines = readFileSync(join(EXTRACTION, set, 'pages.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    pageCache.set(
      set,
      lines.map((l) => JSON.parse(l)),
    );
  }
  const meta = pageCache.get(set)!.find((p) => p.id === id);
  if (!meta) throw new Error(`page ${id} not in ${set}`);
  return { ...meta, html: gunzipSync(readFileSync(join(EXTRACTION, set, meta.html_file))) };
}

/** Whitespace-normalised substring test, as trafilatura's evaluation does it. */
export function containsNormalised(text: string, snippet: string): boolean {
  const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();
  return norm(text).includes(norm(snippet));
}

/**
 * HTML input → DOM: charset choice, decoding and parsing, with the input guards (empty,
 * binary, oversized). UTF-8 bytes, nearly every page, are decoded in slices straight into
 * the streaming parser: decoding a whole page into one large string first costs about two
 * thirds of the parse itself (large-object allocation, a slow non-ASCII path), small
 * strings cost almost nothing, and the tree comes out the same.
 */
import { Parser } from 'htmlparser2';
import { chooseCharset, decodeBytes, decodeHtml, sniffBom, type CharsetSource, type DecodedHtml } from './charset.js';
import { PARSE_OPTIONS, type Document, type Element } from './dom.js';
import { PageHandler } from './page-handler.js';

/** HTML beyond this many characters is cut before parsing (Common Crawl caps payloads at 1 MiB). */
export const MAX_HTML_CHARS = 4 * 1024 * 1024;

/** Bytes decoded per slice fed to the parser (young-generation strings, a few per page). */
const SLICE_BYTES = 16 * 1024;
/** Characters at the start of the text that decide whether it is binary. */
const BINARY_PROBE_CHARS = 2048;

export interface LoadedHtml {
  /** The parsed page, or null when the input is empty, whitespace or binary. */
  doc: Document | null;
  /** Deepest element nesting in `doc` (<html> is 1), so a depth limit can skip shallow pages. */
  maxDepth: number;
  /** The elements page metadata is read from, as the parser met them (see metadata-elements.ts). */
  metadataElements: Element[];
  charset: string;
  charsetSource: CharsetSource;
}

/** Share of control characters that marks a payload as binary rather than text (first BINARY_PROBE_CHARS). */
function looksBinary(text: string): boolean {
  const n = Math.min(text.length, BINARY_PROBE_CHARS);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 9 || (c > 13 && c < 32) || c === 0xfffd) control++;
  }
  return n > 0 && control / n > 0.1;
}

const VISIBLE = /\S/;

/** Decode (charset from BOM, HTTP header, <meta> or the bytes) and parse one page. */
export function loadHtml(input: Uint8Array | string, contentType: string | null): LoadedHtml {
  let decoded: DecodedHtml;
  if (typeof input !== 'string') {
    const choice = chooseCharset(input, contentType);
    if (choice.charset === 'utf-8') return { ...parseUtf8(input), charset: choice.charset, charsetSource: choice.source };
    // The choice is made once: guessing from the bytes is the costliest step of a legacy page.
    decoded = { text: decodeBytes(input, choice.charset), charset: choice.charset, source: choice.source };
  } else decoded = decodeHtml(input, contentType);
  let html = decoded.text;
  const blank = !VISIBLE.test(html) || looksBinary(html);
  if (html.length > MAX_HTML_CHARS) html = html.slice(0, MAX_HTML_CHARS);
  let parsed: Parsed = BLANK;
  if (!blank) {
    const handler = new PageHandler();
    new Parser(handler, PARSE_OPTIONS).end(html);
    parsed = parsedBy(handler);
  }
  return { ...parsed, charset: decoded.charset, charsetSource: decoded.source };
}

type Parsed = Pick<LoadedHtml, 'doc' | 'maxDepth' | 'metadataElements'>;

const BLANK: Parsed = { doc: null, maxDepth: 0, metadataElements: [] };

function parsedBy(handler: PageHandler): Parsed {
  return { doc: handler.root, maxDepth: handler.maxDepth, metadataElements: handler.metadataElements };
}

/**
 * UTF-8 bytes decoded slice by slice into the parser. The same text as one whole decode
 * (a streaming TextDecoder keeps split sequences whole; a leading BOM is dropped as
 * decodeBytes drops it), cut at MAX_HTML_CHARS; no document when it is blank or binary.
 */
function parseUtf8(bytes: Uint8Array): Parsed {
  const bom = sniffBom(bytes);
  const body = bom && bom.charset === 'utf-8' ? bytes.subarray(bom.length) : bytes;
  const decoder = new TextDecoder('utf-8');
  const handler = new PageHandler();
  const parser = new Parser(handler, PARSE_OPTIONS);
  // Text held back until the binary probe has seen enough characters.
  let head: string | null = '';
  let visible = false;
  let fed = 0;
  const feed = (s: string): void => {
    if (s === '' || fed >= MAX_HTML_CHARS) return;
    const part = fed + s.length > MAX_HTML_CHARS ? s.slice(0, MAX_HTML_CHARS - fed) : s;
    fed += part.length;
    parser.write(part);
  };
  const take = (s: string): boolean => {
    if (!visible && VISIBLE.test(s)) visible = true;
    if (head === null) {
      feed(s);
      return true;
    }
    head += s;
    if (head.length < BINARY_PROBE_CHARS) return true;
    if (looksBinary(head)) return false;
    feed(head);
    head = null;
    return true;
  };
  for (let i = 0; i < body.length; i += SLICE_BYTES) {
    const s = decoder.decode(body.subarray(i, i + SLICE_BYTES), { stream: true });
    // Past the cut only whether any text is visible still matters (it was, once it was fed).
    if (fed >= MAX_HTML_CHARS && visible) break;
    if (!take(s)) return BLANK;
  }
  if (!take(decoder.decode())) return BLANK;
  if (head !== null && (head === '' || looksBinary(head))) return BLANK;
  if (!visible) return BLANK;
  if (head !== null) feed(head);
  parser.end();
  return parsedBy(handler);
}

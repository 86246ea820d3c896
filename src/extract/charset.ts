/**
 * Charset choice and decoding for HTML bytes.
 *
 * Order (WHATWG "encoding sniffing", roughly): byte-order mark, then the HTTP
 * Content-Type charset, then a <meta charset> / <meta http-equiv> prescan of
 * the first bytes, then statistical detection (chardet), then a default
 * (utf-8 when the bytes are valid UTF-8, else windows-1252).
 *
 * Labels go through the WHATWG label table (Node's TextDecoder implements it:
 * "iso-8859-1" → windows-1252, "gb2312" → gbk, …) after repairing common
 * real-world misspellings such as "iso-8559-1" or "win-1251".
 */
import { isAscii, isUtf8 } from 'node:buffer';
import chardet from 'chardet';
import iconv from 'iconv-lite';

/** How the charset was chosen (same values as ExtractedDocument.charsetSource). */
export type CharsetSource = 'bom' | 'http' | 'meta' | 'detected' | 'default';

export interface CharsetChoice {
  /** WHATWG encoding name, lower case (e.g. "utf-8", "windows-1252", "gbk"). */
  charset: string;
  source: CharsetSource;
}

export interface DecodedHtml extends CharsetChoice {
  text: string;
}

/** Bytes of the document scanned for <meta> charset declarations. */
export const PRESCAN_BYTES = 4096;
/** Bytes handed to chardet: enough for a stable guess, bounded for speed. */
const DETECT_BYTES = 64 * 1024;

const labelCache = new Map<string, string | null>();

/** Resolve a label with the WHATWG table; null if the platform does not know it. */
function whatwgName(label: string): string | null {
  if (labelCache.has(label)) return labelCache.get(label)!;
  let name: string | null = null;
  try {
    name = new TextDecoder(label).encoding;
  } catch {
    name = WHATWG_EXTRA[label] ?? null;
  }
  labelCache.set(label, name);
  return name;
}

/** WHATWG labels that Node's TextDecoder rejects but iconv-lite can decode. */
const WHATWG_EXTRA: Record<string, string> = {
  'iso-2022-kr': 'replacement',
  'hz-gb-2312': 'replacement',
  csiso2022kr: 'replacement',
  'x-user-defined': 'x-user-defined',
};

/** Real-world labels outside the WHATWG table, seen on crawled pages. */
const ALIASES: Record<string, string> = {
  'latin-1': 'windows-1252',
  latin_1: 'windows-1252',
  ansi: 'windows-1252',
  ascii: 'windows-1252',
  'iso-latin-1': 'windows-1252',
  western: 'windows-1252',
  'utf-8lias': 'utf-8',
  'uft-8': 'utf-8',
  'utf-08': 'utf-8',
  'utf=8': 'utf-8',
  utf_8: 'utf-8',
  utf: 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  gb_2312: 'gbk',
  'gb-2312': 'gbk',
  'gb2312-80': 'gbk',
  cp936: 'gbk',
  'big-5': 'big5',
  'shift-jis': 'shift_jis',
  shiftjis: 'shift_jis',
  sjis: 'shift_jis',
  'x-euc-jp': 'euc-jp',
  eucjp: 'euc-jp',
  euckr: 'euc-kr',
  ks_c_5601: 'euc-kr',
  tis620: 'windows-874',
  koi8r: 'koi8-r',
  koi8u: 'koi8-u',
};

/**
 * Map a charset label (from HTTP, <meta> or a detector) to a WHATWG encoding
 * name, repairing common typos. Returns null for unknown labels.
 */
export function normalizeCharsetLabel(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let label = raw
    .trim()
    .toLowerCase()
    .replace(/^["']+|["';,]+$/g, '')
    .trim();
  if (label === '') return null;
  const direct = whatwgName(label);
  if (direct) return direct;
  if (ALIASES[label]) return ALIASES[label];
  // Typos and spacing variants: "iso-8559-1", "iso8859_1", "iso 8859-15", "win-1251", "cp-1252".
  label = label.replace(/[\s_]+/g, '-');
  let m = /^iso-?8[58]5?9-?(\d{1,2})(?:-[a-z])?$/.exec(label);
  if (m) return whatwgName(`iso-8859-${m[1]}`) ?? null;
  m = /^(?:x-)?(?:windows|win|cp|ms)-?(125\d|874|866|932|936|949|950)$/.exec(label);
  if (m) {
    const map: Record<string, string> = { '932': 'shift_jis', '936': 'gbk', '949': 'euc-kr', '950': 'big5', '866': 'ibm866' };
    return map[m[1]] ?? whatwgName(`windows-${m[1]}`);
  }
  m = /^utf-?8/.exec(label);
  if (m) return 'utf-8';
  const again = whatwgName(label);
  return again ?? ALIASES[label] ?? null;
}

/** Charset parameter of a Content-Type value, or null. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const m = /charset\s*=\s*["']?([^"';,\s]+)/i.exec(contentType);
  return m ? m[1] : null;
}

/** Byte-order mark → encoding and BOM length. */
export function sniffBom(bytes: Uint8Array): { charset: string; length: number } | null {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { charset: 'utf-8', length: 3 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  return null;
}

/**
 * Prescan the first bytes for a <meta charset> or <meta http-equiv="content-type">
 * declaration (WHATWG "prescan a byte stream", simplified: comments skipped,
 * attributes parsed leniently). Returns the raw label, or null.
 */
export function prescanMetaCharset(bytes: Uint8Array, maxBytes = PRESCAN_BYTES): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, maxBytes)).toString('latin1');
  const noComments = head.replace(/<!--[\s\S]*?(?:-->|$)/g, ' ');
  const metaRe = /<meta(?=[\s/])([^>]*)>?/gi;
  let m: RegExpExecArray | null;
  while ((m = metaRe.exec(noComments)) !== null) {
    const attrs = parseAttributes(m[1]);
    const charset = attrs.get('charset');
    if (charset) return charset;
    const equiv = (attrs.get('http-equiv') ?? '').toLowerCase().replace(/[\s_]+/g, '-');
    const content = attrs.get('content');
    // "content type" (with a space) is a common real-world misspelling; browsers ignore it,
    // but the declared charset is still the best evidence we have.
    if (content && (equiv === 'content-type' || equiv === 'contenttype')) {
      const label = charsetFromContentType(content);
      if (label) return label;
    }
  }
  return null;
}

function parseAttributes(s: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"?|'([^']*)'?|([^\s>]*)))?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    const name = m[1].toLowerCase();
    if (!out.has(name)) out.set(name, (m[2] ?? m[3] ?? m[4] ?? '').trim());
  }
  return out;
}

function hasHighBytes(bytes: Uint8Array): boolean {
  return !isAscii(bytes);
}

/**
 * Choose the charset for HTML bytes.
 * `contentType` is the HTTP Content-Type header value, if any.
 */
export function chooseCharset(bytes: Uint8Array, contentType?: string | null): CharsetChoice {
  const bom = sniffBom(bytes);
  if (bom) return { charset: bom.charset, source: 'bom' };

  const declared = declaredCharset(bytes, contentType);
  if (declared) {
    // A page labelled with a legacy charset whose bytes are valid, non-ASCII UTF-8
    // is almost always mislabelled UTF-8 (legacy multi-byte text essentially never
    // forms valid UTF-8 throughout); trust the bytes rather than produce mojibake.
    if (declared.charset !== 'utf-8' && !declared.charset.startsWith('utf-16') && hasHighBytes(bytes)) {
      if (isUtf8(bytes)) return { charset: 'utf-8', source: 'detected' };
    }
    return declared;
  }

  if (!hasHighBytes(bytes)) return { charset: 'utf-8', source: 'default' };
  if (isUtf8(bytes)) return { charset: 'utf-8', source: 'detected' };
  const guess = detect(bytes);
  if (guess) return { charset: guess, source: 'detected' };
  return { charset: 'windows-1252', source: 'default' };
}

function declaredCharset(bytes: Uint8Array, contentType?: string | null): CharsetChoice | null {
  const httpLabel = normalizeCharsetLabel(charsetFromContentType(contentType));
  if (httpLabel && httpLabel !== 'replacement') return { charset: fixUtf16(httpLabel, bytes), source: 'http' };
  const metaLabel = normalizeCharsetLabel(prescanMetaCharset(bytes));
  // WHATWG: a <meta> cannot declare UTF-16 (the bytes it was read with were ASCII-compatible).
  if (metaLabel && metaLabel !== 'replacement') {
    const name = metaLabel.startsWith('utf-16') ? 'utf-8' : metaLabel === 'x-user-defined' ? 'windows-1252' : metaLabel;
    return { charset: name, source: 'meta' };
  }
  return null;
}

/** HTTP "utf-16" without a BOM: trust it only if the bytes look like UTF-16. */
function fixUtf16(name: string, bytes: Uint8Array): string {
  if (!name.startsWith('utf-16')) return name;
  let zerosEven = 0,
    zerosOdd = 0;
  const n = Math.min(bytes.length, 1024);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) i % 2 === 0 ? zerosEven++ : zerosOdd++;
  if (zerosEven + zerosOdd < n / 8) return 'utf-8';
  return zerosEven > zerosOdd ? 'utf-16be' : 'utf-16le';
}

function detect(bytes: Uint8Array): string | null {
  const sample = bytes.length > DETECT_BYTES ? bytes.subarray(0, DETECT_BYTES) : bytes;
  try {
    const guess = chardet.detect(sample);
    return normalizeCharsetLabel(guess);
  } catch {
    return null;
  }
}

/** WHATWG names that iconv-lite spells differently. */
const ICONV_NAMES: Record<string, string> = {
  'x-user-defined': 'latin1',
  'iso-8859-8-i': 'iso-8859-8',
  'x-mac-cyrillic': 'maccyrillic',
  macintosh: 'macroman',
};

/**
 * Decode bytes with a WHATWG encoding name; never throws (falls back to windows-1252).
 * UTF-8 / UTF-16 go through TextDecoder (fast); legacy encodings through iconv-lite,
 * because Node 20's TextDecoder mangles windows-1252 (it drops bytes 0x80–0x9F
 * such as 0x92 "’" instead of mapping them).
 */
export function decodeBytes(bytes: Uint8Array, charset: string): string {
  const bom = sniffBom(bytes);
  const body = bom && bom.charset === charset ? bytes.subarray(bom.length) : bytes;
  if (charset === 'utf-8' || charset.startsWith('utf-16')) return new TextDecoder(charset).decode(body);
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const iconvName = ICONV_NAMES[charset] ?? charset;
  if (iconv.encodingExists(iconvName)) return iconv.decode(buf, iconvName);
  try {
    return new TextDecoder(charset).decode(body);
  } catch {
    return iconv.decode(buf, 'windows-1252');
  }
}

/** Choose the charset and decode. Strings pass through (already decoded). */
export function decodeHtml(input: Uint8Array | string, contentType?: string | null): DecodedHtml {
  if (typeof input === 'string') {
    const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    return { text, charset: 'utf-8', source: 'default' };
  }
  const { charset, source } = chooseCharset(input, contentType);
  return { text: decodeBytes(input, charset), charset, source };
}

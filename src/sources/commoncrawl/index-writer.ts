/**
 * Writes Common Crawl-style indexes for local WARC files (`ccaudit index`):
 * - CDXJ lines `<SURT> <timestamp> {"url": …, "mime": …, "mime-detected": …, "status": …,
 *   "digest": …, "length": …, "offset": …, "filename": …, "charset": …, "languages": …}`,
 *   sorted as CC sorts them (byte order of the whole line);
 * - optionally the zipnum layout: `cdx-NNNNN.gz` shards made of gzip blocks of N lines, and
 *   `cluster.idx` naming each block's first key, shard, offset, length and number.
 *
 * Memory stays bounded: lines are sorted in runs spilled to temporary files and merged.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync, createGzip } from 'node:zlib';
import { readWarcFile } from '../warc/index.js';
import type { WarcItem, WarcRecord } from '../../core/types.js';
import { isReadError } from '../../core/types.js';
import { formatCdxjLine } from './cdxj.js';
import { surt } from './surt.js';

/** One index entry before formatting. */
export interface IndexEntry {
  urlkey: string;
  timestamp: string;
  fields: Record<string, string>;
}

export interface IndexFileStats {
  /** Records seen. */
  records: number;
  /** Lines written (response, revisit and resource records). */
  indexed: number;
  /** Records left out because they cannot be range-read (whole-file gzip). */
  notAddressable: number;
  /** Read errors reported by the WARC reader. */
  errors: number;
}

const INDEXED_TYPES = new Set(['response', 'revisit', 'resource']);
/** Records to wait for the CC metadata record (charset, languages) that follows a response. */
const METADATA_WINDOW = 8;

function headerValue(headers: Array<[string, string]> | null, name: string): string | null {
  if (!headers) return null;
  const lower = name.toLowerCase();
  for (const [k, v] of headers) if (k.toLowerCase() === lower) return v;
  return null;
}

/** "text/html; charset=UTF-8" → "text/html". */
function baseMime(ct: string | null): string | null {
  const m = ct?.split(';')[0].trim().toLowerCase();
  return m ? m : null;
}

function charsetParam(ct: string | null): string | null {
  const m = ct ? /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(ct) : null;
  return m ? m[1] : null;
}

/** RFC 4648 base32, as WARC digests are written. */
export function base32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

function looksLikeHtml(payload: Uint8Array): boolean {
  const head = Buffer.from(payload.subarray(0, 1024)).toString('latin1').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || /<(head|body|title)[\s>]/.test(head);
}

/** "2024-05-18T01:58:10Z" → "20240518015810". */
function isoToTimestamp(iso: string | null): string | null {
  if (!iso) return null;
  const digits = iso.replace(/\.\d+/, '').replace(/[^0-9]/g, '');
  return digits.length >= 14 ? digits.slice(0, 14) : null;
}

/** CDXJ entry for one record, or null when the record is not indexed. */
export function entryFor(record: WarcRecord, filename: string): IndexEntry | null {
  if (!record.warcType || !INDEXED_TYPES.has(record.warcType) || !record.targetUri) return null;
  const timestamp = isoToTimestamp(record.warcDate);
  if (!timestamp) return null;
  const isRevisit = record.warcType === 'revisit';
  const declared = isRevisit ? 'warc/revisit' : (baseMime(record.contentType) ?? 'unk');
  const identified = baseMime(headerValue(record.warcHeaders, 'WARC-Identified-Payload-Type'));
  const fields: Record<string, string> = { url: record.targetUri, mime: declared };
  if (!isRevisit) {
    // CC's mime-detected comes from Tika; without it, a light sniff for HTML.
    fields['mime-detected'] = identified ?? (record.payload && record.payload.length > 0 && looksLikeHtml(record.payload) ? 'text/html' : declared);
  }
  // pywb and CC leave the status out of revisit lines.
  if (record.httpStatus !== null && !isRevisit) fields.status = String(record.httpStatus);
  const payloadDigest = headerValue(record.warcHeaders, 'WARC-Payload-Digest');
  if (payloadDigest) fields.digest = payloadDigest.replace(/^sha1:/i, '');
  else if (record.payload) fields.digest = base32(createHash('sha1').update(record.payload).digest());
  fields.length = String(record.length);
  fields.offset = String(record.offset);
  fields.filename = filename;
  const charset = charsetParam(record.contentType);
  if (charset) fields.charset = charset;
  const truncated = headerValue(record.warcHeaders, 'WARC-Truncated');
  if (truncated) fields.truncated = truncated;
  if (record.httpStatus !== null && record.httpStatus >= 300 && record.httpStatus < 400) {
    const location = headerValue(record.httpHeaders, 'Location');
    if (location) fields.redirect = location;
  }
  return { urlkey: surt(record.targetUri), timestamp, fields };
}

/** Charset and languages from a CC metadata record body ("charset-detected", "languages-cld2"). */
export function parseCcMetadata(payload: Uint8Array | null): { charset: string | null; languages: string | null } {
  const out = { charset: null as string | null, languages: null as string | null };
  if (!payload) return out;
  const text = Buffer.from(payload).toString('utf8');
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const key = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    if (key === 'charset-detected' && value) out.charset = value;
    if (key === 'languages-cld2' && value) {
      try {
        const j = JSON.parse(value) as { languages?: Array<{ 'code-iso-639-3'?: string }> };
        const codes = (j.languages ?? []).map((l) => l['code-iso-639-3']).filter((c): c is string => !!c);
        if (codes.length > 0) out.languages = codes.join(',');
      } catch {
        /* a malformed languages field is left out */
      }
    }
  }
  return out;
}

/**
 * Index entries of one WARC file, in file order. `filename` is what goes into the lines
 * (the path relative to the data server root). CC metadata records that follow a response
 * fill in its charset and languages, as in CC's own index.
 */
export async function* indexWarcFile(
  file: string,
  filename: string,
  stats: IndexFileStats = { records: 0, indexed: 0, notAddressable: 0, errors: 0 },
): AsyncGenerator<IndexEntry> {
  // Entries waiting a few records for their metadata record, by WARC-Record-ID.
  const waiting: Array<{ id: string | null; entry: IndexEntry; age: number }> = [];
  for await (const item of readWarcFile(file) as AsyncIterable<WarcItem>) {
    if (isReadError(item)) {
      stats.errors++;
      continue;
    }
    stats.records++;
    for (const w of waiting) w.age++;
    if (item.warcType === 'metadata') {
      const to = headerValue(item.warcHeaders, 'WARC-Concurrent-To');
      const w = to ? waiting.find((x) => x.id === to) : undefined;
      if (w && (w.entry.fields.status === '200' || w.entry.fields.status === undefined)) {
        const meta = parseCcMetadata(item.payload);
        if (meta.charset) w.entry.fields.charset = meta.charset;
        if (meta.languages) w.entry.fields.languages = meta.languages;
      }
    } else if (item.offsetKind !== 'file') {
      if (item.warcType && INDEXED_TYPES.has(item.warcType)) stats.notAddressable++;
    } else {
      const entry = entryFor(item, filename);
      if (entry) waiting.push({ id: item.recordId, entry, age: 0 });
    }
    while (waiting.length > 0 && waiting[0].age >= METADATA_WINDOW) {
      stats.indexed++;
      yield waiting.shift()!.entry;
    }
  }
  for (const w of waiting) {
    stats.indexed++;
    yield w.entry;
  }
}

export function formatEntry(e: IndexEntry): string {
  return formatCdxjLine(e.urlkey, e.timestamp, e.fields);
}

/** Sorted lines of an external sort; call cleanup() when done. */
export interface SortedLines {
  count: number;
  lines(): AsyncGenerator<string>;
  cleanup(): Promise<void>;
}

/**
 * Sorts lines in byte order (CC sorts with LC_ALL=C; the lines are ASCII) with bounded memory:
 * runs of `runLines` are sorted and spilled to temporary files, then merged.
 */
export async function sortLines(
  input: AsyncIterable<string> | Iterable<string>,
  opts: { runLines?: number; tmpDir?: string } = {},
): Promise<SortedLines> {
  const runLines = opts.runLines ?? 200_000;
  let dir: string | null = null;
  const runs: string[] = [];
  let buf: string[] = [];
  let count = 0;
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const spill = async () => {
    buf.sort(cmp);
    dir ??= await mkdtemp(path.join(opts.tmpDir ?? tmpdir(), 'ccaudit-sort-'));
    const file = path.join(dir, `run-${runs.length}.txt`);
    await writeFile(file, buf.join('\n') + '\n');
    runs.push(file);
    buf = [];
  };
  for await (const line of input as AsyncIterable<string>) {
    buf.push(line);
    count++;
    if (buf.length >= runLines) await spill();
  }
  if (runs.length > 0 && buf.length > 0) await spill();
  const inMemory = runs.length === 0 ? buf.sort(cmp) : null;
  return {
    count,
    async *lines() {
      if (inMemory) {
        yield* inMemory;
        return;
      }
      const iters = runs.map((f) => createInterface({ input: createReadStream(f, 'utf8'), crlfDelay: Infinity })[Symbol.asyncIterator]());
      const heads: Array<string | null> = [];
      for (const it of iters) {
        const r = await it.next();
        heads.push(r.done ? null : r.value);
      }
      for (;;) {
        let best = -1;
        for (let i = 0; i < heads.length; i++) {
          const h = heads[i];
          if (h !== null && (best < 0 || h < heads[best]!)) best = i;
        }
        if (best < 0) return;
        yield heads[best]!;
        const r = await iters[best].next();
        heads[best] = r.done ? null : r.value;
      }
    },
    async cleanup() {
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

async function write(stream: WriteStream, chunk: string | Buffer): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

/** Writes CDXJ lines to `file` (gzip-compressed as one member when it ends in ".gz"). */
export async function writeCdxjFile(lines: AsyncIterable<string>, file: string): Promise<number> {
  if (file !== '/dev/stdout') await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  let n = 0;
  async function* text(): AsyncGenerator<string> {
    for await (const line of lines) {
      n++;
      yield line + '\n';
    }
  }
  if (file === '/dev/stdout') {
    // stdout is never ended: other output may follow.
    for await (const chunk of text()) if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
    return n;
  }
  const out = createWriteStream(file);
  if (file.endsWith('.gz')) await pipeline(Readable.from(text()), createGzip(), out);
  else await pipeline(Readable.from(text()), out);
  return n;
}

export interface ZipnumOptions {
  /** Number of cdx-NNNNN.gz shards (contiguous key ranges). Default 1. */
  shards?: number;
  /** Lines per gzip block. Default 3000, as CC. */
  linesPerBlock?: number;
}

export interface ZipnumSummary {
  lines: number;
  blocks: number;
  shards: string[];
}

/**
 * Writes the zipnum layout into `dir`: `cdx-00000.gz` … (each block a gzip member) and
 * `cluster.idx`. `total` lines are split into `shards` contiguous shards of equal size, so
 * each shard's last block may be short, as in CC's index.
 */
export async function writeZipnum(lines: AsyncIterable<string>, total: number, dir: string, opts: ZipnumOptions = {}): Promise<ZipnumSummary> {
  const shards = Math.max(1, Math.trunc(opts.shards ?? 1));
  const perBlock = Math.max(1, Math.trunc(opts.linesPerBlock ?? 3000));
  const perShard = Math.max(1, Math.ceil(total / shards));
  await mkdir(dir, { recursive: true });
  const idx = createWriteStream(path.join(dir, 'cluster.idx'));
  const shardNames: string[] = [];
  let shardOut: WriteStream | null = null;
  let shardName = '';
  let shardOffset = 0;
  let inShard = 0;
  let block: string[] = [];
  let blockNo = 0;
  let n = 0;

  const flushBlock = async () => {
    if (block.length === 0 || !shardOut) return;
    const gz = gzipSync(block.join('\n') + '\n');
    await write(shardOut, gz);
    const first = block[0];
    const key = first.slice(0, first.indexOf(' ', first.indexOf(' ') + 1));
    blockNo++;
    await write(idx, `${key}\t${shardName}\t${shardOffset}\t${gz.length}\t${blockNo}\n`);
    shardOffset += gz.length;
    block = [];
  };
  const openShard = async () => {
    if (shardOut) {
      await flushBlock();
      await close(shardOut);
    }
    shardName = `cdx-${String(shardNames.length).padStart(5, '0')}.gz`;
    shardNames.push(shardName);
    shardOut = createWriteStream(path.join(dir, shardName));
    shardOffset = 0;
    inShard = 0;
  };

  for await (const line of lines) {
    if (!shardOut || inShard >= perShard) await openShard();
    block.push(line);
    inShard++;
    n++;
    if (block.length >= perBlock) await flushBlock();
  }
  if (shardOut) {
    await flushBlock();
    await close(shardOut);
  }
  await close(idx);
  return { lines: n, blocks: blockNo, shards: shardNames };
}

export interface BuildIndexInput {
  /** Local WARC file. */
  path: string;
  /** Value of the `filename` field for its records. */
  filename: string;
}

export interface BuildIndexOptions {
  /** Write sorted CDXJ here (".gz" → gzip). */
  cdxjFile?: string;
  /** Write the zipnum layout into this directory. */
  zipnumDir?: string;
  zipnum?: ZipnumOptions;
  tmpDir?: string;
  runLines?: number;
  onFile?(file: string, stats: IndexFileStats): void;
}

export interface BuildIndexSummary {
  files: number;
  lines: number;
  perFile: Array<{ path: string } & IndexFileStats>;
  zipnum: ZipnumSummary | null;
}

/** Indexes WARC files into sorted CDXJ and/or a zipnum directory. */
export async function buildIndex(inputs: BuildIndexInput[], opts: BuildIndexOptions): Promise<BuildIndexSummary> {
  if (!opts.cdxjFile && !opts.zipnumDir) throw new Error('buildIndex needs cdxjFile and/or zipnumDir');
  const perFile: BuildIndexSummary['perFile'] = [];
  async function* allLines(): AsyncGenerator<string> {
    for (const input of inputs) {
      const stats: IndexFileStats = { records: 0, indexed: 0, notAddressable: 0, errors: 0 };
      for await (const e of indexWarcFile(input.path, input.filename, stats)) yield formatEntry(e);
      perFile.push({ path: input.path, ...stats });
      opts.onFile?.(input.path, stats);
    }
  }
  const sorted = await sortLines(allLines(), { runLines: opts.runLines, tmpDir: opts.tmpDir });
  try {
    if (opts.cdxjFile) await writeCdxjFile(sorted.lines(), opts.cdxjFile);
    const zipnum = opts.zipnumDir ? await writeZipnum(sorted.lines(), sorted.count, opts.zipnumDir, opts.zipnum) : null;
    return { files: inputs.length, lines: sorted.count, perFile, zipnum };
  } finally {
    await sorted.cleanup();
  }
}

/**
 * Payload decoding on real records: transfer/content encodings undone exactly
 * when the bytes are encoded, never twice. The strongest checks compare with
 * data the archives themselves carry: WARC-Payload-Digest, and the same page
 * stored with and without compression.
 */
import { createHash } from 'node:crypto';
import { openSync, readSync, closeSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { WarcRecord } from '../../src/core/types.js';
import { getHeader, getHeaderAll } from '../../src/sources/warc/index.js';
import { corpusPath, corpusWarcFiles, readAll, sha1 } from './corpus.js';

const text = (r: WarcRecord): string => Buffer.from(r.payload ?? new Uint8Array()).toString('utf8');

async function records(file: string): Promise<WarcRecord[]> {
  return (await readAll(corpusPath(file))).records;
}
async function response(file: string, uri?: string): Promise<WarcRecord> {
  const rs = (await records(file)).filter((r) => r.warcType === 'response' && (uri === undefined || r.targetUri === uri));
  expect(rs.length).toBeGreaterThan(0);
  return rs[0];
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32(buf: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of buf) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}
/** Does a WARC digest ("sha1:BASE32", "sha1:hex", "sha256:hex") match these bytes? */
function digestMatches(spec: string, bytes: Uint8Array): boolean {
  const colon = spec.indexOf(':');
  const alg = spec.slice(0, colon).toLowerCase();
  const want = spec.slice(colon + 1);
  const h = createHash(alg === 'sha256' ? 'sha256' : 'sha1')
    .update(bytes)
    .digest();
  return want.toLowerCase() === h.toString('hex') || want.toUpperCase() === base32(h);
}
/**
 * The HTTP body exactly as stored, found without the reader under test:
 * gunzip the record's byte range with node:zlib and split at the first blank lines.
 */
function storedBody(file: string, r: WarcRecord): Buffer {
  const fd = openSync(file, 'r');
  const raw = Buffer.alloc(r.length);
  readSync(fd, raw, 0, r.length, r.offset);
  closeSync(fd);
  const bytes = raw[0] === 0x1f ? gunzipSync(raw) : raw;
  const headEnd = bytes.indexOf('\r\n\r\n');
  const length = Number(/Content-Length:\s*(\d+)/i.exec(bytes.subarray(0, headEnd).toString('latin1'))![1]);
  const block = bytes.subarray(headEnd + 4, headEnd + 4 + length);
  return block.subarray(block.indexOf('\r\n\r\n') + 4);
}

/** Minimal de-chunker for the digest cross-check (independent of the reader's). */
function plainDechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let p = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', p);
    if (eol < 0) break;
    const size = parseInt(body.subarray(p, eol).toString('latin1'), 16);
    if (!(size > 0)) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    p = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

describe('payload digests', () => {
  // ipwb hand-edited this body (it adds chunk extensions), so even its WARC-Block-Digest is stale.
  const STALE_DIGESTS = new Set(['edge-cases/ipwb/baconIpsum_chunked.warc', 'edge-cases/ipwb/baconIpsum_chunked_httpTrailors.warc']);

  it.each(corpusWarcFiles().filter((f) => !STALE_DIGESTS.has(f)))('%s', async (file) => {
    const path = corpusPath(file);
    const rs = (await readAll(path)).records.filter(
      (r) => r.warcType === 'response' && r.httpHeaders !== null && r.offsetKind === 'file' && !r.payloadTruncated,
    );
    for (const r of rs) {
      const digest = getHeader(r.warcHeaders, 'WARC-Payload-Digest');
      if (digest === null) continue;
      const payload = r.payload ?? new Uint8Array();
      if (digestMatches(digest, payload)) continue;
      // Writers differ: some digest the body as stored (still chunked/encoded). Then the reader
      // must have decoded a real encoding, which the headers name.
      const stored = storedBody(path, r);
      expect(
        digestMatches(digest, stored) || digestMatches(digest, plainDechunk(stored)),
        `${r.targetUri}: digest matches neither payload nor stored body`,
      ).toBe(true);
      const ce = getHeader(r.httpHeaders!, 'Content-Encoding');
      const te = getHeader(r.httpHeaders!, 'Transfer-Encoding');
      expect(ce !== null || te !== null, `${r.targetUri} changed without an encoding header`).toBe(true);
      expect(r.notes).toEqual([]);
    }
  });

  it('leaves Common Crawl payloads as stored (decoded by CC, digest over the decoded bytes)', async () => {
    const cc = corpusWarcFiles().filter((f) => f.startsWith('cc/') && !f.includes('.wat') && !f.includes('.wet'));
    let checked = 0;
    for (const file of cc) {
      for (const r of await records(file)) {
        if (r.warcType !== 'response') continue;
        expect(digestMatches(getHeader(r.warcHeaders, 'WARC-Payload-Digest')!, r.payload!)).toBe(true);
        expect(r.notes).toEqual([]);
        expect(getHeader(r.httpHeaders!, 'Content-Encoding')).toBeNull();
        checked++;
      }
    }
    expect(checked).toBe(16 * 2 + 1 * 2 + 3 + 1);
    const example = await response('cc/cdx_toolkit-range-fetch/CC-MAIN-20250802220907-20250803010907-00970_34323482_1219.warc.gz');
    expect(getHeader(example.httpHeaders!, 'X-Crawler-Content-Length')).toBe('648');
    expect(example.payload!.length).toBe(1256);
    expect(text(example)).toContain('<title>Example Domain</title>');
  });
});

describe('content and transfer encodings', () => {
  it('decodes the Brotli body to the same page stored uncompressed', async () => {
    const br = await response('edge-cases/webarchive-discovery/transfer_compression_brotli.warc.gz');
    expect(getHeader(br.httpHeaders!, 'Content-Encoding')).toBe('br');
    const plain = await response('edge-cases/webarchive-discovery/truncated_datetime.warc');
    expect(text(br)).toMatch(/^<html>[\s\S]*<title>Simple page<\/title>[\s\S]*<\/html>\n$/);
    expect(sha1(br.payload!)).toBe(sha1(plain.payload!));
    expect(br.notes).toEqual([]);
  });

  it('de-chunks and gunzips gowarc/test.warc.gz to the real platform.js', async () => {
    const r = await response('edge-cases/gowarc/test.warc.gz');
    expect(getHeader(r.httpHeaders!, 'Transfer-Encoding')).toMatch(/chunked/i);
    expect(getHeader(r.httpHeaders!, 'Content-Encoding')).toBe('gzip');
    expect(r.contentType).toBe('text/javascript');
    expect(text(r)).toMatch(/^\(function\(\)\{var /);
    expect(text(r)).toMatch(/\}\)\.call\(this\);\n$/);
    expect(r.notes).toEqual([]);
  });

  it('de-chunks and zstd-decodes the Facebook page in fb.warc.gz', async () => {
    const r = await response('recent/warcbench/fb.warc.gz', 'https://www.facebook.com/unsupportedbrowser');
    expect(getHeader(r.httpHeaders!, 'Content-Encoding')).toBe('zstd');
    expect(r.payload!.length).toBeGreaterThan(55_000);
    expect(text(r)).toMatch(/^<!DOCTYPE html>\n<html lang="en"/);
    expect(text(r)).toMatch(/<\/html>$/);
    expect(r.notes).toEqual([]);
  });

  it('de-chunks and gunzips the Perma.cc page in lil-projects.warc.gz', async () => {
    const r = await response('recent/js-wacz/lil-projects.warc.gz', 'https://lil.law.harvard.edu/projects/');
    expect(text(r)).toContain('Projects | Library Innovation Lab');
    expect(text(r)).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
  });

  it('gunzips the canonical warcio example, identically from .warc, .warc.gz and whole-file gzip', async () => {
    const a = await response('edge-cases/warcio/example.warc');
    const b = await response('edge-cases/warcio/example.warc.gz');
    const c = await response('edge-cases/warcio/example-bad-non-chunked.warc.gz');
    expect(getHeader(a.httpHeaders!, 'Content-Encoding')).toBe('gzip');
    expect(text(a)).toMatch(/^<!doctype html>[\s\S]*Example Domain/);
    expect(sha1(b.payload!)).toBe(sha1(a.payload!));
    expect(sha1(c.payload!)).toBe(sha1(a.payload!));
  });

  it('de-chunks raw chunked bodies, chunk extensions and trailers included', async () => {
    const chunked = await response('edge-cases/ipwb/baconIpsum_chunked.warc');
    const trailers = await response('edge-cases/ipwb/baconIpsum_chunked_httpTrailors.warc');
    expect(text(chunked)).toMatch(/^<html>\n<body>\n<p>Bacon ipsum[\s\S]*<\/html>$/);
    expect(sha1(trailers.payload!)).toBe(sha1(chunked.payload!));
    const iana = await response('edge-cases/warcio/example-iana.org-chunked.warc');
    expect(text(iana)).toMatch(/^<!doctype html>[\s\S]*<\/html>\n$/);
    for (const file of ['edge-cases/dolma/sample-0000.warc.gz', 'edge-cases/dolma/sample-0001.warc.gz']) {
      const chunkedOnes = (await records(file)).filter(
        (r) => r.warcType === 'response' && /chunked/i.test(getHeader(r.httpHeaders!, 'Transfer-Encoding') ?? ''),
      );
      expect(chunkedOnes.length).toBe(file.endsWith('0000.warc.gz') ? 2 : 4);
      for (const r of chunkedOnes) {
        expect(text(r)).toMatch(/^\s*<(!DOCTYPE|!doctype|html)/);
        expect(r.notes).toEqual([]);
      }
    }
  });

  it('does not de-chunk bodies that carry a chunked header but are stored de-chunked', async () => {
    const iana = await records('edge-cases/pywb/iana.warc.gz');
    const flagged = iana.filter((r) => r.notes.some((n) => n.startsWith('Transfer-Encoding: chunked header but body is not chunked')));
    expect(flagged).toHaveLength(25);
    const books = await records('edge-cases/node-warc/books.toscrape.warc');
    const page = books.find((r) => r.targetUri === 'http://books.toscrape.com/' && r.warcType === 'response')!;
    expect(text(page)).toMatch(/^<!DOCTYPE html>/);
    expect(books.filter((r) => r.notes.some((n) => n.includes('body is not chunked')))).toHaveLength(4);
  });

  it('survives archive-query-log’s lying headers and doubled status lines', async () => {
    const files = corpusWarcFiles().filter((f) => f.startsWith('recent/archive-query-log/'));
    expect(files).toHaveLength(6);
    for (const file of files) {
      const rs = await records(file);
      const resp = rs.find((r) => r.warcType === 'response')!;
      const req = rs.find((r) => r.warcType === 'request')!;
      expect(resp.httpStatus).toBe(200);
      expect(getHeader(resp.httpHeaders!, 'Content-Encoding')).toBe('gzip');
      expect(text(resp)).toMatch(/^\s*<!doctype html>/i);
      expect(resp.notes).toContain('Content-Encoding: gzip header but body is not gzip; kept as is');
      expect(req.httpStatus).toBeNull();
      expect(req.httpHeaders!.length).toBeGreaterThan(0);
      expect(getHeader(resp.warcHeaders, 'Archived-URL')).toMatch(/^\{/);
    }
  });
});

describe('record fields', () => {
  it('gives non-HTTP blocks no HTTP headers and the WARC Content-Type', async () => {
    const rs = await records('edge-cases/warcio/example-resource.warc.gz');
    const resource = rs.find((r) => r.warcType === 'resource')!;
    expect(resource).toMatchObject({ httpHeaders: null, httpStatus: null, contentType: 'text/html; charset=utf-8' });
    expect(text(resource)).toContain('<title>Example Domain</title>');
    const warcinfo = rs.find((r) => r.warcType === 'warcinfo')!;
    expect(warcinfo).toMatchObject({ httpHeaders: null, contentType: 'application/warc-fields', targetUri: null });
    expect(text(warcinfo)).toMatch(/^software: Webrecorder Platform/);
    const meta = (await records('cc/whirlwind/whirlwind.warc.gz')).find((r) => r.warcType === 'metadata')!;
    expect(meta.httpHeaders).toBeNull();
    expect(text(meta)).toContain('languages-cld2: {');
    const wet = (await records('cc/whirlwind/whirlwind.warc.wet.gz')).find((r) => r.warcType === 'conversion')!;
    expect(wet).toMatchObject({ contentType: 'text/plain', httpHeaders: null });
    expect(wet.payload!.length).toBe(4456);
  });

  it('gives revisits HTTP headers and no payload, requests their POST bodies', async () => {
    const revisit = (await records('edge-cases/pywb/iana.warc.gz')).find((r) => r.warcType === 'revisit')!;
    expect(revisit.httpStatus).toBe(200);
    expect(revisit.httpHeaders!.length).toBeGreaterThan(0);
    expect(revisit.payload).toBeNull();
    const posts = (await records('edge-cases/warcio/post-test.warc.gz')).filter((r) => r.warcType === 'request');
    expect(posts.map(text)).toEqual(['foo=bar&test=abc', 'A=1&B=[]&C=3', 'data=^']);
    expect(posts.every((r) => r.httpStatus === null)).toBe(true);
  });

  it('normalises odd WARC-Dates and keeps the raw value', async () => {
    const minute = await response('edge-cases/webarchive-discovery/truncated_datetime.warc');
    expect([minute.warcDateRaw, minute.warcDate]).toEqual(['2019-08-15T01:02', '2019-08-15T01:02:00Z']);
    const micro = await response('edge-cases/warcio.js/redirect.warc');
    expect([micro.warcDateRaw, micro.warcDate]).toEqual(['2020-04-12T18:42:50.696509Z', '2020-04-12T18:42:50.696Z']);
  });

  it('strips <…> from wget target URIs and keeps repeated WARC headers', async () => {
    const dolma = await records('edge-cases/dolma/sample-0000.warc.gz');
    const raw = dolma.map((r) => getHeader(r.warcHeaders, 'WARC-Target-URI')).filter((u) => u !== null);
    expect(raw.some((u) => u!.startsWith('<'))).toBe(true);
    expect(dolma.every((r) => r.targetUri === null || /^[a-z]+:/.test(r.targetUri))).toBe(true);
    const cc = await response('cc/cdx_toolkit-range-fetch/CC-MAIN-20250804083340-20250804113340-00340_667474763_7063.warc.gz');
    expect(getHeaderAll(cc.warcHeaders, 'WARC-Protocol')).toEqual(['h2', 'tls/1.3']);
  });

  it('marks WARC-Truncated revisits and capped payloads as truncated', async () => {
    const truncated = (await records('edge-cases/ipwb/sample-1.warc.gz')).filter((r) => getHeader(r.warcHeaders, 'WARC-Truncated'));
    expect(truncated).toHaveLength(10);
    expect(truncated.every((r) => r.payloadTruncated)).toBe(true);

    const capped = await readAll(corpusPath('recent/js-wacz/lil-projects.warc.gz'), { maxPayloadBytes: 4096 });
    const full = await readAll(corpusPath('recent/js-wacz/lil-projects.warc.gz'));
    expect(capped.records).toHaveLength(full.records.length);
    for (let i = 0; i < full.records.length; i++) {
      const [c, f] = [capped.records[i], full.records[i]];
      expect(c.recordId).toBe(f.recordId);
      expect(c.payload?.length ?? 0).toBeLessThanOrEqual(4096);
      if ((f.payload?.length ?? 0) > 4096) {
        expect(c.payloadTruncated).toBe(true);
        expect(c.notes.some((n) => /capped at 4096 /.test(n))).toBe(true);
      }
    }
    const page = capped.records.find((r) => r.targetUri === 'https://lil.law.harvard.edu/projects/' && r.warcType === 'response')!;
    // a capped chunked+gzip body still decodes as far as it goes
    expect(text(page)).toMatch(/^<!DOCTYPE html>/);
  });
});

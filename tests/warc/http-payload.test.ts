/**
 * Unit tests for HTTP head parsing and payload decoding, and for WARC header
 * normalisation. Inputs here are SYNTHETIC (built in the test, named as such);
 * the behaviour on real records is covered by payload.test.ts.
 */
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dechunk, decodeHttpBody, looksChunked, parseHttpHead } from '../../src/sources/warc/http-payload.js';
import { cleanTargetUri, normaliseWarcDate, parseWarcHeaderBlock } from '../../src/sources/warc/warc-headers.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const str = (u: Uint8Array): string => Buffer.from(u).toString('latin1');
const syntheticHtml = '<!doctype html><html><body>' + 'synthetic paragraph text. '.repeat(400) + '</body></html>';
const opts = { truncated: false, maxBytes: 1 << 20 };

describe('parseHttpHead (synthetic)', () => {
  it('repairs a doubled status line and keeps repeated headers', () => {
    const head = parseHttpHead(b('HTTP/1.1 HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\nbody'))!;
    expect(head.kind).toBe('response');
    expect(head.status).toBe(200);
    expect(head.headers).toEqual([
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
    ]);
    expect(head.notes[0]).toMatch(/malformed status line repaired/);
    expect(head.bodyStart).toBe(b('HTTP/1.1 HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n').length);
  });

  it('accepts bare LF, folded headers, HTTP/2 and request lines', () => {
    const block = b('HTTP/2 404\nContent-Type: text/html\nX-Long: part one\n  part two\n\n<p>');
    const lf = parseHttpHead(block)!;
    expect(lf).toMatchObject({ kind: 'response', status: 404, bodyStart: block.indexOf('<p>') });
    expect(lf.headers).toEqual([
      ['Content-Type', 'text/html'],
      ['X-Long', 'part one part two'],
    ]);
    const req = parseHttpHead(b('POST /form HTTP/1.1\r\nHost: x\r\n\r\na=1'))!;
    expect(req).toMatchObject({ kind: 'request', status: null });
  });

  it('returns null for a block that is not HTTP, and handles a head with no blank line', () => {
    expect(parseHttpHead(b('20080430204825\nwww.example.com.\t589\tIN\tA\t1.2.3.4\n'))).toBeNull();
    const headOnlyBlock = b('HTTP/1.0 304 Not Modified\r\nETag: "x"');
    const headOnly = parseHttpHead(headOnlyBlock)!;
    expect(headOnly.status).toBe(304);
    expect(headOnly.bodyStart).toBe(headOnlyBlock.length);
    expect(headOnly.notes).toContain('HTTP headers not terminated by a blank line');
  });
});

describe('chunked transfer coding (synthetic)', () => {
  it('de-chunks with extensions and trailers', () => {
    const body = b('5;ext="x"\r\nhello\r\n6\r\n world\r\n0\r\nExpires: never\r\n\r\n');
    expect(looksChunked(body)).toBe(true);
    expect(dechunk(body)).toEqual({ body: b('hello world'), incomplete: false });
  });

  it('does not mistake hex-looking text for chunks', () => {
    expect(looksChunked(b('cafe\r\n<html>short</html>'))).toBe(false);
    expect(looksChunked(b('<html>'))).toBe(false);
    expect(looksChunked(b('ab\r\n'))).toBe(false);
    // …unless the body is known to be cut short (CC-style truncation inside the first chunk)
    expect(looksChunked(b('ffff\r\n<html>cut'), true)).toBe(true);
  });

  it('keeps a non-chunked body with a chunked header as is, with a note', () => {
    const r = decodeHttpBody(b(syntheticHtml), [['Transfer-Encoding', 'chunked']], opts);
    expect(str(r.payload)).toBe(syntheticHtml);
    expect(r.notes).toEqual(['Transfer-Encoding: chunked header but body is not chunked; kept as is']);
  });
});

describe('content codings (synthetic)', () => {
  const html = b(syntheticHtml);
  it.each([
    ['gzip', gzipSync(html)],
    ['x-gzip', gzipSync(html)],
    ['deflate', deflateSync(html)],
    ['deflate', deflateRawSync(html)],
    ['br', brotliCompressSync(html)],
  ])('decodes %s', (coding, encoded) => {
    const r = decodeHttpBody(encoded, [['Content-Encoding', coding]], opts);
    expect(r).toEqual({ payload: html, notes: [], truncated: false });
  });

  it('de-chunks, then decodes', () => {
    const gz = gzipSync(html);
    const chunked = Buffer.concat([b(`${gz.length.toString(16)}\r\n`), gz, b('\r\n0\r\n\r\n')]);
    const r = decodeHttpBody(
      chunked,
      [
        ['Transfer-Encoding', 'chunked'],
        ['Content-Encoding', 'gzip'],
      ],
      opts,
    );
    expect(str(r.payload)).toBe(syntheticHtml);
  });

  it('never decodes an already-decoded body (headers that lie, renamed headers)', () => {
    for (const coding of ['gzip', 'br', 'deflate', 'zstd']) {
      const r = decodeHttpBody(html, [['Content-Encoding', coding]], opts);
      expect(str(r.payload)).toBe(syntheticHtml);
      expect(r.notes[0]).toMatch(/body is not|not encoded/);
    }
    const cc = decodeHttpBody(
      html,
      [
        ['X-Crawler-Content-Encoding', 'gzip'],
        ['x-orig-content-encoding', 'br'],
      ],
      opts,
    );
    expect(cc).toEqual({ payload: html, notes: [], truncated: false });
  });

  it('keeps the raw bytes with a note when decoding fails', () => {
    const broken = Buffer.from(gzipSync(html));
    broken.fill(0xff, 30, 60);
    const r = decodeHttpBody(broken, [['Content-Encoding', 'gzip']], opts);
    expect(Buffer.compare(Buffer.from(r.payload), broken)).toBe(0);
    expect(r.notes[0]).toMatch(/^could not decode Content-Encoding gzip/);
    const unknown = decodeHttpBody(html, [['Content-Encoding', 'compress']], opts);
    expect(unknown.notes[0]).toMatch(/unsupported Content-Encoding/);
  });

  it('decodes what there is of a cut stream and says so', () => {
    const gz = gzipSync(html);
    const r = decodeHttpBody(gz.subarray(0, Math.floor(gz.length / 2)), [['Content-Encoding', 'gzip']], { ...opts, truncated: true });
    expect(r.truncated).toBe(true);
    expect(r.payload.length).toBeGreaterThan(0);
    expect(syntheticHtml.startsWith(str(r.payload))).toBe(true);
  });

  it('caps the decoded size, keeping a correct prefix', () => {
    for (const [coding, encoded] of [
      ['gzip', gzipSync(html)],
      ['br', brotliCompressSync(html)],
      ['deflate', deflateSync(html)],
    ] as const) {
      const r = decodeHttpBody(encoded, [['Content-Encoding', coding]], { truncated: false, maxBytes: 3000 });
      expect(r.truncated).toBe(true);
      expect(r.payload.length).toBe(3000);
      expect(syntheticHtml.startsWith(str(r.payload))).toBe(true);
      expect(r.notes).toEqual([`decoded ${coding} payload capped at 3000 bytes`]);
    }
  });
});

describe('WARC headers (synthetic)', () => {
  it.each([
    ['2024-05-18T01:58:10Z', '2024-05-18T01:58:10Z'],
    ['2019-08-15T01:02', '2019-08-15T01:02:00Z'],
    ['2020-04-12T18:42:50.696509Z', '2020-04-12T18:42:50.696Z'],
    ['2014-03-04T19:23:21.000Z', '2014-03-04T19:23:21.000Z'],
    ['2024-05-18', '2024-05-18T00:00:00Z'],
    ['2024-05-18T03:58:10+02:00', '2024-05-18T01:58:10Z'],
    ['20080430204825', '2008-04-30T20:48:25Z'],
    ['2024-02-30T00:00:00Z', null],
    ['yesterday', null],
  ])('normalises %s', (raw, want) => {
    expect(normaliseWarcDate(raw)).toBe(want);
  });

  it('strips wget angle brackets from target URIs', () => {
    expect(cleanTargetUri('<https://example.org/a>')).toBe('https://example.org/a');
    expect(cleanTargetUri(' dns:example.org ')).toBe('dns:example.org');
  });

  it('parses a header block and rejects one without Content-Length', () => {
    const ok = parseWarcHeaderBlock(
      b('WARC/1.1\r\nWARC-Type: response\r\nWARC-Protocol: h2\r\nWARC-Protocol: tls/1.3\r\nContent-Length: 12\r\n\r\n'),
    );
    expect(ok).toEqual({
      ok: true,
      value: {
        version: '1.1',
        headers: [
          ['WARC-Type', 'response'],
          ['WARC-Protocol', 'h2'],
          ['WARC-Protocol', 'tls/1.3'],
          ['Content-Length', '12'],
        ],
        contentLength: 12,
        notes: [],
      },
    });
    expect(parseWarcHeaderBlock(b('WARC/1.0\r\nWARC-Type: response\r\n\r\n'))).toEqual({
      ok: false,
      message: 'WARC header has no Content-Length',
    });
  });
});

import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { chooseCharset, decodeHtml, normalizeCharsetLabel, prescanMetaCharset } from '../../src/extract/charset.js';
import { extractDocument } from '../../src/extract/index.js';
import { ccResponse, devPage, qslResponse } from './corpus.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('charset labels (WHATWG table + real-world aliases)', () => {
  it.each([
    ['iso-8859-1', 'windows-1252'],
    ['ISO_8859-1', 'windows-1252'],
    ['latin1', 'windows-1252'],
    ['gb2312', 'gbk'],
    ['GB_2312-80', 'gbk'],
    ['utf8', 'utf-8'],
    ['"UTF-8"', 'utf-8'],
    ['x-sjis', 'shift_jis'],
    ['euc-jp', 'euc-jp'],
    ['cp1251', 'windows-1251'],
    // Misspellings seen in the wild: qsl.net declares "iso-8559-1".
    ['iso-8559-1', 'windows-1252'],
    ['iso8859_15', 'iso-8859-15'],
    ['win-1251', 'windows-1251'],
    ['shift-jis', 'shift_jis'],
  ])('%s → %s', (label, name) => {
    expect(normalizeCharsetLabel(label)).toBe(name);
  });

  it('returns null for unknown labels', () => {
    expect(normalizeCharsetLabel('no-such-charset')).toBeNull();
    expect(normalizeCharsetLabel('')).toBeNull();
    expect(normalizeCharsetLabel(null)).toBeNull();
  });
});

describe('decoding real Common Crawl bodies (resiliparse sample, CC-MAIN-2020-34)', () => {
  it('windows-1251 from the HTTP header (Russian)', () => {
    const r = ccResponse('http://01spb.ru/company/');
    const d = decodeHtml(r.body, r.contentType);
    expect(d).toMatchObject({ charset: 'windows-1251', source: 'http' });
    expect(d.text).toContain('пожарной безопасности');
  });

  it('gb2312 from the HTTP header decodes as gbk (Chinese)', () => {
    const r = ccResponse('http://0760.jxtdw.com/area/sanxiang/');
    expect(r.contentType).toMatch(/gb2312/i);
    const d = decodeHtml(r.body, r.contentType);
    expect(d).toMatchObject({ charset: 'gbk', source: 'http' });
    expect(d.text).toContain('中山英才网');
  });

  it('gbk declared only by <meta http-equiv>', () => {
    const r = ccResponse('http://0755krk.com/76104/list_4_1.html');
    expect(r.contentType).toBe('text/html');
    const d = decodeHtml(r.body, r.contentType);
    expect(d).toMatchObject({ charset: 'gbk', source: 'meta' });
    expect(d.text).toContain('不锈钢精密铸造件系列');
  });

  it('iso-8859-1 declared by <meta> decodes as windows-1252 (German)', () => {
    const r = ccResponse('http://06.live-radsport.ch/tippspiel/stats_140_petzi.html');
    const d = decodeHtml(r.body, r.contentType);
    expect(d).toMatchObject({ charset: 'windows-1252', source: 'meta' });
    expect(d.text).toContain('Sieger-Übersichten');
    expect(d.text).toContain('España');
    // 0x92 is "’" in windows-1252 (the label iso-8859-1 maps to), not a C1 control.
    expect(d.text).toContain('d’Italia');
  });

  it('the HTTP charset outranks <meta>, which is used when HTTP is silent', () => {
    const r = ccResponse('http://0760.jxtdw.com/area/sanxiang/');
    expect(chooseCharset(r.body, r.contentType)).toEqual({ charset: 'gbk', source: 'http' });
    expect(chooseCharset(r.body, 'text/html')).toEqual({ charset: 'gbk', source: 'meta' });
    expect(chooseCharset(r.body, null)).toEqual({ charset: 'gbk', source: 'meta' });
  });

  it('falls back to detection when nothing is declared (real GBK page, <meta> removed)', () => {
    const r = ccResponse('http://0755krk.com/76104/list_4_1.html');
    // Blank out the declaration in the real bytes (same length, so nothing else moves).
    const latin = Buffer.from(r.body)
      .toString('latin1')
      .replace(/charset=gbk/i, 'xxxxxxxxxxx');
    const bytes = Buffer.from(latin, 'latin1');
    expect(prescanMetaCharset(bytes)).toBeNull();
    const d = decodeHtml(bytes, 'text/html');
    expect(d.source).toBe('detected');
    expect(['gbk', 'gb18030']).toContain(d.charset);
    expect(d.text).toContain('不锈钢精密铸造件系列');
  });
});

describe('byte-order mark and misspelled labels (warc2zim qsl.net sample)', () => {
  it('a UTF-8 BOM wins over a <meta> declaring "iso-8559-1"', () => {
    const r = qslResponse();
    expect(Buffer.from(r.body).toString('latin1')).toMatch(/charset=iso-8559-1/);
    const d = decodeHtml(r.body, r.contentType);
    expect(d).toMatchObject({ charset: 'utf-8', source: 'bom' });
    expect(d.text).toContain('Radio Österreich International');
    expect(d.text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('without the BOM the misspelled <meta> label is repaired to windows-1252', () => {
    const r = qslResponse();
    // Real page with its BOM cut off and its UTF-8 text re-encoded the way the label claims.
    const text = new TextDecoder('utf-8').decode(r.body.subarray(3));
    const bytes = iconv.encode(text, 'windows-1252');
    const d = decodeHtml(bytes, r.contentType);
    expect(d).toMatchObject({ charset: 'windows-1252', source: 'meta' });
    expect(d.text).toContain('Radio Österreich International');
  });
});

describe('mislabelled UTF-8', () => {
  it('a page declaring gb2312 whose bytes are valid UTF-8 is read as UTF-8 (Readability test page)', () => {
    const page = devPage('mozilla-readability', 'qq');
    expect(Buffer.from(page.html).toString('latin1')).toMatch(/charset=gb2312/i);
    const d = decodeHtml(page.html, null);
    expect(d).toMatchObject({ charset: 'utf-8', source: 'detected' });
    expect(d.text).toContain('DeepMind新电脑已可利用记忆自学');
  });
});

describe('synthetic fixtures for charsets absent from the shared samples', () => {
  // No real EUC-JP / Shift_JIS / Big5 / EUC-KR page exists in /work/shared; these
  // documents are generated here and named as synthetic.
  it.each([
    ['euc-jp', '日本語のテキストです。東京都の天気は晴れ。'],
    ['shift_jis', '日本語のテキストです。大阪の天気は雨。'],
    ['big5', '這是一段繁體中文的文字，台北今天天氣晴朗。'],
    ['euc-kr', '한국어 텍스트입니다. 서울의 날씨는 맑음.'],
  ])('synthetic %s page declared by <meta charset>', (charset, sentence) => {
    const html = `<!doctype html><html><head><meta charset="${charset}"><title>t</title></head><body><p>${sentence}</p></body></html>`;
    const bytes = iconv.encode(html, charset);
    const d = decodeHtml(bytes, null);
    expect(d.source).toBe('meta');
    expect(d.charset).toBe(charset);
    expect(d.text).toContain(sentence);
  });

  it('synthetic UTF-16LE page with a BOM', () => {
    const html = '<html><body><p>Grüße aus Köln</p></body></html>';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(html, 'utf16le')]);
    const d = decodeHtml(bytes, 'text/html; charset=iso-8859-1');
    expect(d).toMatchObject({ charset: 'utf-16le', source: 'bom' });
    expect(d.text).toContain('Grüße aus Köln');
  });

  it('defaults: ASCII → utf-8, undeclared non-UTF-8 bytes are never decoded as UTF-8', () => {
    expect(chooseCharset(utf8('<p>plain ascii</p>'), null)).toEqual({ charset: 'utf-8', source: 'default' });
    expect(chooseCharset(utf8('<p>Grüße</p>'), null)).toEqual({ charset: 'utf-8', source: 'detected' });
    const latin = iconv.encode('<p>Grüße aus Köln, schöne Straße</p>', 'windows-1252');
    const choice = chooseCharset(latin, null);
    expect(choice.charset).not.toBe('utf-8');
    expect(['detected', 'default']).toContain(choice.source);
  });

  it('<meta> inside an HTML comment is ignored', () => {
    const bytes = utf8('<!-- <meta charset="koi8-r"> --><meta charset="utf-8"><p>x</p>');
    expect(prescanMetaCharset(bytes)).toBe('utf-8');
  });
});

describe('extractDocument reports the charset it used', () => {
  it('passes the HTTP Content-Type through', () => {
    const r = ccResponse('http://01spb.ru/company/');
    const doc = extractDocument({ html: r.body, contentType: r.contentType, url: r.uri });
    expect(doc.charset).toBe('windows-1251');
    expect(doc.charsetSource).toBe('http');
    expect(doc.text).toContain('пожарной безопасности');
    expect(doc.lang).toBe('rus');
  });
});

/**
 * Cross-check against an independent parser: warcio.js 2.4.11 (a project
 * dependency). On the files where PROVENANCE documents no warcio.js misread,
 * both readers must see the same records in the same order; on Common Crawl
 * files (payloads stored decoded, nothing to interpret) the same payload bytes.
 */
import { createReadStream } from 'node:fs';
import { WARCParser } from 'warcio';
import { describe, expect, it } from 'vitest';
import { corpusPath, corpusWarcFiles, readAll, sha1 } from './corpus.js';

/** Files on which PROVENANCE.md documents warcio.js 2.4.11 misreading or both parsers failing. */
const WARCIO_WRONG = new Set([
  'edge-cases/ipwb/IAH-20080430204825-00000-blackbook.warc.gz', // desyncs after 26 dns: records
  'edge-cases/warcio/example-wrong-chunks.warc.gz', // reads 1 of 2 records
  'edge-cases/ipwb/broken.warc', // yields the junk as a null-type record
  'edge-cases/warcio/example-trunc.warc', // "Content-Length Too Small"
  'edge-cases/resiliparse/clipped.warc.gz', // truncated gzip
]);

interface Seen {
  type: string | null;
  id: string | null;
  uri: string | null;
  payloadSha1?: string;
}

async function warcioRead(file: string, withPayload: boolean): Promise<Seen[]> {
  const out: Seen[] = [];
  const parser = new WARCParser(createReadStream(file));
  for await (const record of parser) {
    const seen: Seen = {
      type: record.warcType ?? null,
      id: record.warcHeader('WARC-Record-ID') ?? null,
      uri: record.warcTargetURI ?? null,
    };
    if (withPayload) {
      const body = await record.readFully(true);
      seen.payloadSha1 = sha1(body);
    }
    out.push(seen);
  }
  return out;
}

const files = corpusWarcFiles().filter((f) => !WARCIO_WRONG.has(f));

describe('same records as warcio.js', () => {
  it.each(files)('%s', async (file) => {
    const withPayload = file.startsWith('cc/');
    const theirs = await warcioRead(corpusPath(file), withPayload);
    const ours = (await readAll(corpusPath(file))).records.map((r) => {
      const seen: Seen = {
        type: r.warcType,
        id: r.recordId,
        uri: r.targetUri,
      };
      if (withPayload) seen.payloadSha1 = sha1(r.payload ?? new Uint8Array());
      return seen;
    });
    // warcio.js keeps wget's <…> around target URIs; compare without them.
    const unbracket = (s: Seen): Seen => ({ ...s, uri: s.uri?.replace(/^<(.*)>$/, '$1') ?? null });
    expect(ours.map(unbracket)).toEqual(theirs.map(unbracket));
  });
});

/**
 * Every real WARC/WAT/WET file in shared/corpora/warc (cc/, edge-cases/, recent/)
 * is read without a crash, with the record and type counts its PROVENANCE.md
 * profile states, with the read errors we expect (and no others), and with
 * record offsets that tile the file.
 */
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath, corpusWarcFiles, provenanceProfiles, readAll, typeCounts } from './corpus.js';

const profiles = provenanceProfiles();
const files = corpusWarcFiles();

/**
 * Where PROVENANCE's two parsers disagree and the stated profile is not what a
 * correct reader yields.
 */
const COUNT_OVERRIDES: Record<string, { types: Record<string, number>; why: string }> = {
  'edge-cases/warcio/example-trunc.warc': {
    types: { warcinfo: 2, response: 1, request: 1 },
    why:
      'The response declares Content-Length 973 but its block is 975 bytes, so two NUL bytes sit where the ' +
      'next record should start (junk at 2560). The profiling parser stopped there (3 records); the request ' +
      'after the junk is a complete, valid record, so a resynchronising reader returns it too (warcio.js also ' +
      'reads 4). The junk itself is reported as an error item.',
  },
};

/** Expected read errors: [code, offset, offsetKind]. Every other file must read without errors. */
const EXPECTED_ERRORS: Record<string, Array<[string, number, 'file' | 'uncompressed']>> = {
  // One gzip member with 12 complete records, then ASCII "CORRUPTED_GZIP_STREAM_DATA_INVALID".
  'edge-cases/gowarc/corrupted-mid-record.warc.gz.open': [['junk', 1219, 'file']],
  // One gzip member with 30 records, then "GARBAGE_DATA_THAT_SHOULDNT_BE_HERE_12345…".
  'edge-cases/gowarc/corrupted-trailing-bytes.warc.gz.open': [['junk', 2362, 'file']],
  // A Content-Length of 7 leaves the rest of the HTTP response as junk at 3321 (PROVENANCE).
  'edge-cases/ipwb/broken.warc': [['junk', 3321, 'file']],
  // The only gzip member never ends: the file was cut.
  'edge-cases/resiliparse/clipped.warc.gz': [['truncated-gzip', 0, 'file']],
  // Two NUL bytes after the response block (PROVENANCE: junk at 2560).
  'edge-cases/warcio/example-trunc.warc': [['junk', 2560, 'file']],
};

describe('corpus profiles', () => {
  it('finds the corpus and a profile for every WARC file in it', () => {
    expect(files.length).toBeGreaterThanOrEqual(50);
    const missing = files.filter((f) => !profiles.has(f));
    expect(missing).toEqual([]);
  });

  it.each(files)('%s', async (file) => {
    const profile = profiles.get(file)!;
    const { records, errors } = await readAll(corpusPath(file));
    const size = statSync(corpusPath(file)).size;

    // counts
    const expectedTypes = COUNT_OVERRIDES[file]?.types ?? profile.types;
    expect(typeCounts(records)).toEqual(expectedTypes);

    // errors
    const expectedErrors = EXPECTED_ERRORS[file] ?? [];
    expect(errors.map((e) => [e.code, e.offset, e.offsetKind])).toEqual(expectedErrors);
    for (const e of errors) {
      expect(e.message.length).toBeGreaterThan(10);
      expect(e.source).toBe(corpusPath(file));
    }

    // every record is well formed
    for (const r of records) {
      expect(profile.versions).toContain(r.warcVersion);
      expect(r.warcDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
      expect(r.recordId).toMatch(/^<.*>$/);
      expect(r.length).toBeGreaterThan(0);
      if (r.offsetKind === 'file') expect(r.offset + r.length).toBeLessThanOrEqual(size);
      if (r.targetUri !== null) expect(r.targetUri).not.toMatch(/^<|>$/);
    }

    // records come in order and do not overlap; without errors they tile the whole (decompressed) file
    const kinds = new Set(records.map((r) => r.offsetKind));
    expect(kinds.size).toBe(1);
    for (let i = 1; i < records.length; i++) {
      expect(records[i].offset).toBeGreaterThanOrEqual(records[i - 1].offset + records[i - 1].length);
    }
    if (errors.length === 0) {
      expect(records[0].offset).toBe(0);
      for (let i = 1; i < records.length; i++) {
        expect(records[i].offset).toBe(records[i - 1].offset + records[i - 1].length);
      }
      if (records[0].offsetKind === 'file') {
        const last = records[records.length - 1];
        expect(last.offset + last.length).toBe(size);
      }
    }

    // one gzip member per record ⇒ every record is addressable by its member
    if (profile.gzipMembers !== null && profile.gzipMembers === profile.records) {
      expect([...kinds]).toEqual(['file']);
    }
  });

  it('reports whole-file gzip records with uncompressed offsets', async () => {
    for (const file of [
      'edge-cases/warcio/example-bad-non-chunked.warc.gz',
      'edge-cases/warcio/example-bad.warc.gz.bad',
      'edge-cases/gowarc/corrupted-trailing-bytes.warc.gz.open',
    ]) {
      const { records } = await readAll(corpusPath(file));
      expect(records.every((r) => r.offsetKind === 'uncompressed')).toBe(true);
    }
  });

  it('reads a file whose .warc name hides per-record gzip (py-wacz/example-iana.warc)', async () => {
    const { records } = await readAll(corpusPath('recent/py-wacz/example-iana.warc'));
    expect(records).toHaveLength(118);
    expect(records.every((r) => r.offsetKind === 'file')).toBe(true);
    expect(records.filter((r) => r.warcType === 'revisit')).toHaveLength(34);
  });

  it('reads WARC/0.17 with its dns: records in sync (ipwb/IAH-…-blackbook)', async () => {
    const { records } = await readAll(corpusPath('edge-cases/ipwb/IAH-20080430204825-00000-blackbook.warc.gz'));
    expect(records).toHaveLength(822);
    expect(records.every((r) => r.warcVersion === '0.17')).toBe(true);
    const dns = records.filter((r) => r.targetUri?.startsWith('dns:'));
    expect(dns).toHaveLength(38);
    for (const r of dns) {
      expect(r.warcType).toBe('response');
      expect(r.httpHeaders).toBeNull();
      expect(r.httpStatus).toBeNull();
      expect(r.contentType).toBe('text/dns');
      expect(Buffer.from(r.payload!).toString('latin1')).toMatch(/\tIN\t/);
    }
    // PROVENANCE: 261 HTTP responses, status 200 ×214, 404 ×40, 302 ×5, 301 ×2.
    const statuses: Record<number, number> = {};
    for (const r of records) if (r.warcType === 'response' && r.httpStatus !== null) statuses[r.httpStatus] = (statuses[r.httpStatus] ?? 0) + 1;
    expect(statuses).toEqual({ 200: 214, 404: 40, 302: 5, 301: 2 });
  });

  it('yields a junk error, not a crash, for a file that is not a WARC at all', async () => {
    // A path listing that happens to be named .warc (index/paths/cc-mrjob-test-100.warc).
    const { records, errors } = await readAll(corpusPath('index/paths/cc-mrjob-test-100.warc'));
    expect(records).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'junk', offset: 0, offsetKind: 'file' });
    expect(errors[0].message).toContain(`${statSync(corpusPath('index/paths/cc-mrjob-test-100.warc')).size} bytes skipped`);
  });
});

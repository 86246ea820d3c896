/**
 * Test helpers: the real WARC corpus in shared/corpora/warc and the record
 * profiles its PROVENANCE.md states for each file.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWarcFile } from '../../src/sources/warc/index.js';
import type { WarcItem, WarcReadError, WarcRecord } from '../../src/core/types.js';
import { isReadError } from '../../src/core/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** shared/ sits beside the checkout (/work/main ↔ /work/shared, and in CI). */
export const CORPUS = process.env.CCAUDIT_WARC_CORPUS ?? path.resolve(here, '../../../shared/corpora/warc');

export const corpusPath = (rel: string): string => path.join(CORPUS, rel);

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

/** Every WARC/WAT/WET file under cc/, edge-cases/ and recent/ (relative paths). */
export function corpusWarcFiles(): string[] {
  return ['cc', 'edge-cases', 'recent']
    .flatMap((d) => walk(corpusPath(d)))
    .map((f) => path.relative(CORPUS, f))
    .filter((f) => !/\.(md|tsv)$/.test(f));
}

export interface Profile {
  records: number;
  types: Record<string, number>;
  /** "N gzip members", or null when the profile says uncompressed / whole-file. */
  gzipMembers: number | null;
  versions: string[];
  /** The profile line as written. */
  line: string;
}

/**
 * Parse PROVENANCE.md: for each `### \`corpora/warc/<path>\`` section, its
 * "Profile" line ("…; 50 records (request 17, response 16, …); versions WARC/1.0; …").
 * A section named by a folder (archive-query-log) applies to every file in it.
 */
export function provenanceProfiles(): Map<string, Profile> {
  const text = readFileSync(corpusPath('PROVENANCE.md'), 'utf8');
  const sections = text.split(/^### /m).slice(1);
  const out = new Map<string, Profile>();
  for (const section of sections) {
    const name = /^`corpora\/warc\/([^`]+)`/.exec(section)?.[1];
    const line = /^- Profile[^:]*: (.*)$/m.exec(section)?.[1];
    if (!name || !line) continue;
    const rec = /(\d+) records \(([^)]*)\)/.exec(line);
    if (!rec) continue;
    const types: Record<string, number> = {};
    for (const part of rec[2].split(',')) {
      const m = /^\s*(\S+) (\d+)\s*$/.exec(part);
      if (m) types[m[1]] = Number(m[2]);
    }
    const members = /^(\d+) gzip members/.exec(line);
    const versions = [...line.matchAll(/WARC\/(\d+\.\d+)/g)].map((m) => m[1]);
    const profile: Profile = {
      records: Number(rec[1]),
      types,
      gzipMembers: members ? Number(members[1]) : null,
      versions,
      line,
    };
    if (name.endsWith('/')) {
      for (const f of walk(corpusPath(name))) out.set(path.relative(CORPUS, f), profile);
    } else {
      out.set(name, profile);
    }
  }
  return out;
}

export interface ReadAll {
  items: WarcItem[];
  records: WarcRecord[];
  errors: WarcReadError[];
}

export async function readAll(file: string, opts?: Parameters<typeof readWarcFile>[1]): Promise<ReadAll> {
  const items: WarcItem[] = [];
  for await (const item of readWarcFile(file, opts)) items.push(item);
  return {
    items,
    records: items.filter((i): i is WarcRecord => !isReadError(i)),
    errors: items.filter(isReadError),
  };
}

export function typeCounts(records: WarcRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of records) counts[r.warcType ?? 'null'] = (counts[r.warcType ?? 'null'] ?? 0) + 1;
  return counts;
}

/** A comparable summary of a record (payload as hex digest to keep diffs readable). */
export function recordKey(r: WarcRecord): Record<string, unknown> {
  return {
    offset: r.offset,
    length: r.length,
    offsetKind: r.offsetKind,
    warcVersion: r.warcVersion,
    warcType: r.warcType,
    recordId: r.recordId,
    targetUri: r.targetUri,
    warcDate: r.warcDate,
    warcHeaders: r.warcHeaders,
    httpStatus: r.httpStatus,
    httpHeaders: r.httpHeaders,
    contentType: r.contentType,
    payloadLength: r.payload?.length ?? null,
    payloadSha1: r.payload ? sha1(r.payload) : null,
    payloadTruncated: r.payloadTruncated,
  };
}

export function sha1(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

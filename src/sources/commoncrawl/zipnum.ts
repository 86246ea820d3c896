/**
 * Common Crawl's zipnum index: `cc-index/collections/<crawl>/indexes/cluster.idx` lists every
 * gzip block of the `cdx-NNNNN.gz` shards (first key, shard, offset, length, block number);
 * each block is one gzip member of ~3000 sorted CDXJ lines.
 *
 * Uniform sampling of index lines without reading the whole index: draw a block uniformly,
 * draw a line position uniformly in [0, W) where W bounds the lines per block (3000 for CC),
 * range-read the block and keep the draw only if the block has a line there. Accepting a
 * block with probability n_b/W is exactly "blocks weighted by their line counts", so every
 * line of the crawl is equally likely, including those in the short last block of each shard.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { CdxRecord } from './cdxj.js';
import type { HttpClient } from './fetcher.js';
import { AttemptError } from '../../core/retry.js';
import type { Rng } from '../../core/rng.js';

const gunzipAsync = promisify(gunzip);

/** Lines per block in CC's shards (webarchive-indexing `zipnumclusterjob.py`). */
export const CC_LINES_PER_BLOCK = 3000;

/** One line of cluster.idx. */
export interface ClusterIdxEntry {
  /** "<urlkey> <timestamp>" of the block's first line. */
  key: string;
  shard: string;
  offset: number;
  length: number;
  /** Block number as written (sequential over the whole index). */
  block: number;
}

export class ZipnumError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipnumError';
  }
}

/** Parses `<urlkey> <timestamp>\t<shard>\t<offset>\t<length>\t<block>`. */
export function parseClusterIdxLine(line: string): ClusterIdxEntry {
  const parts = line.replace(/\r$/, '').split('\t');
  if (parts.length < 4) throw new ZipnumError(`not a cluster.idx line (want 5 tab-separated fields): ${line.slice(0, 200)}`);
  const [key, shard, off, len, block] = parts;
  if (!/^\d+$/.test(off) || !/^\d+$/.test(len) || Number(len) === 0) {
    throw new ZipnumError(`bad offset/length in cluster.idx line: ${line.slice(0, 200)}`);
  }
  return { key, shard, offset: Number(off), length: Number(len), block: block && /^\d+$/.test(block) ? Number(block) : -1 };
}

/** Compact in-memory list of blocks (≈ 16 bytes per block; CC crawls have ~1–2 M blocks). */
export class ClusterIndex {
  readonly shards: string[] = [];
  private readonly shardIds = new Map<string, number>();
  private shardOf = new Uint32Array(1024);
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  size = 0;

  add(e: Pick<ClusterIdxEntry, 'shard' | 'offset' | 'length'>): void {
    if (this.size === this.offsets.length) this.grow();
    let s = this.shardIds.get(e.shard);
    if (s === undefined) {
      s = this.shards.length;
      this.shards.push(e.shard);
      this.shardIds.set(e.shard, s);
    }
    this.shardOf[this.size] = s;
    this.offsets[this.size] = e.offset;
    this.lengths[this.size] = e.length;
    this.size++;
  }

  block(i: number): { shard: string; offset: number; length: number } {
    if (i < 0 || i >= this.size) throw new RangeError(`block ${i} out of range 0..${this.size - 1}`);
    return { shard: this.shards[this.shardOf[i]], offset: this.offsets[i], length: this.lengths[i] };
  }

  private grow(): void {
    const n = this.offsets.length * 2;
    const s = new Uint32Array(n);
    s.set(this.shardOf);
    this.shardOf = s;
    const o = new Float64Array(n);
    o.set(this.offsets);
    this.offsets = o;
    const l = new Uint32Array(n);
    l.set(this.lengths);
    this.lengths = l;
  }
}

/**
 * SURT key prefixes to which sampling can be restricted (host/TLD filters): only blocks whose
 * key range can hold such keys are kept. The exact filter is still applied line by line.
 */
export function blockMayHold(first: string, next: string | null, prefixes: string[]): boolean {
  for (const p of prefixes) {
    if (first.startsWith(p)) return true;
    if (next !== null && next.startsWith(p)) return true;
    if (first < p && (next === null || next > p)) return true;
  }
  return false;
}

/** Reads cluster.idx lines into a ClusterIndex, optionally keeping only blocks that may hold `prefixes`. */
export async function loadClusterIndex(lines: AsyncIterable<string> | Iterable<string>, opts: { prefixes?: string[] } = {}): Promise<ClusterIndex> {
  const index = new ClusterIndex();
  const prefixes = opts.prefixes && opts.prefixes.length > 0 ? opts.prefixes : null;
  let prev: ClusterIdxEntry | null = null;
  let lineNo = 0;
  for await (const line of lines as AsyncIterable<string>) {
    lineNo++;
    if (line.trim() === '') continue;
    let e: ClusterIdxEntry;
    try {
      e = parseClusterIdxLine(line);
    } catch (err) {
      throw new ZipnumError(`cluster.idx line ${lineNo}: ${(err as Error).message}`);
    }
    if (prev && (!prefixes || blockMayHold(prev.key, e.key, prefixes))) index.add(prev);
    prev = e;
  }
  if (prev && (!prefixes || blockMayHold(prev.key, null, prefixes))) index.add(prev);
  return index;
}

/** `<data-url>/cc-index/collections/<crawl>/indexes/<file>`. */
export function zipnumUrl(dataUrl: string, crawl: string, file: string): string {
  return `${dataUrl.replace(/\/+$/, '')}/cc-index/collections/${crawl}/indexes/${file}`;
}

/**
 * Where a crawl's cluster.idx from `dataUrl` is cached: `cacheDir/<crawl>/<hash of the URL>/`.
 * Two servers (CC and a mirror, or two test servers) may publish different indexes under the
 * same crawl name; offsets from one are garbage against the other's shards.
 */
export function clusterIdxCacheFile(cacheDir: string, dataUrl: string, crawl: string): string {
  const url = zipnumUrl(dataUrl, crawl, 'cluster.idx');
  const tag = createHash('sha256').update(url).digest('hex').slice(0, 16);
  return path.join(cacheDir, crawl, tag, 'cluster.idx');
}

/** Sidecar written after a complete download: what was fetched, from where, and how big it was. */
interface CacheMeta {
  url: string;
  bytes: number;
  etag?: string;
  lastModified?: string;
}

async function cachedCopyIsUsable(file: string, url: string): Promise<boolean> {
  const st = await stat(file).catch(() => null);
  if (!st) return false;
  try {
    const meta = JSON.parse(await readFile(file + '.json', 'utf8')) as CacheMeta;
    // A copy without its sidecar, from another URL or of another size is not trusted.
    return meta.url === url && meta.bytes === st.size;
  } catch {
    return false;
  }
}

/**
 * cluster.idx of a crawl, downloaded once into the cache (it is ~100 MB for a recent crawl, so
 * it is kept between runs) and parsed line by line. `refresh` downloads it again whatever is
 * cached (a cached copy whose blocks did not read back).
 */
export async function openClusterIndex(
  http: HttpClient,
  dataUrl: string,
  crawl: string,
  cacheDir: string,
  opts: { prefixes?: string[]; refresh?: boolean } = {},
): Promise<{ index: ClusterIndex; file: string; downloaded: boolean }> {
  const file = clusterIdxCacheFile(cacheDir, dataUrl, crawl);
  const url = zipnumUrl(dataUrl, crawl, 'cluster.idx');
  let downloaded = false;
  if (opts.refresh || !(await cachedCopyIsUsable(file, url))) {
    await mkdir(path.dirname(file), { recursive: true });
    await rm(file + '.json', { force: true });
    const got = await http.download(url, file);
    const meta: CacheMeta = { url, bytes: got.bytes, etag: got.etag, lastModified: got.lastModified };
    await writeFile(file + '.json', JSON.stringify(meta) + '\n');
    downloaded = true;
  }
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  const index = await loadClusterIndex(rl, opts);
  if (index.size === 0 && !opts.prefixes?.length) throw new ZipnumError(`${file} lists no blocks`);
  return { index, file, downloaded };
}

/**
 * Lines per block of an index, read from its first blocks: the most lines in any of them.
 * A shard's last block is short, so one block alone could under-count; two rarely both are.
 */
export async function detectLinesPerBlock(index: ClusterIndex, readBlock: (i: number) => Promise<string[]>): Promise<number> {
  if (index.size === 0) return CC_LINES_PER_BLOCK;
  const probes = [...new Set([0, Math.min(1, index.size - 1)])];
  const counts = await Promise.all(probes.map(async (i) => (await readBlock(i)).length));
  return Math.max(1, ...counts);
}

/** Range-reads and inflates blocks, with a small LRU cache (bounded by characters held). */
export class BlockReader {
  private readonly cache = new Map<number, { lines: string[]; chars: number }>();
  private cachedChars = 0;
  private readonly inflight = new Map<number, Promise<string[]>>();
  /** Blocks fetched over HTTP. */
  reads = 0;

  constructor(
    private readonly http: HttpClient,
    private readonly dataUrl: string,
    private readonly crawl: string,
    private readonly index: ClusterIndex,
    private readonly maxCachedChars = 16 * 1024 * 1024,
  ) {}

  /** The CDXJ lines of block `i`. */
  lines(i: number): Promise<string[]> {
    const hit = this.cache.get(i);
    if (hit) {
      this.cache.delete(i);
      this.cache.set(i, hit);
      return Promise.resolve(hit.lines);
    }
    let p = this.inflight.get(i);
    if (!p) {
      p = this.read(i).finally(() => this.inflight.delete(i));
      this.inflight.set(i, p);
    }
    return p;
  }

  private async read(i: number): Promise<string[]> {
    const b = this.index.block(i);
    const url = zipnumUrl(this.dataUrl, this.crawl, b.shard);
    this.reads++;
    const reply = await this.http.get(url, {
      headers: { range: `bytes=${b.offset}-${b.offset + b.length - 1}` },
      okStatuses: [206],
      maxBytes: b.length,
      validate: (r) => {
        if (r.body.length !== b.length) {
          throw new AttemptError('retry', 'short-body', `block ${i}: asked for ${b.length} bytes, got ${r.body.length}`);
        }
      },
    });
    let text: string;
    try {
      text = (await gunzipAsync(reply.body)).toString('utf8');
    } catch (err) {
      throw new ZipnumError(`block ${i} of ${b.shard} (${b.offset}+${b.length}) is not a gzip member: ${(err as Error).message}`);
    }
    const lines = text.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    this.cache.set(i, { lines, chars: text.length });
    this.cachedChars += text.length;
    while (this.cachedChars > this.maxCachedChars && this.cache.size > 1) {
      const [oldest, old] = this.cache.entries().next().value as [number, { chars: number }];
      this.cache.delete(oldest);
      this.cachedChars -= old.chars;
    }
    return lines;
  }
}

export interface ZipnumSampleOptions {
  index: ClusterIndex;
  /** Lines of block i (usually BlockReader.lines). */
  readBlock(i: number): Promise<string[]>;
  rng: Rng;
  /** Records wanted. */
  want: number;
  /** Parses and filters one line; null rejects it. */
  accept(line: string): CdxRecord | null;
  /** Upper bound on lines per block (W). Default 3000, CC's block size. */
  linesPerBlock?: number;
  /** Draw with replacement (the same line may come twice). Default false. */
  withReplacement?: boolean;
  /** Give up after this many draws (bounds the work when filters match little). Default want·200 + 1000. */
  maxDraws?: number;
  /** Draws per round; the blocks of a round are fetched concurrently. Default 16. */
  batch?: number;
  /** Called after each round (progress). */
  onRound?(stats: ZipnumSampleStats): void;
}

export interface ZipnumSampleStats {
  draws: number;
  accepted: number;
  /** Draws past the end of a short block (the line-count weighting at work). */
  beyondBlock: number;
  rejectedByFilter: number;
  badLines: number;
  duplicates: number;
  /** Blocks that held more lines than linesPerBlock (sample then not exactly uniform). */
  oversizeBlocks: number;
}

/** Accepted (block, line) position, in acceptance order. */
export interface ZipnumDraw {
  block: number;
  line: number;
  record: CdxRecord;
}

/**
 * Draws `want` index lines uniformly at random from the crawl (or from the blocks left after
 * prefix restriction), keeping those `accept` returns. Deterministic for a given rng state,
 * whatever order blocks arrive in.
 */
export async function sampleZipnum(opts: ZipnumSampleOptions): Promise<{ draws: ZipnumDraw[]; stats: ZipnumSampleStats; exhausted: boolean }> {
  const W = opts.linesPerBlock ?? CC_LINES_PER_BLOCK;
  const maxDraws = opts.maxDraws ?? opts.want * 200 + 1000;
  const batch = Math.max(1, opts.batch ?? 16);
  const stats: ZipnumSampleStats = {
    draws: 0,
    accepted: 0,
    beyondBlock: 0,
    rejectedByFilter: 0,
    badLines: 0,
    duplicates: 0,
    oversizeBlocks: 0,
  };
  const out: ZipnumDraw[] = [];
  if (opts.index.size === 0 || opts.want <= 0) return { draws: out, stats, exhausted: opts.want > 0 };
  const seen = new Set<string>();
  const oversize = new Set<number>();

  while (out.length < opts.want && stats.draws < maxDraws) {
    const n = Math.min(batch, maxDraws - stats.draws);
    const round: Array<{ block: number; line: number }> = [];
    for (let k = 0; k < n; k++) round.push({ block: opts.rng.int(opts.index.size), line: opts.rng.int(W) });
    const blocks = [...new Set(round.map((d) => d.block))];
    const fetched = new Map<number, string[]>();
    await Promise.all(blocks.map(async (b) => fetched.set(b, await opts.readBlock(b))));

    for (const d of round) {
      if (out.length >= opts.want) break;
      stats.draws++;
      const lines = fetched.get(d.block)!;
      if (lines.length > W && !oversize.has(d.block)) {
        oversize.add(d.block);
        stats.oversizeBlocks++;
      }
      if (d.line >= lines.length) {
        stats.beyondBlock++;
        continue;
      }
      const id = `${d.block}:${d.line}`;
      if (!opts.withReplacement && seen.has(id)) {
        stats.duplicates++;
        continue;
      }
      seen.add(id);
      let record: CdxRecord | null;
      try {
        record = opts.accept(lines[d.line]);
      } catch {
        stats.badLines++;
        continue;
      }
      if (!record) {
        stats.rejectedByFilter++;
        continue;
      }
      out.push({ block: d.block, line: d.line, record });
      stats.accepted++;
    }
    opts.onRound?.(stats);
  }
  return { draws: out, stats, exhausted: out.length < opts.want };
}

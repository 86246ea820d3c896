/**
 * HTTP for Common Crawl: a keep-alive undici Agent, a concurrency limit (p-limit), the shared
 * Throttle (rps + 403 slow-down), per-attempt timeouts and retries (retry.ts).
 *
 * `HttpClient.get` is the one way ccaudit talks to the index and data servers.
 * `RecordFetcher` range-reads one WARC record and checks what came back: status 206,
 * `Content-Range` exactly the requested range, the body length, and that the record inside
 * is the capture the index line names (WARC-Target-URI = url).
 */
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Agent, request, type Dispatcher } from 'undici';
import pLimit, { type LimitFunction } from 'p-limit';
import { parseWarcRecordBytes } from '../warc/index.js';
import type { WarcRecord } from '../../core/types.js';
import { isReadError } from '../../core/types.js';
import type { CdxRecord } from './cdxj.js';
import { surt } from './surt.js';
import {
  AbortedError,
  AttemptError,
  DEFAULT_RETRY_POLICY,
  GaveUpError,
  Throttle,
  classifyStatus,
  parseRetryAfter,
  withRetry,
  type RetryPolicy,
} from '../../core/retry.js';

export const DEFAULT_INDEX_URL = 'https://index.commoncrawl.org';
export const DEFAULT_DATA_URL = 'https://data.commoncrawl.org';
export const USER_AGENT = 'ccaudit/0.1 (web-corpus contamination auditor; +https://github.com/ccaudit)';

export interface HttpClientOptions {
  /** Requests in flight at once (also the keep-alive connections per origin). Default 2. */
  concurrency?: number;
  /** Cap on request starts per second (whole client). Default: none. */
  rps?: number;
  /** Per-attempt deadline for headers + body (ms). Default 60 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Share one throttle between clients so a 403 from one host slows all. Default: own. */
  throttle?: Throttle;
  userAgent?: string;
  /** Random source for backoff jitter. */
  random?: () => number;
  /** Use this dispatcher instead of creating an Agent (it is not closed by close()). */
  dispatcher?: Dispatcher;
  /** Called for every retry (progress bars, logs). */
  onRetry?(info: { url: string; code: string; attempt: number; delayMs: number }): void;
  /**
   * Stops the client: throttle waits and back-off sleeps end at once with AbortedError and no
   * new attempt starts. Requests already sent are left to finish (their replies may be stored).
   */
  signal?: AbortSignal;
}

export interface HttpStats {
  /** Attempts sent. */
  requests: number;
  retries: number;
  /** Requests given up. */
  failures: number;
  /** Body bytes received. */
  bytes: number;
  /** Replies by status code, plus network failure codes ("reset", "timeout"). */
  outcomes: Record<string, number>;
}

export interface GetOptions {
  headers?: Record<string, string>;
  /** Statuses that count as success. Default [200]. */
  okStatuses?: number[];
  /** Statuses handed back as they are, without retry (e.g. the CDX API's 404 and 400). */
  passStatuses?: number[];
  /** Refuse bodies larger than this (bytes). Default 64 MiB. */
  maxBytes?: number;
  /** Checks status and headers before the body is read; throw AttemptError to retry or fail. */
  precheck?(status: number, headers: HttpReply['headers']): void;
  /** Checks a reply; throw AttemptError to retry or fail. Runs inside the attempt. */
  validate?(reply: HttpReply): void;
}

export interface HttpReply {
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Attempt that succeeded (1 = first try). */
  attempt: number;
}

function header(h: HttpReply['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

export class HttpClient {
  readonly stats: HttpStats = { requests: 0, retries: 0, failures: 0, bytes: 0, outcomes: {} };
  readonly throttle: Throttle;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly limit: LimitFunction;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly random: () => number;
  private readonly onRetry: HttpClientOptions['onRetry'];
  private readonly signal: AbortSignal | undefined;

  constructor(opts: HttpClientOptions = {}) {
    const concurrency = opts.concurrency ?? 2;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be an integer ≥ 1');
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    this.throttle = opts.throttle ?? new Throttle({ rps: opts.rps });
    this.userAgent = opts.userAgent ?? USER_AGENT;
    this.random = opts.random ?? Math.random;
    this.onRetry = opts.onRetry;
    this.signal = opts.signal;
    this.limit = pLimit(concurrency);
    this.ownsDispatcher = !opts.dispatcher;
    this.dispatcher =
      opts.dispatcher ??
      new Agent({
        connections: concurrency,
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 120_000,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        connect: { timeout: Math.min(this.timeoutMs, 30_000) },
      });
  }

  /** GET `url` within the concurrency limit, retrying per policy. Throws GaveUpError. */
  get(url: string, opts: GetOptions = {}): Promise<HttpReply> {
    return this.limit(() => this.retrying(url, (attempt) => this.attempt(url, attempt, opts)));
  }

  /** Streams `url` into `dest` (written to `dest.part`, renamed when complete). */
  download(url: string, dest: string, headers: Record<string, string> = {}): Promise<{ bytes: number; etag?: string; lastModified?: string }> {
    return this.limit(() =>
      this.retrying(url, async () => {
        this.stats.requests++;
        // No overall deadline for a download (a cluster.idx is ~100 MB); the idle timeout holds.
        const res = await this.send(url, headers, false);
        if (res.statusCode !== 200) await this.rejectStatus(res);
        const part = dest + '.part';
        try {
          await pipeline(res.body, createWriteStream(part));
        } catch (err) {
          await rm(part, { force: true });
          throw err;
        }
        const bytes = (await stat(part)).size;
        this.stats.bytes += bytes;
        await rename(part, dest);
        this.count('200');
        return { bytes, etag: header(res.headers, 'etag'), lastModified: header(res.headers, 'last-modified') };
      }),
    );
  }

  /** Closes idle keep-alive connections. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async retrying<T>(url: string, fn: (attempt: number) => Promise<T>): Promise<T> {
    try {
      return await withRetry(fn, this.policy, this.throttle, {
        random: this.random,
        signal: this.signal,
        onRetry: (err, attempt, delayMs) => {
          this.stats.retries++;
          this.onRetry?.({ url, code: err.code, attempt, delayMs });
        },
      });
    } catch (err) {
      if (err instanceof AbortedError) throw err;
      this.stats.failures++;
      if (err instanceof GaveUpError) {
        this.count(err.code);
        // The final error names what was asked for: a bare "HTTP 503: <body>" does not say where.
        throw err.url ? err : new GaveUpError(err.last, err.attempts, url);
      }
      throw err;
    }
  }

  /** One GET; `deadline` bounds headers + body together (bodyTimeout alone is an idle timeout). */
  private send(url: string, headers: Record<string, string>, deadline = true) {
    return request(url, {
      method: 'GET',
      dispatcher: this.dispatcher,
      headers: { 'user-agent': this.userAgent, ...headers },
      signal: deadline ? AbortSignal.timeout(this.timeoutMs) : undefined,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
  }

  private count(key: string): void {
    this.stats.outcomes[key] = (this.stats.outcomes[key] ?? 0) + 1;
  }

  /** Drains a little of an unwanted reply and throws the matching AttemptError. */
  private async rejectStatus(res: Dispatcher.ResponseData): Promise<never> {
    const status = res.statusCode;
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'] as string | undefined);
    let snippet = '';
    try {
      snippet = (await readBody(res, 4096, true)).toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);
    } catch {
      /* the body does not matter */
    }
    const kind = classifyStatus(status);
    if (kind !== 'fatal') this.count(String(status));
    throw new AttemptError(kind, `http-${status}`, `HTTP ${status}${snippet ? `: ${snippet}` : ''}`, {
      status,
      retryAfterMs,
    });
  }

  private async attempt(url: string, attempt: number, opts: GetOptions): Promise<HttpReply> {
    this.stats.requests++;
    // Network errors thrown here are classified by withRetry.
    const res = await this.send(url, opts.headers ?? {});
    const ok = opts.okStatuses ?? [200];
    const pass = opts.passStatuses ?? [];
    if (!ok.includes(res.statusCode) && !pass.includes(res.statusCode)) await this.rejectStatus(res);
    try {
      opts.precheck?.(res.statusCode, res.headers);
    } catch (err) {
      res.body.destroy();
      throw err;
    }
    const body = await readBody(res, opts.maxBytes ?? 64 * 1024 * 1024);
    this.stats.bytes += body.length;
    const reply: HttpReply = { url, status: res.statusCode, headers: res.headers, body, attempt };
    opts.validate?.(reply);
    this.count(String(res.statusCode));
    return reply;
  }
}

/** Reads a body up to `maxBytes`; larger bodies fail (or are cut, with `truncate`). */
async function readBody(res: Dispatcher.ResponseData, maxBytes: number, truncate = false): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += chunk.length;
    if (size > maxBytes) {
      res.body.destroy();
      if (truncate) break;
      throw new AttemptError('fatal', 'too-large', `reply larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** `Content-Range: bytes 100-199/1234` → parts, or null. */
export function parseContentRange(value: string | undefined): { start: number; end: number; total: number | null } | null {
  const m = value ? /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(value) : null;
  if (!m) return null;
  return { start: Number(m[1]), end: Number(m[2]), total: m[3] === '*' ? null : Number(m[3]) };
}

/** Throws (retryably) unless `reply` is exactly bytes [offset, offset+length) of the file. */
export function checkRangeReply(reply: HttpReply, offset: number, length: number): void {
  const end = offset + length - 1;
  if (reply.status === 200) {
    // A server ignoring Range may answer 200 with the whole file: fine only if that IS the range.
    if (offset === 0 && reply.body.length === length) return;
    throw new AttemptError('fatal', 'no-range-support', `server ignored the Range header (HTTP 200, ${reply.body.length} bytes)`);
  }
  const cr = parseContentRange(header(reply.headers, 'content-range'));
  if (!cr) {
    throw new AttemptError(
      'retry',
      'content-range',
      `206 without a usable Content-Range ("${header(reply.headers, 'content-range') ?? ''}")`,
      CONTENT_RETRIES,
    );
  }
  if (cr.start !== offset || cr.end !== end) {
    throw new AttemptError('retry', 'content-range', `asked for bytes ${offset}-${end}, Content-Range says ${cr.start}-${cr.end}`, CONTENT_RETRIES);
  }
  if (reply.body.length !== length) {
    throw new AttemptError('retry', 'short-body', `asked for ${length} bytes, got ${reply.body.length}`);
  }
}

/**
 * A wrong range or a wrong record is more likely a bad index or mirror than bad luck:
 * try it a few times, not the full policy.
 */
const CONTENT_RETRIES = { maxAttempts: 3 };

/** Before reading a range body: refuse a 200 for a partial range (the whole file is coming). */
function precheckRange(offset: number, length: number) {
  return (status: number, headers: HttpReply['headers']): void => {
    const declared = Number(header(headers, 'content-length'));
    if (status === 200 && !(offset === 0 && declared === length)) {
      throw new AttemptError(
        'fatal',
        'no-range-support',
        `server ignored the Range header (HTTP 200${Number.isFinite(declared) ? `, ${declared} bytes` : ''})`,
      );
    }
    if (status === 206 && Number.isFinite(declared) && declared > length) {
      throw new AttemptError('retry', 'content-range', `asked for ${length} bytes, reply declares ${declared}`, CONTENT_RETRIES);
    }
  };
}

export interface FetchedRecord {
  /** The parsed record; `source` is the data URL, `offset`/`length` as in the index. */
  record: WarcRecord;
  /** The exact bytes of the range (one gzip member for CC). */
  bytes: Buffer;
  /** Attempt that succeeded. */
  attempts: number;
}

export interface RecordFetcherOptions extends HttpClientOptions {
  /** Base of the data server. Default https://data.commoncrawl.org (or CCAUDIT_DATA_URL). */
  dataUrl?: string;
}

/** Range-reads WARC records named by index lines, verified. */
export class RecordFetcher {
  readonly http: HttpClient;
  readonly dataUrl: string;

  constructor(opts: RecordFetcherOptions = {}) {
    this.dataUrl = (opts.dataUrl ?? DEFAULT_DATA_URL).replace(/\/+$/, '');
    this.http = new HttpClient(opts);
  }

  /** URL of a file named in the index. */
  urlFor(filename: string): string {
    return /^https?:\/\//i.test(filename) ? filename : `${this.dataUrl}/${filename.replace(/^\/+/, '')}`;
  }

  /**
   * Fetches and parses the record of `line`. Throws GaveUpError with codes such as
   * "http-404" (fatal), "http-503", "reset", "timeout", "content-range", "short-body",
   * "bad-record", "target-uri-mismatch".
   */
  async fetch(line: Pick<CdxRecord, 'filename' | 'offset' | 'length' | 'url'>): Promise<FetchedRecord> {
    const url = this.urlFor(line.filename);
    let record: WarcRecord | null = null;
    const reply = await this.http.get(url, {
      headers: { range: `bytes=${line.offset}-${line.offset + line.length - 1}` },
      okStatuses: [206, 200],
      maxBytes: line.length,
      precheck: precheckRange(line.offset, line.length),
      validate: (r) => {
        checkRangeReply(r, line.offset, line.length);
        record = parseRecord(r.body, url, line.offset);
        checkSpan(record, line.length);
        checkTarget(record, line.url);
      },
    });
    return { record: record!, bytes: reply.body, attempts: reply.attempt };
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

function parseRecord(bytes: Buffer, source: string, offset: number): WarcRecord {
  let item: ReturnType<typeof parseWarcRecordBytes>;
  try {
    item = parseWarcRecordBytes(bytes, source, offset);
  } catch (err) {
    throw new AttemptError('retry', 'bad-record', `range did not parse as a WARC record: ${(err as Error).message}`, CONTENT_RETRIES);
  }
  if (isReadError(item)) {
    throw new AttemptError('retry', 'bad-record', `range did not parse as a WARC record: ${item.code}: ${item.message}`, CONTENT_RETRIES);
  }
  return item;
}

/**
 * The record must fill the range exactly, as the index's length says. Without this, bytes from
 * elsewhere that begin with the same capture's metadata or request record (same target URI)
 * would be stored as the capture.
 */
function checkSpan(record: WarcRecord, length: number): void {
  if (record.length === length) return;
  throw new AttemptError(
    'retry',
    'bad-record',
    `record at this range is ${record.length} bytes (${record.warcType ?? 'no WARC-Type'}), index says ${length}`,
    CONTENT_RETRIES,
  );
}

/** The record must be the capture the index names; SURT equality tolerates trivial URL spelling. */
function checkTarget(record: WarcRecord, url: string): void {
  const target = record.targetUri;
  if (target === url) return;
  if (target && surt(target) === surt(url)) return;
  throw new AttemptError(
    'retry',
    'target-uri-mismatch',
    `record at this range is ${target ?? '(no WARC-Target-URI)'}, index says ${url}`,
    CONTENT_RETRIES,
  );
}

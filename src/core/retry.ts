/**
 * Politeness and retries for the shared Common Crawl service.
 *
 * - `withRetry` repeats one request on retryable failures with exponential backoff and jitter,
 *   honouring `Retry-After` (seconds or an HTTP date).
 * - `Throttle` is shared by every request of a run: an optional requests-per-second cap, and a
 *   global slow-down when the server answers 403 (CC's "too many requests"): everybody pauses,
 *   and the spacing between requests doubles, easing back only after a run of successes.
 *
 * undici's RetryHandler is not used because the failures that matter here are only visible
 * after the body arrived (wrong Content-Range, short body, wrong record), every attempt must
 * pass the shared throttle, and its backoff has no jitter.
 */
import { performance } from 'node:perf_hooks';

/** How a failed attempt is to be treated. */
export type FailureKind =
  /** try again after a backoff (503, 429, 5xx, resets, timeouts, bad ranges) */
  | 'retry'
  /** the server is refusing us (403): slow the whole run down, then try again */
  | 'slow-down'
  /** permanent (404, 4xx): give up at once */
  | 'fatal';

/** A failed attempt; `code` is short and machine-readable ("http-503", "timeout", "content-range"). */
export class AttemptError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly code: string,
    message: string,
    readonly extra: {
      status?: number;
      retryAfterMs?: number | null;
      /** Fewer attempts for this kind of failure than the policy allows (e.g. a wrong record). */
      maxAttempts?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'AttemptError';
  }
  get status(): number | undefined {
    return this.extra.status;
  }
}

/** The request was given up; `attempts` were made. `last` is the final attempt's error. */
export class GaveUpError extends Error {
  constructor(
    readonly last: AttemptError,
    readonly attempts: number,
    /** The URL requested, when the caller knows it (named first in the message). */
    readonly url?: string,
  ) {
    const what = last.kind === 'fatal' ? last.message : `${last.message} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})`;
    super(url ? `${url}: ${what}` : what);
    this.name = 'GaveUpError';
    this.detail = what;
  }
  /** The message without the URL (for callers that name the request themselves). */
  readonly detail: string;
  get code(): string {
    return this.last.code;
  }
}

export interface RetryPolicy {
  /** Attempts in total, the first included. Default 8. */
  maxAttempts: number;
  /** Backoff before the 2nd attempt; doubles each time. Default 1000 ms. */
  baseDelayMs: number;
  /** Cap on one backoff (not on Retry-After). Default 60 s. */
  maxDelayMs: number;
  /**
   * Jitter: the delay is drawn uniformly from [d·(1−jitter), d]. 0 disables it; default 0.5,
   * which keeps most of the backoff while spreading clients apart.
   */
  jitter: number;
  /** Longest Retry-After we accept; larger values are clipped to this. Default 10 min. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  jitter: 0.5,
  maxRetryAfterMs: 600_000,
};

/** Classifies an HTTP status that was not the one we wanted. */
export function classifyStatus(status: number): FailureKind {
  if (status === 403) return 'slow-down';
  if (status === 429 || status === 408 || status >= 500) return 'retry';
  return 'fatal';
}

/** Network-level errors worth retrying (resets, timeouts, refused/closed sockets). */
export function classifyNetworkError(err: unknown): AttemptError {
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code ?? '';
  const name = e?.name ?? '';
  if (
    name === 'TimeoutError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'ETIMEDOUT'
  ) {
    return new AttemptError('retry', 'timeout', `timed out (${code || name})`, { cause: err });
  }
  if (name === 'AbortError') {
    return new AttemptError('fatal', 'aborted', 'request aborted', { cause: err });
  }
  if (code === 'ERR_INVALID_URL' || code === 'UND_ERR_INVALID_ARG') {
    return new AttemptError('fatal', 'bad-request', e?.message ?? String(err), { cause: err });
  }
  const label = code ? code.toLowerCase().replace(/^und_err_/, '') : 'network';
  return new AttemptError(
    'retry',
    label === 'econnreset' || label === 'socket' ? 'reset' : label,
    `${code || name || 'network error'}: ${e?.message ?? String(err)}`,
    { cause: err },
  );
}

/** Retry-After header → milliseconds from `now`, or null when absent/unparseable. */
export function parseRetryAfter(value: string | string[] | undefined | null, now = Date.now()): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v === null || v.trim() === '') return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Backoff before attempt `attempt + 1` (attempt counts from 1), with jitter. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const base = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const j = Math.min(1, Math.max(0, policy.jitter));
  return Math.round(base * (1 - j * random()));
}

export interface ThrottleOptions {
  /** Cap on request starts per second for the whole run; undefined = no cap. */
  rps?: number;
  /** First global pause after a 403 (ms). Default 5 s; doubles for repeated 403s. */
  pauseMs?: number;
  /** Longest global pause (ms). Default 2 min. */
  maxPauseMs?: number;
  /** Spacing between requests imposed by the first 403, if no --rps spacing is larger (ms). Default 1 s. */
  slowIntervalMs?: number;
  /** Largest spacing the slow-down may impose (ms). Default 30 s. */
  maxIntervalMs?: number;
  /** Successes in a row after which the extra spacing halves again. Default 50. */
  recoverAfter?: number;
  /** Injected clock and sleep (tests). */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface ThrottleStats {
  slowDowns: number;
  /** Current spacing between request starts (ms). */
  intervalMs: number;
  /** Time spent waiting in the throttle, summed over requests (ms). */
  waitedMs: number;
}

/** Thrown by waits and requests cut short by an AbortSignal; the message is the signal's reason. */
export class AbortedError extends Error {
  constructor(signal: AbortSignal) {
    const reason = signal.reason;
    super(reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'aborted');
    this.name = 'AbortedError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError(signal);
}

/** Waits `ms`; rejects with AbortedError as soon as `signal` aborts (a back-off must not hold up a stop). */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
  if (signal?.aborted) return Promise.reject(new AbortedError(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
};

/**
 * Shared request pacing: rps spacing plus the 403 slow-down. One per run.
 * Turns are handed out one at a time, in call order, and spacing is measured from when the
 * previous turn was really taken, so a busy event loop (e.g. a long synchronous extraction)
 * can delay requests but never bunch them together.
 */
export class Throttle {
  private readonly baseInterval: number;
  private interval: number;
  private lastStart = -Infinity;
  private pausedUntil = 0;
  private pause: number;
  private successes = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly o: Required<Omit<ThrottleOptions, 'rps'>>;
  readonly stats: ThrottleStats = { slowDowns: 0, intervalMs: 0, waitedMs: 0 };

  constructor(opts: ThrottleOptions = {}) {
    if (opts.rps !== undefined && !(opts.rps > 0)) throw new RangeError('rps must be > 0');
    this.o = {
      pauseMs: opts.pauseMs ?? 5000,
      maxPauseMs: opts.maxPauseMs ?? 120_000,
      slowIntervalMs: opts.slowIntervalMs ?? 1000,
      maxIntervalMs: opts.maxIntervalMs ?? 30_000,
      recoverAfter: opts.recoverAfter ?? 50,
      now: opts.now ?? (() => performance.now()),
      sleep: opts.sleep ?? sleep,
    };
    this.baseInterval = opts.rps ? 1000 / opts.rps : 0;
    this.interval = this.baseInterval;
    this.pause = this.o.pauseMs;
    this.stats.intervalMs = this.interval;
  }

  /** Waits for this request's turn; an aborted `signal` ends the wait (and gives up the turn). */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitTurn(signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitTurn(signal?: AbortSignal): Promise<void> {
    for (;;) {
      throwIfAborted(signal);
      const now = this.o.now();
      const at = Math.max(this.lastStart + this.interval, this.pausedUntil);
      if (at <= now) {
        this.lastStart = now;
        return;
      }
      // Re-checked after waking: a 403 meanwhile extends the pause.
      this.stats.waitedMs += at - now;
      await this.o.sleep(at - now, signal);
    }
  }

  /** A 403 (or Retry-After on one): pause everyone and widen the spacing. */
  slowDown(retryAfterMs: number | null = null): void {
    const now = this.o.now();
    const pause = Math.max(this.pause, retryAfterMs ?? 0);
    this.pausedUntil = Math.max(this.pausedUntil, now + pause);
    this.pause = Math.min(this.o.maxPauseMs, this.pause * 2);
    this.interval = Math.min(this.o.maxIntervalMs, Math.max(this.interval * 2, this.o.slowIntervalMs, this.baseInterval));
    this.successes = 0;
    this.stats.slowDowns++;
    this.stats.intervalMs = this.interval;
  }

  /** A successful request: after enough in a row, ease the slow-down by half. */
  success(): void {
    if (this.interval <= this.baseInterval) return;
    if (++this.successes < this.o.recoverAfter) return;
    this.successes = 0;
    this.interval = Math.max(this.baseInterval, this.interval / 2);
    if (this.interval < this.o.slowIntervalMs / 2) this.interval = this.baseInterval;
    this.pause = Math.max(this.o.pauseMs, this.pause / 2);
    this.stats.intervalMs = this.interval;
  }
}

export interface RetryHooks {
  /** Called before each backoff sleep. */
  onRetry?(err: AttemptError, attempt: number, delayMs: number): void;
  /** Random source for jitter (seedable in tests). */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Ends throttle waits and back-off sleeps at once (AbortedError); no new attempt starts. */
  signal?: AbortSignal;
}

/**
 * Runs `attempt(n)` until it succeeds, fails fatally or attempts run out.
 * Every attempt first waits its turn at the throttle. Throws GaveUpError, or AbortedError
 * when `hooks.signal` aborts while waiting.
 */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, policy: RetryPolicy, throttle: Throttle, hooks: RetryHooks = {}): Promise<T> {
  const random = hooks.random ?? Math.random;
  const wait = hooks.sleep ?? sleep;
  // Failures of a kind with its own cap (a wrong record) are counted apart from the others.
  const byCode = new Map<string, number>();
  const signal = hooks.signal;
  for (let n = 1; ; n++) {
    throwIfAborted(signal);
    await throttle.acquire(signal);
    try {
      const result = await attempt(n);
      throttle.success();
      return result;
    } catch (raw) {
      const err = raw instanceof AttemptError ? raw : classifyNetworkError(raw);
      const sameKind = (byCode.get(err.code) ?? 0) + 1;
      byCode.set(err.code, sameKind);
      const capped = err.extra.maxAttempts !== undefined && sameKind >= err.extra.maxAttempts;
      if (err.kind === 'fatal' || n >= policy.maxAttempts || capped) throw new GaveUpError(err, n);
      const retryAfter = err.extra.retryAfterMs ?? null;
      if (err.kind === 'slow-down') throttle.slowDown(retryAfter);
      let delay = backoffDelay(n, policy, random);
      if (retryAfter !== null) delay = Math.max(delay, Math.min(retryAfter, policy.maxRetryAfterMs));
      hooks.onRetry?.(err, n, delay);
      await wait(delay, signal);
    }
  }
}

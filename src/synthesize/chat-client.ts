/**
 * A small OpenAI-compatible chat-completions client over undici: one POST per request to
 * `{base}/chat/completions`, retried with exponential backoff and jitter on 429, 408, 5xx,
 * connection resets and timeouts (honouring Retry-After / retry-after-ms), paced by a shared
 * Throttle (--rps). 400/401/403/404 and other 4xx are fatal: the same request would fail
 * again, and so would every other one. Retry machinery is src/core/retry.ts.
 */
import { performance } from 'node:perf_hooks';
import { request, type Dispatcher } from 'undici';
import { AttemptError, DEFAULT_RETRY_POLICY, GaveUpError, Throttle, parseRetryAfter, withRetry, type RetryPolicy } from '../core/retry.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
}

/** A successful answer. */
export interface ChatReply {
  /** choices[0].message.content ("" when null). */
  content: string;
  /** choices[0].message.refusal, when the server reports one (OpenAI structured refusals). */
  refusal: string | null;
  finishReason: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  /** Time of the successful attempt, request to parsed body (ms). */
  latencyMs: number;
  /** Attempts made, the successful one included. */
  attempts: number;
}

export interface ChatClientOptions {
  /** API base such as http://127.0.0.1:8080/v1 (or the full …/chat/completions URL). */
  baseUrl: string;
  /** Bearer token; null/undefined sends no Authorization header. */
  apiKey?: string | null;
  /** Name of the environment variable the key came from (for the 401 message). */
  apiKeyEnv?: string;
  /** Per-attempt timeout, headers and body together (ms). */
  timeoutMs: number;
  retry?: Partial<RetryPolicy>;
  /** Shared pacing (--rps); one per run. */
  throttle?: Throttle;
  dispatcher?: Dispatcher;
  /** Called before each backoff. */
  onRetry?(err: AttemptError, attempt: number, delayMs: number): void;
  /** Injected sleep and jitter source (tests). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** The request can never succeed (bad key, unknown model, wrong URL): stop the whole run. */
export class FatalLlmError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FatalLlmError';
  }
}

/** `--llm-url` → the chat-completions endpoint. */
export function chatCompletionsUrl(base: string): string {
  const trimmed = base.replace(/\/+$/, '');
  return /\/chat\/completions$/.test(trimmed) ? trimmed : `${trimmed}/chat/completions`;
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

/** The server's own error message from an OpenAI-style error body, shortened to one line. */
function serverMessage(body: string): string {
  let msg = body;
  try {
    const o = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof o.error === 'string') msg = o.error;
    else if (o.error && typeof o.error.message === 'string') msg = o.error.message;
    else if (typeof o.message === 'string') msg = o.message;
  } catch {
    /* not JSON: use the text */
  }
  msg = msg.replace(/\s+/g, ' ').trim();
  return msg.length > 200 ? `${msg.slice(0, 200)}…` : msg;
}

export class ChatClient {
  readonly url: string;
  private readonly policy: RetryPolicy;
  private readonly throttle: Throttle;

  constructor(private readonly o: ChatClientOptions) {
    this.url = chatCompletionsUrl(o.baseUrl);
    this.policy = { ...DEFAULT_RETRY_POLICY, ...o.retry };
    this.throttle = o.throttle ?? new Throttle();
  }

  /** Sends one chat request with retries. Throws FatalLlmError, or GaveUpError when retries ran out. */
  async complete(req: ChatRequest): Promise<ChatReply> {
    let attempts = 0;
    try {
      const reply = await withRetry(
        (n) => {
          attempts = n;
          return this.attempt(req);
        },
        this.policy,
        this.throttle,
        { onRetry: this.o.onRetry, sleep: this.o.sleep, random: this.o.random },
      );
      return { ...reply, attempts };
    } catch (err) {
      if (err instanceof GaveUpError && err.last.kind === 'fatal') throw new FatalLlmError(err.last.message, err.last.status);
      throw err;
    }
  }

  private async attempt(req: ChatRequest): Promise<Omit<ChatReply, 'attempts'>> {
    const started = performance.now();
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.o.apiKey) headers.authorization = `Bearer ${this.o.apiKey}`;
    const body = JSON.stringify({
      model: req.model,
      messages: req.messages,
      temperature: req.temperature,
      max_tokens: req.maxTokens,
    });
    const res = await request(this.url, {
      method: 'POST',
      headers,
      body,
      dispatcher: this.o.dispatcher,
      // The signal bounds headers and body together; undici's own timeouts are idle timeouts.
      signal: AbortSignal.timeout(this.o.timeoutMs),
      headersTimeout: this.o.timeoutMs,
      bodyTimeout: this.o.timeoutMs,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw this.statusError(res.statusCode, res.headers, text, req.model);
    const parsed = parseChatReply(text);
    return { ...parsed, latencyMs: Math.round(performance.now() - started) };
  }

  private statusError(status: number, headers: Record<string, string | string[] | undefined>, body: string, model: string): AttemptError {
    const server = serverMessage(body);
    const suffix = server ? `: ${server}` : '';
    if (status === 429 || status === 408 || status >= 500) {
      const ms = headers['retry-after-ms'];
      const retryAfterMs = ms !== undefined && /^\d+(\.\d+)?$/.test(String(ms)) ? Math.round(Number(ms)) : parseRetryAfter(headers['retry-after']);
      return new AttemptError('retry', `http-${status}`, `LLM server answered HTTP ${status}${suffix}`, { status, retryAfterMs });
    }
    const env = this.o.apiKeyEnv ?? 'OPENAI_API_KEY';
    const head = `LLM server answered HTTP ${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ''}`;
    let hint: string;
    if (status === 401)
      hint = this.o.apiKey ? `check the key in $${env}` : `no key was sent: set $${env} (or name another variable with --api-key-env)`;
    else if (status === 403) hint = `the key in $${env} may not use model "${model}"`;
    else if (status === 404) hint = `check --llm-url (the API base, e.g. http://127.0.0.1:8080/v1, giving ${this.url}) and --model "${model}"`;
    else hint = 'the request was rejected';
    return new AttemptError('fatal', `http-${status}`, `${head}${suffix} — ${hint}`, { status });
  }
}

/** Parses an OpenAI chat-completions body. A malformed 200 reply is retried (proxies glitch), twice at most. */
export function parseChatReply(text: string): Omit<ChatReply, 'attempts' | 'latencyMs'> {
  const bad = (why: string) => new AttemptError('retry', 'bad-reply', `malformed chat-completions reply: ${why}`, { maxAttempts: 2 });
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    throw bad('not JSON');
  }
  const choices = (o as { choices?: unknown })?.choices;
  if (!Array.isArray(choices) || choices.length === 0) throw bad('no choices');
  const choice = choices[0] as { message?: { content?: unknown; refusal?: unknown }; finish_reason?: unknown };
  if (!choice || typeof choice !== 'object' || !choice.message || typeof choice.message !== 'object') throw bad('choices[0].message missing');
  const content = choice.message.content;
  if (content !== null && content !== undefined && typeof content !== 'string') throw bad('message.content is not a string');
  const usage = (o as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } }).usage;
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.trunc(v) : null);
  return {
    content: typeof content === 'string' ? content : '',
    refusal: typeof choice.message.refusal === 'string' ? choice.message.refusal : null,
    finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : null,
    promptTokens: count(usage?.prompt_tokens),
    completionTokens: count(usage?.completion_tokens),
  };
}

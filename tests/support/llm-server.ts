/**
 * SYNTHETIC test server speaking the OpenAI chat-completions JSON format on 127.0.0.1
 * (ephemeral port). It is NOT a language model: every answer is built deterministically from
 * the request — a plain-text "article" made of the words of the prompt's title and excerpt —
 * so tests can recompute what should have been stored. Faults can be queued (429 with
 * Retry-After, 5xx, connection reset, slow reply, 401, refusal, empty or malformed answer);
 * each queued fault is used by exactly one request, in arrival order.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type LlmFault =
  /** Answer with this status (and Retry-After header / error body when given). */
  | { kind: 'status'; status: number; retryAfter?: string; message?: string }
  /** Read the request, then destroy the socket without answering. */
  | { kind: 'reset' }
  /** Answer normally, but only after `ms` milliseconds. */
  | { kind: 'slow'; ms: number }
  /** A 200 whose content is a refusal. */
  | { kind: 'refusal' }
  /** A 200 whose content is empty. */
  | { kind: 'empty' }
  /** A 200 whose body is not JSON. */
  | { kind: 'malformed' }
  /** A normal answer (spaces faults out over several pages). */
  | { kind: 'ok' };

/** What one request carried and how it was answered. */
export interface RecordedRequest {
  n: number;
  method: string;
  path: string;
  authorization: string | null;
  body: { model?: string; messages?: Array<{ role: string; content: string }>; temperature?: number; max_tokens?: number } | null;
  /** The fault used for this request, if any. */
  fault: LlmFault['kind'] | null;
  /** The normal answer sent (status 200 with an article). */
  answer: { content: string; promptTokens: number; completionTokens: number } | null;
}

export interface LlmServer {
  /** API base, e.g. http://127.0.0.1:40123/v1 */
  url: string;
  requests: RecordedRequest[];
  /** Queues faults for the next requests. */
  queueFaults(...faults: LlmFault[]): void;
  /** Require "Authorization: Bearer <key>" (401 otherwise); null = accept anything. */
  requireKey(key: string | null): void;
  /** Requests answered with a stored-worthy article. */
  answered(): RecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}

const tokens = (s: string): string[] => s.split(/\s+/).filter(Boolean);

/** Parts of a ccaudit synthesize prompt this server uses. */
export function parsePrompt(prompt: string): { title: string | null; words: number; excerpt: string } {
  const title = /titled "(.*?)" on the same topic/.exec(prompt)?.[1] ?? null;
  const words = Number(/about (\d+) words/.exec(prompt)?.[1] ?? '50');
  const excerpt = /"""\n([\s\S]*?)\n"""/.exec(prompt)?.[1] ?? '';
  return { title, words, excerpt };
}

/**
 * The deterministic "article" for a prompt: `words` whitespace tokens cycling through the
 * title's and excerpt's tokens, in sentences of 12 tokens and paragraphs of 4 sentences.
 */
export function syntheticArticle(prompt: string): string {
  const { title, words, excerpt } = parsePrompt(prompt);
  const vocab = [...tokens(title ?? ''), ...tokens(excerpt)].map((t) => t.replace(/["]/g, '')).filter(Boolean);
  if (vocab.length === 0) vocab.push('text');
  const paragraphs: string[] = [];
  let sentence: string[] = [];
  let sentences: string[] = [];
  for (let i = 0; i < words; i++) {
    sentence.push(vocab[i % vocab.length]);
    if (sentence.length === 12 || i === words - 1) {
      const s = sentence.join(' ');
      sentences.push(`${s.charAt(0).toUpperCase()}${s.slice(1)}.`);
      sentence = [];
      if (sentences.length === 4 || i === words - 1) {
        paragraphs.push(sentences.join(' '));
        sentences = [];
      }
    }
  }
  return paragraphs.join('\n\n');
}

export async function startLlmServer(): Promise<LlmServer> {
  const requests: RecordedRequest[] = [];
  const faults: LlmFault[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let key: string | null = null;

  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: RecordedRequest['body'] = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = null;
      }
      const rec: RecordedRequest = {
        n: requests.length + 1,
        method: req.method ?? '',
        path: req.url ?? '',
        authorization: (req.headers.authorization as string | undefined) ?? null,
        body,
        fault: null,
        answer: null,
      };
      requests.push(rec);
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        return json(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
      }
      if (key !== null && rec.authorization !== `Bearer ${key}`) {
        rec.fault = 'status';
        return json(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
      }
      const fault = faults.shift();
      rec.fault = fault?.kind ?? null;
      const prompt = body?.messages?.map((m) => m.content).join('\n') ?? '';
      const answer = (content: string) => {
        const usage = { prompt_tokens: tokens(prompt).length, completion_tokens: tokens(content).length };
        json(res, 200, {
          id: `chatcmpl-synthetic-${rec.n}`,
          object: 'chat.completion',
          created: 0,
          model: body?.model ?? 'unknown',
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
        });
        return usage;
      };
      switch (fault?.kind) {
        case 'status':
          return json(
            res,
            fault.status,
            { error: { message: fault.message ?? `synthetic ${fault.status}` } },
            fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
          );
        case 'reset':
          req.socket.destroy();
          return;
        case 'refusal':
          answer("I'm sorry, but I can't help with that request.");
          return;
        case 'empty':
          answer('');
          return;
        case 'malformed':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"choices": [');
          return;
        case 'slow': {
          const t = setTimeout(() => {
            timers.delete(t);
            if (res.destroyed || req.socket.destroyed) return;
            const content = syntheticArticle(prompt);
            const usage = answer(content);
            rec.answer = { content, promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
          }, fault.ms);
          timers.add(t);
          return;
        }
        default: {
          const content = syntheticArticle(prompt);
          const usage = answer(content);
          rec.answer = { content, promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
        }
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    queueFaults: (...f) => faults.push(...f),
    requireKey: (k) => {
      key = k;
    },
    answered: () => requests.filter((r) => r.answer !== null),
    reset: () => {
      requests.length = 0;
      faults.length = 0;
      key = null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countWords } from '../../src/extract/language.js';
import { buildPrompt, firstWords, maxTokensFor, targetLength } from '../../src/synthesize/prompt.js';
import { languageForPrompt } from '../../src/synthesize/languages.js';
import { judgeOutput } from '../../src/synthesize/output.js';
import { allocateProportionally, sampleKey } from '../../src/synthesize/select.js';
import { ChatClient, FatalLlmError, chatCompletionsUrl, type ChatClientOptions } from '../../src/synthesize/chat-client.js';
import { GaveUpError, type AttemptError } from '../../src/core/retry.js';
import { estimateCost } from '../../src/synthesize/summary.js';
import { startLlmServer, syntheticArticle, type LlmServer } from '../support/llm-server.js';

describe('prompt builder', () => {
  const page = {
    title: 'Why Do "Good Girls" Need to "Go Bad"?',
    lang: 'eng',
    words: 614,
    text: Array.from({ length: 300 }, (_, i) => `w${i}`).join(' '),
  };

  it('asks for the same title, language and length, with the first 150 words as context', () => {
    const p = buildPrompt(page, 2048);
    expect(p.targetWords).toBe(610);
    expect(p.maxTokens).toBe(Math.ceil(610 * 1.6 * 1.3));
    expect(p.prompt).toContain('titled "Why Do "Good Girls" Need to "Go Bad"?"');
    expect(p.prompt).toContain('in English, about 610 words');
    expect(p.prompt).toContain('no preamble');
    const excerpt = /"""\n([\s\S]*?)\n"""/.exec(p.prompt)![1];
    expect(excerpt.split(' ')).toEqual(Array.from({ length: 150 }, (_, i) => `w${i}`));
  });

  it('shrinks the length asked for to what --max-tokens can hold', () => {
    const p = buildPrompt({ ...page, words: 3000 }, 1000);
    expect(p.maxTokens).toBeLessThanOrEqual(1000);
    expect(p.targetWords).toBe(Math.round(Math.floor(1000 / (1.6 * 1.3)) / 10) * 10);
    expect(targetLength(120, 2048)).toBe(120);
    expect(maxTokensFor(100_000, 2048)).toBe(2048);
  });

  it('names languages from ISO 639-3 codes, with a fallback for unlisted codes', () => {
    expect(languageForPrompt('deu')).toBe('German');
    expect(languageForPrompt('cmn')).toBe('Chinese');
    expect(languageForPrompt('und')).toBe('the same language as the excerpt');
    expect(languageForPrompt('xho')).toContain('ISO 639-3 code "xho"');
  });

  it('counts CJK characters as words when cutting the excerpt', () => {
    const zh = '我国卫生与健康领域有了基本法'.repeat(20);
    const cut = firstWords(zh, 150);
    expect(countWords(cut)).toBe(150);
    const p = buildPrompt({ title: null, lang: 'cmn', words: 400, text: zh }, 2048);
    expect(p.prompt.startsWith('Write an article on the same topic')).toBe(true);
    expect(p.prompt).toContain('in Chinese');
  });
});

describe('output judgement', () => {
  it('rejects empty answers and refusals, keeps articles', () => {
    expect(judgeOutput('')).toEqual({ ok: false, reason: 'empty' });
    expect(judgeOutput('   \n')).toEqual({ ok: false, reason: 'empty' });
    expect(judgeOutput("I'm sorry, but I can't help with that.")).toEqual({ ok: false, reason: 'refusal' });
    expect(judgeOutput('I cannot write this article.')).toEqual({ ok: false, reason: 'refusal' });
    expect(judgeOutput('A normal article.', 'policy refusal')).toEqual({ ok: false, reason: 'refusal' });
    const long = `I'm sorry to say the town hall closed. ${'More words here. '.repeat(40)}`;
    expect(judgeOutput(long).ok).toBe(true);
  });

  it('strips a chat preamble line', () => {
    const v = judgeOutput('Sure, here is the article:\n\nThe river rose overnight.');
    expect(v).toEqual({ ok: true, text: 'The river rose overnight.', words: 4, strippedPreamble: true });
  });
});

describe('sample selection helpers', () => {
  it('allocates n proportionally with largest remainders, never above a stratum size', () => {
    const sizes = new Map([
      ['eng/org', 11],
      ['cmn/com', 5],
      ['cmn/cn', 1],
      ['deu/ch', 1],
      ['eng/cn', 1],
      ['nld/nl', 1],
      ['rus/ru', 1],
    ]);
    const a = allocateProportionally(sizes, 10);
    expect([...a.values()].reduce((x, y) => x + y, 0)).toBe(10);
    expect(a.get('eng/org')).toBe(5);
    expect(a.get('cmn/com')).toBe(2);
    expect([...a.values()].filter((v) => v === 1).length).toBe(3);
    const all = allocateProportionally(sizes, 100);
    for (const [k, v] of all) expect(v).toBe(sizes.get(k));
  });

  it('keys documents deterministically per seed', () => {
    expect(sampleKey('1', 42)).toBe(sampleKey('1', 42));
    expect(sampleKey('1', 42)).not.toBe(sampleKey('2', 42));
  });

  it('estimates cost from prices per million tokens', () => {
    expect(estimateCost(2_000_000, 500_000, 0.15, 0.6)).toBeCloseTo(0.6, 10);
    expect(estimateCost(10, 10)).toBeNull();
  });
});

describe('chat client against the SYNTHETIC chat-completions server', () => {
  let server: LlmServer;
  const delays: number[] = [];
  const retried: string[] = [];
  const opts = (o: Partial<ChatClientOptions> = {}): ChatClientOptions => ({
    baseUrl: server.url,
    apiKey: 'k1',
    apiKeyEnv: 'MY_KEY',
    timeoutMs: 2000,
    retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 40 },
    // Backoffs are recorded, not slept: the assertions are on the delays chosen.
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    onRetry: (err: AttemptError) => retried.push(err.code),
    ...o,
  });
  const req = {
    model: 'm',
    messages: [
      {
        role: 'user' as const,
        content:
          'Write an article titled "River" on the same topic as the web page excerpt below, in English, about 30 words.\n"""\nthe river rose\n"""',
      },
    ],
    temperature: 0.7,
    maxTokens: 100,
  };

  beforeAll(async () => {
    server = await startLlmServer();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.reset();
    delays.length = 0;
    retried.length = 0;
  });

  it('posts to <base>/chat/completions with the bearer key and parses content, usage and finish reason', async () => {
    expect(chatCompletionsUrl('http://h/v1/')).toBe('http://h/v1/chat/completions');
    expect(chatCompletionsUrl('http://h/v1/chat/completions')).toBe('http://h/v1/chat/completions');
    const reply = await new ChatClient(opts()).complete(req);
    expect(server.requests).toHaveLength(1);
    const r = server.requests[0];
    expect(r.path).toBe('/v1/chat/completions');
    expect(r.authorization).toBe('Bearer k1');
    expect(r.body).toMatchObject({ model: 'm', temperature: 0.7, max_tokens: 100, messages: req.messages });
    expect(reply.content).toBe(syntheticArticle(req.messages[0].content));
    expect(reply.promptTokens).toBe(r.answer!.promptTokens);
    expect(reply.completionTokens).toBe(r.answer!.completionTokens);
    expect(reply.finishReason).toBe('stop');
    expect(reply.attempts).toBe(1);
  });

  it('sends no Authorization header without a key', async () => {
    await new ChatClient(opts({ apiKey: null })).complete(req);
    expect(server.requests[0].authorization).toBeNull();
  });

  it('retries 429 (honouring Retry-After), 500, resets and malformed replies', async () => {
    server.queueFaults({ kind: 'status', status: 429, retryAfter: '3' }, { kind: 'status', status: 500 }, { kind: 'reset' });
    const reply = await new ChatClient(opts()).complete(req);
    expect(reply.attempts).toBe(4);
    expect(retried).toEqual(['http-429', 'http-500', 'reset']);
    expect(delays[0]).toBe(3000);
    expect(delays[1]).toBeLessThanOrEqual(40);
    server.queueFaults({ kind: 'malformed' });
    const again = await new ChatClient(opts()).complete(req);
    expect(again.attempts).toBe(2);
    expect(retried.at(-1)).toBe('bad-reply');
  });

  it('times out a slow reply and retries it', async () => {
    server.queueFaults({ kind: 'slow', ms: 5000 });
    const reply = await new ChatClient(opts({ timeoutMs: 300 })).complete(req);
    expect(reply.attempts).toBe(2);
    expect(retried).toEqual(['timeout']);
  });

  it('gives up after max attempts with the last error', async () => {
    server.queueFaults(...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 503 })));
    const err = await new ChatClient(opts()).complete(req).catch((e) => e);
    expect(err).toBeInstanceOf(GaveUpError);
    expect((err as GaveUpError).attempts).toBe(4);
    expect((err as GaveUpError).code).toBe('http-503');
  });

  it('fails at once on 401 with a message naming the key variable, and on 404 naming the URL', async () => {
    server.requireKey('right');
    const err = await new ChatClient(opts()).complete(req).catch((e) => e);
    expect(err).toBeInstanceOf(FatalLlmError);
    expect(err.message).toContain('HTTP 401');
    expect(err.message).toContain('check the key in $MY_KEY');
    expect(server.requests).toHaveLength(1);
    server.reset();
    const e404 = await new ChatClient(opts({ baseUrl: server.url.replace('/v1', '/v2') })).complete(req).catch((e) => e);
    expect(e404).toBeInstanceOf(FatalLlmError);
    expect(e404.message).toContain('HTTP 404');
    expect(e404.message).toContain('--llm-url');
    server.queueFaults({ kind: 'status', status: 400, message: 'max_tokens is too large' });
    const e400 = await new ChatClient(opts()).complete(req).catch((e) => e);
    expect(e400.message).toContain('max_tokens is too large');
  });
});

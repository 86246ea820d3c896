/**
 * `ccaudit synthesize`: for each chosen baseline page, ask a chat model for an article on the
 * same title and topic, and store the answer as an AI reference (reference_texts, origin
 * 'synthesize'). Each answer is committed as soon as it arrives, so a killed run loses only
 * the requests in flight, and a re-run skips pages already in the set.
 */
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import type { Store } from '../store/db.js';
import { addReferences, baselinePage, referenceIdsInSet, type ReferenceInput } from '../store/references.js';
import { GaveUpError, Throttle, type AttemptError } from '../core/retry.js';
import { ChatClient, FatalLlmError, type ChatClientOptions, type ChatReply } from './chat-client.js';
import { buildPrompt } from './prompt.js';
import { judgeOutput } from './output.js';
import { selectBaselinePages, type Selection, type SelectionOptions, type SelectedPage } from './select.js';
import { estimateCost, type SynthesisSummary } from './summary.js';

/** Default set name for a model's references. */
export const defaultSetName = (model: string): string => `synth:${model}`;
/** External id of the reference imitating document `id`. */
export const externalIdFor = (documentId: number): string => `doc:${documentId}`;

export interface SynthesisOptions {
  model: string;
  setName: string;
  temperature: number;
  /** Cap on max_tokens (--max-tokens). */
  maxTokens: number;
  concurrency: number;
  /** --rps: cap on request starts per second. */
  rps?: number;
  selection: SelectionOptions;
  /** How to reach the model (everything but throttle/onRetry, which the run owns). */
  client: Omit<ChatClientOptions, 'throttle' | 'onRetry'>;
  /** Stop after this many pages in a row gave up on retryable errors (server down). Default 5. */
  maxConsecutiveFailures?: number;
  priceIn?: number;
  priceOut?: number;
  runId?: number | null;
  /** Checked before each request; true stops launching new ones (Ctrl-C). */
  shouldStop?(): boolean;
  onEvent?(e: SynthesisEvent): void;
}

export type SynthesisEvent =
  | { type: 'selected'; selection: Selection; todo: number; skipped: number; wanted: number }
  | { type: 'page'; documentId: number; outcome: 'stored' | 'failed'; reason?: string }
  | { type: 'retry'; code: string; attempt: number; delayMs: number };

/** The pages a run would ask for, after skipping those already in the set. */
export function planSynthesis(
  store: Store,
  o: Pick<SynthesisOptions, 'selection' | 'setName'>,
): { selection: Selection; todo: SelectedPage[]; skipped: number } {
  const selection = selectBaselinePages(store, o.selection);
  const done = referenceIdsInSet(store, o.setName);
  const todo = selection.pages.filter((p) => !done.has(externalIdFor(p.id)));
  return { selection, todo, skipped: selection.pages.length - todo.length };
}

export async function runSynthesis(store: Store, o: SynthesisOptions): Promise<SynthesisSummary> {
  const started = performance.now();
  const { selection, todo, skipped } = planSynthesis(store, o);
  o.onEvent?.({ type: 'selected', selection, todo: todo.length, skipped, wanted: o.selection.n });

  const summary: SynthesisSummary = {
    model: o.model,
    setName: o.setName,
    endpoint: '',
    cutoff: o.selection.cutoff,
    dateBasis: o.selection.basis,
    wanted: o.selection.n,
    eligible: selection.eligible,
    requested: selection.pages.length,
    skipped,
    attempted: 0,
    stored: 0,
    failed: {},
    notAttempted: 0,
    retries: 0,
    retriesByCode: {},
    promptTokens: 0,
    completionTokens: 0,
    costUsd: null,
    seconds: 0,
    interrupted: false,
    fatal: null,
    strata: selection.strata,
  };
  const fail = (documentId: number, reason: string) => {
    summary.failed[reason] = (summary.failed[reason] ?? 0) + 1;
    o.onEvent?.({ type: 'page', documentId, outcome: 'failed', reason });
  };

  const client = new ChatClient({
    ...o.client,
    throttle: new Throttle({ rps: o.rps }),
    onRetry: (err: AttemptError, attempt: number, delayMs: number) => {
      summary.retries++;
      summary.retriesByCode[err.code] = (summary.retriesByCode[err.code] ?? 0) + 1;
      o.onEvent?.({ type: 'retry', code: err.code, attempt, delayMs });
    },
  });
  summary.endpoint = client.url;
  const maxConsecutive = o.maxConsecutiveFailures ?? 5;
  let consecutiveGiveUps = 0;
  let halted = false;

  const one = async (page: SelectedPage): Promise<void> => {
    if (halted || o.shouldStop?.()) {
      summary.notAttempted++;
      return;
    }
    const doc = baselinePage(store, page.id);
    if (!doc) return fail(page.id, 'page-missing');
    const built = buildPrompt(doc, o.maxTokens);
    summary.attempted++;
    let reply: ChatReply;
    try {
      reply = await client.complete({
        model: o.model,
        messages: [{ role: 'user', content: built.prompt }],
        temperature: o.temperature,
        maxTokens: built.maxTokens,
      });
    } catch (err) {
      if (err instanceof FatalLlmError) {
        if (!halted) summary.fatal = err.message;
        halted = true;
        return fail(page.id, `fatal:http-${err.status ?? 'error'}`);
      }
      if (err instanceof GaveUpError) {
        if (++consecutiveGiveUps >= maxConsecutive && !halted) {
          halted = true;
          summary.fatal = `the LLM server failed ${consecutiveGiveUps} pages in a row; last: ${err.message}`;
        }
        return fail(page.id, `gave-up:${err.code}`);
      }
      throw err;
    }
    consecutiveGiveUps = 0;
    summary.promptTokens += reply.promptTokens ?? 0;
    summary.completionTokens += reply.completionTokens ?? 0;
    const verdict = judgeOutput(reply.content, reply.refusal);
    if (!verdict.ok) return fail(page.id, verdict.reason);
    const row: ReferenceInput = {
      setName: o.setName,
      externalId: externalIdFor(doc.id),
      label: 'ai',
      origin: 'synthesize',
      documentId: doc.id,
      generator: o.model,
      prompt: built.prompt,
      title: doc.title,
      text: verdict.text,
      lang: doc.lang,
      tld: doc.tld,
      domain: doc.domain,
      words: verdict.words,
      promptTokens: reply.promptTokens,
      completionTokens: reply.completionTokens,
      details: {
        finishReason: reply.finishReason,
        latencyMs: reply.latencyMs,
        attempts: reply.attempts,
        targetWords: built.targetWords,
        maxTokens: built.maxTokens,
        temperature: o.temperature,
        ...(verdict.strippedPreamble ? { strippedPreamble: true } : {}),
      },
      runId: o.runId ?? null,
    };
    // Committed now (one transaction per answer): a killed run keeps every finished answer.
    summary.stored += addReferences(store, [row]);
    o.onEvent?.({ type: 'page', documentId: doc.id, outcome: 'stored' });
  };

  // An unexpected error (e.g. the store refusing a write) halts the run like a fatal LLM error,
  // but only after the requests in flight have settled, so none of them outlives the run.
  const guarded = async (page: SelectedPage): Promise<void> => {
    try {
      await one(page);
    } catch (err) {
      if (!halted) summary.fatal = `doc ${page.id}: ${(err as Error).message}`;
      halted = true;
      fail(page.id, 'error');
    }
  };
  const limit = pLimit(Math.max(1, o.concurrency));
  await Promise.all(todo.map((p) => limit(() => guarded(p))));

  summary.interrupted = !halted && (o.shouldStop?.() ?? false) && summary.notAttempted > 0;
  summary.costUsd = estimateCost(summary.promptTokens, summary.completionTokens, o.priceIn, o.priceOut);
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

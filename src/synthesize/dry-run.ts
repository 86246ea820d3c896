/** What `synthesize --dry-run` shows: the pages chosen, which are still to do, and the first prompt. */
import type { Store } from '../store/index.js';
import { baselinePage } from '../store/references.js';
import { buildPrompt } from './prompt.js';
import { externalIdFor, planSynthesis, type SynthesisOptions } from './run.js';

export function synthesisDryRun(store: Store, o: Pick<SynthesisOptions, 'selection' | 'setName' | 'maxTokens'>) {
  const { selection, todo, skipped } = planSynthesis(store, o);
  const todoIds = new Set(todo.map((p) => p.id));
  const pages = selection.pages.map((p) => {
    const doc = baselinePage(store, p.id);
    return {
      documentId: p.id,
      externalId: externalIdFor(p.id),
      done: !todoIds.has(p.id),
      lang: p.lang,
      tld: p.tld,
      words: doc?.words ?? null,
      crawlDate: doc?.crawlDate ?? null,
      date: doc?.date ?? null,
      title: doc?.title ?? null,
      url: doc?.url ?? null,
    };
  });
  const firstDoc = todo.length > 0 ? baselinePage(store, todo[0].id) : null;
  const firstPrompt = firstDoc ? buildPrompt(firstDoc, o.maxTokens) : null;
  return { selection, pages, skipped, firstPrompt };
}

/**
 * Topic novelty on real labelled texts: the similarity below which a document counts as
 * unlike every training topic is read from held-out similarities, so unseen texts of the
 * training texts' own kind are flagged about as often as the 5 % the threshold stands for,
 * in English and in six languages at once (Chinese among them).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadLabeled } from '../../src/detect/labeled.js';
import { splitByOpening } from '../support/labeled-split.js';
import { TopicClusters } from '../../src/estimate/indomain/topics.js';
import { neighbourCounts } from '../../src/estimate/indomain/neighbours.js';
import { TopicStrata } from '../../src/estimate/indomain/strata.js';
import { prepare } from '../../src/detect/prepared.js';
import type { LabeledRecord } from '../../src/detect/types.js';

const SHARED = join(import.meta.dirname, '../../../shared/corpora/labeled');

async function novelShares(file: string, k: number) {
  const { train, test } = splitByOpening(await loadLabeled([join(SHARED, file)]), 11);
  const clusters = TopicClusters.fit(
    train.slice(0, 450).map((r) => neighbourCounts(r.text)),
    k,
    5,
  );
  const novel = (texts: readonly { text: string }[]) =>
    texts.filter((r) => clusters.assign(neighbourCounts(r.text)).similarity < clusters.novelBelow).length / texts.length;
  return { training: novel(train.slice(0, 450)), unseen: novel(test.slice(0, 400)) };
}

describe('topic novelty', () => {
  it('flags about one unseen text in twenty of the training texts’ kind (English)', async () => {
    const { training, unseen } = await novelShares('detectrl.jsonl', 3);
    expect(unseen).toBeLessThan(0.12);
    // Training texts read against their own centroids look closer than unseen ones.
    expect(training).toBeLessThan(unseen);
  });

  it('does the same per language when six languages make their own strata', async () => {
    // As the in-domain model builds them: a group per language, a cluster per 150 texts.
    const { train, test } = splitByOpening(await loadLabeled([join(SHARED, 'glimpse_multilingual.jsonl')]), 11);
    const item = (r: LabeledRecord) => ({ counts: neighbourCounts(r.text), lang: prepare({ text: r.text }).lang, human: r.label === 'human' });
    const strata = TopicStrata.fit(train.slice(0, 450).map(item), (n) => Math.max(1, Math.min(6, Math.floor(n / 150))), 5);
    expect(strata.languages.length).toBeGreaterThanOrEqual(5);
    const unseen = test.slice(0, 400).map(item);
    const novel = unseen.filter((x) => strata.assign(x.counts, x.lang).novel).length / unseen.length;
    expect(novel).toBeLessThan(0.12);
  });
});

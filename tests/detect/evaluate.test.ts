import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateScores, generatorFamily } from '../../src/detect/evaluate.js';
import { loadLabeled, parseLabeledLine, LabeledDataError } from '../../src/detect/labeled.js';
import type { LabeledRecord } from '../../src/detect/types.js';
import { useTempDir } from './helpers.js';

/** Synthetic labeled records (not real text): the scores below are what is being sliced. */
function rec(i: number, label: 'ai' | 'human', generator: string | null, file: string, variant: string | null): LabeledRecord {
  return {
    id: `${file}-${label}-${i}`,
    text: `synthetic ${i}`,
    label,
    source: file,
    domain: i % 2 ? 'news' : 'science',
    generator,
    lang: 'eng',
    file,
    variant,
  };
}

describe('labeled data', () => {
  const tempDir = useTempDir();

  it('parses ids into file stem and variant', () => {
    const r = parseLabeledLine(
      JSON.stringify({ id: 'detectrl_attacks-ai-paraphrase_polish_llm-4b9dbd75a1ac', text: 't', label: 'ai', generator: 'g' }),
      '/x/detectrl_attacks.jsonl',
      1,
    );
    expect(r).toMatchObject({ file: 'detectrl_attacks', variant: 'paraphrase_polish_llm', generator: 'g' });
    expect(
      parseLabeledLine(JSON.stringify({ id: 'fastdetectgpt-human-26607b5b1bf0', text: 't', label: 'human' }), 'fastdetectgpt.jsonl', 1).variant,
    ).toBeNull();
  });

  it('rejects bad lines with file and line number', async () => {
    const f = join(tempDir(), 'bad.jsonl');
    writeFileSync(f, `${JSON.stringify({ text: 'ok', label: 'ai' })}\n{"text": "x", "label": "robot"}\n`);
    await expect(loadLabeled([f])).rejects.toThrow(/bad\.jsonl:2: "label" must be "human" or "ai"/);
    expect(() => parseLabeledLine('{', 'f.jsonl', 3)).toThrow(LabeledDataError);
  });
});

describe('evaluation slices', () => {
  it('compares each generator, family and variant against the humans of its files', () => {
    const records: LabeledRecord[] = [];
    const scores: number[] = [];
    for (let i = 0; i < 20; i++) {
      records.push(rec(i, 'human', null, 'a', null));
      scores.push(i / 100);
      records.push(rec(100 + i, 'ai', 'gpt-4', 'a', 'direct'));
      scores.push(0.5 + i / 100); // perfectly separated
      records.push(rec(200 + i, 'ai', 'gpt2-xl', 'a', 'continuation'));
      scores.push(i / 100 + 0.005); // indistinguishable from humans
    }
    const rows = evaluateScores({ name: 'x', version: '1' }, records, scores, {
      threshold: 0.5,
      replicates: 0,
      seed: 1,
      breakdowns: ['generator', 'family', 'variant'],
      minPerClass: 10,
    });
    const get = (slice: string, value: string) => rows.find((r) => r.slice === slice && r.value === value)!;
    expect(get('generator', 'gpt-4').auroc!.value).toBe(1);
    expect(get('generator', 'gpt-4').nNeg).toBe(20);
    // P(ai > human) = #(i ≥ j) / 400 = 210 / 400
    expect(get('generator', 'gpt2-xl').auroc!.value).toBeCloseTo(210 / 400, 10);
    expect(get('family', 'instruction-tuned').nPos).toBe(20);
    expect(get('family', 'base-lm').nPos).toBe(20);
    expect(get('variant', 'a:direct').auroc!.value).toBe(1);
    expect(get('all', 'all').nPos).toBe(40);
    expect(generatorFamily('davinci')).toBe('base-lm');
  });
});

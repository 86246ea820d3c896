/**
 * `ccaudit estimate --jsonl --baseline --references`: the domain-matched estimators on a corpus
 * outside any store, with REAL texts (DetectRL, ../shared/corpora/labeled): human texts as the
 * baseline, AI texts of several generators as references, and a corpus of other texts in two
 * months (0 % and ≈ 30 % AI) whose true shares the test counts itself.
 * Also: each AI reference's generator (or set) is carried into the baseline items, for files
 * and for a store's references table.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { openStore } from '../../src/store/index.js';
import { referenceRows } from '../../src/store/baseline-queries.js';
import { importReferencesJsonl } from '../../src/synthesize/import-jsonl.js';
import { readReferenceFile } from '../../src/estimate/assemble/reference-files.js';
import { runCli, SHARED } from '../support/run-cli.js';

interface Labeled {
  text: string;
  label: 'human' | 'ai';
  lang: string;
  domain: string;
  generator?: string;
}

const dir = mkdtempSync(join(tmpdir(), 'ccaudit-estimate-baseline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows: Labeled[] = readFileSync(join(SHARED, 'corpora/labeled/detectrl.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));

function shuffled<T>(xs: T[], rng: Rng): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const write = (name: string, lines: object[]): string => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return path;
};

describe('estimate --jsonl with --baseline and --references (REAL DetectRL texts)', () => {
  const rng = new Rng(13);
  const human = shuffled(
    rows.filter((r) => r.label === 'human'),
    rng,
  );
  const ai = shuffled(
    rows.filter((r) => r.label === 'ai'),
    rng,
  );
  const baseline = write(
    'baseline.jsonl',
    human.slice(0, 240).map((r, i) => ({ text: r.text, lang: r.lang, domain: r.domain, month: `2021-${String(1 + (i % 12)).padStart(2, '0')}` })),
  );
  // Half the references name their generator, the other half only their set.
  const references = write(
    'references.jsonl',
    ai
      .slice(0, 120)
      .map((r, i) => (i % 2 ? { text: r.text, lang: r.lang, generator: r.generator } : { text: r.text, lang: r.lang, set: `set-${r.generator}` })),
  );
  const pool = { human: human.slice(240), ai: ai.slice(120) };
  const corpusLines: Array<{ id: number; text: string; lang: string; month: string; truth: string }> = [];
  for (const [month, share] of [
    ['2024-01', 0],
    ['2024-02', 0.3],
  ] as const) {
    for (let i = 0; i < 150; i++) {
      const r = rng.uniform() < share ? pool.ai.pop()! : pool.human.pop()!;
      corpusLines.push({ id: corpusLines.length, text: r.text, lang: r.lang, month, truth: r.label });
    }
  }
  const corpus = write('corpus.jsonl', corpusLines);
  const truth = (month: string) => {
    const m = corpusLines.filter((l) => l.month === month);
    return m.filter((l) => l.truth === 'ai').length / m.length;
  };

  it('gives the domain-matched estimates, and their intervals hold the counted truth', async () => {
    const r = await runCli([
      'estimate',
      '--jsonl',
      corpus,
      '--baseline',
      baseline,
      '--references',
      references,
      '--detector',
      'classifier',
      '--method',
      'naive,baseline',
      '--replicates',
      '300',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.domainCalibration.kind).toBe('user-labeled');
    expect(report.domainCalibration.nAi).toBe(120);
    expect(report.domainCalibration.nControl).toBe(240);
    expect(report.domainCalibration.drift.length).toBeGreaterThan(0);
    for (const g of report.groups) {
      const t = truth(g.key);
      for (const method of ['baseline-corrected:classifier', 'score-mixture:classifier']) {
        const e = g.estimates.find((x: { method: string }) => x.method === method);
        expect(e.status, `${g.key} ${method}: ${e.note}`).toBe('ok');
        expect(e.calibration).toBe('user-labeled');
        expect(e.lo).toBeLessThanOrEqual(t + 1e-9);
        expect(e.hi).toBeGreaterThanOrEqual(t - 1e-9);
        expect(e.hi - e.lo).toBeLessThan(0.3);
      }
    }
    expect(truth('2024-02')).toBeGreaterThan(0.2);
  }, 300_000);

  it('rejects a half-given pair and the old GPT-word use of --baseline with one line and exit 2', async () => {
    const half = await runCli(['estimate', '--jsonl', corpus, '--baseline', baseline]);
    expect(half.status).toBe(2);
    expect(half.stderr).toMatch(/--baseline and --references go together/);
    const old = await runCli(['estimate', '--jsonl', corpus, '--baseline', 'linear']);
    expect(old.status).toBe(2);
    expect(old.stderr).toMatch(/--excess-baseline linear/);
    const missing = await runCli([
      'estimate',
      '--jsonl',
      corpus,
      '--baseline',
      join(dir, 'nope.jsonl'),
      '--references',
      references,
      '--detector',
      'classifier',
    ]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/baseline file not found/);
  }, 120_000);

  it("carries each reference's generator, else its set, into the items", async () => {
    const f = await readReferenceFile(references, 'ai', async () => [0.5]);
    expect(f.items).toHaveLength(120);
    const first = ai[0];
    const second = ai[1];
    expect(f.items[0].generator).toBe(`set-${first.generator}`);
    expect(f.items[1].generator).toBe(second.generator);
    const h = await readReferenceFile(baseline, 'human', async () => [0.5]);
    expect(h.items[0].generator).toBeUndefined();
    expect(h.items[0].month).toBe('2021-01');
  });
});

describe('store references carry their generator', () => {
  it('the model that wrote a reference, else its set name', async () => {
    const path = join(dir, 'refs.db');
    const file = write('labeled.jsonl', [
      { id: 'a', text: 'An AI text with a named generator, long enough to count a few words.', label: 'ai', generator: 'gpt-4o' },
      { id: 'b', text: 'An AI text whose generator nobody recorded, also a few words long.', label: 'ai' },
      { id: 'c', text: 'A human text of the same corpus.', label: 'human' },
    ]);
    const store = openStore(path);
    try {
      await importReferencesJsonl(store, file, { setName: 'import:labeled', origin: 'import' });
      const got = [...referenceRows(store, { detectors: [], label: 'ai' })].map((r) => r.generator);
      expect(got).toEqual(['gpt-4o', 'import:labeled']);
    } finally {
      store.close();
    }
  });
});

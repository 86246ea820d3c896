/**
 * End to end: a store built by the real `ccaudit scan` from real sample WARCs, `ccaudit
 * synthesize` talking to the SYNTHETIC chat-completions server (tests/support/llm-server.ts)
 * over real HTTP on 127.0.0.1, `ccaudit references import|list` on a slice of a real labelled
 * corpus, and `ccaudit score` scoring the reference texts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countWords } from '../../src/extract/language.js';
import { BUILTIN_NAMES } from '../../detectors/index.js';
import { runCli, SHARED } from '../support/run-cli.js';
import { startLlmServer, type LlmServer } from '../support/llm-server.js';
import { copyStore, query, scanSamples, startCliAsync, until } from './helpers.js';

const CUTOFF = '2022-11-30';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ccaudit-synth-'));
const base = path.join(tmp, 'base.db');
let server: LlmServer;
let copies = 0;
const freshStore = () => copyStore(base, path.join(tmp, `s${++copies}.db`));

interface RefRow {
  id: number;
  set_name: string;
  external_id: string;
  label: string;
  origin: string;
  document_id: number | null;
  generator: string | null;
  prompt: string | null;
  title: string | null;
  text: string;
  lang: string | null;
  tld: string | null;
  domain: string | null;
  genre: string | null;
  words: number;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  details: string | null;
  run_id: number | null;
}

const synth = (db: string, ...extra: string[]) =>
  runCli(['synthesize', '--db', db, '--llm-url', server.url, '--model', 'synthetic-model', '--api-key-env', 'SYNTH_KEY', ...extra], {
    env: { SYNTH_KEY: 'secret' },
  });

beforeAll(async () => {
  const scan = await scanSamples(base);
  if (scan.status !== 0) throw new Error(`scan failed: ${scan.stderr}`);
  server = await startLlmServer();
}, 120_000);

afterAll(async () => {
  await server?.close();
});

beforeEach(() => server.reset());

describe('ccaudit synthesize', () => {
  it('dry run shows the chosen pages and the first prompt, and sends nothing', async () => {
    const db = freshStore();
    const r = await synth(db, '--n', '5', '--dry-run');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^dry run: 5 pages chosen of 21 with crawl date < 2022-11-30/);
    expect(r.stdout).toContain('first prompt (max_tokens');
    expect(r.stdout).toContain('Excerpt of the original page');
    expect(server.requests).toHaveLength(0);
    expect(query(db, 'SELECT count(*) n FROM reference_texts')[0]).toEqual({ n: 0 });
  });

  it('stores one AI reference per chosen pre-cutoff page with its prompt, tokens and stratum; a re-run asks nothing', async () => {
    const db = freshStore();
    const r = await synth(db, '--n', '8', '--seed', '7', '--no-score', '--json');
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({
      wanted: 8,
      eligible: 21,
      requested: 8,
      skipped: 0,
      attempted: 8,
      stored: 8,
      retries: 0,
      failed: {},
      fatal: null,
    });
    expect(server.requests).toHaveLength(8);
    expect(server.requests.every((q) => q.authorization === 'Bearer secret')).toBe(true);
    expect(server.requests.every((q) => q.body?.model === 'synthetic-model' && q.body?.temperature === 0.7)).toBe(true);

    const refs = query<RefRow>(db, 'SELECT * FROM reference_texts ORDER BY id');
    expect(refs).toHaveLength(8);
    const byPrompt = new Map(server.requests.map((q) => [q.body!.messages![0].content, q]));
    for (const ref of refs) {
      expect(ref).toMatchObject({ set_name: 'synth:synthetic-model', label: 'ai', origin: 'synthesize', generator: 'synthetic-model' });
      expect(ref.external_id).toBe(`doc:${ref.document_id}`);
      const [doc] = query<{ crawl_date: string; words: number; lang: string; tld: string; domain: string; title: string | null }>(
        db,
        'SELECT crawl_date, words, lang, tld, domain, title FROM documents WHERE id = ?',
        ref.document_id,
      );
      expect(doc.crawl_date < CUTOFF).toBe(true);
      expect(doc.words).toBeGreaterThanOrEqual(100);
      expect({ lang: ref.lang, tld: ref.tld, domain: ref.domain, title: ref.title }).toEqual({
        lang: doc.lang,
        tld: doc.tld,
        domain: doc.domain,
        title: doc.title,
      });
      // The stored prompt is exactly what the server received; text and tokens are its answer.
      const sent = byPrompt.get(ref.prompt!);
      expect(sent, 'stored prompt was sent').toBeDefined();
      expect(ref.text).toBe(sent!.answer!.content);
      expect(ref.words).toBe(countWords(ref.text));
      expect(ref.prompt_tokens).toBe(sent!.answer!.promptTokens);
      expect(ref.completion_tokens).toBe(sent!.answer!.completionTokens);
      expect(sent!.body!.max_tokens).toBeLessThanOrEqual(2048);
      const details = JSON.parse(ref.details!);
      expect(details).toMatchObject({ finishReason: 'stop', attempts: 1 });
      expect(details.latencyMs).toBeGreaterThanOrEqual(0);
    }
    expect(summary.promptTokens).toBe(refs.reduce((a, x) => a + x.prompt_tokens!, 0));
    expect(summary.completionTokens).toBe(refs.reduce((a, x) => a + x.completion_tokens!, 0));
    // The chosen strata are the ones the summary reports.
    const chosen = new Map<string, number>();
    for (const ref of refs) chosen.set(`${ref.lang}/${ref.tld}`, (chosen.get(`${ref.lang}/${ref.tld}`) ?? 0) + 1);
    for (const s of summary.strata as Array<{ stratum: string; chosen: number }>) expect(chosen.get(s.stratum) ?? 0, s.stratum).toBe(s.chosen);
    const [run] = query<{ id: number; command: string; status: string }>(db, "SELECT id, command, status FROM runs WHERE command = 'synthesize'");
    expect(run.status).toBe('completed');
    expect(refs.every((x) => x.run_id === run.id)).toBe(true);

    server.reset();
    const again = await synth(db, '--n', '8', '--seed', '7', '--no-score', '--json');
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ requested: 8, skipped: 8, attempted: 0, stored: 0 });
    expect(server.requests).toHaveLength(0);
    expect(query(db, 'SELECT count(*) n FROM reference_texts')[0]).toEqual({ n: 8 });
  }, 60_000);

  it('imitates exactly the eligible pages: crawl date or publication date before the cutoff', async () => {
    const db = freshStore();
    const crawl = await synth(db, '--n', '100', '--set', 'crawl', '--no-score', '--concurrency', '4', '--json');
    expect(crawl.status, crawl.stderr).toBe(0);
    const pub = await synth(db, '--n', '100', '--set', 'pub', '--date-basis', 'publication', '--no-score', '--json');
    expect(pub.status, pub.stderr).toBe(0);
    const ids = (set: string) =>
      query<{ d: number }>(db, 'SELECT document_id d FROM reference_texts WHERE set_name = ? ORDER BY d', set).map((x) => x.d);
    const expected = (col: string) =>
      query<{ id: number }>(db, `SELECT id FROM documents WHERE ${col} IS NOT NULL AND ${col} < ? AND words >= 100 ORDER BY id`, CUTOFF).map(
        (x) => x.id,
      );
    expect(ids('crawl')).toEqual(expected('crawl_date'));
    expect(ids('crawl')).toHaveLength(21);
    expect(ids('pub')).toEqual(expected('date'));
    // The 2024 crawl of a page published in 2008 counts only by publication date.
    const late = query<{ id: number }>(db, 'SELECT id FROM documents WHERE crawl_date >= ? AND date < ? AND words >= 100', CUTOFF, CUTOFF).map(
      (x) => x.id,
    );
    expect(late.length).toBeGreaterThan(0);
    for (const id of late) {
      expect(ids('pub')).toContain(id);
      expect(ids('crawl')).not.toContain(id);
    }
  }, 60_000);

  it('retries 429 (Retry-After), 500, connection resets and timeouts, and counts them', async () => {
    const db = freshStore();
    // One fault per page (each followed by a normal answer), so every backoff is a first one.
    server.queueFaults(
      { kind: 'status', status: 429, retryAfter: '1' },
      { kind: 'ok' },
      { kind: 'status', status: 500 },
      { kind: 'ok' },
      { kind: 'reset' },
      { kind: 'ok' },
      { kind: 'slow', ms: 10_000 },
    );
    const r = await synth(db, '--n', '4', '--concurrency', '1', '--timeout', '1', '--no-score', '--json');
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ stored: 4, retries: 4, retriesByCode: { 'http-429': 1, 'http-500': 1, reset: 1, timeout: 1 }, failed: {} });
    expect(server.requests).toHaveLength(8);
    const attempts = query<{ details: string }>(db, 'SELECT details FROM reference_texts').map((x) => JSON.parse(x.details).attempts as number);
    expect(attempts.sort()).toEqual([2, 2, 2, 2]);
    expect(r.stderr).toContain('retries: 4');
  }, 60_000);

  it('keeps every finished answer when killed mid-run; the next run asks only for the rest', async () => {
    const db = freshStore();
    // The third request never gets an answer before the kill.
    server.queueFaults({ kind: 'ok' }, { kind: 'ok' }, { kind: 'slow', ms: 120_000 });
    const args = ['synthesize', '--db', db, '--llm-url', server.url, '--model', 'synthetic-model', '--n', '5', '--concurrency', '1', '--no-score'];
    const { child, done } = startCliAsync(args, { OPENAI_API_KEY: '' });
    await until(() => server.requests.length >= 3);
    child.kill('SIGKILL');
    await done;
    expect(query(db, 'SELECT count(*) n FROM reference_texts')[0]).toEqual({ n: 2 });
    server.reset();
    const r = await runCli([...args, '--json'], { env: { OPENAI_API_KEY: '' } });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ requested: 5, skipped: 2, stored: 3 });
    expect(server.requests).toHaveLength(3);
    expect(query<{ status: string }>(db, "SELECT status FROM runs WHERE command = 'synthesize' ORDER BY id").map((x) => x.status)).toEqual([
      'interrupted',
      'completed',
    ]);
  }, 60_000);

  it('records refusals and empty answers as failures, not references; a re-run tries those pages again', async () => {
    const db = freshStore();
    server.queueFaults({ kind: 'refusal' }, { kind: 'empty' });
    const r = await synth(db, '--n', '4', '--concurrency', '1', '--no-score', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ stored: 2, failed: { refusal: 1, empty: 1 } });
    expect(query(db, 'SELECT count(*) n FROM reference_texts')[0]).toEqual({ n: 2 });
    expect(query<{ n: number }>(db, "SELECT count(*) n FROM reference_texts WHERE text LIKE 'I''m sorry%'")[0].n).toBe(0);
    const again = await synth(db, '--n', '4', '--concurrency', '1', '--no-score', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ skipped: 2, stored: 2, failed: {} });
  }, 60_000);

  it('stops at once on 401 with a one-line message naming the key variable, exit code 1', async () => {
    const db = freshStore();
    server.requireKey('the-right-key');
    const r = await synth(db, '--n', '5', '--concurrency', '1', '--no-score');
    expect(r.status).toBe(1);
    const last = r.stderr.trim().split('\n').at(-1)!;
    expect(last).toMatch(/^ccaudit synthesize: LLM server answered HTTP 401 Unauthorized: .*check the key in \$SYNTH_KEY$/);
    expect(server.requests).toHaveLength(1);
    expect(query(db, 'SELECT count(*) n FROM reference_texts')[0]).toEqual({ n: 0 });
    expect(query<{ status: string }>(db, "SELECT status FROM runs WHERE command = 'synthesize'")[0].status).toBe('failed');

    server.reset();
    server.requireKey('the-right-key');
    const noKey = await runCli(
      ['synthesize', '--db', db, '--llm-url', server.url, '--model', 'm', '--api-key-env', 'SYNTH_UNSET_KEY', '--n', '1', '--no-score'],
      { env: { SYNTH_UNSET_KEY: '' } },
    );
    expect(noKey.status).toBe(1);
    expect(noKey.stderr).toContain('$SYNTH_UNSET_KEY is not set; sending requests without an Authorization header');
    expect(noKey.stderr).toContain('no key was sent: set $SYNTH_UNSET_KEY');
    expect(server.requests[0].authorization).toBeNull();
  }, 60_000);

  it('scores the new references with the default detectors unless --no-score', async () => {
    const db = freshStore();
    const r = await synth(db, '--n', '3', '--json');
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.scoring.map((x: { detector: string }) => x.detector)).toEqual([...BUILTIN_NAMES]);
    expect(query(db, 'SELECT count(*) n FROM reference_scores')[0]).toEqual({ n: 3 * BUILTIN_NAMES.length });
    expect(r.stderr).toContain('reference texts scored:');
  }, 60_000);

  it('rejects bad flags with exit code 2 and one line', async () => {
    const db = path.join(tmp, 'unused.db');
    const cases = [
      ['--n', '0'],
      ['--cutoff', '2022-13-01'],
      ['--date-basis', 'fetch'],
      ['--temperature', '3'],
      ['--timeout', '-1'],
      ['--price-in', 'free'],
    ];
    for (const extra of cases) {
      const r = await runCli(['synthesize', '--db', db, '--llm-url', 'http://127.0.0.1:9/v1', '--model', 'm', ...extra]);
      expect(r.status, extra.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), extra.join(' ')).toHaveLength(1);
    }
    expect((await runCli(['synthesize', '--db', db, '--llm-url', 'ftp://x', '--model', 'm'])).status).toBe(2);
    expect((await runCli(['synthesize', '--db', db, '--llm-url', 'http://127.0.0.1:9/v1'])).status).toBe(2);
  }, 60_000);
});

describe('ccaudit references', () => {
  const labeled = path.join(SHARED, 'corpora/labeled/detectrl.jsonl');
  const slice = path.join(tmp, 'detectrl-head.jsonl');
  let rows: Array<{ id: string; text: string; label: string; domain: string; generator: string | null; lang: string }> = [];

  beforeAll(() => {
    // The first 50 lines of a real labelled corpus, then two bad lines (51: no text, 52: no label).
    const head = readFileSync(labeled, 'utf8').split('\n').slice(0, 50);
    rows = head.map((l) => JSON.parse(l));
    writeFileSync(slice, `${head.join('\n')}\n${JSON.stringify({ id: 'x1', label: 'ai' })}\n${JSON.stringify({ id: 'x2', text: 'some text' })}\n`);
  });

  it('imports labelled JSONL, reports bad lines by number, and adds nothing on a re-import', async () => {
    const db = freshStore();
    const r = await runCli(['references', 'import', slice, '--db', db, '--no-score', '--json']);
    expect(r.status).toBe(1); // bad lines were skipped
    expect(r.stderr).toContain(`${slice}:51: missing "text" (skipped)`);
    expect(r.stderr).toContain(`${slice}:52: missing "label"`);
    const s = JSON.parse(r.stdout);
    const humans = rows.filter((x) => x.label === 'human').length;
    expect(s).toMatchObject({
      setName: 'import:detectrl-head',
      lines: 52,
      added: 50,
      bad: 2,
      duplicates: 0,
      byLabel: { human: humans, ai: 50 - humans },
    });
    const refs = query<RefRow>(db, 'SELECT * FROM reference_texts ORDER BY id');
    expect(refs).toHaveLength(50);
    const byId = new Map(rows.map((x) => [x.id, x]));
    for (const ref of refs) {
      const src = byId.get(ref.external_id)!;
      expect(ref).toMatchObject({
        set_name: 'import:detectrl-head',
        origin: 'import',
        label: src.label,
        text: src.text,
        genre: src.domain,
        lang: src.lang,
        document_id: null,
        tld: null,
      });
      expect(ref.generator).toBe(src.label === 'ai' ? src.generator : null);
      expect(ref.words).toBe(countWords(src.text));
    }
    const again = await runCli(['references', 'import', slice, '--db', db, '--no-score', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, duplicates: 50 });
    expect(query(db, 'SELECT count(*) n FROM reference_texts')[0]).toEqual({ n: 50 });

    const list = await runCli(['references', 'list', '--db', db, '--json']);
    expect(list.status).toBe(0);
    const summary = JSON.parse(list.stdout) as Array<{ label: string; n: number }>;
    expect(summary.reduce((a, x) => a + x.n, 0)).toBe(50);
    expect(summary.filter((x) => x.label === 'human').reduce((a, x) => a + x.n, 0)).toBe(humans);
    const table = await runCli(['references', 'list', '--db', db]);
    expect(table.stdout.split('\n')[0]).toMatch(/^set\s+label\s+origin\s+generator\s+texts/);
  }, 60_000);

  it('imports a control corpus as human texts only; --as control --label ai is a flag error', async () => {
    const db = freshStore();
    const r = await runCli(['references', 'import', slice, '--db', db, '--as', 'control', '--set', 'ctl', '--no-score', '--json']);
    const humans = rows.filter((x) => x.label === 'human').length;
    expect(JSON.parse(r.stdout)).toMatchObject({ setName: 'ctl', added: humans + 1, byLabel: { human: humans + 1, ai: 0 } });
    // The AI rows and the row without text are reported; the unlabelled row is taken as human.
    expect(r.stderr.split('\n').filter((l) => l.includes('(skipped)'))).toHaveLength(50 - humans + 1);
    expect(query(db, 'SELECT DISTINCT origin, label FROM reference_texts')).toEqual([{ origin: 'control', label: 'human' }]);
    const bad = await runCli(['references', 'import', slice, '--db', db, '--as', 'control', '--label', 'ai']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect((await runCli(['references', 'import', path.join(tmp, 'missing.jsonl'), '--db', db])).status).toBe(1);
  }, 60_000);

  it('`ccaudit score --db` scores reference texts that miss a score', async () => {
    const db = freshStore();
    await runCli(['references', 'import', slice, '--db', db, '--no-score']);
    const r = await runCli(['score', '--db', db]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('reference texts:');
    expect(query(db, 'SELECT count(*) n FROM reference_scores')[0]).toEqual({ n: 50 * BUILTIN_NAMES.length });
    const scored = query<{ n: number }>(db, 'SELECT count(*) n FROM reference_scores WHERE score IS NOT NULL')[0].n;
    expect(scored).toBeGreaterThan(0);
    // Nothing left to do on a second run.
    const again = await runCli(['score', '--db', db]);
    expect(again.stdout).not.toContain('reference texts:');
  }, 120_000);
});

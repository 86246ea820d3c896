import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, getCalibration, StoreWriter } from '../../src/store/index.js';
import { createBuiltinDetector } from '../../detectors/index.js';
import { heldoutSample, useTempDir } from './helpers.js';
import { runProcess } from '../support/run-cli.js';
import type { ExtractedDocument, WarcRecord } from '../../src/core/types.js';

const ENTRY = resolve('tests/support/ccaudit-cli.ts');

/** Synthetic WARC record / extracted document wrapping a real labeled text. */
function syntheticRecord(i: number): WarcRecord {
  return {
    source: 'synthetic://cli-test.warc',
    offset: i * 1000,
    length: 900,
    offsetKind: 'file',
    warcVersion: '1.0',
    warcType: 'response',
    targetUri: `https://example.org/${i}`,
    warcDate: '2024-01-01T00:00:00Z',
    warcDateRaw: '2024-01-01T00:00:00Z',
    recordId: `<urn:uuid:${i}>`,
    warcHeaders: [],
    httpStatus: 200,
    httpHeaders: [],
    contentType: 'text/html',
    payload: null,
    payloadTruncated: false,
    notes: [],
  };
}
function syntheticDoc(text: string): ExtractedDocument {
  return {
    title: null,
    text,
    date: null,
    dateSource: null,
    lang: 'eng',
    words: text.split(/\s+/).length,
    charset: 'utf-8',
    charsetSource: 'default',
  };
}
const TSX = resolve('node_modules/.bin/tsx');

async function run(args: string[]) {
  const r = await runProcess(TSX, [ENTRY, ...args], { cwd: resolve('.'), timeoutMs: 120_000 });
  if (r.timedOut) throw new Error(`ccaudit ${args.join(' ')} did not finish within 120 s and was killed; stderr:\n${r.stderr}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('detector CLI', () => {
  const tempDir = useTempDir();

  async function labeledFile(dir: string, n = 60): Promise<string> {
    const { ai, human } = await heldoutSample('detectrl', n);
    const f = join(dir, 'labeled.jsonl');
    writeFileSync(
      f,
      [...ai, ...human]
        .map((r) =>
          JSON.stringify({ id: r.id, text: r.text, label: r.label, source: r.source, domain: r.domain, generator: r.generator, lang: r.lang }),
        )
        .join('\n') + '\n',
    );
    return f;
  }

  it('score --jsonl writes {id, scores} lines for every detector, plugins included', async () => {
    const dir = tempDir();
    const input = join(dir, 'in.jsonl');
    const { ai } = await heldoutSample('detectrl', 2);
    writeFileSync(input, `${ai.map((r) => JSON.stringify({ id: r.id, text: r.text })).join('\n')}\n{"id": 3, "text": "tiny"}\nnot json\n`);
    const r = await run(['score', '--jsonl', input, '--detector-module', './detectors/examples/example-plugin.js']);
    expect(r.code).toBe(1); // one bad line
    expect(r.stderr).toMatch(/in\.jsonl:4: not valid JSON/);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual([ai[0].id, ai[1].id, 3]);
    expect(Object.keys(lines[0].scores)).toEqual(['gpt-words', 'classifier', 'compression', 'stylometry', 'segments', 'stock-phrases']);
    expect(lines[0].scores.classifier).toBe((await createBuiltinDetector('classifier').score({ text: ai[0].text })).score);
    expect(lines[2].scores.classifier).toBeNull();
  });

  it('bad flags and missing modes give a one-line message and a non-zero exit', async () => {
    const bad = await run(['score', '--bogus']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const none = await run(['score']);
    expect(none.code).toBe(1);
    expect(none.stderr.trim()).toBe('ccaudit: score: give exactly one of --db PATH or --jsonl FILE');
    const unknown = await run(['score', '--jsonl', 'x.jsonl', '--detector', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown detector "nope"/);
    const badPlugin = await run(['detectors', '--detector-module', './nope.js']);
    expect(badPlugin.code).toBe(1);
    expect(badPlugin.stderr).toMatch(/file not found/);
  });

  it('train → score with the new model → calibrate into a store → evaluate --json', async () => {
    const dir = tempDir();
    const labeled = await labeledFile(dir);
    const model = join(dir, 'models', 'stylo.json');
    const t = await run(['train', '--labeled', labeled, '--out', model, '--kind', 'stylometry', '--split', 'all', '--seed', '5']);
    expect(t.code).toBe(0);
    expect(existsSync(model)).toBe(true);

    const input = join(dir, 'in.jsonl');
    const { human } = await heldoutSample('detectrl', 1);
    writeFileSync(input, `${JSON.stringify({ id: 'h', text: human[0].text })}\n`);
    const s = await run(['score', '--jsonl', input, '--detector', 'stylometry', '--model', `stylometry=${model}`, '--raw']);
    expect(s.code).toBe(0);
    const line = JSON.parse(s.stdout);
    expect(typeof line.scores.stylometry).toBe('number');
    expect(typeof line.raw.stylometry).toBe('number');

    const db = join(dir, 'cal.db');
    const c = await run(['calibrate', '--labeled', labeled, '--split', 'all', '--detector', 'gpt-words', '--db', db]);
    expect(c.code).toBe(0);
    const det = createBuiltinDetector('gpt-words');
    const store = openStore(db);
    const cal = getCalibration(store, 'gpt-words', det.version)!;
    store.close();
    expect(cal.nPos).toBe(60);
    expect(cal.fpr).toBeLessThanOrEqual(0.05);

    const e = await run([
      'evaluate',
      '--labeled',
      labeled,
      '--split',
      'all',
      '--detector',
      'classifier',
      '--json',
      '--replicates',
      '20',
      '--by',
      'domain',
    ]);
    expect(e.code).toBe(0);
    const rows = JSON.parse(e.stdout);
    expect(rows[0]).toMatchObject({ detector: 'classifier', slice: 'all', nPos: 60, nNeg: 60 });
    expect(rows[0].auroc.value).toBeGreaterThan(0.9);
  });

  it('score --db scores the stored documents, then finds nothing left to do', async () => {
    const db = join(tempDir(), 'docs.db');
    const store = openStore(db);
    const { ai, human } = await heldoutSample('detectrl', 3);
    const writer = new StoreWriter(store);
    [...ai, ...human].forEach((r, i) => writer.add(syntheticRecord(i), syntheticDoc(r.text)));
    writer.flush();
    store.close();
    const first = await run(['score', '--db', db, '--detector', 'gpt-words', '--detector', 'segments']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/gpt-words .* scored 6, unsupported 0, errors 0/);
    expect(first.stdout).toMatch(/segments .* scored 6, unsupported 0, errors 0/);
    const second = await run(['score', '--db', db, '--detector', 'gpt-words']);
    expect(second.stdout).toMatch(/scored 0, unsupported 0, errors 0/);
    const check = openStore(db);
    const n = (check.db.prepare(`SELECT count(*) AS n FROM scores WHERE score IS NOT NULL`).get() as { n: number }).n;
    const run1 = check.db.prepare(`SELECT command, status FROM runs WHERE command = 'score' ORDER BY id LIMIT 1`).get();
    check.close();
    expect(n).toBe(12);
    expect(run1).toEqual({ command: 'score', status: 'completed' });
  });

  it('detectors lists built-ins with their calibration', async () => {
    const r = await run(['detectors', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows.map((x: { name: string }) => x.name)).toEqual(['gpt-words', 'classifier', 'compression', 'stylometry', 'segments']);
    expect(rows.every((x: { calibration: unknown }) => x.calibration !== null)).toBe(true);
  });
});

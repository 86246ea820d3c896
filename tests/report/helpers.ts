/**
 * Shared fixtures for the report tests: a store built on the real path (WARC bytes written
 * with warcio → `ccaudit scan` → `ccaudit score`) from SYNTHETIC mixtures of REAL held-out
 * labelled texts, plus a CLI runner.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  articleHtml,
  drawMixture,
  heldoutPool,
  warcResponse,
  writeMixtureWarc,
  type MixtureMonth,
  type MonthPlan,
} from '../../scripts/lib/mixtures.js';
import { Rng } from '../../src/core/rng.js';
import { runProcess } from '../support/run-cli.js';

export const ENTRY = resolve('tests/support/ccaudit-cli.ts');
export const TSX = resolve('node_modules/.bin/tsx');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const CLI_TIMEOUT_MS = 300_000;

/** Runs the CLI (scan/score/report/estimate registered) without blocking this process; fails after 300 s. */
export async function runCli(args: string[], input?: string): Promise<CliResult> {
  const r = await runProcess(TSX, [ENTRY, ...args], { cwd: resolve('.'), input, timeoutMs: CLI_TIMEOUT_MS });
  if (r.timedOut) throw new Error(`ccaudit ${args.join(' ')} did not finish within ${CLI_TIMEOUT_MS / 1000} s and was killed; stderr:\n${r.stderr}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function makeTempDir(prefix = 'ccaudit-report-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A page whose title and URL try to inject markup and script into the report. */
export const HOSTILE_TITLE = `<script>window.__ccauditInjected = 1; alert("xss")</script><img src=x onerror="window.__ccauditInjected=2">`;
export const HOSTILE_URL = 'https://evil.example/a?q="><script>window.__ccauditInjected=3</script>';

export interface ScoredStore {
  db: string;
  warc: string;
  months: MixtureMonth[];
}

/**
 * Writes a WARC of mixtures (plus, optionally, one hostile page in the last month), then
 * scans and scores it through the CLI.
 */
export async function buildScoredStore(dir: string, plan: MonthPlan[], seed: number, opts: { hostile?: boolean } = {}): Promise<ScoredStore> {
  const pool = await heldoutPool();
  const months = drawMixture(pool, plan, seed);
  const warc = join(dir, 'mixture.warc.gz');
  await writeMixtureWarc(warc, months);
  if (opts.hostile) {
    const last = months[months.length - 1];
    const text = pool.ai[0].text;
    appendFileSync(
      warc,
      await warcResponse(HOSTILE_URL, `${last.period}-21T00:00:00Z`, articleHtml(HOSTILE_TITLE, `${last.period}-11T00:00:00Z`, text)),
    );
  }
  const db = join(dir, 'store.db');
  const scan = await runCli(['scan', warc, '--db', db, '--threads', '0']);
  if (scan.code !== 0) throw new Error(`scan failed (${scan.code}): ${scan.stderr}`);
  // Scoring normally happens during the scan; `score` fills in anything missing.
  const score = await runCli(['score', '--db', db]);
  if (score.code !== 0) throw new Error(`score failed (${score.code}): ${score.stderr}`);
  return { db, warc, months };
}

/**
 * Domain-matched calibration needs AI references: imports `n` REAL held-out AI texts that are
 * not on any page of `months` (drawn at random with `seed`) through `ccaudit references import`,
 * which scores them with every built-in detector. Returns the number imported.
 */
export async function importAiReferences(db: string, dir: string, months: readonly MixtureMonth[], n: number, seed: number): Promise<number> {
  const used = new Set(months.flatMap((m) => m.docs.map((d) => d.record.id)));
  const unused = (await heldoutPool()).ai.filter((r) => !used.has(r.id));
  if (unused.length < n) throw new Error(`only ${unused.length} unused held-out AI texts, need ${n}`);
  const rng = new Rng(seed);
  for (let i = 0; i < n; i++) {
    const j = i + rng.int(unused.length - i);
    [unused[i], unused[j]] = [unused[j], unused[i]];
  }
  const file = join(dir, 'ai-references.jsonl');
  writeFileSync(
    file,
    `${unused
      .slice(0, n)
      .map((r) => JSON.stringify({ id: r.id, text: r.text, label: 'ai', lang: r.lang, generator: r.generator }))
      .join('\n')}\n`,
  );
  const r = await runCli(['references', 'import', file, '--db', db]);
  if (r.code !== 0) throw new Error(`references import failed (${r.code}): ${r.stderr}`);
  return n;
}

/**
 * Reads one aligned table of a text report (format.ts alignTable): the header line starting
 * with `headerStart`, the dashed rule under it, and the rows up to the next blank line. Cells
 * are cut at the rule's column spans; the last column runs to the end of the line.
 */
export function readAlignedTable(text: string, headerStart: string): Array<Record<string, string>> {
  const lines = text.split('\n');
  const at = lines.findIndex((l, i) => l.startsWith(headerStart) && /^-+( +-+)*$/.test(lines[i + 1] ?? ''));
  if (at < 0) throw new Error(`no table with a header starting "${headerStart}"`);
  const spans = [...lines[at + 1].matchAll(/-+/g)].map((m) => [m.index!, m.index! + m[0].length] as const);
  const cut = (line: string) => spans.map(([a, b], i) => (i === spans.length - 1 ? line.slice(a) : line.slice(a, b)).trim());
  const names = cut(lines[at]);
  const rows: Array<Record<string, string>> = [];
  for (let i = at + 2; i < lines.length && lines[i].trim() !== ''; i++) {
    const cells = cut(lines[i]);
    rows.push(Object.fromEntries(names.map((n, j) => [n, cells[j]])));
  }
  return rows;
}

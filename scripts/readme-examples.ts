/**
 * README.md's example outputs, produced by the real commands on the bundled samples, so they
 * cannot drift from what the code prints. Each generated block follows a
 * `<!-- readme-example: NAME … -->` line; the excerpt rules below say what is left out, and
 * wall-clock times and temporary paths are normalised.
 *
 * Usage: npx tsx scripts/readme-examples.ts           rewrite the blocks in README.md
 *        npx tsx scripts/readme-examples.ts --check   exit 1 (with a diff) if they differ
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = path.join(ROOT, 'README.md');
const run = promisify(execFile);

/** The commands as the README shows them (after `npx ccaudit`). */
export const SCAN_ARGS = ['scan', 'samples/', '--db', 'ccaudit.db'];
/** The report `npm run demo` prints after its scan. */
export const DEMO_REPORT_ARGS = ['report', '--db', 'ccaudit.db', '--date', 'crawl', '--period', 'auto'];
export const REPORT_ARGS = [
  'report',
  '--db',
  'ccaudit.db',
  '--date',
  'crawl',
  '--min-docs',
  '10',
  '--method',
  'corrected,mixture,pages,excess',
  '--methods',
  'all',
  '--detector',
  'classifier',
  '--detector',
  'gpt-words',
  '--detector',
  'segments',
];
export const COLLAPSE_ARGS = [
  'collapse',
  '--shares',
  'tests/collapse/fixtures/synthetic-shares.json',
  '--model',
  'decoding',
  'anchoring',
  '--runs',
  '50',
];

/** The CLI from the TypeScript sources (never a stale dist/), in `cwd`. */
async function ccaudit(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests/support/ccaudit-cli.ts'), ...args], {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CI: '1' },
  });
  return stdout;
}

const lines = (text: string) => text.replace(/\n+$/, '').split('\n');

/** The scan summary, its timings replaced by "…". */
export function scanExcerpt(out: string): string {
  return lines(out)
    .map((l) => l.replace(/, [\d.]+s \(read [^)]*\)$/, ', …'))
    .join('\n');
}

/** What `npm run demo` prints: the scan summary, then the report up to its headline table's notes. */
export function demoExcerpt(scan: string, report: string): string {
  const all = lines(report);
  const end = all.findIndex((l) => l.startsWith('every method of every period'));
  if (end < 0) throw new Error('demo report has no headline section');
  return [scanExcerpt(scan), ...all.slice(0, end + 1), '…'].join('\n');
}

/**
 * The report's headline table and its check line, then the methods table, each without
 * one-document months, then "…" and the agreement note.
 */
export function reportExcerpt(out: string): string {
  const all = lines(out);
  const tableAt = (from: number): { rows: string[]; end: number } => {
    const start = all.findIndex((l, i) => i >= from && /^crawl month\s/.test(l));
    if (start < 0) throw new Error('report output has no table');
    let end = all.indexOf('', start);
    if (end < 0) end = all.length;
    return { rows: all.slice(start, end).filter((l) => !/^\S+\s+1\s+(too few |–)/.test(l)), end };
  };
  const headlineAt = all.indexOf('headline:');
  const methodsAt = all.indexOf('methods:');
  if (headlineAt < 0 || methodsAt < 0) throw new Error('report output has no headline or methods section');
  const headline = tableAt(headlineAt);
  const checks = all.slice(headline.end, methodsAt).filter((l) => l.startsWith('  '));
  const agree = all.findIndex((l) => l.startsWith('estimators '));
  const note: string[] = [];
  for (let i = agree; agree >= 0 && i < all.length && all[i] !== ''; i++) note.push(all[i]);
  return ['headline:', ...headline.rows, ...checks, '', 'methods:', ...tableAt(methodsAt).rows, '…', '', ...note].join('\n');
}

const COLLAPSE_SCENARIOS = ['decoding · greedy', 'anchoring · no fresh data', 'anchoring · 10% fresh'];
const COLLAPSE_GENERATIONS = new Set(['0', '1', '5', '20']);
const COLLAPSE_COLUMNS = 5;

/**
 * The collapse run's header (without the run-time line), and of three scenarios only the
 * generations 0, 1, 5 and 20 and the first five columns.
 */
export function collapseExcerpt(out: string): string {
  const all = lines(out);
  const firstBlank = all.indexOf('');
  const head = all.slice(0, firstBlank).filter((l) => !/^\d+ runs per scenario/.test(l));
  const sections: string[][] = [];
  let cur: string[] = [];
  for (const l of all.slice(firstBlank + 1)) {
    if (l === '') {
      if (cur.length) sections.push(cur);
      cur = [];
    } else cur.push(l);
  }
  if (cur.length) sections.push(cur);
  const body: string[] = [];
  for (const title of COLLAPSE_SCENARIOS) {
    const s = sections.find((x) => x[0].startsWith(title + '  '));
    if (!s) throw new Error(`collapse output has no scenario "${title}"`);
    const header = s[1];
    // Cells are right-aligned under their header, so a header column's end cuts every row.
    const ends = [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => m.index + m[0].length);
    const cut = ends[Math.min(COLLAPSE_COLUMNS, ends.length) - 1];
    const more = ends.length > COLLAPSE_COLUMNS ? '  …' : '';
    body.push('', s[0], header.slice(0, cut) + more);
    for (const row of s.slice(2)) {
      const gen = /^(\d+)\s/.exec(row)?.[1];
      if (gen !== undefined && COLLAPSE_GENERATIONS.has(gen)) body.push(row.slice(0, cut));
    }
  }
  return [`$ npx ccaudit ${COLLAPSE_ARGS.join(' ')}`, ...head, ...body].join('\n');
}

/** Runs the commands and returns each block's text. */
export async function renderExamples(): Promise<Record<string, string>> {
  const tmp = await mkdtemp(path.join(tmpdir(), 'ccaudit-readme-'));
  try {
    // The store is written in a temporary directory; the README shows it as ccaudit.db.
    const db = path.join(tmp, 'ccaudit.db');
    const withDb = (args: string[]) => args.map((a) => (a === 'ccaudit.db' ? db : a));
    const unTmp = (s: string) => s.split(tmp + path.sep).join('');
    const scan = unTmp(await ccaudit(withDb(SCAN_ARGS), ROOT));
    const [demo, report, collapse] = await Promise.all([
      ccaudit(withDb(DEMO_REPORT_ARGS), ROOT).then(unTmp),
      ccaudit(withDb(REPORT_ARGS), ROOT).then(unTmp),
      ccaudit(COLLAPSE_ARGS, ROOT),
    ]);
    return { scan: demoExcerpt(scan, demo), report: reportExcerpt(report), collapse: collapseExcerpt(collapse) };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const MARKER = /^<!-- readme-example: (\S+)[^>]*-->$/;

/** README text with each marked block replaced by `blocks[name]`; throws on an unknown or unclosed block. */
export function applyExamples(readme: string, blocks: Record<string, string>): string {
  const src = readme.split('\n');
  const out: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < src.length; i++) {
    out.push(src[i]);
    const m = MARKER.exec(src[i]);
    if (!m) continue;
    const name = m[1];
    if (!(name in blocks)) throw new Error(`README.md line ${i + 1}: no example named "${name}"`);
    if (src[i + 1] !== '```') throw new Error(`README.md line ${i + 2}: a plain \`\`\` fence must follow the "${name}" marker`);
    const close = src.indexOf('```', i + 2);
    if (close < 0) throw new Error(`README.md: the "${name}" block is not closed`);
    out.push('```', blocks[name], '```');
    seen.add(name);
    i = close;
  }
  const missing = Object.keys(blocks).filter((n) => !seen.has(n));
  if (missing.length) throw new Error(`README.md has no marker for: ${missing.join(', ')}`);
  return out.join('\n');
}

/** The commands whose outputs are shown must also appear, as written, in README.md. */
export function commandLines(): string[] {
  return [
    `npx ccaudit ${SCAN_ARGS.join(' ')}`,
    `npx ccaudit ${DEMO_REPORT_ARGS.join(' ')}`,
    `npx ccaudit ${REPORT_ARGS.join(' ')}`,
    `$ npx ccaudit ${COLLAPSE_ARGS.join(' ')}`,
  ];
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const readme = await readFile(README, 'utf8');
  const next = applyExamples(readme, await renderExamples());
  const absent = commandLines().filter((c) => !next.includes(c));
  if (absent.length) throw new Error(`README.md does not show these commands as run: ${absent.join('; ')}`);
  if (next === readme) {
    process.stderr.write('README.md examples are up to date\n');
    return;
  }
  if (check) {
    const a = readme.split('\n');
    const b = next.split('\n');
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i] !== b[i]) process.stderr.write(`line ${i + 1}:\n- ${a[i] ?? ''}\n+ ${b[i] ?? ''}\n`);
    }
    process.exitCode = 1;
    return;
  }
  await writeFile(README, next);
  process.stderr.write('README.md examples rewritten\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`readme-examples: ${(err as Error).message}\n`);
    process.exit(1);
  });
}

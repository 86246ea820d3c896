/**
 * `ccaudit sample --baseline` against the loopback Common Crawl (tests/support/cc-server.ts:
 * real WARC records re-grouped into pseudo-crawls by year, 2008 … 2025, so its collinfo has
 * crawls before and after the 2022-11-30 cutoff). The audit store is built by really scanning
 * real WARCs (samples/warc): pages crawled 2023–2025 are the audited documents, and the 2020
 * Common Crawl extract scanned into the same store must not count (it is before the cutoff).
 * Nothing here touches an address outside 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { register as registerSample } from '../../src/cli/sample.js';
import { runBaselineSample, type BaselineRunOptions } from '../../src/pipeline/baseline-sample.js';
import { indexLanguage } from '../../src/sources/commoncrawl/baseline-strata.js';
import { parseCdxjLine, urlHost, type CdxRecord } from '../../src/sources/commoncrawl/cdxj.js';
import { baselineDocuments, isBaselineSampleKey, parseBaselineSampleKey } from '../../src/store/baseline-samples.js';
import { openStore } from '../../src/store/index.js';
import { DEFAULT_CUTOFF } from '../../src/store/baseline-queries.js';
import { buildCcFixture, startCcServer, type CcServer } from '../support/cc-server.js';
import { ROOT, runCli } from '../support/run-cli.js';
import { cleanDeliveries, rangeOf, readRecords, readSample } from './helpers.js';

const SAMPLES = path.join(ROOT, 'samples/warc');
/** Real WARCs crawled after the cutoff (2023–2025) and one from before it (2020). */
const AUDITED = ['cc/cdx_toolkit-range-fetch', 'cc/whirlwind/whirlwind.warc.gz', 'edge-cases/dolma', 'recent'];
const PRE_CUTOFF = 'cc/resiliparse/warcfile.warc.gz';
const CUTOFF_MS = Date.parse(`${DEFAULT_CUTOFF}T00:00:00Z`);

let dir: string;
let srv: CcServer;
let audit: string;
let dbCount = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccaudit-baseline-'));
  srv = await startCcServer(await buildCcFixture(path.join(dir, 'fixture'), { linesPerBlock: 8, shards: 3 }));
  audit = path.join(dir, 'audit.sqlite');
  const r = await runCli([
    'scan',
    ...[...AUDITED, PRE_CUTOFF].map((p) => path.join(SAMPLES, p)),
    '--db',
    audit,
    '--threads',
    '1',
    '--no-score',
    '--json',
  ]);
  expect(r.status, r.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  await srv?.close();
  await rm(dir, { recursive: true, force: true });
});

const newDb = () => path.join(dir, `db-${++dbCount}.sqlite`);
const common = () => ['--index-url', srv.url, '--data-url', srv.url, '--lines-per-block', '8', '--cache-dir', path.join(dir, 'cache')];

function opts(over: Partial<BaselineRunOptions> = {}): BaselineRunOptions {
  return {
    indexUrl: srv.url,
    dataUrl: srv.url,
    crawls: {},
    perCrawl: 10,
    seed: 'base',
    match: { db: audit },
    linesPerBlock: 8,
    cacheDir: path.join(dir, 'cache'),
    db: newDb(),
    concurrency: 4,
    timeoutMs: 15_000,
    retry: { baseDelayMs: 10, maxDelayMs: 100 },
    ...over,
  };
}

/** Audited documents per (index language, tld), counted with plain SQL (crawled on/after the cutoff, with text). */
function auditCells(): Map<string, number> {
  const db = new Database(audit, { readonly: true });
  try {
    const rows = db
      .prepare(`SELECT lang, tld, count(*) AS n FROM documents WHERE crawl_date >= ? AND words > 0 GROUP BY lang, tld`)
      .all(DEFAULT_CUTOFF) as Array<{ lang: string; tld: string | null; n: number }>;
    const cells = new Map<string, number>();
    for (const r of rows) {
      const k = `${indexLanguage(r.lang) ?? '?'}/${r.tld ?? '?'}`;
      cells.set(k, (cells.get(k) ?? 0) + r.n);
    }
    return cells;
  } finally {
    db.close();
  }
}

/** Eligible (200, HTML) index lines of a fixture crawl. */
function eligibleLines(crawl: string): CdxRecord[] {
  const c = srv.fixture.crawls.find((x) => x.id === crawl)!;
  return c.lines
    .map(parseCdxjLine)
    .filter((r) => r.status === 200 && ['text/html', 'application/xhtml+xml'].includes(r.mimeDetected ?? r.mime ?? ''));
}

/** The stratum a line belongs to, decided here from the stratum ids alone (not with the code's filters). */
function stratumOf(r: CdxRecord, ids: Set<string>): string {
  const lang = r.languages?.[0]?.toLowerCase();
  const tld = urlHost(r.url)?.split('.').pop();
  if (lang && ids.has(`${lang}/${tld}`)) return `${lang}/${tld}`;
  if (lang && ids.has(`${lang}/*`)) return `${lang}/*`;
  return 'other';
}

function sampleKeysOf(db: string): Array<{ crawl: string; sample_key: string; wanted: number; drawn: number }> {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare(`SELECT crawl, sample_key, wanted, drawn FROM sample_draws ORDER BY crawl, sample_key`).all() as never;
  } finally {
    conn.close();
  }
}

describe('allocation', () => {
  it('--dry-run prints the allocation from the audit store (documents after the cutoff only) and draws nothing', async () => {
    const db = newDb();
    await srv.clearLog();
    const r = await runCli([
      'sample',
      '--baseline',
      '--per-crawl',
      '40',
      '--match-db',
      audit,
      '--min-share',
      '0',
      '--db',
      db,
      '--dry-run',
      '--json',
      ...common(),
    ]);
    expect(r.status, r.stderr).toBe(0);
    const { baseline: plan, dryRun } = JSON.parse(r.stdout);
    expect(dryRun).toBe(true);
    const cells = auditCells();
    const total = [...cells.values()].reduce((a, b) => a + b, 0);
    // The 2020 pages scanned into the same store are not part of the audit.
    const all = new Database(audit, { readonly: true });
    const before = (all.prepare(`SELECT count(*) AS n FROM documents WHERE crawl_date < ? AND words > 0`).get(DEFAULT_CUTOFF) as { n: number }).n;
    all.close();
    expect(before).toBeGreaterThan(10);
    expect(total).toBeGreaterThan(20);
    expect(plan.total).toBe(total);
    // With --min-share 0 every (lang, tld) cell is its own stratum with its audited count; unknown language → other.
    for (const s of plan.strata as Array<{ id: string; count: number; share: number; quota: number }>) {
      if (s.id === 'other') expect(s.count).toBe([...cells].filter(([k]) => k.startsWith('?/')).reduce((n, [, v]) => n + v, 0));
      else expect(s.count).toBe(cells.get(s.id));
      expect(s.share).toBeCloseTo(s.count / total, 12);
      expect(Math.abs(s.quota - 40 * s.share)).toBeLessThan(1);
    }
    expect(plan.strata.reduce((n: number, s: { quota: number }) => n + s.quota, 0)).toBe(40);
    expect(plan.strata.map((s: { id: string }) => s.id)).toContain('zho/org'); // franc's cmn, as the index spells it
    // The default crawls: the 2 newest that end before the cutoff.
    const pre = srv.fixture.crawls.filter((c) => Date.parse(c.to + 'Z') < CUTOFF_MS).sort((a, b) => (a.from < b.from ? 1 : -1));
    expect(plan.crawls.map((c: { id: string }) => c.id)).toEqual(
      pre
        .slice(0, 2)
        .map((c) => c.id)
        .reverse(),
    );
    // Nothing drawn, fetched or stored: only the crawl list was read.
    expect((await srv.getLog()).map((e) => e.target)).toEqual(['collinfo']);
    expect(existsSync(db)).toBe(false);
    // The table form names every stratum with its share and quota, and says where length is matched.
    const text = await runCli(['sample', '--baseline', '--per-crawl', '40', '--match-db', audit, '--db', db, '--dry-run', ...common()]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^stratum +audited +share +quota\/crawl +index filter$/m);
    expect(text.stdout).toMatch(/^eng\/org +\d+ +\d+\.\d% +\d+ +language eng, TLD \.org$/m);
    expect(text.stdout).toMatch(/post-stratifies the baseline by length/);
    expect(text.stdout).toMatch(/Dry run: nothing drawn/);
  });

  it('refuses an audit store with no documents after the cutoff, with a clear error', async () => {
    const r = await runCli(['sample', '--baseline', '--per-crawl', '5', '--match-db', audit, '--cutoff', '2026-01-01', '--db', newDb(), ...common()]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/has no documents crawled on or after the cutoff 2026-01-01/);
  });
});

describe('drawing', () => {
  it('draws only from crawls that ended before the cutoff, each stratum up to its quota from its own lines', async () => {
    // min share 10%: eng/org, eng/io, eng/com alone; eng's other TLDs → eng/*; the rest → other.
    const o = opts({ crawls: { count: 4 }, perCrawl: 40, minShare: 0.1 });
    const { plan, summary } = await runBaselineSample(o);
    expect(summary!.failed).toBe(0);
    // The strata of their own are the audited cells with ≥ 10% (counted here with plain SQL).
    const cells = auditCells();
    const total = [...cells.values()].reduce((a, b) => a + b, 0);
    const big = [...cells].filter(([k, n]) => !k.startsWith('?/') && !k.endsWith('/?') && n / total >= 0.1).map(([k]) => k);
    expect(big.length).toBeGreaterThanOrEqual(2);
    expect(
      plan.allocation.strata
        .filter((s) => s.kind === 'lang-tld')
        .map((s) => s.id)
        .sort(),
    ).toEqual(big.sort());
    expect(plan.allocation.strata.map((s) => s.id)).toContain('eng/*');
    expect(plan.allocation.strata.at(-1)!.id).toBe('other');
    const pre = srv.fixture.crawls.filter((c) => Date.parse(c.to + 'Z') < CUTOFF_MS).sort((a, b) => (a.from < b.from ? 1 : -1));
    const expectedCrawls = pre
      .slice(0, 4)
      .map((c) => c.id)
      .sort();
    expect(expectedCrawls).toContain('CC-MAIN-2020-32'); // the crawl whose lines carry languages

    const draws = sampleKeysOf(o.db);
    expect([...new Set(draws.map((d) => d.crawl))].sort()).toEqual(expectedCrawls);
    const ids = new Set(plan.allocation.strata.map((s) => s.id));
    const quota = new Map(plan.allocation.strata.map((s) => [s.id, s.quota]));
    let linesInLanguageStrata = 0;
    for (const crawl of expectedCrawls) {
      const eligible = eligibleLines(crawl);
      for (const s of plan.allocation.strata) {
        const d = draws.find((x) => x.crawl === crawl && parseBaselineSampleKey(x.sample_key)?.stratum === s.id)!;
        expect(d, `${crawl} ${s.id}`).toBeDefined();
        const available = eligible.filter((r) => stratumOf(r, ids) === s.id).length;
        expect(d.wanted).toBe(quota.get(s.id));
        expect(d.drawn, `${crawl} ${s.id}`).toBe(Math.min(d.wanted, available));
        if (s.id !== 'other') linesInLanguageStrata += d.drawn;
      }
    }
    expect(linesInLanguageStrata).toBeGreaterThan(0); // 2020-32's English .cn page falls in eng/*
    // Every stored row is a baseline row of a pre-cutoff crawl, in the stratum its own line belongs to.
    const byPos = new Map(srv.fixture.crawls.flatMap((c) => c.lines.map(parseCdxjLine)).map((r) => [`${r.filename}|${r.offset}`, r]));
    const rows = readSample(o.db);
    expect(rows.length).toBe(draws.reduce((n, d) => n + d.drawn, 0));
    for (const row of rows) {
      expect(isBaselineSampleKey(row.sample_key)).toBe(true);
      const k = parseBaselineSampleKey(row.sample_key)!;
      expect(k.cutoff).toBe(DEFAULT_CUTOFF);
      expect(stratumOf(byPos.get(`${row.filename}|${row.offset}`)!, ids)).toBe(k.stratum);
      expect(Date.parse(srv.fixture.crawls.find((c) => c.id === row.crawl)!.to + 'Z')).toBeLessThan(CUTOFF_MS);
      expect(row.state).toBe('fetched');
    }
    // The documents they gave are baseline documents, all crawled before the cutoff.
    const store = openStore(o.db, { readonly: true });
    try {
      const docs = [...baselineDocuments(store, { cutoff: DEFAULT_CUTOFF })];
      expect(docs.length).toBe(summary!.documents);
      expect(docs.length).toBeGreaterThan(0);
      const dates = store.db.prepare(`SELECT crawl_date FROM documents WHERE id = ?`);
      for (const d of docs) expect((dates.get(d.documentId) as { crawl_date: string }).crawl_date < DEFAULT_CUTOFF).toBe(true);
    } finally {
      store.close();
    }
  });

  it('hand-given strata: a random part of a big stratum, reproducible per seed, another seed another draw', async () => {
    // CC-MAIN-2020-32 (the 2020 CC extract): 8 Chinese .com pages, 2 German .ch pages, 6 others.
    const strata = 'zho:com=6,deu:ch=2,other=2';
    const dbs = [newDb(), newDb(), newDb()];
    const run = (db: string, seed: string, concurrency: number) =>
      runBaselineSample(opts({ db, crawls: { ids: ['CC-MAIN-2020-32'] }, match: { strata }, seed, concurrency }));
    const a = await run(dbs[0], 's1', 1);
    await run(dbs[1], 's1', 8);
    await run(dbs[2], 's2', 4);
    expect(a.plan.allocation.strata.map((s) => [s.id, s.quota])).toEqual([
      ['zho/com', 6],
      ['deu/ch', 2],
      ['other', 2],
    ]);
    const rowsOf = (db: string) => readSample(db).map((r) => `${r.sample_key} ${r.draw_index} ${r.filename} ${r.offset}`);
    expect(rowsOf(dbs[1])).toEqual(rowsOf(dbs[0]));
    expect(rowsOf(dbs[2])).not.toEqual(rowsOf(dbs[0]));
    const ids = new Set(['zho/com', 'deu/ch', 'other']);
    const byPos = new Map(eligibleLines('CC-MAIN-2020-32').map((r) => [`${r.filename}|${r.offset}`, r]));
    for (const db of dbs) {
      const rows = readSample(db);
      const per = (id: string) => rows.filter((r) => parseBaselineSampleKey(r.sample_key)!.stratum === id);
      expect(per('zho/com')).toHaveLength(6);
      expect(per('deu/ch')).toHaveLength(2);
      expect(per('other')).toHaveLength(2);
      for (const r of rows) expect(stratumOf(byPos.get(`${r.filename}|${r.offset}`)!, ids)).toBe(parseBaselineSampleKey(r.sample_key)!.stratum);
    }
  });

  it('never collides with a normal sample of the same crawl in the same store', async () => {
    const db = newDb();
    const base = await runBaselineSample(opts({ db, crawls: { ids: ['CC-MAIN-2013-15'] }, match: { strata: 'eng:org=1,other=3' }, perCrawl: 8 }));
    const normal = await runCli(['sample', '--crawl', 'CC-MAIN-2013-15', '--per-crawl', '8', '--seed', 'base', '--db', db, '--json', ...common()]);
    expect(normal.status, normal.stderr).toBe(0);
    const draws = sampleKeysOf(db);
    expect(draws).toHaveLength(3); // eng/org (nothing: 2013 lines carry no language), other, the normal draw
    const normalDraws = draws.filter((d) => !isBaselineSampleKey(d.sample_key));
    expect(normalDraws).toHaveLength(1);
    expect(normalDraws[0].sample_key).toMatch(/^[0-9a-f]{16}$/);
    expect(base.summary!.plans.map((p) => p.sampleKey).every(isBaselineSampleKey)).toBe(true);
    // Baseline documents are exactly those of baseline rows.
    const store = openStore(db, { readonly: true });
    try {
      const docs = [...baselineDocuments(store)];
      expect(docs.every((d) => d.stratum === 'other' && d.crawl === 'CC-MAIN-2013-15')).toBe(true);
      const baselineRows = readSample(db).filter((r) => isBaselineSampleKey(r.sample_key));
      expect(docs.length).toBeLessThanOrEqual(baselineRows.length);
      expect(docs.length).toBe(base.summary!.documents);
    } finally {
      store.close();
    }
  });

  it('a re-run reuses the stored draws and fetches nothing', async () => {
    const o = opts({ crawls: { ids: ['CC-MAIN-2020-32', 'CC-MAIN-2013-15'] }, match: { strata: 'zho:com=3,other=2' } });
    const first = await runBaselineSample(o);
    expect(first.summary!.fetched).toBeGreaterThan(0);
    await srv.clearLog();
    const again = await runBaselineSample(o);
    expect(again.summary!).toMatchObject({ fetched: 0, failed: 0, pending: 0 });
    expect(again.summary!.plans.every((p) => p.reused)).toBe(true);
    expect((await srv.getLog()).filter((e) => e.target !== 'collinfo')).toEqual([]);
  });
});

/** The sample command in this process (fast; exit code from process.exitCode), output captured. */
async function cliInProcess(args: string[]): Promise<{ out: string; err: string; code: number | undefined }> {
  const program = new Command('ccaudit').exitOverride();
  registerSample(program);
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    out += String(c);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    err += String(c);
    return true;
  });
  const before = process.exitCode;
  try {
    await program.parseAsync(['node', 'ccaudit', ...args]);
    return { out, err, code: process.exitCode as number | undefined };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = before;
  }
}

describe('CLI', () => {
  it('refuses a crawl after the cutoff with a one-line message and exit 2, creating nothing', async () => {
    const db = newDb();
    const r = await runCli(['sample', '--baseline', '--crawl', 'CC-MAIN-2023-06', '--per-crawl', '5', '--match-db', audit, '--db', db, ...common()]);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^ccaudit sample: crawl CC-MAIN-2023-06 \(2023-02-10 to 2023-07-04\) does not end before the baseline cutoff 2022-11-30/,
    );
    expect(existsSync(db)).toBe(false);
    const range = await runCli([
      'sample',
      '--baseline',
      '--from',
      '2021-01',
      '--to',
      '2024-01',
      '--per-crawl',
      '5',
      '--match-db',
      audit,
      '--db',
      db,
      ...common(),
    ]);
    expect(range.status).toBe(2);
    expect(range.stderr).toMatch(/--to 2024-01 is after the baseline cutoff/);
  });

  it('refuses flags that do not go with --baseline (or need it) with exit 2', async () => {
    const db = newDb();
    const cases: Array<[string[], RegExp]> = [
      [['--baseline', '--lang', 'eng'], /use --match-strata instead of --lang/],
      [['--baseline', '--latest', '2'], /--baseline-crawls N instead of --latest/],
      [['--baseline', '--match-db', audit, '--match-strata', 'eng:com=1'], /not both/],
      [['--baseline', '--cutoff', '2022-02-30', '--match-db', audit], /--cutoff "2022-02-30" is not a date/],
      [['--baseline', '--match-strata', 'eng-com=1'], /is not LANG:TLD/],
      [['--crawl', 'CC-MAIN-2013-15', '--cutoff', '2022-01-01'], /--cutoff needs --baseline/],
    ];
    for (const [args, message] of cases) {
      const r = await cliInProcess(['sample', ...args, '--per-crawl', '5', '--db', db, ...common()]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
      expect(r.err.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(existsSync(db)).toBe(false);
  });

  it('resumes a killed baseline run without fetching any record twice', async () => {
    const db = newDb();
    const args = [
      'sample',
      '--baseline',
      '--crawl',
      'CC-MAIN-2008-18',
      '--crawl',
      'CC-MAIN-2013-15',
      '--per-crawl',
      '40',
      '--match-strata',
      'eng:org=1,other=3',
      '--seed',
      'kill',
      '--concurrency',
      '2',
      '--db',
      db,
      '--json',
      ...common(),
    ];
    const start = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests/support/ccaudit-cli.ts'), ...args], {
        cwd: ROOT,
        env: { ...process.env, CI: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      );
      return { child, exited, output: () => ({ out, err }) };
    };
    const fetched = () => {
      try {
        const conn = new Database(db, { readonly: true, fileMustExist: true });
        try {
          return (conn.prepare(`SELECT count(*) AS n FROM sample WHERE state = 'fetched'`).get() as { n: number }).n;
        } finally {
          conn.close();
        }
      } catch {
        return 0;
      }
    };
    await srv.setDataDelay(40);
    const first = start();
    while (fetched() < 15) {
      const done = await Promise.race([first.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 20))]);
      if (done) throw new Error(`the first run ended before it could be killed: ${JSON.stringify(first.output())}`);
    }
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const atKill = readSample(db);
    const doneAtKill = atKill.filter((r) => r.state === 'fetched');
    expect(atKill).toHaveLength(60); // "other" gets 30 of 40 per crawl; eng/org finds no line with a language
    expect(doneAtKill.length).toBeLessThan(60);

    await srv.setDataDelay(0);
    await srv.clearLog();
    const second = start();
    const { code } = await second.exited;
    expect(code, second.output().err).toBe(0);
    expect(JSON.parse(second.output().out)).toMatchObject({ fetched: 60 - doneAtKill.length, failed: 0, pending: 0 });
    const log = await srv.getLog();
    expect(log.filter((e) => e.target === 'zipnum' || e.target === 'cdx')).toEqual([]); // draws reused
    const rows = readSample(db);
    expect(rows.map((r) => `${r.sample_key}|${r.draw_index}|${r.filename}|${r.offset}`)).toEqual(
      atKill.map((r) => `${r.sample_key}|${r.draw_index}|${r.filename}|${r.offset}`),
    );
    expect(rows.every((r) => r.state === 'fetched' && isBaselineSampleKey(r.sample_key))).toBe(true);
    for (const r of doneAtKill) expect(log.filter((e) => e.path === r.filename && e.range === rangeOf(r))).toEqual([]);
    for (const r of rows.filter((x) => !doneAtKill.some((d) => d.id === x.id))) expect(cleanDeliveries(log, r.filename, r)).toBe(1);
    const records = readRecords(db);
    expect(records).toHaveLength(60);
    expect(records.every((r) => r.n === 1)).toBe(true);
  });
});

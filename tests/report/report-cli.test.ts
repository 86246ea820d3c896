/**
 * `ccaudit report` / `ccaudit estimate` on a store built on the real path (WARC → scan →
 * score) from SYNTHETIC mixtures of REAL held-out texts: every format, grouping options,
 * "too few documents", flag errors, and the collapse-readable JSON series.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseShareJson, selectMethod } from '../../src/collapse/shares.js';
import { openStore } from '../../src/store/index.js';
import { scoredDetectors } from '../../src/store/report-queries.js';
import type { ShareReport } from '../../src/estimate/model.js';
import { buildScoredStore, HOSTILE_TITLE, makeTempDir, runCli, type ScoredStore } from './helpers.js';

describe('report CLI', () => {
  const tmp = makeTempDir();
  let store: ScoredStore;

  beforeAll(async () => {
    store = await buildScoredStore(
      tmp.dir,
      [
        { period: '2022-09', fraction: 0, n: 60 },
        { period: '2024-06', fraction: 0.5, n: 60 },
        { period: '2025-01', fraction: 0.2, n: 8 },
      ],
      777,
      { hostile: true },
    );
  }, 300_000);
  afterAll(() => tmp.cleanup());

  const base = () => ['report', '--db', store.db, '--methods', 'all', '--replicates', '200'];

  it('prints an aligned table with every estimator, date sources and "too few documents"', async () => {
    const r = await runCli(base());
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/AI share by publication month/);
    for (const m of ['naive:classifier', 'corrected:classifier', 'mixture', 'primarily-ai:segments', 'excess-lower-bound']) expect(out).toContain(m);
    // 2025-01 has 9 documents (8 + the hostile page) < 30.
    expect(out).toMatch(/2025-01\s+9\s+too few documents \(minimum 30\)/);
    expect(out).toMatch(/2022-09\s+60\s+meta-article 100%/);
    expect(out).toMatch(/GPT-word counts/);
    // Columns line up: every estimate row of the main table starts its method at the same column.
    const lines = out.split('\n');
    const start = lines.indexOf('methods:') + 1;
    const header = lines[start];
    expect(header.startsWith('publication month')).toBe(true);
    const methodCol = header.indexOf('method');
    const table = lines.slice(start, lines.indexOf('', start));
    for (const l of table.filter((x) => /\s(naive|corrected):classifier\s/.test(x)))
      expect(l.indexOf(l.match(/(naive|corrected):/)![0])).toBe(methodCol);
  });

  it('writes JSON whose series collapse reads, with intervals that contain the estimates', async () => {
    const r = await runCli([...base(), '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as ShareReport;
    expect(report.format).toBe('ccaudit-share-report-v1');
    expect(report.groups.map((g) => g.key)).toEqual(['2022-09', '2024-06', '2025-01']);
    const doc = parseShareJson(r.stdout, 'report.json');
    const corrected = selectMethod(doc, 'report.json', 'corrected:classifier');
    expect(corrected.points.map((p) => p.period)).toEqual(['2022-09', '2024-06']);
    for (const p of doc.series) {
      expect(p.lo).toBeLessThanOrEqual(p.share);
      expect(p.share).toBeLessThanOrEqual(p.hi);
    }
    // The 50 % month is estimated near 50 % by the corrected classifier (60 documents: wide interval).
    const june = corrected.points.find((p) => p.period === '2024-06')!;
    expect(june.lo).toBeLessThanOrEqual(0.5);
    expect(june.hi).toBeGreaterThanOrEqual(0.5);
    expect(report.detectors.map((d) => d.name).sort()).toEqual(['classifier', 'compression', 'gpt-words', 'segments', 'stylometry']);
  });

  it('writes CSV with one row per group and method, including too-few groups', async () => {
    const r = await runCli([...base(), '--format', 'csv', '--method', 'naive,corrected']);
    expect(r.code, r.stderr).toBe(0);
    const [header, ...rows] = r.stdout.trim().split('\n');
    // The headline leads; columns added later (calibration, drift band) come after the original ones.
    expect(header).toBe(
      'group,headline_share,headline_lo,headline_hi,headline_method,headline_n,headline_check,group_by,method,share,lo,hi,n,documents,kind,detector,status,level,date_sources,note,calibration,drift_half_width,drift_periods,headline_check_period_error',
    );
    expect(
      rows.some((l) => l.startsWith('2025-01,') && l.includes(',publication-month,corrected:classifier,,,,') && l.includes('too-few-documents')),
    ).toBe(true);
    expect(rows.every((l) => /,(naive|corrected):/.test(l))).toBe(true);
  });

  it('escapes web strings in the HTML report', async () => {
    const out = join(tmp.dir, 'r.html');
    const r = await runCli([...base(), '--format', 'html', '--out', out, '--examples', '500']);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;script&gt;window.__ccauditInjected = 1;');
    expect(html).not.toContain(HOSTILE_TITLE);
    // Nothing is loaded or linked: URLs appear only as text.
    expect(html).not.toMatch(/<[^>]*\b(src|href)\s*=/i);
    expect(html).not.toMatch(/url\(\s*['"]?(?!#)|@import/i); // url(#clip) references inside the SVG are fine
  });

  it('groups by crawl, language, domain and crawl month', async () => {
    const byLang = JSON.parse((await runCli([...base(), '--format', 'json', '--by', 'lang', '--method', 'corrected'])).stdout) as ShareReport;
    // franc labels a few English texts "sco"; every group is a language code.
    expect(byLang.groups.map((g) => g.key)).toContain('eng');
    for (const g of byLang.groups) expect(g.key).toMatch(/^[a-z]{3}$/);
    expect(byLang.series).toEqual([]);
    const byDomain = JSON.parse(
      (await runCli([...base(), '--format', 'json', '--by', 'domain', '--method', 'naive', '--min-docs', '1'])).stdout,
    ) as ShareReport;
    expect(byDomain.groups.map((g) => g.key).sort()).toEqual(['evil.example', 'synthetic-mixture.example']);
    const byCrawl = JSON.parse((await runCli([...base(), '--format', 'json', '--by', 'crawl', '--method', 'naive'])).stdout) as ShareReport;
    expect(byCrawl.groups.map((g) => g.key)).toEqual(['mixture.warc.gz']);
    const crawlMonth = JSON.parse((await runCli([...base(), '--format', 'json', '--date', 'crawl', '--method', 'naive'])).stdout) as ShareReport;
    expect(crawlMonth.dateBasis).toBe('crawl');
    expect(crawlMonth.groups[0].dateSources).toEqual({ 'warc-date': 60 });
  });

  it('selects detector versions and rejects unknown ones', async () => {
    const db = openStore(store.db, { readonly: true });
    const versions = scoredDetectors(db);
    db.close();
    const cls = versions.find((v) => v.detector === 'classifier')!;
    const ok = await runCli([...base(), '--format', 'json', '--method', 'corrected', '--detector', `classifier@${cls.detectorVersion}`]);
    expect(ok.code, ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as ShareReport).detectors.map((d) => `${d.name}@${d.version}`)).toEqual([`classifier@${cls.detectorVersion}`]);
    const bad = await runCli([...base(), '--detector', 'classifier@0.0-nonexistent']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/no scores for detector "classifier@0.0-nonexistent"/);
  });

  it('rejects bad flags with one line and a non-zero exit', async () => {
    for (const args of [
      [...base(), '--by', 'week'],
      [...base(), '--min-docs', '0'],
      [...base(), '--method', 'magic'],
      [...base(), '--format', 'pdf'],
      [...base(), '--level', '95'],
      [...base(), '--baseline-before', '2023'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    }
    const missing = await runCli(['report', '--db', join(tmp.dir, 'nope.db')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/store not found/);
    // Seven CLI start-ups: slow on a loaded two-core machine.
  }, 240_000);

  it('estimate --jsonl runs the same estimators over raw and scored lines', async () => {
    const raw = join(tmp.dir, 'raw.jsonl');
    const lines = store.months.flatMap((m) => m.docs.map((d, i) => JSON.stringify({ id: `${m.period}-${i}`, text: d.record.text, month: m.period })));
    writeFileSync(raw, `${lines.join('\n')}\nnot json\n`);
    const r = await runCli(['estimate', '--jsonl', raw, '--replicates', '200', '--method', 'naive,corrected,mixture']);
    expect(r.code).toBe(1); // one bad line
    expect(r.stderr).toMatch(/raw\.jsonl:\d+: not valid JSON \(skipped\)/);
    const report = JSON.parse(r.stdout) as ShareReport;
    expect(report.input.kind).toBe('jsonl');
    expect(report.groups.map((g) => [g.key, g.documents])).toEqual([
      ['2022-09', 60],
      ['2024-06', 60],
      ['2025-01', 8],
    ]);
    const june = report.groups[1].estimates.find((e) => e.method === 'corrected:classifier')!;
    expect(june.lo! <= 0.5 && 0.5 <= june.hi!).toBe(true);

    // Already-scored lines: scores are read, not recomputed.
    const scored = join(tmp.dir, 'scored.jsonl');
    writeFileSync(scored, Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: i, scores: { classifier: i < 10 ? 0.99 : 0.01 } })).join('\n'));
    const s = await runCli(['estimate', '--jsonl', scored, '--replicates', '200', '--method', 'naive', '--methods', 'all', '--format', 'table']);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/all\s+40\s+naive:classifier\s+25\.0%/);
  });
});

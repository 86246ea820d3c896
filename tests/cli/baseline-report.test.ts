/**
 * End to end, real parts only: scan the real sample WARCs (2013–2025 pages) → import a real
 * slice of labelled AI text as AI references → score → `report` with domain-matched
 * calibration (pre-cutoff pages as the human baseline), with a control corpus, and its flag
 * errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, SHARED, runCli } from '../support/run-cli.js';
import type { ShareReport } from '../../src/estimate/model.js';

const dir = mkdtempSync(join(tmpdir(), 'ccaudit-baseline-report-'));
const db = join(dir, 'audit.db');
const aiRefs = join(dir, 'ai-refs.jsonl');
const control = join(dir, 'control.jsonl');

/** First `n` rows with the given label of a real labelled file, as JSONL. */
function slice(file: string, label: 'human' | 'ai', n: number): string {
  const rows = readFileSync(join(SHARED, 'corpora/labeled', file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { label: string; lang: string });
  return (
    rows
      .filter((r) => r.label === label && r.lang === 'eng')
      .slice(0, n)
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n'
  );
}

beforeAll(async () => {
  const scan = await runCli(['scan', join(ROOT, 'samples'), '--db', db, '--threads', '0', '--detector', 'classifier', '--detector', 'gpt-words']);
  expect(scan.status, scan.stderr).toBe(0);
  writeFileSync(aiRefs, slice('detectrl.jsonl', 'ai', 80));
  writeFileSync(control, slice('detectrl.jsonl', 'human', 80));
  const imp = await runCli([
    'references',
    'import',
    aiRefs,
    '--db',
    db,
    '--set',
    'detectrl-ai',
    '--detector',
    'classifier',
    '--detector',
    'gpt-words',
  ]);
  expect(imp.status, imp.stderr).toBe(0);
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const report = async (...extra: string[]): Promise<ShareReport> => {
  const r = await runCli([
    'report',
    '--db',
    db,
    '--format',
    'json',
    '--date',
    'crawl',
    '--min-docs',
    '5',
    '--replicates',
    '200',
    '--min-baseline',
    '10',
    '--min-ai',
    '10',
    ...extra,
  ]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ShareReport;
};

describe('report with domain-matched calibration', () => {
  it('adds baseline-calibrated series after the cutoff, marks baseline months, and describes the calibration', async () => {
    const rep = await report();
    const info = rep.domainCalibration!;
    expect(info).not.toBeNull();
    expect(info.cutoff).toBe('2022-11-30');
    expect(info.kind).toBe('baseline');
    expect(info.nBaseline).toBeGreaterThan(10);
    expect(info.nAi).toBe(80);
    expect(info.detectors.map((d) => d.detector).sort()).toEqual(['classifier', 'gpt-words']);
    for (const d of info.detectors) {
      expect(d.strata.some((s) => s.key === '*')).toBe(true);
      expect(d.auroc).toBeGreaterThan(0.5);
    }
    const best = [...info.detectors].sort((a, b) => b.auroc! - a.auroc!)[0];
    expect(info.recommended).toBe(best.detector);
    const after = rep.groups.find((g) => g.key === '2024-04')!;
    const bc = after.estimates.find((e) => e.method === 'baseline-corrected:classifier')!;
    expect(bc.status).toBe('ok');
    expect(bc.calibration).toBe('baseline');
    expect(bc.lo!).toBeLessThanOrEqual(bc.share!);
    expect(after.estimates.find((e) => e.method === 'corrected:classifier')!.calibration).toBe('development');
    const before = rep.groups.find((g) => g.key === '2013-04')!;
    expect(before.estimates.find((e) => e.method === 'score-mixture:classifier')!.status).toBe('baseline-period');
    // The drift check splits the baseline at its median month; its bands reach the estimates.
    expect(info.drift.length).toBeGreaterThan(0);
    if (info.drift.some((d) => d.method === 'baseline-corrected:classifier' && d.halfWidth !== null)) expect(bc.systematic).toBeTruthy();
  });

  it('the text report names the detector to read first and shows the word mixture against the baseline', async () => {
    const r = await runCli([
      'report',
      '--db',
      db,
      '--methods',
      'all',
      '--date',
      'crawl',
      '--min-docs',
      '5',
      '--replicates',
      '200',
      '--min-baseline',
      '10',
      '--min-ai',
      '10',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/read the (classifier|gpt-words) series first: it separates baseline pages from AI references best \(AUROC 0\.\d\d/);
    const rep = await report();
    const words = rep.groups.find((g) => g.key === '2024-04')!.estimates.find((e) => e.method === 'word-mixture:baseline')!;
    expect(words.calibration).toBe('baseline');
    expect(['ok', 'too-few-documents']).toContain(words.status);
  });

  it('uses a control corpus given on the command line as a user-labeled baseline', async () => {
    const rep = await report('--control', control);
    expect(rep.domainCalibration!.kind).toBe('user-labeled');
    expect(rep.domainCalibration!.humanSource).toMatch(/80 texts of/);
    const est = rep.groups.find((g) => g.key === '2024-04')!.estimates.find((e) => e.method === 'baseline-corrected:classifier')!;
    expect(est.calibration).toBe('user-labeled');
    // With a control corpus the pre-cutoff months are ordinary months again.
    expect(rep.groups.find((g) => g.key === '2013-04')!.estimates.find((e) => e.method === 'baseline-corrected:classifier')!.status).not.toBe(
      'baseline-period',
    );
  });

  it('takes another store as a human control database, and can pool pages with stored control texts', async () => {
    const other = join(dir, 'control.db');
    const scan = await runCli([
      'scan',
      join(ROOT, 'samples/warc/edge-cases/ipwb/sample-1.warc.gz'),
      '--db',
      other,
      '--threads',
      '0',
      '--detector',
      'classifier',
      '--detector',
      'gpt-words',
    ]);
    expect(scan.status, scan.stderr).toBe(0);
    const viaDb = await report('--control-db', other);
    expect(viaDb.domainCalibration!.kind).toBe('user-labeled');
    expect(viaDb.domainCalibration!.humanSource).toMatch(/documents of .*control\.db/);
    const imp = await runCli(['references', 'import', control, '--db', db, '--as', 'control', '--detector', 'classifier', '--detector', 'gpt-words']);
    expect(imp.status, imp.stderr).toBe(0);
    const both = await report('--human-reference', 'both');
    expect(both.domainCalibration!.kind).toBe('baseline');
    expect(both.domainCalibration!.nControl).toBe(80);
    expect(both.domainCalibration!.humanSource).toMatch(/pages crawled before 2022-11-30 \+ 80 stored control texts/);
    const missing = await runCli(['report', '--db', db, '--control-db', join(dir, 'nope.db')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/control database not found/);
  });

  it('development-only reports have no baseline series; --calibrate baseline fails clearly without AI references', async () => {
    const dev = await report('--calibrate', 'development');
    expect(dev.domainCalibration).toBeNull();
    expect(dev.groups.flatMap((g) => g.estimates).some((e) => e.method.startsWith('baseline-corrected'))).toBe(false);
    const r = await runCli(['report', '--db', db, '--calibrate', 'baseline', '--ai-set', 'no-such-set']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/baseline calibration impossible: no scored AI references/);
  });

  it('rejects bad flags with one line and exit 2', async () => {
    for (const args of [
      ['--cutoff', '2022-13-01'],
      ['--strata', 'lang,colour'],
      ['--drift', '2019'],
      ['--baseline-fpr', '1.5'],
      ['--length-bands', '500,100'],
    ]) {
      const r = await runCli(['report', '--db', db, ...args]);
      expect(r.status).toBe(2);
      expect(
        r.stderr
          .trim()
          .split('\n')
          .filter((l) => !l.startsWith('npm warn')),
      ).toHaveLength(1);
    }
  });
});

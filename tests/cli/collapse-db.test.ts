import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, ROOT } from '../support/run-cli.js';

describe('ccaudit collapse --db', () => {
  it('projects from the headline monthly series computed from a scanned and scored store', async () => {
    const db = path.join(mkdtempSync(path.join(os.tmpdir(), 'ccaudit-collapse-db-')), 'samples.db');
    const scan = await runCli(['scan', path.join(ROOT, 'samples'), '--db', db, '--threads', '0']);
    expect(scan.status, scan.stderr).toBe(0);

    const r = await runCli(['collapse', '--db', db, '--min-docs', '10', '--runs', '5', '--generations', '3', '--model', 'tail', '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.input.kind).toBe('shares');
    // The samples have no AI references: the headline is the labelled development fallback.
    expect(out.input.method).toBe('headline');
    expect(out.input.points.length).toBeGreaterThanOrEqual(2);
    for (const p of out.input.points) {
      expect(p.lo).toBeLessThanOrEqual(p.share);
      expect(p.hi).toBeGreaterThanOrEqual(p.share);
      expect(p.n).toBeGreaterThanOrEqual(10);
    }

    const tooStrict = await runCli(['collapse', '--db', db, '--min-docs', '100000', '--runs', '2', '--generations', '1']);
    expect(tooStrict.status).not.toBe(0);
    expect(tooStrict.stderr).toMatch(/no period with ≥ 100000 scored documents; .*group by --period/);

    // At the default --min-docs only one crawl month has enough; --period auto joins the sparse
    // years before 2023, and the series the trend reads holds the joined periods.
    const monthly = await runCli(['collapse', '--db', db, '--runs', '2', '--generations', '1']);
    expect(monthly.status).not.toBe(0);
    expect(monthly.stderr).toMatch(/a trend needs at least two periods, found 1/);
    const auto = await runCli([
      'collapse',
      '--db',
      db,
      '--period',
      'auto',
      '--min-docs',
      '10',
      '--runs',
      '2',
      '--generations',
      '1',
      '--model',
      'tail',
    ]);
    expect(auto.status, auto.stderr).toBe(0);
    expect(auto.stdout).toMatch(/Input: .*\(method headline, 2 periods to 2024-Q2, /);
    // The projection starts at the last month with documents (May), not at the quarter's end.
    expect(auto.stdout).toMatch(/g1 2024-05 /);
  }, 300_000);
});

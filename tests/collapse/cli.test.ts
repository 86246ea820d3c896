import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { register } from '../../src/cli/collapse.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'synthetic-shares.json');
const dir = mkdtempSync(path.join(tmpdir(), 'ccaudit-collapse-'));
const SMALL = ['--types', '200', '--samples', '200', '--runs', '4', '--generations', '6', '--decode-samples', '200', '--bootstrap', '20'];

/** Runs `ccaudit collapse …` in-process; returns stderr text, throws what the command throws. */
async function cli(args: string[]): Promise<string> {
  const program = new Command('ccaudit');
  const errors: string[] = [];
  program.exitOverride().configureOutput({ writeErr: (s) => errors.push(s), writeOut: () => {} });
  register(program);
  try {
    await program.parseAsync(['node', 'ccaudit', 'collapse', ...args]);
  } catch (err) {
    if (err instanceof CommanderError) (err as CommanderError & { stderr: string }).stderr = errors.join('');
    throw err;
  }
  return errors.join('');
}

async function flagError(args: string[]): Promise<CommanderError & { stderr: string }> {
  try {
    await cli(args);
  } catch (err) {
    if (err instanceof CommanderError) return err as CommanderError & { stderr: string };
    throw err;
  }
  throw new Error(`expected a flag error for ${args.join(' ')}`);
}

describe('ccaudit collapse flags', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--synthetic', '0.3', '--format', 'xml'], /argument 'xml' is invalid. Allowed choices are table, json, csv, html/],
    [['--synthetic', '0.3', '--model', 'gaussian', 'magic'], /argument 'magic' is invalid. Allowed choices are tail, gaussian/],
    [['--synthetic', '1.5'], /expected a number in \[0, 1\], got "1.5"/],
    [['--synthetic', '0.3', '--runs', '0'], /--runs <n>' argument '0' is invalid. expected an integer in \[1,/],
    [['--synthetic', '0.3', '--dialects', '0.9'], /expected two or more positive comma-separated shares/],
    [['--shares', FIXTURE, '--synthetic', '0.3'], /option '--shares <file>' cannot be used with option '--synthetic <fraction>'/],
  ];
  for (const [args, message] of cases) {
    it(`rejects ${args.slice(-2).join(' ')} with a one-line message and a non-zero exit code`, async () => {
      const err = await flagError(args);
      expect(err.exitCode).not.toBe(0);
      expect(err.stderr).toMatch(message);
      expect(err.stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  it('says clearly when the --db store does not exist (the store path is tested in tests/cli/collapse-db.test.ts)', async () => {
    await expect(cli(['--db', '/nonexistent/ccaudit.db'])).rejects.toThrow('collapse: store not found: /nonexistent/ccaudit.db');
  });

  it('asks for an input when none is given', async () => {
    await expect(cli([])).rejects.toThrow(/needs --shares FILE .* or --synthetic FRACTION/);
  });

  it('checks that regression rows exceed the feature count', async () => {
    await expect(cli(['--synthetic', '0.5', '--rows', '5', '--features', '10'])).rejects.toThrow(/--rows \(5\) must exceed --features \+ 1/);
  });

  it('passes share-file errors through', async () => {
    await expect(cli(['--shares', path.join(dir, 'missing.json')])).rejects.toThrow(/cannot read .*missing\.json/);
  });
});

describe('ccaudit collapse outputs', () => {
  it('writes JSON that is reproducible for a seed and changes with the seed', async () => {
    const run = async (seed: string, name: string) => {
      const out = path.join(dir, name);
      await cli(['--shares', FIXTURE, ...SMALL, '--seed', seed, '--format', 'json', '--out', out]);
      const report = JSON.parse(readFileSync(out, 'utf8'));
      delete report.generatedAt;
      delete report.simulation.elapsedMs;
      return report;
    };
    const a = await run('7', 'a.json');
    const b = await run('7', 'b.json');
    const c = await run('8', 'c.json');
    expect(a).toEqual(b);
    expect(c.simulation.scenarios).not.toEqual(a.simulation.scenarios);
    expect(a.simulation.scenarios.map((s: { id: string }) => s.id)).toEqual([
      'tail/input',
      'gaussian/unbiased',
      'gaussian/mle',
      'regression/replace',
      'regression/accumulate',
      'decoding/sampling T=1',
      'decoding/temperature 0.7',
      'decoding/greedy',
      'decoding/top-p 0.9',
      'decoding/best-of-4',
      'anchoring/none',
      'anchoring/input',
      'anchoring/share',
      'anchoring/count',
    ]);
    expect(a.projection.fit.slope).toBeGreaterThan(0);
    expect(a.generationShares[1].period).toBe('2025-06');
  });

  it('gives the same draws for a scenario whichever other models run', async () => {
    const one = path.join(dir, 'one.json');
    const two = path.join(dir, 'two.json');
    await cli(['--synthetic', '0.6', ...SMALL, '--model', 'gaussian', '--format', 'json', '--out', one]);
    await cli(['--synthetic', '0.6', ...SMALL, '--model', 'tail', 'gaussian', '--format', 'json', '--out', two]);
    const g1 = JSON.parse(readFileSync(one, 'utf8')).simulation.scenarios;
    const g2 = JSON.parse(readFileSync(two, 'utf8')).simulation.scenarios.filter((s: { model: string }) => s.model === 'gaussian');
    expect(g2).toEqual(g1);
  });

  it('writes long-format CSV', async () => {
    const out = path.join(dir, 'out.csv');
    await cli(['--synthetic', '0.3', ...SMALL, '--model', 'regression', '--format', 'csv', '--out', out]);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('model,scenario,metric,generation,synthetic_share,mean,sd,se,q05,q50,q95');
    // 2 scenarios × 2 metrics × 7 generations.
    expect(lines).toHaveLength(1 + 2 * 2 * 7);
    expect(lines[1]).toMatch(/^regression,regression\/replace,riskRatio,0,0,/);
  });

  it('writes a table', async () => {
    const out = path.join(dir, 'out.txt');
    await cli(['--synthetic', '0.3', ...SMALL, '--model', 'decoding', '--out', out]);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('Synthetic share 0.3 in every generation from 1 on');
    expect(text).toContain('decoding · greedy');
    expect(text).toMatch(/dialect 1 share \(human 85%\)/);
  });

  it('writes self-contained HTML with inline SVG charts and escaped strings', async () => {
    const hostile = '<img src=x onerror="alert(1)">&co';
    const series = JSON.parse(readFileSync(FIXTURE, 'utf8')).series.map((p: object) => ({ ...p, method: hostile }));
    const input = path.join(dir, 'hostile <&> shares.json');
    writeFileSync(input, JSON.stringify({ series }));
    const out = path.join(dir, 'collapse.html');
    await cli(['--shares', input, ...SMALL, '--model', 'gaussian', '--format', 'html', '--out', out]);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect((html.match(/<svg[\s>]/g) ?? []).length).toBe(1 + 1 + 2); // share chart, gaussian share, 2 metrics
    expect(html).not.toContain('<img');
    expect(html).not.toContain('hostile <&>');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;co');
    expect(html).toContain('hostile &lt;&amp;&gt; shares.json');
    expect(html).not.toMatch(/<script|<link|https?:\/\/(?!www\.w3\.org)/);
  });
});

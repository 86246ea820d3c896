/**
 * Behaviour kept while the code moves: the reports (JSON, CSV) of the sample store and of a
 * baseline + AI-references store, and a seeded collapse run, must stay byte-identical to the
 * outputs committed in tests/golden/ (regenerate them with `scripts/golden.sh tests/golden`
 * only for a change that is meant to alter results, and say why in the commit).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './support/run-cli.js';

const out = mkdtempSync(join(tmpdir(), 'ccaudit-golden-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('golden outputs', () => {
  it('reports and collapse projections equal the committed ones byte for byte', async () => {
    // Asynchronous: a worker blocked for the whole script cannot answer vitest on a busy machine.
    await promisify(execFile)('bash', [join(ROOT, 'scripts/golden.sh'), out], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    const expected = readdirSync(join(ROOT, 'tests/golden')).sort();
    expect(readdirSync(out).sort()).toEqual(expected);
    for (const name of expected) {
      const got = readFileSync(join(out, name), 'utf8');
      const want = readFileSync(join(ROOT, 'tests/golden', name), 'utf8');
      expect(got === want, `${name} differs from tests/golden/${name}`).toBe(true);
    }
  }, 180_000);
});

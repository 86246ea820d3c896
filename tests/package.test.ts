/**
 * The library as a user gets it: `npm pack` the project, install the tarball into a fresh
 * temporary project, import it by name, type-check a consumer file against the shipped
 * declarations with tsc, and run the README's library example against the installed package.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'ccaudit-pack-'));
const consumer = join(work, 'consumer');
const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
// Asynchronous, so the test worker stays responsive to vitest during the long build and install.
const run = (cmd: string, args: string[], cwd: string) => promisify(execFile)(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** Exit code and output of a command that may fail (a failing tsc prints its errors). */
async function status(cmd: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(cmd, args, cwd);
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** The fenced block under the README's "Use it as a library" heading. */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const m = /### Use it as a library[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('README.md has no ```ts block under "### Use it as a library"');
  return m[1];
}

beforeAll(async () => {
  // The declarations and JavaScript the tarball ships come from a fresh build.
  await run(process.execPath, [tsc, '-p', 'tsconfig.json'], ROOT);
  await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], ROOT);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }));
  // --ignore-scripts: the native SQLite addon is not compiled again (minutes); the project's own
  // build of the same better-sqlite3 version is copied in below instead.
  await run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', join(work, tarball)], consumer);
  const version = (dir: string) => JSON.parse(readFileSync(join(dir, 'node_modules/better-sqlite3/package.json'), 'utf8')).version;
  expect(version(consumer)).toBe(version(ROOT));
  const addon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
  mkdirSync(join(consumer, 'node_modules/better-sqlite3/build/Release'), { recursive: true });
  copyFileSync(join(ROOT, addon), join(consumer, addon));
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed package', () => {
  it('ships declarations, the models and no test or development files', () => {
    const pkg = join(consumer, 'node_modules/ccaudit');
    expect(existsSync(join(pkg, 'dist/src/index.d.ts'))).toBe(true);
    expect(existsSync(join(pkg, 'data/models/classifier.json'))).toBe(true);
    expect(existsSync(join(pkg, 'tests'))).toBe(false);
    expect(existsSync(join(pkg, 'data/eval'))).toBe(false);
  });

  it('imports by name with types: a consumer file type-checks against the declarations', async () => {
    writeFileSync(
      join(consumer, 'check.ts'),
      `import { extractDocument, openStore, BUILTIN_NAMES, prepareDetectors, readWarcFile, scan, score, buildReport, renderReport, ESTIMATORS,
  type Detector, type Estimator, type ExtractedDocument, type ShareReport, type ScanSummary, type WarcRecord } from 'ccaudit';
const doc: ExtractedDocument = extractDocument({ html: new TextEncoder().encode('<html><title>t</title><p>x</p></html>'), contentType: 'text/html', url: null });
const names: readonly string[] = BUILTIN_NAMES;
const mine: Detector = { name: 'len', version: '1', description: 'text length', languages: ['eng'], score: async (d) => ({ score: Math.min(1, d.text.length / 1e4) }) };
export async function check(path: string): Promise<number> {
  const dets: Detector[] = await prepareDetectors({ names: ['gpt-words'] });
  let n = 0;
  for await (const item of readWarcFile(path)) if (!('kind' in item)) n += (item as WarcRecord).length;
  const summary: ScanSummary = await scan({ db: 'x.db', paths: [path], threads: 0 });
  await score({ db: 'x.db', detectors: [mine] });
  const store = openStore('x.db', { readonly: true });
  const report: ShareReport = await buildReport(store, { minDocs: 1 });
  store.close();
  const methods: readonly Estimator[] = ESTIMATORS;
  const csv: string = await renderReport(report, 'csv');
  return n + doc.words + names.length + dets.length + mine.name.length + summary.files + methods.length + csv.length;
}
// @ts-expect-error the declarations are real: a wrong argument type is an error
extractDocument(42);
`,
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          typeRoots: [join(ROOT, 'node_modules/@types')],
          types: ['node'],
        },
        files: ['check.ts'],
      }),
    );
    expect(await status(process.execPath, [tsc, '-p', 'tsconfig.json'], consumer)).toEqual({ code: 0, output: '' });
  }, 120_000);

  it("runs the README's library example against the installed package", async () => {
    writeFileSync(join(consumer, 'example.ts'), readmeExample());
    writeFileSync(
      join(consumer, 'tsconfig.example.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          outDir: 'out',
          typeRoots: [join(ROOT, 'node_modules/@types')],
          types: ['node'],
        },
        files: ['example.ts'],
      }),
    );
    expect(await status(process.execPath, [tsc, '-p', 'tsconfig.example.json'], consumer)).toEqual({ code: 0, output: '' });
    const { stdout } = await run(process.execPath, ['out/example.js', join(ROOT, 'samples/warc')], consumer);
    expect(stdout).toMatch(/17 files, 420 records, 128 documents, 0 errors/);
    expect(stdout).toMatch(/\d+ CSV lines/);
  }, 180_000);
});

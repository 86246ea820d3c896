import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDetectorModule, PluginError, validateDetector } from '../../src/detect/plugin-loader.js';
import { checkResult, safeScore } from '../../src/detect/runner.js';
import { selectDetectors } from '../../detectors/registry.js';
import { useTempDir } from './helpers.js';

const EXAMPLE = resolve('detectors/examples/example-plugin.js');

describe('plugin loader', () => {
  const tempDir = useTempDir();

  it('loads the example plugin and scores with it', async () => {
    const [det] = await loadDetectorModule(EXAMPLE);
    expect(det.name).toBe('stock-phrases');
    const stock = 'In conclusion, it is important to note that the results matter. Furthermore, the data is clear. '.repeat(5);
    const plain = 'The dog ran down the road to the shop and bought bread and milk for his old friend who lived there. '.repeat(5);
    const a = await det.score({ text: stock });
    const b = await det.score({ text: plain });
    expect(a.score!).toBeGreaterThan(b.score!);
    expect(await det.score({ text: '' })).toMatchObject({ score: null, reason: 'empty' });
  });

  it('loads a plugin by relative path through selectDetectors, next to the built-ins', async () => {
    const dets = await selectDetectors({ names: ['stock-phrases', 'gpt-words'], modules: ['./detectors/examples/example-plugin.js'] });
    expect(dets.map((d) => d.name)).toEqual(['stock-phrases', 'gpt-words']);
  });

  it('accepts arrays and factories', async () => {
    const dir = tempDir();
    const f = join(dir, 'factory.mjs');
    writeFileSync(
      f,
      `export default async (opts) => [
        { name: 'a-one', version: '1', description: 'x', languages: ['*'], score: () => ({ score: 0.25 }) },
        { name: 'a-two', version: '1', description: 'y', languages: ['eng'], score: () => ({ score: null, reason: 'too-short' }) },
      ];`,
    );
    const dets = await loadDetectorModule(f);
    expect(dets.map((d) => d.name)).toEqual(['a-one', 'a-two']);
  });

  const malformed: Array<[string, string, RegExp]> = [
    ['no-score.mjs', `export default { name: 'x', version: '1', description: 'd', languages: ['eng'] };`, /"score" must be a function/],
    [
      'bad-name.mjs',
      `export default { name: 'Bad Name', version: '1', description: 'd', languages: ['eng'], score() {} };`,
      /"name" must be a lowercase/,
    ],
    ['no-version.mjs', `export default { name: 'x', description: 'd', languages: ['eng'], score() {} };`, /"version" must be a non-empty string/],
    [
      'no-langs.mjs',
      `export default { name: 'x', version: '1', description: 'd', languages: [], score() {} };`,
      /"languages" must be a non-empty array/,
    ],
    ['no-default.mjs', `export const something = 1;`, /no default export/],
    ['syntax.mjs', `export default {{{`, /cannot import/],
    ['throws.mjs', `export default () => { throw new Error('boom'); };`, /factory failed \(boom\)/],
    [
      'dup.mjs',
      `const d = { name: 'x', version: '1', description: 'd', languages: ['eng'], score() {} }; export default [d, d];`,
      /two detectors are named "x"/,
    ],
    ['null.mjs', `export default null;`, /no default export|expected a detector object/],
  ];
  it.each(malformed)('rejects a malformed plugin (%s) with a clear message', async (file, source, message) => {
    const dir = tempDir();
    const f = join(dir, file);
    writeFileSync(f, source);
    const err = await loadDetectorModule(f).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain(f);
  });

  it('reports a missing plugin file', async () => {
    await expect(loadDetectorModule('./does/not/exist.js')).rejects.toThrow(/file not found/);
  });

  it('rejects unknown detector names and clashes with built-ins', async () => {
    await expect(selectDetectors({ names: ['nope'] })).rejects.toThrow(/unknown detector "nope"/);
    const dir = tempDir();
    const f = join(dir, 'clash.mjs');
    writeFileSync(f, `export default { name: 'classifier', version: '9', description: 'd', languages: ['eng'], score: () => ({ score: 1 }) };`);
    await expect(selectDetectors({ modules: [f] })).rejects.toThrow(/clashes with a built-in/);
  });

  it('turns a misbehaving detector into error results instead of crashing', async () => {
    const base = validateDetector({ name: 'bad', version: '1', description: '', languages: ['*'], score: () => ({ score: 1.5 }) }, 'inline');
    expect(checkResult(base, { score: 1.5 })).toMatchObject({ score: null, reason: 'error' });
    expect(checkResult(base, { score: Number.NaN })).toMatchObject({ score: null, reason: 'error' });
    expect(checkResult(base, undefined)).toMatchObject({ score: null, reason: 'error' });
    const thrower = {
      ...base,
      score: () => {
        throw new Error('kaput');
      },
    };
    expect(await safeScore(thrower, { text: 'x' })).toMatchObject({ score: null, reason: 'error', details: { message: 'kaput' } });
  });
});

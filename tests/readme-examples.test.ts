/**
 * README.md's example outputs are what the commands print now: the blocks are regenerated from
 * the real commands on the bundled samples (scripts/readme-examples.ts, timings and temporary
 * paths normalised) and must equal README.md. Fix a failure with `npx tsx scripts/readme-examples.ts`.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { applyExamples, commandLines, renderExamples } from '../scripts/readme-examples.js';

const README = new URL('../README.md', import.meta.url);

it('README example outputs equal what the commands print (run scripts/readme-examples.ts to update)', async () => {
  const readme = readFileSync(README, 'utf8');
  const regenerated = applyExamples(readme, await renderExamples());
  expect(readme).toBe(regenerated);
  for (const c of commandLines()) expect(readme).toContain(c);
}, 180_000);

it('README command lines call the CLI as `npx ccaudit`, which works after `npm ci`', () => {
  const bare: string[] = [];
  let fence = false;
  for (const [i, line] of readFileSync(README, 'utf8').split('\n').entries()) {
    if (line.startsWith('```')) fence = !fence;
    else if (fence && /(^|[|;&]\s*|^\S+=\S+\s+|^\$\s+)ccaudit\s/.test(line)) bare.push(`${i + 1}: ${line}`);
  }
  expect(bare).toEqual([]);
});

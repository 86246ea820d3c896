/** Locating shipped data (data/models, data/lexicons, data/calibration.json) from src/ or dist/. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | null = null;

/** The ccaudit package root: the nearest ancestor of this module holding package.json and data/. */
export function projectRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data'))) {
      cachedRoot = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot locate the ccaudit package root (package.json + data/)');
    dir = up;
  }
}

export function dataPath(...parts: string[]): string {
  return join(projectRoot(), 'data', ...parts);
}

/** Default locations of the shipped artefacts. */
export const DEFAULT_FILES = {
  classifier: () => dataPath('models', 'classifier.json'),
  stylometry: () => dataPath('models', 'stylometry.json'),
  compression: () => dataPath('models', 'compression.json'),
  gptWords: () => dataPath('lexicons', 'gpt-words.json'),
  calibration: () => dataPath('calibration.json'),
};

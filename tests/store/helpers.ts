import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A fresh temp directory per test, removed afterwards. Returns a path builder. */
export function useTempDir(): (name: string) => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return (name: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'ccaudit-store-'));
    dirs.push(dir);
    return join(dir, name);
  };
}

import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { glob, isDynamicPattern } from 'tinyglobby';
import path from 'node:path';

/** File names that look like WARC data inside a directory (explicit files are always taken). */
export const WARC_NAME = /\.(warc|arc)(\.gz)?(\.[a-z]+)?$|\.warc\.(wat|wet)\.gz$/i;

export interface ExpandedPaths {
  files: string[];
  /** Arguments that matched nothing, with the reason. */
  missing: Array<{ arg: string; reason: string }>;
}

export interface ExpandOptions {
  /** Which names a directory walk takes; default WARC-looking names. */
  accept?: (name: string) => boolean;
  /** What the accepted files are, for "directory holds no …" (default "WARC files"). */
  what?: string;
}

/**
 * Turn CLI arguments (files, directories, glob patterns) into a sorted,
 * de-duplicated list of WARC files. Directories are walked recursively and only
 * WARC-looking names are taken from them; explicitly named files are taken as is.
 */
export async function expandWarcPaths(args: string[], opts: ExpandOptions = {}): Promise<ExpandedPaths> {
  const accept = opts.accept ?? ((name: string) => WARC_NAME.test(name));
  const found = new Set<string>();
  const missing: ExpandedPaths['missing'] = [];
  for (const arg of args) {
    if (isDynamicPattern(arg)) {
      const matches = await glob(arg, { absolute: true, onlyFiles: true, dot: false });
      if (matches.length === 0) missing.push({ arg, reason: 'pattern matched no files' });
      matches.forEach((m) => found.add(path.resolve(m)));
      continue;
    }
    let info: Stats;
    try {
      info = await stat(arg);
    } catch {
      missing.push({ arg, reason: 'no such file or directory' });
      continue;
    }
    if (info.isDirectory()) {
      const matches = await glob('**/*', { cwd: arg, absolute: true, onlyFiles: true });
      const warcs = matches.filter(accept);
      if (warcs.length === 0) missing.push({ arg, reason: `directory holds no ${opts.what ?? 'WARC files'}` });
      warcs.forEach((m) => found.add(path.resolve(m)));
    } else if (info.isFile()) {
      found.add(path.resolve(arg));
    } else {
      missing.push({ arg, reason: 'not a regular file' });
    }
  }
  return { files: [...found].sort(), missing };
}

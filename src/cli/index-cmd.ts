import type { Command } from 'commander';
import path from 'node:path';
import { expandWarcPaths } from '../sources/local/expand-paths.js';
import { buildIndex, type BuildIndexInput } from '../sources/commoncrawl/index-writer.js';
import { positiveInt } from './options.js';

interface IndexCliOptions {
  output?: string;
  zipnum?: string;
  shards: number;
  linesPerBlock: number;
  root?: string;
  prefix: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('index')
    .description(
      "Write a CDXJ index in Common Crawl's format (SURT key, timestamp, JSON with url, mime, mime-detected, " +
        'status, digest, length, offset, filename, charset, languages) for local WARC files, and optionally the ' +
        'zipnum layout (cluster.idx + gzip blocks) that `ccaudit sample` reads.',
    )
    .argument('<warcs...>', 'WARC files, directories or glob patterns')
    .option('-o, --output <file>', 'sorted CDXJ output (".gz" → gzip); default stdout when no --zipnum')
    .option('--zipnum <dir>', 'also write cluster.idx and cdx-NNNNN.gz blocks into this directory')
    .option('--shards <n>', 'zipnum shards', positiveInt, 1)
    .option('--lines-per-block <n>', 'zipnum lines per gzip block', positiveInt, 3000)
    .option('--root <dir>', 'filename field = path relative to this directory (default: the current directory)')
    .option('--prefix <text>', 'prepended to the filename field (e.g. "crawl-data/MY-CRAWL/")', '')
    .option('--json', 'print a summary as JSON on stdout (needs --output or --zipnum)')
    .action(async (warcs: string[], opts: IndexCliOptions) => {
      process.exitCode = await runIndexCommand(warcs, opts);
    });
}

export async function runIndexCommand(warcs: string[], opts: IndexCliOptions): Promise<number> {
  const { files, missing } = await expandWarcPaths(warcs);
  for (const m of missing) process.stderr.write(`ccaudit index: ${m.arg}: ${m.reason}\n`);
  if (files.length === 0) {
    process.stderr.write('ccaudit index: no WARC files to index\n');
    return 1;
  }
  if (opts.json && !opts.output && !opts.zipnum) {
    process.stderr.write('ccaudit index: --json needs --output or --zipnum (stdout would mix index and summary)\n');
    return 2;
  }
  const inputs: BuildIndexInput[] = files.map((f) => ({
    path: f,
    filename:
      opts.prefix +
      path
        .relative(opts.root ?? process.cwd(), f)
        .split(path.sep)
        .join('/'),
  }));
  const toStdout = !opts.output && !opts.zipnum;
  try {
    const summary = await buildIndex(inputs, {
      cdxjFile: toStdout ? '/dev/stdout' : opts.output,
      zipnumDir: opts.zipnum,
      zipnum: { shards: opts.shards, linesPerBlock: opts.linesPerBlock },
      onFile: (file, s) => {
        const extra = [
          s.notAddressable ? `${s.notAddressable} not range-addressable (whole-file gzip), left out` : '',
          s.errors ? `${s.errors} read errors` : '',
        ].filter(Boolean);
        process.stderr.write(`ccaudit index: ${file}: ${s.indexed} lines${extra.length ? ` (${extra.join('; ')})` : ''}\n`);
      },
    });
    if (opts.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    else if (!toStdout) {
      process.stderr.write(
        `ccaudit index: ${summary.lines} lines from ${summary.files} files` +
          (summary.zipnum ? `; zipnum: ${summary.zipnum.blocks} blocks in ${summary.zipnum.shards.length} shards` : '') +
          '\n',
      );
    }
    return 0;
  } catch (err) {
    process.stderr.write(`ccaudit index: ${(err as Error).message}\n`);
    return 1;
  }
}

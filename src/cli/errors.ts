/** `ccaudit errors`: the read errors a store holds (file, offset, code, message). */
import type { Command } from 'commander';
import { countErrors, listErrors, openStore, type ErrorInfo } from '../store/index.js';
import { DEFAULT_DB, positiveInt } from './options.js';

interface ErrorsFlags {
  db: string;
  source?: string;
  code?: string;
  limit?: number;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('errors')
    .description('List the errors stored by scan/sample: source file, byte offset, code and message, in file order')
    .option('--db <path>', 'SQLite store to read', DEFAULT_DB)
    .option('--source <text>', 'only sources whose path contains TEXT')
    .option('--code <code>', 'only errors with this code (e.g. junk, truncated, extract-failed)')
    .option('--limit <n>', 'at most N rows', positiveInt)
    .option('--json', 'print JSON rows')
    .action((f: ErrorsFlags) => {
      // Read-only: a mistyped --db fails instead of creating an empty store.
      const store = openStore(f.db, { readonly: true });
      try {
        const filter = { source: f.source, code: f.code };
        const rows = listErrors(store, { ...filter, limit: f.limit ?? Number.MAX_SAFE_INTEGER });
        if (f.json) {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        const total = countErrors(store, filter);
        process.stdout.write(errorTable(rows));
        process.stdout.write(`${total} error${total === 1 ? '' : 's'}${rows.length < total ? ` (${rows.length} shown)` : ''}\n`);
      } finally {
        store.close();
      }
    });
}

/** One line per error: `file:offset  code  message`. */
export function errorLine(e: Pick<ErrorInfo, 'source' | 'offset' | 'code' | 'message'>): string {
  return `${e.source}:${e.offset ?? '-'}  ${e.code}  ${e.message.replace(/\s+/g, ' ')}`;
}

function errorTable(rows: ErrorInfo[]): string {
  if (rows.length === 0) return '';
  const head = ['file', 'offset', 'code', 'message'];
  const cells = rows.map((e) => [e.source, e.offset === null ? '-' : String(e.offset), e.code, e.message.replace(/\s+/g, ' ')]);
  const widths = head.slice(0, 3).map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    `${c
      .slice(0, 3)
      .map((v, i) => (i === 1 ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')}  ${c[3]}\n`;
  return line(head) + cells.map(line).join('');
}

import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { expandWarcPaths } from '../sources/local/expand-paths.js';
import { scanFile, type SourceSummary, type StageTimes } from '../pipeline/scan-file.js';
import { openStore, StoreWriter, totals as storeTotals } from '../store/index.js';
import { byteProgress } from './progress.js';
import { DEFAULT_DB, positiveInt } from './options.js';
import { WorkerPoolError, type ExtractPool } from '../pipeline/pool.js';
import { addScoringOptions, createScoringPool, type ScoringFlags } from './scoring-options.js';

interface ScanOptions extends ScoringFlags {
  db: string;
  batch: number;
  json?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('scan')
    .description(
      'Read local WARC files (files, directories, globs), extract every HTML page and store records, ' +
        'documents and errors in SQLite. Re-running resumes where a killed run stopped and adds nothing twice.',
    )
    .argument('<paths...>', 'WARC files (.warc, .warc.gz), directories or glob patterns')
    .option('--db <path>', 'SQLite database to write', DEFAULT_DB)
    .option('--batch <n>', 'rows per committed transaction', positiveInt, 500)
    .option('--json', 'print the summary as JSON on stdout')
  addScoringOptions(cmd).action(async (paths: string[], opts: ScanOptions) => {
      process.exitCode = await runScan(paths, opts);
    });
}

/** Runs a scan and returns the process exit code (non-zero only when nothing could be processed). */
export async function runScan(paths: string[], opts: ScanOptions): Promise<number> {
  const started = performance.now();
  const { files, missing } = await expandWarcPaths(paths);
  for (const m of missing) process.stderr.write(`ccaudit scan: ${m.arg}: ${m.reason}\n`);
  if (files.length === 0) {
    process.stderr.write('ccaudit scan: no WARC files to read\n');
    return 1;
  }
  let totalBytes = 0;
  for (const f of files) totalBytes += (await stat(f)).size;

  let pool: ExtractPool;
  try {
    pool = await createScoringPool(opts);
  } catch (err) {
    process.stderr.write(`ccaudit scan: ${(err as Error).message}\n`);
    return 2;
  }

  const store = openStore(opts.db);
  const writer = new StoreWriter(store, { batchSize: opts.batch });
  const runId = writer.beginRun('scan', { paths, files: files.length });
  const progress = byteProgress(totalBytes, 'scan');
  const times: StageTimes = { readMs: 0, extractMs: 0, storeMs: 0 };
  const summaries: SourceSummary[] = [];
  const failedFiles: Array<{ path: string; message: string }> = [];
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    for (const file of files) {
      if (interrupted) break;
      progress.setStatus(file.split('/').pop() ?? file);
      try {
        const hooks = { onBytes: (d: number) => progress.add(d), shouldStop: () => interrupted };
        summaries.push(await scanFile(file, writer, times, hooks, pool));
      } catch (err) {
        if (err instanceof WorkerPoolError) {
          writer.finishRun(runId, 'failed', { error: err.message });
          store.close();
          throw err;
        }
        // Unreadable file (permissions, vanished): note it and go on with the others.
        const message = (err as Error).message;
        failedFiles.push({ path: file, message });
        writer.addFileError(file, message);
      }
    }
  } finally {
    await pool.close();
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const totals = summaries.reduce(
    (t, s) => ({
      records: t.records + s.records,
      documents: t.documents + s.documents,
      errors: t.errors + s.errors,
      skipped: t.skipped + (s.skipped ? 1 : 0),
    }),
    { records: 0, documents: 0, errors: 0, skipped: 0 },
  );
  const seconds = (performance.now() - started) / 1000;
  const status = interrupted ? 'interrupted' : 'completed';
  writer.finishRun(runId, status, { ...totals, files: files.length, failedFiles: failedFiles.length, seconds });
  const dbTotals = storeTotals(store);
  store.close();

  const summary = {
    run: runId,
    status,
    db: opts.db,
    files: files.length,
    filesAlreadyDone: totals.skipped,
    filesFailed: failedFiles.length,
    recordsRead: totals.records,
    htmlDocuments: totals.documents,
    errors: totals.errors + failedFiles.length,
    seconds: Number(seconds.toFixed(2)),
    stageSeconds: {
      read: Number((times.readMs / 1000).toFixed(2)),
      extract: Number((times.extractMs / 1000).toFixed(2)),
      store: Number((times.storeMs / 1000).toFixed(2)),
    },
    database: dbTotals,
  };
  if (opts.json) {
    process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  } else {
    process.stdout.write(
      `scan ${status}: ${summary.files} files (${summary.filesAlreadyDone} already done, ${summary.filesFailed} unreadable), ` +
        `${summary.recordsRead} records read, ${summary.htmlDocuments} HTML documents, ${summary.errors} errors, ` +
        `${summary.seconds}s (read ${summary.stageSeconds.read}s, extract ${summary.stageSeconds.extract}s, store ${summary.stageSeconds.store}s)\n` +
        `database ${opts.db}: ${dbTotals.records} records, ${dbTotals.documents} documents, ${dbTotals.errors} errors\n`,
    );
  }
  const processedSomething = summaries.length > 0;
  if (interrupted) return 130;
  return processedSomething ? 0 : 1;
}

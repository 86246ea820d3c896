import type { Command } from 'commander';
import { scan, type ScanSummary } from '../pipeline/scan.js';
import { openStagePool, type StagePool } from '../pipeline/stage-pool.js';
import { errorLine } from './errors.js';
import { byteProgress, type ByteProgress } from './progress.js';
import { DEFAULT_DB, fractionUpToOne, positiveInt } from './options.js';
import { addScoringOptions, stageSettings, type ScoringFlags } from './scoring-options.js';
import { addShardFlag } from './shard-flag.js';
import type { Shard } from '../core/shard.js';

interface ScanFlags extends ScoringFlags {
  db: string;
  batch: number;
  json?: boolean;
  textField?: string;
  idField?: string;
  urlField?: string;
  dateField?: string;
  sampleRate?: number;
  shard?: Shard;
}

export function register(program: Command): void {
  const cmd = program
    .command('scan')
    .description(
      'Read local WARC/WET files and dataset shards (Parquet, JSONL[.gz|.zst]; files, directories, globs), ' +
        'extract every HTML page (text rows as they are) and store records, documents and errors in SQLite. ' +
        'Re-running resumes where a killed run stopped and adds nothing twice.',
    )
    .argument('<paths...>', 'WARC/WET files, dataset shards (.parquet, .jsonl, .jsonl.gz, .jsonl.zst), directories or glob patterns')
    .option('--db <path>', 'SQLite database to write', DEFAULT_DB)
    .option('--batch <n>', 'rows per committed transaction', positiveInt, 500)
    .option(
      '--text-field <name>',
      'dataset column holding the text (FineWeb, Dolma, C4 and {id, text} layouts need no flag; dotted paths reach nested fields)',
    )
    .option('--id-field <name>', "dataset column holding the row's id")
    .option('--url-field <name>', "dataset column holding the row's URL")
    .option('--date-field <name>', "dataset column holding the row's date (its period)")
    .option('--sample-rate <p>', 'keep this deterministic, id-hashed fraction of dataset rows (e.g. 0.01)', fractionUpToOne)
    .option('--json', 'print the summary as JSON on stdout');
  addShardFlag(cmd, 'the files (contiguous by path, balanced by bytes)');
  addScoringOptions(cmd).action(async (paths: string[], opts: ScanFlags) => {
    process.exitCode = await runScan(paths, opts);
  });
}

/** Runs a scan and returns the process exit code (non-zero only when nothing could be processed). */
export async function runScan(paths: string[], opts: ScanFlags): Promise<number> {
  let poolFailed = false;
  const openPool = async (): Promise<StagePool> => {
    try {
      return await openStagePool(stageSettings(opts));
    } catch (err) {
      poolFailed = true;
      throw err;
    }
  };
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let progress: ByteProgress | null = null;
  let summary: ScanSummary;
  try {
    summary = await scan({
      db: opts.db,
      paths,
      dataset: { textField: opts.textField, idField: opts.idField, urlField: opts.urlField, dateField: opts.dateField, sampleRate: opts.sampleRate },
      pool: openPool,
      batchSize: opts.batch,
      shard: opts.shard,
      shouldStop: () => interrupted,
      onProgress: (e) => {
        if (e.type === 'start') progress = byteProgress(e.totalBytes, 'scan');
        else if (e.type === 'file') progress?.setStatus(e.path.split('/').pop() ?? e.path);
        else progress?.add(e.delta);
      },
    });
  } catch (err) {
    // Bad detector flags are usage errors (2); an unusable store or input is a failure (1).
    process.stderr.write(`ccaudit scan: ${(err as Error).message}\n`);
    return poolFailed ? 2 : 1;
  } finally {
    (progress as ByteProgress | null)?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  for (const m of summary.missing) process.stderr.write(`ccaudit scan: ${m.arg}: ${m.reason}\n`);
  if (summary.status === 'no-input' && summary.shard && summary.inputFiles > 0) {
    // More shards than files: an empty shard is done, not a failed task of the array.
    process.stdout.write(`scan: shard ${summary.shard} holds none of the ${summary.inputFiles} files; nothing to do\n`);
    return 0;
  }
  if (summary.status === 'no-input') {
    process.stderr.write('ccaudit scan: no WARC or dataset files to read\n');
    return 1;
  }
  if (opts.json) {
    const { run, status, db, shard, files, filesAlreadyDone, filesFailed, recordsRead, htmlDocuments, errors, seconds, stageSeconds, database } =
      summary;
    const printed = {
      run,
      status,
      db,
      ...(shard ? { shard } : {}),
      files,
      filesAlreadyDone,
      filesFailed,
      recordsRead,
      htmlDocuments,
      errors,
      seconds,
      stageSeconds,
      database,
    };
    process.stdout.write(JSON.stringify(printed, null, 2) + '\n');
  } else {
    const db = summary.database!;
    process.stdout.write(
      `scan ${summary.status}${summary.shard ? ` (shard ${summary.shard} of ${summary.inputFiles} files)` : ''}: ${summary.files} files (${summary.filesAlreadyDone} already done, ${summary.filesFailed} unreadable), ` +
        `${summary.recordsRead} records read, ${summary.htmlDocuments} HTML documents, ${summary.errors} errors, ` +
        `${summary.seconds}s (read ${summary.stageSeconds.read}s, extract ${summary.stageSeconds.extract}s, store ${summary.stageSeconds.store}s)\n` +
        `database ${opts.db}: ${db.records} records, ${db.documents} documents, ${db.errors} errors\n`,
    );
  }
  if (summary.firstErrors.length > 0) {
    process.stderr.write(`first errors (all: ccaudit errors --db ${opts.db}):\n`);
    for (const e of summary.firstErrors) process.stderr.write(`  ${errorLine(e)}\n`);
  }
  if (summary.status === 'interrupted') return 130;
  // Files that were all junk, empty or unreadable are "nothing processed", not success.
  if (summary.recordsRead === 0 && summary.filesAlreadyDone === 0) {
    process.stderr.write(`ccaudit scan: nothing could be processed: ${summary.files} file(s) gave no WARC records\n`);
    return 1;
  }
  return 0;
}

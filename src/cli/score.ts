/** `ccaudit score`: stored documents and reference texts (--db), or a JSONL file (--jsonl). */
import { createReadStream, existsSync } from 'node:fs';
import type { Command } from 'commander';
import { scoreJsonlStream } from '../detect/score-jsonl.js';
import { score } from '../pipeline/score.js';
import type { StoreScoringSummary } from '../pipeline/score-store.js';
import { referencesHandled } from '../pipeline/score-references.js';
import { addSelectionFlags, intArg, readyDetectors, type SelectionFlags } from './detector-flags.js';
import { shardOption } from './shard-flag.js';
import type { Shard } from '../core/shard.js';

function summaryLine(s: StoreScoringSummary): string {
  return `${s.detector.padEnd(14)} ${s.version.padEnd(18)} scored ${s.scored}, unsupported ${s.unsupported}, errors ${s.errors}\n`;
}

export function register(program: Command): void {
  addSelectionFlags(
    program
      .command('score')
      .description(
        'Score documents: stored ones not yet scored by a detector version (--db), or a JSONL file of {id, text} (--jsonl, results on stdout)',
      ),
  )
    .option('--db <path>', 'SQLite store whose documents to score')
    .option('--jsonl <file>', 'read {id, text, lang?} lines from FILE ("-" = stdin); write {id, scores} lines to stdout')
    .option('--raw', "with --jsonl: also write each detector's raw value")
    .option('--batch <n>', 'documents per transaction with --db', intArg, 256)
    .addOption(shardOption('the stored documents (with --db, on a copy of the store per shard; merge the copies)'))
    .action(async (o: SelectionFlags & { db?: string; jsonl?: string; raw?: boolean; batch: number; shard?: Shard }) => {
      if ((o.db ? 1 : 0) + (o.jsonl ? 1 : 0) !== 1) throw new Error('score: give exactly one of --db PATH or --jsonl FILE');
      if (o.shard && o.jsonl) throw new Error('score: --shard goes with --db');
      const dets = await readyDetectors(o);
      if (o.jsonl) {
        if (o.jsonl !== '-' && !existsSync(o.jsonl)) throw new Error(`score: ${o.jsonl}: file not found`);
        const input = o.jsonl === '-' ? process.stdin : createReadStream(o.jsonl, { encoding: 'utf8' });
        const summary = await scoreJsonlStream(input, process.stdout, dets, {
          includeRaw: o.raw,
          onBadLine: (n, msg) => process.stderr.write(`ccaudit score: ${o.jsonl}:${n}: ${msg} (skipped)\n`),
        });
        if (summary.bad > 0) process.exitCode = 1;
        return;
      }
      let interrupted = false;
      const onSignal = () => {
        interrupted = true;
      };
      process.once('SIGINT', onSignal);
      let kind: 'documents' | 'references' | null = null;
      try {
        const result = await score({
          db: o.db!,
          detectors: dets,
          batchSize: o.batch,
          shard: o.shard,
          shouldStop: () => interrupted,
          onProgress: (e) => {
            if (kind === 'documents' && e.kind === 'references') process.stderr.write('\n');
            kind = e.kind;
            process.stderr.write(`\rccaudit score: ${e.detector}: ${e.done} ${e.kind === 'documents' ? 'documents' : 'reference texts'}`);
          },
        });
        // One line break after the document counter, one more after reference counters.
        if (kind !== 'references') process.stderr.write('\n');
        const refsHandled = referencesHandled(result.references);
        if (refsHandled > 0 && kind === 'references') process.stderr.write('\n');
        for (const s of result.documents) process.stdout.write(summaryLine(s));
        if (refsHandled > 0) {
          process.stdout.write('reference texts:\n');
          for (const s of result.references) process.stdout.write(summaryLine(s));
        }
      } finally {
        process.off('SIGINT', onSignal);
      }
    });
}

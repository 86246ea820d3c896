/** `ccaudit merge OUT.db SHARD.db…`: shard stores of an array job folded into one store. */
import type { Command } from 'commander';
import { merge } from '../pipeline/merge.js';

export function register(program: Command): void {
  program
    .command('merge')
    .description(
      'Merge shard stores (one per array task: scan/sample/score --shard i/N) into OUT, shard by shard, each in one transaction. ' +
        'Idempotent (merging again adds nothing) and resumable; refuses other schema versions, differing detector versions ' +
        'and conflicting rows. Give the shards in shard order to number rows as one process would.',
    )
    .argument('<out>', 'SQLite store to write (created when missing)')
    .argument('<shards...>', 'shard stores to merge (read only)')
    .option('--json', 'print the summary as JSON on stdout')
    .action(async (out: string, shards: string[], o: { json?: boolean }) => {
      try {
        const summary = await merge({
          db: out,
          shards,
          onShard: (r, done, of) => {
            const added = r.tables.filter((t) => t.added > 0).map((t) => `${t.added} ${t.table}`);
            process.stderr.write(`ccaudit merge: [${done}/${of}] ${r.shard}: ${added.length > 0 ? `added ${added.join(', ')}` : 'nothing new'}\n`);
          },
        });
        if (o.json) {
          process.stdout.write(
            `${JSON.stringify({ run: summary.runId, db: out, shards: summary.shards, added: summary.added, database: summary.database }, null, 2)}\n`,
          );
        } else {
          const d = summary.database;
          process.stdout.write(
            `merge completed: ${shards.length} shard(s) into ${out}: ${d.records} records, ${d.documents} documents, ${d.errors} errors\n`,
          );
        }
      } catch (err) {
        process.stderr.write(`ccaudit merge: ${(err as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}

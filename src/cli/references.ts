/**
 * `ccaudit references import|list`: labelled texts for domain-matched calibration
 * that are not crawl documents — imported labelled JSONL, human-only control corpora — and an
 * overview of every stored reference set (synthesized ones included).
 */
import { existsSync, statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { openStore, referenceSummary, type ReferenceLabel } from '../store/index.js';
import { withRun } from '../pipeline/run.js';
import { defaultImportSetName, importReferencesJsonl, type ImportSummary } from '../synthesize/import-jsonl.js';
import { DEFAULT_DB } from './options.js';
import { addReferenceScoringOptions, formatReferenceScoring, scoreReferences, type ReferenceScoringFlags } from './reference-scoring.js';

interface ImportFlags extends ReferenceScoringFlags {
  db: string;
  set?: string;
  as: 'import' | 'control';
  label?: ReferenceLabel;
  json?: boolean;
}

export function register(program: Command): void {
  const refs = program
    .command('references')
    .description('Reference texts for domain-matched calibration: import labelled JSONL or a human control corpus, list the stored sets');

  const imp = refs
    .command('import')
    .description(
      'Store labelled JSONL lines ({text, label: human|ai, id?, generator?, lang?, domain?}; "domain" is stored as genre) ' +
        'as reference texts; rows without text or label are reported with their line number and skipped; re-importing adds nothing',
    )
    .argument('<file>', 'JSONL file')
    .option('--db <file>', 'SQLite store', DEFAULT_DB)
    .option('--set <name>', 'set name (default import:<file name> or control:<file name>)')
    .addOption(
      new Option('--as <kind>', 'import: labelled texts (either label); control: a human-only corpus (label human, origin control)')
        .choices(['import', 'control'])
        .default('import'),
    )
    .addOption(new Option('--label <label>', 'label for rows without one; rows with another label are skipped').choices(['human', 'ai']))
    .option('--json', 'print the summary as JSON on stdout');
  addReferenceScoringOptions(imp).action(async (file: string, f: ImportFlags) => {
    if (f.as === 'control' && f.label === 'ai') imp.error('error: --as control is a human-only corpus; it cannot take --label ai', { exitCode: 2 });
    process.exitCode = await runImport(file, f);
  });

  refs
    .command('list')
    .description('Stored reference sets: texts by set, label, origin and generator, with token counts')
    .option('--db <file>', 'SQLite store', DEFAULT_DB)
    .option('--json', 'print JSON rows')
    .action((f: { db: string; json?: boolean }) => {
      // Listing never creates a store (a mistyped --db is an error).
      const store = openStore(f.db, { create: false });
      try {
        const rows = referenceSummary(store);
        if (f.json) {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        if (rows.length === 0) {
          process.stdout.write('no reference texts stored (see `ccaudit synthesize` and `ccaudit references import`)\n');
          return;
        }
        process.stdout.write(formatTable(rows));
      } finally {
        store.close();
      }
    });
}

async function runImport(file: string, f: ImportFlags): Promise<number> {
  if (!existsSync(file) || !statSync(file).isFile()) {
    process.stderr.write(`ccaudit references import: ${file}: file not found\n`);
    return 1;
  }
  const origin = f.as === 'control' ? 'control' : 'import';
  const store = openStore(f.db);
  try {
    const setName = f.set ?? defaultImportSetName(file, origin);
    let summary: ImportSummary;
    try {
      summary = await withRun(store, 'references import', { file, setName, origin, label: f.label ?? null }, async (run) => {
        const s = await importReferencesJsonl(store, file, {
          setName,
          origin,
          label: origin === 'control' ? 'human' : f.label,
          runId: run.id,
          onBadLine: (n, msg) => process.stderr.write(`ccaudit references import: ${file}:${n}: ${msg} (skipped)\n`),
        });
        return { status: 'completed', summary: s, result: s };
      });
    } catch (err) {
      process.stderr.write(`ccaudit references import: ${(err as Error).message}\n`);
      return 1;
    }
    let scoring: Awaited<ReturnType<typeof scoreReferences>> | null = null;
    if (f.score && summary.added > 0) {
      try {
        scoring = await scoreReferences(store, f);
      } catch (err) {
        process.stderr.write(`ccaudit references import: scoring failed: ${(err as Error).message} (run \`ccaudit score --db\` later)\n`);
      }
    }
    const line =
      `imported ${summary.added} texts into ${summary.setName} (${origin}): ${summary.byLabel.human} human, ${summary.byLabel.ai} ai; ` +
      `${summary.duplicates} already there, ${summary.bad} bad lines skipped, ${summary.lines} lines read`;
    if (f.json) process.stdout.write(`${JSON.stringify({ ...summary, scoring }, null, 2)}\n`);
    else process.stdout.write(`${line}\n${scoring ? `${formatReferenceScoring(scoring)}\n` : ''}`);
    return summary.bad > 0 ? 1 : 0;
  } finally {
    store.close();
  }
}

function formatTable(rows: ReturnType<typeof referenceSummary>): string {
  const header = ['set', 'label', 'origin', 'generator', 'texts', 'prompt tokens', 'completion tokens'];
  const body = rows.map((r) => [r.setName, r.label, r.origin, r.generator ?? '-', String(r.n), String(r.promptTokens), String(r.completionTokens)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const numeric = new Set([4, 5, 6]);
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return `${[fmt(header), ...body.map(fmt)].join('\n')}\n`;
}

/**
 * The in-domain known-answer benchmark run through the product, not in memory: the same draws
 * as scripts/known-answer-indomain.ts (scripts/lib/indomain-draws.ts), each written as real
 * WARC records (two pre-cutoff baseline months, four later months at 0, 5, 20 and 50 % AI)
 * with its AI references as a JSONL file, then the CLI itself:
 *   ccaudit scan FILE.warc.gz --db D  →  ccaudit references import REFS.jsonl --db D
 *   →  ccaudit report --db D --format json
 * and each month's `groups[].headline` is compared with the truth. Every page is a minimal
 * dated article (scripts/lib/mixtures.ts), so extraction, language identification, date
 * extraction, the baseline cutoff and the model cache are all on the path. This is a SYNTHETIC
 * mixture of REAL labelled texts.
 *
 * Beside each headline the script prints the in-memory estimate of the same draw (the
 * benchmark's figure), so a difference between the two paths shows up month by month.
 *
 *   npx tsx scripts/known-answer-warc.ts [--draws 1] [--design same,split-generators,genre-shift]
 *        [--sources detectrl,…] [--n 200] [--baseline 300] [--ai-refs 150] [--replicates 1000]
 *        [--keep DIR] [--json FILE]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { LabeledRecord } from '../src/detect/types.js';
import { mixSeed } from '../src/core/rng.js';
import { InDomainModel } from '../src/estimate/indomain/model.js';
import { DRAW_OPTIONS, buildOrReason, drawsFromOptions, summariseByDesign, type Design } from './lib/indomain-draws.js';
import { writeMixtureWarc, type MixtureMonth } from './lib/mixtures.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'ccaudit.js');
/** Two baseline months before the default cutoff (2022-11-30), then four audited months. */
const BASELINE_MONTHS = ['2022-01', '2022-06'];
const TARGET_MONTHS = ['2023-03', '2023-09', '2024-03', '2024-09'];

interface Headline {
  share: number;
  lo: number;
  hi: number;
  method: string;
  n: number;
}

interface Row {
  source: string;
  design: Design;
  draw: number;
  month: string;
  label: string;
  truth: number;
  /** The report's headline through the CLI; null when it gave none (the reason is printed). */
  cli: Headline | null;
  /** The in-memory estimate of the same month; null when the model refused (the reason is printed). */
  memory: { share: number; lo: number; hi: number } | null;
}

function months(pages: readonly LabeledRecord[], period: string): MixtureMonth {
  const docs = pages.map((record, i) => ({
    record,
    url: `https://known-answer.example/${period}/${i}.html`,
    title: record.text.split(/\s+/).slice(0, 8).join(' '),
  }));
  return { period, fraction: 0, n: docs.length, aiCount: docs.filter((d) => d.record.label === 'ai').length, docs };
}

function ccaudit(args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...DRAW_OPTIONS,
      draws: { type: 'string', default: '1' },
      replicates: { type: 'string', default: '1000' },
      keep: { type: 'string' },
      json: { type: 'string' },
    },
  });
  const seed = Number(values.seed);
  const replicates = Number(values.replicates);
  const work = values.keep ?? mkdtempSync(join(tmpdir(), 'ccaudit-known-answer-warc-'));
  mkdirSync(work, { recursive: true });
  const rows: Row[] = [];
  const { designs, sources, draws } = await drawsFromOptions(values);
  for (const { design, source, index: d, draw: x } of draws) {
    const t0 = Date.now();
    const dir = join(work, `${design}-${source}-${d}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const warc = join(dir, 'pages.warc.gz');
    const refs = join(dir, 'references.jsonl');
    const db = join(dir, 'audit.db');
    const baselineHalves = BASELINE_MONTHS.map((m, i) =>
      months(
        x.baseline.filter((_, j) => j % 2 === i),
        m,
      ),
    );
    await writeMixtureWarc(warc, [...baselineHalves, ...x.months.map((m, i) => months(m.docs, TARGET_MONTHS[i]))]);
    writeFileSync(
      refs,
      x.references
        .map((r, i) => JSON.stringify({ id: `ref-${i}`, text: r.text, label: 'ai', generator: r.generator, lang: r.lang, domain: r.domain }))
        .join('\n') + '\n',
    );
    ccaudit(['scan', warc, '--db', db]);
    ccaudit(['references', 'import', refs, '--db', db]);
    const report = JSON.parse(ccaudit(['report', '--db', db, '--format', 'json', '--replicates', String(replicates)])) as {
      groups: Array<{ key: string; headline: Headline | null; headlineNote?: string | null; documents: number }>;
    };
    const scanSeconds = (Date.now() - t0) / 1000;
    // The same draw in memory, as the benchmark estimates it.
    const model = buildOrReason(() =>
      InDomainModel.build(
        x.baseline.map((r, i) => ({ text: r.text, month: i % 2 ? '2022-06' : '2022-01' })),
        x.references.map((r) => ({ text: r.text, generator: r.generator })),
        { level: 0.95, replicates: 300, seed: mixSeed(seed, d) },
      ),
    );
    const line: string[] = [];
    x.months.forEach((m, i) => {
      const e =
        typeof model === 'string'
          ? null
          : model.estimate(
              m.docs.map((r) => model.prepare(r.text)),
              mixSeed(seed, d, i),
            );
      const g = report.groups.find((gr) => gr.key === TARGET_MONTHS[i]);
      const cli = g?.headline ?? null;
      rows.push({
        source,
        design,
        draw: d,
        month: TARGET_MONTHS[i],
        label: m.label,
        truth: m.truth,
        cli,
        memory: e && { share: e.share, lo: e.lo, hi: e.hi },
      });
      const pctOf = (v: number) => (v * 100).toFixed(1);
      line.push(
        `${m.label}: ${cli ? `${pctOf(cli.share)} [${pctOf(cli.lo)}, ${pctOf(cli.hi)}] ${cli.method} n=${cli.n}` : `none (${g ? (g.headlineNote ?? 'no note') : 'no group'}, ${g?.documents ?? 0} docs)`} | memory ${e ? pctOf(e.share) : `none (${model})`}`,
      );
    });
    console.error(`${design} ${source} draw ${d}: ${scanSeconds.toFixed(0)} s\n  ${line.join('\n  ')}`);
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
  const table = ['design            source                   months  headlines  MAE CLI  MAE memory  coverage CLI  CLI − memory (mean |diff|)'];
  const summarise = (design: string, source: string, xs: Row[]) => {
    if (!xs.length) return;
    const got = xs.filter((r) => r.cli);
    const mae = (ys: Row[], f: (r: Row) => number) => (ys.reduce((s, r) => s + Math.abs(f(r) - r.truth), 0) / Math.max(1, ys.length)) * 100;
    const cov = (got.filter((r) => r.cli!.lo <= r.truth + 1e-12 && r.truth <= r.cli!.hi + 1e-12).length / Math.max(1, got.length)) * 100;
    const both = got.filter((r) => r.memory);
    const diff = (both.reduce((s, r) => s + Math.abs(r.cli!.share - r.memory!.share), 0) / Math.max(1, both.length)) * 100;
    table.push(
      `${design.padEnd(18)}${source.padEnd(25)}${String(xs.length).padStart(6)}${String(got.length).padStart(11)}${mae(got, (r) => r.cli!.share)
        .toFixed(1)
        .padStart(9)}${mae(
        xs.filter((r) => r.memory),
        (r) => r.memory!.share,
      )
        .toFixed(1)
        .padStart(12)}${`${cov.toFixed(0)} %`.padStart(14)}${diff.toFixed(1).padStart(16)}`,
    );
  };
  summariseByDesign(designs, sources, rows, summarise);
  console.log(table.join('\n'));
  if (values.json) writeFileSync(values.json, JSON.stringify(rows, null, 1));
  if (!values.keep) rmSync(work, { recursive: true, force: true });
  else console.error(`kept the stores and inputs under ${work}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

/**
 * Known-answer measurement of the estimators, end to end on the real path:
 *   held-out labelled texts mixed at known AI fractions per month (SYNTHETIC mixtures of REAL
 *   text, scripts/lib/mixtures.ts) → WARC files (warcio) → scan (src/pipeline/scan-file.ts scanFile,
 *   extraction + detector scoring) → score any missing (src/pipeline/score-store.ts) → report
 *   (src/estimate/assemble/store.ts) → compare with the truth.
 * Repeated over independent draws to measure errors and interval coverage per method.
 *
 *   npx tsx scripts/known-answer.ts [--draws 20] [--n 300] [--fractions 0,0.05,0.2,0.5]
 *        [--months 2022-11,2023-06,2024-03,2025-03] [--replicates 1000] [--seed 20250301]
 *        [--out-dir DIR] [--json results.json]
 *        [--baseline-months 2021-06,2022-06 --baseline-n 200 --ai-refs 200]   (baseline-calibrated series too)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { scanFile } from '../src/pipeline/scan.js';
import type { StageTimes } from '../src/pipeline/ingest.js';
import { createStagePool as createExtractPool } from '../src/pipeline/stage-pool.js';
import { openStore, StoreWriter } from '../src/store/index.js';
import { initDetectors } from '../src/detect/runner.js';
import { selectDetectors } from '../detectors/registry.js';
import { scoreStoredDocuments } from '../src/pipeline/score-store.js';
import { buildStoreReport } from '../src/estimate/assemble/store.js';
import { METHOD_NAMES } from '../src/estimate/registry.js';
import { Rng, mixSeed } from '../src/core/rng.js';
import { addReferences } from '../src/store/references.js';
import { scoreStoredReferences } from '../src/pipeline/score-references.js';
import { pct } from '../src/report/format.js';
import { drawMixture, heldoutPool, writeMixtureWarc, type MonthPlan } from './lib/mixtures.js';
import { compareToTruth, summarise, summaryTable, type Comparison } from './lib/known-answer.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      draws: { type: 'string', default: '20' },
      n: { type: 'string', default: '300' },
      fractions: { type: 'string', default: '0,0.05,0.2,0.5' },
      months: { type: 'string', default: '2022-11,2023-06,2024-03,2025-03' },
      replicates: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '20250301' },
      'out-dir': { type: 'string' },
      json: { type: 'string' },
      keep: { type: 'boolean', default: false },
      // Domain-matched calibration: human-only months before the cutoff as the
      // baseline, and held-out AI texts that are on no page imported as AI references.
      'baseline-months': { type: 'string', default: '' },
      'baseline-n': { type: 'string', default: '200' },
      'ai-refs': { type: 'string', default: '0' },
    },
  });
  const draws = Number(values.draws);
  const n = Number(values.n);
  const seed = Number(values.seed);
  const replicates = Number(values.replicates);
  const fractions = values.fractions!.split(',').map(Number);
  const months = values.months!.split(',');
  if (months.length !== fractions.length) throw new Error('--months and --fractions need the same number of entries');
  if (![draws, n, seed, replicates].every((x) => Number.isInteger(x) && x > 0))
    throw new Error('--draws, --n, --seed and --replicates must be positive integers');
  const target: MonthPlan[] = months.map((period, i) => ({ period, fraction: fractions[i], n }));
  const baselineMonths = values['baseline-months'] ? values['baseline-months'].split(',') : [];
  const plan: MonthPlan[] = [...baselineMonths.map((period) => ({ period, fraction: 0, n: Number(values['baseline-n']) })), ...target];
  const aiRefs = Number(values['ai-refs']);
  const outDir = values['out-dir'] ?? mkdtempSync(join(tmpdir(), 'ccaudit-known-answer-'));
  mkdirSync(outDir, { recursive: true });

  const pool = await heldoutPool();
  console.log(
    `held-out pool (English): ${pool.ai.length} AI, ${pool.human.length} human texts; ${draws} draws × ${plan.length} months × ${n} documents; work dir ${outDir}`,
  );
  const detectors = await selectDetectors({});
  await initDetectors(detectors);
  const all: Comparison[] = [];
  for (let d = 0; d < draws; d++) {
    const mixture = drawMixture(pool, plan, mixSeed(seed, d));
    const warc = join(outDir, `mixture-${d}.warc.gz`);
    const db = join(outDir, `mixture-${d}.db`);
    rmSync(db, { force: true });
    await writeMixtureWarc(warc, mixture);
    const store = openStore(db);
    try {
      const writer = new StoreWriter(store);
      const run = writer.beginRun('scan', { paths: [warc], knownAnswer: true });
      const times: StageTimes = { readMs: 0, extractMs: 0, storeMs: 0 };
      const extractPool = createExtractPool({ threads: 0, detectors: [] });
      try {
        await scanFile(warc, writer, times, {}, extractPool);
      } finally {
        await extractPool.close();
      }
      writer.finishRun(run, 'completed', {});
      await scoreStoredDocuments(store, detectors);
      if (aiRefs > 0) {
        const used = new Set(mixture.flatMap((m) => m.docs.map((x) => x.record.id)));
        const unused = pool.ai.filter((r) => !used.has(r.id));
        const rng = new Rng(mixSeed(seed, d, 3));
        const picked = unused
          .map((r) => ({ r, k: rng.uniform() }))
          .sort((a, b) => a.k - b.k)
          .slice(0, aiRefs)
          .map((x) => x.r);
        addReferences(
          store,
          picked.map((r) => ({
            setName: 'known-answer-ai',
            externalId: r.id,
            label: 'ai',
            origin: 'import',
            generator: r.generator,
            text: r.text,
            lang: r.lang,
            genre: r.domain,
            words: r.text.split(/\s+/).filter(Boolean).length,
          })),
        );
        await scoreStoredReferences(store, detectors);
      }
      const report = buildStoreReport(store, {
        by: 'month',
        dateBasis: 'publication',
        methods: new Set(METHOD_NAMES),
        minDocs: 30,
        level: 0.95,
        replicates,
        seed: mixSeed(seed, d, 1),
      });
      const rows = compareToTruth(
        report,
        mixture.filter((m) => !baselineMonths.includes(m.period)),
      );
      all.push(...rows);
      const docs = report.groups.reduce((s, g) => s + g.documents, 0);
      const best = rows
        .filter((r) => r.method === 'corrected:classifier')
        .map((r) => `${r.period} ${pct(r.truth)}→${pct(r.share)}`)
        .join(', ');
      console.log(`draw ${d + 1}/${draws}: ${docs} documents reported (excluded ${report.excluded}); corrected:classifier ${best}`);
    } finally {
      store.close();
      if (!values.keep) {
        rmSync(db, { force: true });
        rmSync(`${db}-wal`, { force: true });
        rmSync(`${db}-shm`, { force: true });
        rmSync(warc, { force: true });
      }
    }
  }
  const summary = summarise(all);
  console.log('');
  console.log(summaryTable(summary));
  if (values.json) {
    writeFileSync(
      values.json,
      `${JSON.stringify({ plan, draws, seed, replicates, pool: { ai: pool.ai.length, human: pool.human.length }, summary, rows: all }, null, 1)}\n`,
    );
    console.log(`wrote ${values.json}`);
  }
}

main().catch((err) => {
  console.error(`known-answer: ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
});

/**
 * Honest evaluation of the built-in detectors on ../shared/corpora/labeled:
 *  (a) in-distribution: the shipped models (trained on the train split) scored on the
 *      heldout split, broken down by file/domain/generator/language;
 *  (b) leave-one-source-out: for each source file (and for the DetectRL family as a whole),
 *      models are retrained on the train split of the *other* files, the threshold is
 *      calibrated on their calib split, and the left-out file is scored in full.
 * Prints tables and writes data/eval/in-distribution.json and data/eval/loso.json.
 *
 *   npx tsx scripts/eval-detectors.ts [--replicates 300] [--skip-loso]
 */
import { join, basename } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadLabeled } from '../src/detect/labeled.js';
import { inSplit, sharedLabeledFiles, sharedLexiconFile } from '../src/detect/dataset.js';
import { readPublishedLexicon } from '../src/detect/train.js';
import { DEFAULT_SEED, detectorsFromModels, segmentsOver, trainAllModels } from '../detectors/train-defaults.js';
import { calibrate, findCalibration, readCalibrationFile } from '../src/detect/calibration.js';
import { evaluateScores, formatEvaluationTable, scoreRecords, type EvaluationRow } from '../src/detect/evaluate.js';
import { createBuiltinDetector, BUILTIN_NAMES } from '../detectors/index.js';
import { DEFAULT_FILES, projectRoot } from '../src/detect/paths.js';
import type { Detector, LabeledRecord } from '../src/detect/types.js';

const TARGET_FPR = 0.05;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      replicates: { type: 'string', default: '300' },
      'skip-loso': { type: 'boolean', default: false },
      'out-dir': { type: 'string', default: join(projectRoot(), 'data', 'eval') },
    },
  });
  const replicates = Number(values.replicates);
  const outDir = values['out-dir']!;
  mkdirSync(outDir, { recursive: true });
  const files = sharedLabeledFiles();
  const all = await loadLabeled(files);
  const heldout = inSplit(all, 'heldout');
  const opts = (threshold: number) => ({
    threshold,
    replicates,
    seed: DEFAULT_SEED,
    breakdowns: ['file', 'domain', 'generator', 'family', 'variant', 'lang'] as const,
    minPerClass: 10,
  });

  // (a) in-distribution
  const calibration = readCalibrationFile(DEFAULT_FILES.calibration());
  const inDist: EvaluationRow[] = [];
  for (const name of BUILTIN_NAMES) {
    const d = createBuiltinDetector(name);
    const t0 = performance.now();
    const scores = await scoreRecords(d, heldout);
    const ms = performance.now() - t0;
    const cal = findCalibration(calibration, name, d.version);
    inDist.push(...evaluateScores(d, heldout, scores, { ...opts(cal?.threshold ?? 0.5), breakdowns: [...opts(0).breakdowns] }));
    console.error(`in-distribution: ${name} scored ${heldout.length} docs in ${(ms / 1000).toFixed(1)} s`);
  }
  writeFileSync(
    join(outDir, 'in-distribution.json'),
    `${JSON.stringify({ split: 'heldout', files: files.map((f) => basename(f)), replicates, rows: inDist }, null, 1)}\n`,
  );
  console.log('## In-distribution (shipped models, heldout split; threshold = calibrated at 5% FPR)\n');
  console.log(formatEvaluationTable(inDist));

  if (values['skip-loso']) return;
  // (b) leave-one-source-out
  const published = readPublishedLexicon(sharedLexiconFile('gpt_words_union.csv'), sharedLexiconFile('antislop_slop_phrase_prob_adjustments.csv'));
  const stems = [...new Set(all.map((r) => r.file))].sort();
  const folds: Array<{ name: string; out: string[] }> = stems.map((s) => ({ name: s, out: [s] }));
  const drl = stems.filter((s) => s.startsWith('detectrl'));
  if (drl.length > 1) folds.push({ name: 'detectrl+detectrl_attacks', out: drl });
  const loso: Array<EvaluationRow & { fold: string }> = [];
  for (const fold of folds) {
    const trainRecs = inSplit(
      all.filter((r) => !fold.out.includes(r.file)),
      'train',
    );
    const calibRecs = inSplit(
      all.filter((r) => !fold.out.includes(r.file)),
      'calib',
    );
    const test: LabeledRecord[] = all.filter((r) => fold.out.includes(r.file));
    const models = trainAllModels(trainRecs, published, DEFAULT_SEED, `train split without ${fold.name}`);
    const detectors: Detector[] = detectorsFromModels(models);
    const labels = calibRecs.map((r) => (r.label === 'ai' ? 1 : 0) as 0 | 1);
    const thresholds = new Map<string, number>();
    for (const d of detectors)
      thresholds.set(d.name, calibrate(d.name, d.version, await scoreRecords(d, calibRecs), labels, TARGET_FPR, 'fold calib').threshold);
    const seg = segmentsOver(detectors.find((d) => d.name === 'classifier')!, thresholds.get('classifier')!);
    thresholds.set(seg.name, calibrate(seg.name, seg.version, await scoreRecords(seg, calibRecs), labels, TARGET_FPR, 'fold calib').threshold);
    detectors.push(seg);
    for (const d of detectors) {
      const scores = await scoreRecords(d, test);
      for (const row of evaluateScores(d, test, scores, {
        ...opts(thresholds.get(d.name)!),
        breakdowns: ['domain', 'generator', 'family', 'variant', 'lang'],
      })) {
        loso.push({ fold: fold.name, ...row });
      }
    }
    console.error(`loso: fold ${fold.name} done (${trainRecs.length} train docs, ${test.length} test docs)`);
  }
  const summary = summaryMarkdown(
    inDist,
    loso,
    folds.map((f) => f.name),
  );
  writeFileSync(join(outDir, 'summary.md'), summary);
  writeFileSync(
    join(outDir, 'loso.json'),
    `${JSON.stringify({ method: 'train on train split of the other files, calibrate on their calib split, test on every row of the left-out file(s)', replicates, rows: loso }, null, 1)}\n`,
  );
  console.log('\n## Leave-one-source-out (train on the other sources; "value" = left-out fold)\n');
  console.log(
    formatEvaluationTable(
      loso.map((r) => ({ ...r, value: r.slice === 'all' ? r.fold : r.value.startsWith(`${r.fold}:`) ? r.value : `${r.fold}:${r.value}` })),
    ),
  );
  console.log(`\n## Summary (also in ${join(outDir, 'summary.md')})\n`);
  console.log(summary);
}

const cell = (r: EvaluationRow | undefined): string =>
  r && r.auroc ? `${r.auroc.value.toFixed(3)} / ${r.tprAt1Fpr ? r.tprAt1Fpr.value.toFixed(2) : '-'}` : 'n/a';

/** Markdown table: AUROC / TPR@1%FPR per detector, in-distribution and per LOSO fold. */
function summaryMarkdown(inDist: EvaluationRow[], loso: Array<EvaluationRow & { fold: string }>, folds: string[]): string {
  const detectors = [...new Set(inDist.map((r) => r.detector))];
  const head = [
    'detector',
    'in-dist (heldout)',
    'in-dist, instruction-tuned',
    ...folds.map((f) => `LOSO ${f}`),
    ...folds.map((f) => `LOSO ${f}, instruction-tuned`),
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const d of detectors) {
    const id = inDist.filter((r) => r.detector === d);
    const cells = [
      d,
      cell(id.find((r) => r.slice === 'all')),
      cell(id.find((r) => r.slice === 'family' && r.value === 'instruction-tuned')),
      ...folds.map((f) => cell(loso.find((r) => r.detector === d && r.fold === f && r.slice === 'all'))),
      ...folds.map((f) => cell(loso.find((r) => r.detector === d && r.fold === f && r.slice === 'family' && r.value === 'instruction-tuned'))),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n\nCells: AUROC / TPR at 1% FPR. n/a = the detector does not support the fold's languages.\n`;
}

main().catch((err) => {
  console.error(`eval-detectors: ${(err as Error).stack ?? err}`);
  process.exit(1);
});

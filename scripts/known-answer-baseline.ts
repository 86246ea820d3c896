/**
 * Known-answer test of the baseline-calibrated estimators (issue 7), leave one source out.
 *
 * For each labelled source S (a file of ../shared/corpora/labeled):
 *  - the detectors are TRAINED on the train split of the other sources and their development
 *    thresholds/TPR/FPR are chosen on the other sources' calib split — S is never used for
 *    training or for choosing thresholds;
 *  - per draw, S's texts are split (disjointly, seeded) into
 *      baseline months  — only S's human texts (two "periods", for the drift check),
 *      AI references    — S's AI texts (the analogue of `ccaudit synthesize` output: AI text on
 *                         the audited domain's topics; none of them appear in the target months),
 *      target months    — S's other human and AI texts mixed at 0 %, 5 %, 20 %, 50 % AI;
 *  - every estimator is compared with the truth: the development-calibrated correction
 *    (`corrected:*`), the baseline-calibrated correction, the score-distribution mixture,
 *    the same two with NON-matched AI references (the other sources' calib AI texts, "/dev-ai"),
 *    and the word mixture with P from the baseline.
 * This is a SYNTHETIC mixture of REAL labelled texts, scored in memory (the WARC → scan → store
 * path is covered by scripts/known-answer.ts and the tests).
 *
 *   npx tsx scripts/known-answer-baseline.ts [--draws 20] [--n 300] [--baseline 400] [--ai-refs 200]
 *        [--folds detectrl,fastdetectgpt,…] [--detectors classifier,gpt-words] [--replicates 400] [--json FILE]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadLabeled } from '../src/detect/labeled.js';
import { inSplit, sharedLabeledFiles, sharedLexiconFile } from '../src/detect/dataset.js';
import { readPublishedLexicon } from '../src/detect/train.js';
import { detectorsFromModels, trainAllModels, DEFAULT_SEED as TRAIN_SEED } from '../src/detect/defaults.js';
import { calibrate } from '../src/detect/calibration.js';
import { scoreRecords } from '../src/detect/evaluate.js';
import type { LabeledRecord } from '../src/detect/types.js';
import { correctedShare } from '../src/estimate/corrected.js';
import { Rng, mixSeed } from '../src/estimate/stats.js';
import type { ShareEstimate } from '../src/estimate/types.js';
import { buildFoldReference, runBaselineEstimators, type FoldDetector } from './lib/baseline-known-answer.js';
import { summarise, type Comparison } from './lib/known-answer.js';
import { alignTable, pct } from '../src/report/format.js';
import type { ScoredItem, StratumFields } from '../src/estimate/baseline/types.js';

const FRACTIONS = [0, 0.05, 0.2, 0.5];

function fieldsOf(r: LabeledRecord): StratumFields {
  return { lang: r.lang, tld: null, words: r.text.split(/\s+/).filter(Boolean).length, genre: r.domain };
}

function shuffled<T>(rng: Rng, xs: readonly T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      draws: { type: 'string', default: '20' },
      n: { type: 'string', default: '300' },
      baseline: { type: 'string', default: '400' },
      'ai-refs': { type: 'string', default: '200' },
      folds: { type: 'string' },
      detectors: { type: 'string', default: 'classifier,gpt-words,stylometry,compression' },
      replicates: { type: 'string', default: '400' },
      seed: { type: 'string', default: '20251122' },
      'no-words': { type: 'boolean', default: false },
      json: { type: 'string' },
    },
  });
  const draws = Number(values.draws);
  const replicates = Number(values.replicates);
  const seed = Number(values.seed);
  const wantDetectors = values.detectors!.split(',');
  const all = await loadLabeled(sharedLabeledFiles());
  const published = readPublishedLexicon(sharedLexiconFile('gpt_words_union.csv'), sharedLexiconFile('antislop_slop_phrase_prob_adjustments.csv'));
  const stems = [...new Set(all.map((r) => r.file))].sort();
  const folds = values.folds ? values.folds.split(',') : stems;
  const rows: Array<Comparison & { fold: string }> = [];
  const foldInfo: Record<string, unknown> = {};

  for (const fold of folds) {
    if (!stems.includes(fold)) throw new Error(`unknown fold ${fold} (have ${stems.join(', ')})`);
    const t0 = Date.now();
    const others = all.filter((r) => r.file !== fold);
    const calibRecs = inSplit(others, 'calib');
    const models = trainAllModels(inSplit(others, 'train'), published, TRAIN_SEED, `train split without ${fold}`);
    const labels = calibRecs.map((r) => (r.label === 'ai' ? 1 : 0) as 0 | 1);
    const test = all.filter((r) => r.file === fold);
    const detectors: FoldDetector[] = [];
    for (const d of detectorsFromModels(models)) {
      if (!wantDetectors.includes(d.name)) continue;
      const calibScores = await scoreRecords(d, calibRecs);
      const cal = calibrate(d.name, d.version, calibScores, labels, 0.05, 'fold calib');
      const testScores = await scoreRecords(d, test);
      const devAi: ScoredItem[] = calibRecs.flatMap((r, i) => (r.label === 'ai' ? [{ fields: fieldsOf(r), score: calibScores[i] }] : []));
      detectors.push({
        name: d.name,
        dev: { threshold: cal.threshold, tpr: cal.tpr, fpr: cal.fpr, nPos: cal.nPos, nNeg: cal.nNeg, dataset: 'other sources, calib split' },
        scores: new Map(test.map((r, i) => [r.id, testScores[i]])),
        devAi,
      });
    }
    // Detectors trained without a source may not support its languages at all (they return
    // null): such a fold cannot be estimated by any score-based method, and says so.
    const coverage = Math.min(...detectors.map((d) => [...d.scores.values()].filter((s) => s !== null).length / test.length));
    if (coverage < 0.5) {
      const langs = [...new Set(test.map((r) => r.lang))].sort().join(', ');
      console.error(`fold ${fold}: SKIPPED — detectors trained without it score only ${(coverage * 100).toFixed(0)}% of its texts (languages ${langs}); nothing to estimate with.`);
      foldInfo[fold] = { skipped: true, coverage, languages: langs };
      continue;
    }
    const reference = values['no-words'] ? null : buildFoldReference(others);
    const humans = test.filter((r) => r.label === 'human');
    const ais = test.filter((r) => r.label === 'ai');
    // Scale the design down for small sources so every part of a draw stays disjoint.
    const needH = Number(values.baseline) + FRACTIONS.reduce((s, f) => s + Number(values.n) - Math.round(f * Number(values.n)), 0);
    const needA = Number(values['ai-refs']) + FRACTIONS.reduce((s, f) => s + Math.round(f * Number(values.n)), 0);
    const scale = Math.min(1, humans.length / needH, ais.length / needA);
    const n = Math.floor(Number(values.n) * scale);
    const nb = Math.floor(Number(values.baseline) * scale);
    const na = Math.floor(Number(values['ai-refs']) * scale);
    foldInfo[fold] = { humans: humans.length, ai: ais.length, n, baseline: nb, aiRefs: na, trainSeconds: (Date.now() - t0) / 1000 };
    console.error(`fold ${fold}: ${humans.length} human / ${ais.length} AI texts; per draw baseline ${nb}, AI refs ${na}, ${n} documents per month; trained in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    for (let d = 0; d < draws; d++) {
      const rng = new Rng(mixSeed(seed, stems.indexOf(fold), d));
      const h = shuffled(rng, humans);
      const a = shuffled(rng, ais);
      const baseline = h.splice(0, nb);
      const aiRefs = a.splice(0, na);
      const months = FRACTIONS.map((f, i) => {
        const k = Math.round(f * n);
        return { period: `m${i}`, fraction: f, truth: k / n, docs: [...a.splice(0, k), ...h.splice(0, n - k)] };
      });
      const estimates = runBaselineEstimators({
        detectors,
        baseline,
        aiRefs,
        months,
        fieldsOf,
        reference,
        replicates,
        seed: mixSeed(seed, d, 7),
      });
      for (const [period, list] of estimates) {
        const m = months.find((x) => x.period === period)!;
        for (const e of list) rows.push(compare(fold, m, e));
      }
      for (const det of detectors) {
        for (const m of months) {
          const scored = m.docs.map((r) => det.scores.get(r.id)).filter((s): s is number => s !== null && s !== undefined);
          const k = scored.filter((s) => s >= det.dev.threshold).length;
          rows.push(compare(fold, m, correctedShare(k, scored.length, det.dev, { detector: det.name, replicates, seed: mixSeed(seed, d, 9) })));
        }
      }
      if ((d + 1) % 5 === 0 || d === draws - 1) console.error(`fold ${fold}: draw ${d + 1}/${draws}`);
    }
  }

  const print = (title: string, rs: readonly Comparison[]) => {
    console.log(`\n## ${title}\n`);
    console.log(
      alignTable(
        ['method', 'fraction', 'draws', 'mean |err|', 'bias', 'RMSE', 'coverage', 'mean width'],
        summarise(rs).map((s) => [s.method, s.fraction.toFixed(2), String(s.draws), pct(s.meanAbsError), pct(s.bias), pct(s.rmse), pct(s.coverage, 0), pct(s.meanWidth)]),
      ),
    );
  };
  for (const fold of folds) if (rows.some((r) => r.fold === fold)) print(`left-out source: ${fold}`, rows.filter((r) => r.fold === fold));
  print('all folds pooled', rows);
  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify({ draws, replicates, seed, fractions: FRACTIONS, folds: foldInfo, summary: summarise(rows), byFold: Object.fromEntries(folds.map((f) => [f, summarise(rows.filter((r) => r.fold === f))])) }, null, 1)}\n`);
    console.log(`wrote ${values.json}`);
  }
}

function compare(fold: string, m: { period: string; fraction: number; truth: number }, e: ShareEstimate): Comparison & { fold: string } {
  if (e.status !== 'ok') {
    return { fold, period: m.period, truth: m.truth, fraction: m.fraction, method: `${e.method} [${e.status}]`, kind: e.kind, share: Number.NaN, lo: Number.NaN, hi: Number.NaN, covered: false, error: Number.NaN };
  }
  return { fold, period: m.period, truth: m.truth, fraction: m.fraction, method: e.method, kind: e.kind, share: e.share!, lo: e.lo!, hi: e.hi!, covered: e.lo! <= m.truth && m.truth <= e.hi!, error: e.share! - m.truth };
}

main().catch((err) => {
  console.error(`known-answer-baseline: ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
});

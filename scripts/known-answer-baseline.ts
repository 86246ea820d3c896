/**
 * Known-answer test of the baseline-calibrated estimators, leave one source out.
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
 *        [--design same|split-generators]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadLabeled } from '../src/detect/labeled.js';
import { inSplit, sharedLabeledFiles, sharedLexiconFile } from '../src/detect/dataset.js';
import { readPublishedLexicon } from '../src/detect/train.js';
import { detectorsFromModels, trainAllModels, DEFAULT_SEED as TRAIN_SEED } from '../detectors/train-defaults.js';
import { calibrate } from '../src/detect/calibration.js';
import { scoreRecords } from '../src/detect/evaluate.js';
import { groupKey } from '../src/detect/splits.js';
import type { LabeledRecord } from '../src/detect/types.js';
import { correctedShare } from '../src/estimate/corrected.js';
import { Rng, mixSeed } from '../src/core/rng.js';
import type { ShareEstimate } from '../src/estimate/types.js';
import { buildFoldReference, runBaselineEstimators, type FoldDetector } from './lib/baseline-known-answer.js';
import { summarise, summaryTable, type Comparison } from './lib/known-answer.js';
import type { ScoredItem, StratumFields } from '../src/estimate/baseline/types.js';

const FRACTIONS = [0, 0.05, 0.2, 0.5];

function fieldsOf(r: LabeledRecord): StratumFields {
  return { lang: r.lang, tld: null, words: r.text.split(/\s+/).filter(Boolean).length, genre: r.domain };
}

type Design = 'same' | 'split-generators';

/**
 * Splits a source's texts into a calibration part (baseline pages + AI references) and a
 * target part (the audited months), by GROUP (splits.ts groupKey: a human article and the AI
 * continuations of its opening share it), so no target text shares its opening with a
 * baseline or reference text. With 'split-generators' the AI texts of a random half of the
 * generators may only be references and the others only target texts.
 */
function partition(rng: Rng, texts: readonly LabeledRecord[], nb: number, na: number, design: Design) {
  const generators = [...new Set(texts.filter((r) => r.label === 'ai').map((r) => r.generator ?? '?'))].sort();
  const refGenerators =
    design === 'split-generators'
      ? shuffled(rng, generators)
          .slice(0, Math.max(1, Math.floor(generators.length / 2)))
          .sort()
      : null;
  const groups = new Map<string, LabeledRecord[]>();
  for (const r of texts) {
    const k = groupKey(r.text);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const calibration: LabeledRecord[] = [];
  const target: LabeledRecord[] = [];
  let hb = 0;
  let ar = 0;
  for (const g of shuffled(rng, [...groups.values()])) {
    const toCalibration = hb < nb || ar < na;
    for (const r of g) {
      const refGen = refGenerators === null || refGenerators.includes(r.generator ?? '?');
      if (toCalibration) {
        if (r.label === 'human') hb++;
        else if (refGen) ar++;
        else continue; // a target-only generator's text cannot be a reference
        calibration.push(r);
      } else if (r.label === 'human' || refGenerators === null || !refGen) target.push(r);
    }
  }
  return { calibration, target, refGenerators };
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
      // same: references and target AI texts from the same generators (the favourable case);
      // split-generators: references from half of the source's generators, target AI texts
      // from the other half (a synthesizer model is not the model that wrote the web's AI text).
      design: { type: 'string', default: 'same' },
      json: { type: 'string' },
    },
  });
  const draws = Number(values.draws);
  const replicates = Number(values.replicates);
  const seed = Number(values.seed);
  const wantDetectors = values.detectors!.split(',');
  const design = values.design as Design;
  if (design !== 'same' && design !== 'split-generators') throw new Error(`--design must be same or split-generators, got ${design}`);
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
      console.error(
        `fold ${fold}: SKIPPED — detectors trained without it score only ${(coverage * 100).toFixed(0)}% of its texts (languages ${langs}); nothing to estimate with.`,
      );
      foldInfo[fold] = { skipped: true, coverage, languages: langs };
      continue;
    }
    const reference = values['no-words'] ? null : buildFoldReference(others);
    const humans = test.filter((r) => r.label === 'human');
    const ais = test.filter((r) => r.label === 'ai');
    // Scale the design down for small sources so every part of a draw stays disjoint.
    const needH = Number(values.baseline) + FRACTIONS.reduce((s, f) => s + Number(values.n) - Math.round(f * Number(values.n)), 0);
    const needA = Number(values['ai-refs']) + FRACTIONS.reduce((s, f) => s + Math.round(f * Number(values.n)), 0);
    // Partitioning by group (a human text and its AI continuations stay together) and, with
    // --design split-generators, by generator, wastes some texts: keep a margin.
    const margin = design === 'split-generators' ? 0.6 : 0.85;
    const scale = Math.min(1, (margin * humans.length) / needH, (margin * ais.length) / needA);
    const n = Math.floor(Number(values.n) * scale);
    const nb = Math.floor(Number(values.baseline) * scale);
    const na = Math.floor(Number(values['ai-refs']) * scale);
    const needHs = nb + FRACTIONS.reduce((s, f) => s + n - Math.round(f * n), 0);
    const needAs = na + FRACTIONS.reduce((s, f) => s + Math.round(f * n), 0);
    foldInfo[fold] = { humans: humans.length, ai: ais.length, n, baseline: nb, aiRefs: na, trainSeconds: (Date.now() - t0) / 1000 };
    console.error(
      `fold ${fold}: ${humans.length} human / ${ais.length} AI texts; per draw baseline ${nb}, AI refs ${na}, ${n} documents per month; trained in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );

    for (let d = 0; d < draws; d++) {
      const rng = new Rng(mixSeed(seed, stems.indexOf(fold), d));
      const { calibration, target, refGenerators } = partition(rng, test, nb, na, design);
      const h = shuffled(
        rng,
        target.filter((r) => r.label === 'human'),
      );
      const a = shuffled(
        rng,
        target.filter((r) => r.label === 'ai'),
      );
      const baseline = shuffled(
        rng,
        calibration.filter((r) => r.label === 'human'),
      ).slice(0, nb);
      const aiRefs = shuffled(
        rng,
        calibration.filter((r) => r.label === 'ai'),
      ).slice(0, na);
      if (baseline.length < nb || aiRefs.length < na || h.length < needHs - nb || a.length < needAs - na) {
        throw new Error(
          `fold ${fold} draw ${d}: not enough texts for the design (${baseline.length}/${nb} baseline, ${aiRefs.length}/${na} references, ${h.length} + ${a.length} for the months)`,
        );
      }
      if (d === 0 && refGenerators) console.error(`fold ${fold}: references from ${refGenerators.join(', ')}; target AI from the other generators`);
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
    console.log(summaryTable(summarise(rs)));
  };
  for (const fold of folds)
    if (rows.some((r) => r.fold === fold))
      print(
        `left-out source: ${fold}`,
        rows.filter((r) => r.fold === fold),
      );
  print('all folds pooled', rows);
  if (values.json) {
    writeFileSync(
      values.json,
      `${JSON.stringify({ design, draws, replicates, seed, fractions: FRACTIONS, folds: foldInfo, summary: summarise(rows), byFold: Object.fromEntries(folds.map((f) => [f, summarise(rows.filter((r) => r.fold === f))])) }, null, 1)}\n`,
    );
    console.log(`wrote ${values.json}`);
  }
}

function compare(fold: string, m: { period: string; fraction: number; truth: number }, e: ShareEstimate): Comparison & { fold: string } {
  if (e.status !== 'ok') {
    return {
      fold,
      period: m.period,
      truth: m.truth,
      fraction: m.fraction,
      method: `${e.method} [${e.status}]`,
      kind: e.kind,
      share: Number.NaN,
      lo: Number.NaN,
      hi: Number.NaN,
      covered: false,
      error: Number.NaN,
    };
  }
  return {
    fold,
    period: m.period,
    truth: m.truth,
    fraction: m.fraction,
    method: e.method,
    kind: e.kind,
    share: e.share!,
    lo: e.lo!,
    hi: e.hi!,
    covered: e.lo! <= m.truth && m.truth <= e.hi!,
    error: e.share! - m.truth,
  };
}

main().catch((err) => {
  console.error(`known-answer-baseline: ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
});

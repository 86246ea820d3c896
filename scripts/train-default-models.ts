/**
 * Regenerates every shipped detector artefact from ../shared, bit for bit from a seed:
 *   data/lexicons/gpt-words.json, data/models/{classifier,stylometry,compression}.json,
 *   data/calibration.json (thresholds at 5 % FPR measured on the calib split).
 * Training uses only the 'train' split (src/detect/splits.ts); calibration only 'calib';
 * the 'heldout' split is never touched here.
 *
 *   npx tsx scripts/train-default-models.ts [--seed N] [--out-dir DIR] [--target-fpr 0.05]
 *
 * Prints the SHA-256 of every file written and a combined checksum.
 */
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadLabeled } from '../src/detect/labeled.js';
import { inSplit, sharedLabeledFiles, sharedLexiconFile } from '../src/detect/dataset.js';
import { readPublishedLexicon } from '../src/detect/train.js';
import { DEFAULT_SEED, detectorsFromModels, segmentsOver, trainAllModels } from '../detectors/train-defaults.js';
import { writeModel } from '../src/detect/models.js';
import { calibrate, type CalibrationFile } from '../src/detect/calibration.js';
import { scoreRecords } from '../src/detect/evaluate.js';
import { projectRoot } from '../src/detect/paths.js';
import { sha256Hex } from '../src/core/hash.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      'out-dir': { type: 'string', default: join(projectRoot(), 'data') },
      'target-fpr': { type: 'string', default: '0.05' },
    },
  });
  const seed = Number(values.seed);
  const targetFpr = Number(values['target-fpr']);
  if (!Number.isInteger(seed) || !(targetFpr > 0 && targetFpr < 1)) throw new Error('--seed must be an integer and --target-fpr in (0, 1)');
  const outDir = values['out-dir']!;
  const files = sharedLabeledFiles();
  const all = await loadLabeled(files);
  const train = inSplit(all, 'train');
  const calib = inSplit(all, 'calib');
  console.log(`labeled: ${all.length} records; train ${train.length}, calib ${calib.length} (heldout untouched)`);

  const published = readPublishedLexicon(sharedLexiconFile('gpt_words_union.csv'), sharedLexiconFile('antislop_slop_phrase_prob_adjustments.csv'));
  const t0 = Date.now();
  const models = trainAllModels(train, published, seed, 'train');
  console.log(`trained 4 models in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const written: Array<[string, string]> = [];
  const put = (rel: string, obj: object) => written.push([rel, writeModel(join(outDir, rel), obj)]);
  put('lexicons/gpt-words.json', models.gptWords);
  put('models/classifier.json', models.classifier);
  put('models/stylometry.json', models.stylometry);
  put('models/compression.json', models.compression);

  // Calibration on the calib split; segments needs the classifier's threshold first.
  const dataset = `calib split (src/detect/splits.ts) of ${files.map((f) => basename(f)).join(', ')}`;
  const labels = calib.map((r) => (r.label === 'ai' ? 1 : 0) as 0 | 1);
  const entries = [];
  const detectors = detectorsFromModels(models);
  for (const d of detectors) {
    const scores = await scoreRecords(d, calib);
    entries.push(calibrate(d.name, d.version, scores, labels, targetFpr, dataset));
  }
  const classifierEntry = entries.find((e) => e.detector === 'classifier')!;
  const segments = segmentsOver(detectors.find((d) => d.name === 'classifier')!, classifierEntry.threshold);
  entries.push(calibrate(segments.name, segments.version, await scoreRecords(segments, calib), labels, targetFpr, dataset));
  const calibration: CalibrationFile = {
    format: 'ccaudit-calibration-v1',
    method: `threshold = lowest score with FPR <= ${targetFpr} on the calib split; TPR/FPR with Wilson 95% intervals on the same split`,
    entries,
  };
  put('calibration.json', calibration);

  for (const e of entries) {
    console.log(
      `${e.detector.padEnd(11)} threshold ${e.threshold.toFixed(4)}  TPR ${e.tpr.toFixed(3)} [${e.tprLo.toFixed(3)}, ${e.tprHi.toFixed(3)}]  ` +
        `FPR ${e.fpr.toFixed(3)} [${e.fprLo.toFixed(3)}, ${e.fprHi.toFixed(3)}]  AUROC ${e.auroc.toFixed(3)}  coverage ${e.coverage.toFixed(2)}`,
    );
  }
  for (const [rel, hash] of written) console.log(`sha256 ${hash}  data/${rel}`);
  console.log(`checksum ${sha256Hex(written.map(([r, h]) => `${h}  ${r}`).join('\n'))}`);
}

main().catch((err) => {
  console.error(`train-default-models: ${(err as Error).message}`);
  process.exit(1);
});

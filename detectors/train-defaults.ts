/**
 * Training every trainable built-in from one set of records, and building detectors from
 * in-memory models. Shared by scripts/train-default-models.ts, scripts/eval-detectors.ts
 * (leave-one-source-out folds) and the determinism tests.
 */
import type { Detector, LabeledRecord } from '../src/detect/types.js';
import type { CompressionModelFile, GptWordsLexiconFile, LinearModelFile } from '../src/detect/models.js';
import {
  buildGptWordsLexicon,
  trainCompressionModel,
  trainLinearModel,
  CLASSIFIER_DEFAULTS,
  COMPRESSION_DEFAULTS,
  STYLOMETRY_DEFAULTS,
  type LexiconSourceRow,
} from '../src/detect/train.js';
import { createClassifierDetector } from './classifier.js';
import { createStylometryDetector } from './stylometry.js';
import { createCompressionDetector } from './compression.js';
import { createGptWordsDetector } from './gpt-words.js';
import { createSegmentsDetector } from './segments.js';

export const DEFAULT_SEED = 20240601;

export const GPT_WORDS_PROVENANCE =
  'Entries: ../shared/lexicons/gpt_words_union.csv (Kobak et al. 2024 style words, Juzek & Ward 2025 focal words, ' +
  'spoken-podcasts 2025 targets, Yakura et al. 2024, Liang et al. 2024, Geng & Trotta 2025, antislop single words) plus ' +
  'the multi-word phrases of antislop_slop_phrase_prob_adjustments.csv; forms merged by a light suffix stemmer. ' +
  'Weights: smoothed AI-vs-human log-odds on the train split of ../shared/corpora/labeled, clipped at 0. ' +
  'See data/lexicons/PROVENANCE.md.';

export interface TrainedModels {
  gptWords: GptWordsLexiconFile;
  classifier: LinearModelFile;
  stylometry: LinearModelFile;
  compression: CompressionModelFile;
}

export function trainAllModels(
  records: readonly LabeledRecord[],
  published: readonly LexiconSourceRow[],
  seed = DEFAULT_SEED,
  split = 'train',
): TrainedModels {
  return {
    gptWords: buildGptWordsLexicon(records, published, { seed, split, alpha: 1, provenance: GPT_WORDS_PROVENANCE }),
    classifier: trainLinearModel(records, { ...CLASSIFIER_DEFAULTS, seed, split }),
    stylometry: trainLinearModel(records, { ...STYLOMETRY_DEFAULTS, seed, split }),
    compression: trainCompressionModel(records, { ...COMPRESSION_DEFAULTS, seed, split }),
  };
}

/** The four model-backed detectors built from in-memory models. */
export function detectorsFromModels(m: TrainedModels): Detector[] {
  return [
    createGptWordsDetector({ lexicon: m.gptWords }),
    createClassifierDetector({ model: m.classifier }),
    createCompressionDetector({ model: m.compression }),
    createStylometryDetector({ model: m.stylometry }),
  ];
}

/** `segments` over a given inner detector and chunk threshold. */
export function segmentsOver(inner: Detector, threshold: number): Detector {
  return createSegmentsDetector({ inner, threshold });
}

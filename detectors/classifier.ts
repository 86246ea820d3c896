/**
 * `classifier`: L2-regularised logistic regression over hashed word 1–2-grams and character
 * 4-grams of normalised text plus standardised style features. Trained by
 * `ccaudit train` / scripts/train-default-models.ts; the shipped model is
 * data/models/classifier.json.
 */
import type { Detector, DetectorInput, DetectorResult } from '../src/detect/types.js';
import { gate, prepare, type PreparedText } from '../src/detect/prepared.js';
import { LinearScorer } from '../src/detect/linear.js';
import { modelHash, readJsonFile, type LinearModelFile } from '../src/detect/models.js';
import { DEFAULT_FILES } from '../src/detect/paths.js';

export const CLASSIFIER_CODE_VERSION = '1';

export interface LinearDetectorOptions {
  /** Use this in-memory model (evaluation, tests). */
  model?: LinearModelFile;
  /** Or load from this path (default: the shipped model). */
  modelPath?: string;
}

/** Shared by `classifier` and `stylometry`: a detector backed by one linear model file. */
export function createLinearDetector(
  name: string,
  description: string,
  codeVersion: string,
  defaultPath: () => string,
  opts: LinearDetectorOptions,
): Detector {
  let scorer: LinearScorer | null = null;
  // Hashing the model serialises ~1.5 MB of JSON: do it once, not on every `version` read
  // (the scan reads it for every document).
  let version: string | null = null;
  let last: { p: PreparedText; r: DetectorResult } | null = null;
  const load = (): LinearScorer => {
    if (!scorer) {
      const model = opts.model ?? readJsonFile<LinearModelFile>(opts.modelPath ?? defaultPath());
      scorer = new LinearScorer(model);
      version = `${codeVersion}+${modelHash(model)}`;
    }
    return scorer;
  };
  return {
    name,
    description,
    get version() {
      load();
      return version!;
    },
    get languages() {
      return load().model.languages;
    },
    init() {
      load();
    },
    score(doc: DetectorInput): DetectorResult {
      const s = load();
      const p = prepare(doc);
      // `segments` often asks again for the very same text (one-chunk documents).
      if (last && last.p === p) return last.r;
      const refused = gate(p, s.model.languages);
      if (refused) return refused;
      const { z, score } = s.score(p);
      last = { p, r: { score, raw: z } };
      return last.r;
    },
  };
}

export function createClassifierDetector(opts: LinearDetectorOptions = {}): Detector {
  return createLinearDetector(
    'classifier',
    'Logistic regression over hashed word/char n-grams + style features (trained on the labeled corpora)',
    CLASSIFIER_CODE_VERSION,
    DEFAULT_FILES.classifier,
    opts,
  );
}

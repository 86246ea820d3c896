/**
 * `stylometry`: sentence-length burstiness, MATTR type–token ratio, punctuation habits
 * (dashes, colons, semicolons, commas …), word length, pronoun rates and paragraph uniformity,
 * combined by a small logistic regression (data/models/stylometry.json).
 */
import type { Detector } from '../src/detect/types.js';
import { DEFAULT_FILES } from '../src/detect/paths.js';
import { createLinearDetector, type LinearDetectorOptions } from './classifier.js';

export const STYLOMETRY_CODE_VERSION = '1';

export function createStylometryDetector(opts: LinearDetectorOptions = {}): Detector {
  return createLinearDetector(
    'stylometry',
    'Style features (burstiness, type-token ratio, punctuation, paragraph uniformity) + small logistic model',
    STYLOMETRY_CODE_VERSION,
    DEFAULT_FILES.stylometry,
    opts,
  );
}

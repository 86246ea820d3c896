/**
 * Registry of the built-in detectors. Each entry builds a fresh Detector from options, so
 * callers can point a detector at another model/lexicon file without global state.
 */
import type { Detector } from '../src/detect/types.js';
import { DEFAULT_FILES } from '../src/detect/paths.js';
import { findCalibration, readCalibrationFile } from '../src/detect/calibration.js';
import { createClassifierDetector } from './classifier.js';
import { createStylometryDetector } from './stylometry.js';
import { createCompressionDetector } from './compression.js';
import { createGptWordsDetector } from './gpt-words.js';
import { createSegmentsDetector } from './segments.js';

export interface BuiltinOptions {
  /** Model file per detector name (classifier, stylometry, compression), overriding data/models/. */
  modelPaths?: Record<string, string>;
  /** gpt-words lexicon file, overriding data/lexicons/gpt-words.json. */
  lexiconPath?: string;
  /** Inner detector of `segments` (default "classifier"). */
  segmentsInner?: string;
  /** Words per chunk for `segments` (default 500). */
  segmentsWords?: number;
  /** Calibration file read for `segments`' chunk threshold (default data/calibration.json). */
  calibrationPath?: string;
  /** Already-built detectors by name; `segments` reuses its inner detector from here. */
  instances?: ReadonlyMap<string, Detector>;
}

export interface BuiltinEntry {
  name: string;
  summary: string;
  create(opts: BuiltinOptions): Detector;
}

export const BUILTIN_DETECTORS: readonly BuiltinEntry[] = [
  {
    name: 'gpt-words',
    summary: 'marker-word rate per 1,000 words + log-odds score (published GPT-word lexicons)',
    create: (o) => createGptWordsDetector({ lexiconPath: o.lexiconPath }),
  },
  {
    name: 'classifier',
    summary: 'logistic regression over hashed word/char n-grams + style features',
    create: (o) => createClassifierDetector({ modelPath: o.modelPaths?.classifier }),
  },
  {
    name: 'compression',
    summary: 'ZipPy-style deflate ratio against AI vs human preset dictionaries',
    create: (o) => createCompressionDetector({ modelPath: o.modelPaths?.compression }),
  },
  {
    name: 'stylometry',
    summary: 'burstiness, type-token ratio, punctuation habits, paragraph uniformity + small model',
    create: (o) => createStylometryDetector({ modelPath: o.modelPaths?.stylometry }),
  },
  {
    name: 'segments',
    summary: 'fraction of 500-word chunks judged AI by an inner detector ("primarily AI" if > 0.5)',
    create: (o) => {
      const innerName = o.segmentsInner ?? 'classifier';
      if (innerName === 'segments') throw new Error('segments cannot wrap itself');
      const inner = o.instances?.get(innerName) ?? createBuiltinDetector(innerName, o);
      const cal = findCalibration(readCalibrationFile(o.calibrationPath ?? DEFAULT_FILES.calibration()), innerName);
      return createSegmentsDetector({ inner, chunkWords: o.segmentsWords, threshold: cal?.threshold });
    },
  },
];

export const BUILTIN_NAMES: readonly string[] = BUILTIN_DETECTORS.map((d) => d.name);

/** Builds one built-in detector by name; throws a clear error for unknown names. */
export function createBuiltinDetector(name: string, opts: BuiltinOptions = {}): Detector {
  const entry = BUILTIN_DETECTORS.find((d) => d.name === name);
  if (!entry) throw new Error(`unknown detector "${name}" (built-ins: ${BUILTIN_NAMES.join(', ')})`);
  return entry.create(opts);
}

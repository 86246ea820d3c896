/**
 * `compression`: ZipPy-style scoring. The normalised text is deflated twice, once primed
 * with a preset dictionary of AI-written reference text and once with human-written text;
 * raw = (humanBytes − aiBytes) / inputBytes is larger when the text compresses better
 * against AI prose. A 1-D logistic fit on the train split maps raw to [0, 1].
 */
import type { Detector, DetectorInput, DetectorResult } from '../src/detect/types.js';
import { gate, prepare } from '../src/detect/prepared.js';
import { modelHash, readJsonFile, type CompressionModelFile } from '../src/detect/models.js';
import { DEFAULT_FILES } from '../src/detect/paths.js';
import { sigmoid } from '../src/detect/logistic.js';
import { compressionDelta } from '../src/detect/compress.js';

export const COMPRESSION_CODE_VERSION = '1';

export interface CompressionOptions {
  model?: CompressionModelFile;
  modelPath?: string;
}

export function createCompressionDetector(opts: CompressionOptions = {}): Detector {
  let state: { model: CompressionModelFile; ai: Buffer; human: Buffer; version: string } | null = null;
  const load = () => {
    if (!state) {
      const model = opts.model ?? readJsonFile<CompressionModelFile>(opts.modelPath ?? DEFAULT_FILES.compression());
      if (model.format !== 'ccaudit-compression-v1') throw new Error('not a ccaudit compression model');
      // The version (a hash of the serialised model) is computed once: the scan reads it per document.
      state = {
        model,
        ai: Buffer.from(model.aiDictionary, 'utf8'),
        human: Buffer.from(model.humanDictionary, 'utf8'),
        version: `${COMPRESSION_CODE_VERSION}+${modelHash(model)}`,
      };
    }
    return state;
  };
  return {
    name: 'compression',
    description: 'ZipPy-style deflate ratio against AI vs human preset dictionaries',
    get version() {
      return load().version;
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
      const refused = gate(p, s.model.languages);
      if (refused) return refused;
      const raw = compressionDelta(p.norm, s.ai, s.human, s.model.level, s.model.maxChars);
      return { score: sigmoid(s.model.a * raw + s.model.c), raw };
    },
  };
}

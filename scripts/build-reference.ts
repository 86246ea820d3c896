/**
 * Rebuilds the estimators' reference data (deterministic: same inputs → same bytes):
 *   data/reference/mixture-reference.json  word-occurrence P (human) / Q (AI) for the mixture
 *                                          MLE, from the TRAIN split of ../shared/corpora/labeled
 *                                          (English rows); ratio re-calibration from the CALIB split
 *   data/reference/marker-words.json       marker words for the GPT-word trends and the
 *                                          excess-vocabulary bound (Kobak et al. 2024 list)
 *   data/reference/reference-calibration.json
 *                                          word sets of the CALIB-split AI texts in the
 *                                          reference's languages: the AI side of the baseline
 *                                          word mixture's calibration when q is the shipped one
 * The held-out split is never read here (src/detect/splits.ts).
 *
 *   npx tsx scripts/build-reference.ts [--out-dir DIR] [--unit document|sentence] [--max-words N|all]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { loadLabeled, parseLabeledLine } from '../src/detect/labeled.js';
import { splitOf } from '../src/detect/splits.js';
import { countWords } from '../src/detect/text.js';
import { documentWordSet } from '../src/estimate/baseline/word-vocab.js';
import { REFERENCE_CALIBRATION_FORMAT, type ReferenceCalibrationFile } from '../src/estimate/baseline/word-reference-calib.js';
import { inSplit, sharedLabeledFiles, sharedLexiconFile } from '../src/detect/dataset.js';
import { parseCsv } from '../src/detect/csv.js';
import { projectRoot } from '../src/detect/paths.js';
import { buildReference, calibrateReference, DEFAULT_REFERENCE_PARAMS, MixtureReference, type ReferenceParams } from '../src/estimate/reference.js';
import { markerLexiconFromWords } from '../src/estimate/markers.js';
import { mleAlpha, packRatios } from '../src/estimate/mixture.js';

function write(path: string, value: unknown): void {
  const text = `${JSON.stringify(value, null, 1)}\n`;
  writeFileSync(path, text);
  console.log(`wrote ${path} sha256 ${createHash('sha256').update(text).digest('hex').slice(0, 16)}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'out-dir': { type: 'string', default: join(projectRoot(), 'data', 'reference') },
      unit: { type: 'string', default: DEFAULT_REFERENCE_PARAMS.unit },
      'max-words': { type: 'string', default: String(DEFAULT_REFERENCE_PARAMS.maxWords) },
    },
  });
  const unit = values.unit;
  if (unit !== 'document' && unit !== 'sentence') throw new Error('--unit must be document or sentence');
  const maxWords = values['max-words'] === 'all' ? null : Number(values['max-words']);
  if (maxWords !== null && !(Number.isInteger(maxWords) && maxWords > 0)) throw new Error('--max-words must be a positive integer or "all"');
  const params: ReferenceParams = { ...DEFAULT_REFERENCE_PARAMS, unit, maxWords };
  const outDir = values['out-dir']!;
  mkdirSync(outDir, { recursive: true });

  const files = sharedLabeledFiles();
  const all = await loadLabeled(files);
  const train = inSplit(all, 'train');
  const calib = inSplit(all, 'calib');
  const names = files.map((f) => basename(f)).join(', ');
  console.log(`labeled: ${all.length} records; train ${train.length}, calib ${calib.length} (heldout untouched)`);

  const raw = buildReference(train, params, `train split (src/detect/splits.ts) of ${names}; languages ${params.languages.join(',')}`);
  const ref = calibrateReference(raw, calib, `calib split (src/detect/splits.ts) of ${names}`);
  write(join(outDir, 'mixture-reference.json'), ref);
  console.log(
    `  vocabulary ${ref.words.length} words; units human ${ref.nHuman}, AI ${ref.nAi}; ratio calibration a=${ref.calibration!.a.toFixed(4)} b=${ref.calibration!.b.toFixed(4)}`,
  );
  // Sanity figures on the calib split (the split the calibration was fitted on).
  const inLang = (r: { lang: string }) => params.languages.includes(r.lang);
  for (const [label, model] of [
    ['raw', new MixtureReference(raw)],
    ['calibrated', new MixtureReference(ref)],
  ] as const) {
    const pure = (cls: 'ai' | 'human') => mleAlpha(packRatios(calib.filter((r) => r.label === cls && inLang(r)).map((r) => model.ratios(r.text))));
    console.log(`  calib split, ${label} ratios: α̂ on all-human ${pure('human').toFixed(3)}, on all-AI ${pure('ai').toFixed(3)}`);
  }

  write(join(outDir, 'reference-calibration.json'), calibrationWordSets(files, params, names));

  const kobakFile = sharedLexiconFile('kobak2024_excess_words.csv');
  const rows = parseCsv(readFileSync(kobakFile, 'utf8')).filter((r) => r['style_excess_2024_freq_lt_0.02'] === '1');
  const lexicon = markerLexiconFromWords(
    rows.map((r) => r.word),
    'kobak2024-style-2024-lt0.02',
    'Kobak, González-Márquez, Horvát, Lause (2024/2025), "Delving into LLM-assisted writing in biomedical publications through ' +
      'excess vocabulary": the authors\' printed list of 2024 style excess words with 2024 frequency < 0.02 ' +
      `(${rows.length} words; ../shared/lexicons/kobak2024_excess_words.csv from berenslab/llm-excess-vocab @ 95c5976, MIT), ` +
      'forms merged by the light stemmer of src/detect/lexicon.ts',
  );
  write(join(outDir, 'marker-words.json'), lexicon);
  console.log(`  ${rows.length} words → ${lexicon.entries.length} stemmed keys`);
}

/**
 * The calib-split AI rows in the reference's languages, file by file and line by line (the
 * order matters: the calibration's folds and bootstrap follow it), reduced to word sets.
 */
function calibrationWordSets(files: readonly string[], params: ReferenceParams, names: string): ReferenceCalibrationFile {
  const all = params.languages.includes('*');
  const items: ReferenceCalibrationFile['items'] = [];
  for (const file of files) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() === '') return;
        const r = parseLabeledLine(line, file, i + 1);
        if (r.label !== 'ai' || !(all || params.languages.includes(r.lang))) return;
        if (splitOf(r.text) !== 'calib') return;
        const set = [...documentWordSet(r.text)].sort();
        // Space-joined in the file: a token never contains whitespace.
        if (set.some((w) => /\s/.test(w))) throw new Error(`a token with whitespace in ${file}:${i + 1}`);
        items.push({ lang: r.lang, words: countWords(r.text), wordSet: set.join(' ') });
      });
  }
  return {
    format: REFERENCE_CALIBRATION_FORMAT,
    provenance: `AI rows of the calib split (src/detect/splits.ts) of ${names}; languages ${params.languages.join(',')}; word sets as documentWordSet (src/estimate/baseline/word-vocab.ts)`,
    languages: [...params.languages],
    items,
  };
}

main().catch((err) => {
  console.error(`build-reference: ${(err as Error).message}`);
  process.exitCode = 1;
});

/**
 * Detector commands: `detectors`, `score` (--db / --jsonl), `train`, `evaluate`, `calibrate`.
 * Heavy lifting lives in src/detect/; this file parses flags and prints.
 */
import { createReadStream, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, basename } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { Detector, LabeledRecord } from '../detect/types.js';
import { initDetectors } from '../detect/runner.js';
import { selectDetectors, type DetectorSelection } from '../../detectors/registry.js';
import { BUILTIN_DETECTORS } from '../../detectors/index.js';
import { DEFAULT_FILES } from '../detect/paths.js';
import { calibrate, findCalibration, readCalibrationFile, type CalibrationFile } from '../detect/calibration.js';
import { loadLabeled } from '../detect/labeled.js';
import { inSplit, sharedLabeledFiles, sharedLexiconFile } from '../detect/dataset.js';
import type { Split } from '../detect/splits.js';
import { evaluateScores, formatEvaluationTable, scoreRecords, DEFAULT_EVALUATE, type SliceKind } from '../detect/evaluate.js';
import { scoreJsonlStream } from '../detect/score-jsonl.js';
import { scoreStoredDocuments } from '../pipeline/score-store.js';
import { scoreStoredReferences, referencesHandled } from '../pipeline/score-references.js';
import {
  buildGptWordsLexicon,
  readPublishedLexicon,
  trainCompressionModel,
  trainLinearModel,
  CLASSIFIER_DEFAULTS,
  COMPRESSION_DEFAULTS,
  STYLOMETRY_DEFAULTS,
} from '../detect/train.js';
import { DEFAULT_SEED, GPT_WORDS_PROVENANCE } from '../../detectors/train-defaults.js';
import { writeModel } from '../detect/models.js';
import { openStore, saveCalibration, StoreWriter } from '../store/index.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function modelFlag(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const m = /^([a-z0-9-]+)=(.+)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`expected NAME=PATH, got "${value}"`);
  return { ...previous, [m[1]]: m[2] };
}

function fraction(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError(`expected a number between 0 and 1, got "${value}"`);
  return n;
}

function intArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return n;
}

function splitArg(value: string): Split | 'all' {
  if (value === 'train' || value === 'calib' || value === 'heldout' || value === 'all') return value;
  throw new InvalidArgumentError(`expected train, calib, heldout or all, got "${value}"`);
}

interface SelectionFlags {
  detector?: string[];
  detectorModule?: string[];
  model?: Record<string, string>;
  lexicon?: string;
  segmentsInner?: string;
  segmentsWords?: number;
}

function addSelectionFlags(cmd: Command): Command {
  return cmd
    .option('--detector <name>', 'detector to use (repeatable; default: all)', collect)
    .option('--detector-module <spec>', 'load detector plugins from a module path or npm package (repeatable)', collect)
    .option('--model <name=path>', 'use another model file for a built-in (repeatable), e.g. classifier=my.json', modelFlag)
    .option('--lexicon <file>', 'gpt-words lexicon JSON (default data/lexicons/gpt-words.json)')
    .option('--segments-inner <name>', 'inner detector of "segments"', 'classifier')
    .option('--segments-words <n>', 'words per chunk for "segments"', intArg);
}

function selection(o: SelectionFlags): DetectorSelection {
  return {
    names: o.detector,
    modules: o.detectorModule,
    builtin: { modelPaths: o.model, lexiconPath: o.lexicon, segmentsInner: o.segmentsInner, segmentsWords: o.segmentsWords },
  };
}

async function readyDetectors(o: SelectionFlags): Promise<Detector[]> {
  const dets = await selectDetectors(selection(o));
  await initDetectors(dets);
  return dets;
}

function labeledFiles(given: string[] | undefined): { files: string[]; isDefault: boolean } {
  if (given && given.length > 0) {
    for (const f of given) if (!existsSync(f)) throw new Error(`labeled file not found: ${f}`);
    return { files: given, isDefault: false };
  }
  return { files: sharedLabeledFiles(), isDefault: true };
}

async function labeledRecords(given: string[] | undefined, split: Split | 'all' | undefined, defaultSplit: Split | 'all'): Promise<{ records: LabeledRecord[]; label: string }> {
  const { files, isDefault } = labeledFiles(given);
  const chosen = split ?? (isDefault ? defaultSplit : 'all');
  const all = await loadLabeled(files);
  const records = chosen === 'all' ? all : inSplit(all, chosen);
  if (records.length === 0) throw new Error(`no labeled records in split "${chosen}" of ${files.join(', ')}`);
  return { records, label: `${chosen === 'all' ? 'all rows' : `${chosen} split`} of ${files.map((f) => basename(f)).join(', ')}` };
}

export function register(program: Command): void {
  program
    .command('detectors')
    .description('List the available AI-text detectors (built-ins and --detector-module plugins) with their calibration')
    .option('--detector-module <spec>', 'also load detector plugins from this module (repeatable)', collect)
    .option('--json', 'print JSON')
    .action(async (o: { detectorModule?: string[]; json?: boolean }) => {
      const cal = readCalibrationFile(DEFAULT_FILES.calibration());
      const dets = await selectDetectors({ modules: o.detectorModule });
      const rows = dets.map((d) => {
        try {
          const c = findCalibration(cal, d.name, d.version);
          return {
            name: d.name,
            version: d.version,
            languages: [...d.languages],
            description: d.description,
            builtin: BUILTIN_DETECTORS.some((b) => b.name === d.name),
            calibration: c && c.detectorVersion === d.version ? { threshold: c.threshold, tpr: c.tpr, fpr: c.fpr, auroc: c.auroc } : null,
          };
        } catch (err) {
          return { name: d.name, version: 'unavailable', languages: [], description: (err as Error).message, builtin: true, calibration: null };
        }
      });
      if (o.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      for (const r of rows) {
        const c = r.calibration ? `threshold ${r.calibration.threshold.toFixed(3)} (TPR ${r.calibration.tpr.toFixed(2)} @ FPR ${r.calibration.fpr.toFixed(3)})` : 'not calibrated';
        process.stdout.write(`${r.name.padEnd(14)} ${r.version.padEnd(18)} [${r.languages.join(',')}] ${c}\n    ${r.description}\n`);
      }
    });

  addSelectionFlags(
    program
      .command('score')
      .description('Score documents: stored ones not yet scored by a detector version (--db), or a JSONL file of {id, text} (--jsonl, results on stdout)'),
  )
    .option('--db <path>', 'SQLite store whose documents to score')
    .option('--jsonl <file>', 'read {id, text, lang?} lines from FILE ("-" = stdin); write {id, scores} lines to stdout')
    .option('--raw', 'with --jsonl: also write each detector\'s raw value')
    .option('--batch <n>', 'documents per transaction with --db', intArg, 256)
    .action(async (o: SelectionFlags & { db?: string; jsonl?: string; raw?: boolean; batch: number }) => {
      if ((o.db ? 1 : 0) + (o.jsonl ? 1 : 0) !== 1) throw new Error('score: give exactly one of --db PATH or --jsonl FILE');
      const dets = await readyDetectors(o);
      if (o.jsonl) {
        if (o.jsonl !== '-' && !existsSync(o.jsonl)) throw new Error(`score: ${o.jsonl}: file not found`);
        const input = o.jsonl === '-' ? process.stdin : createReadStream(o.jsonl, { encoding: 'utf8' });
        const summary = await scoreJsonlStream(input, process.stdout, dets, {
          includeRaw: o.raw,
          onBadLine: (n, msg) => process.stderr.write(`ccaudit score: ${o.jsonl}:${n}: ${msg} (skipped)\n`),
        });
        if (summary.bad > 0) process.exitCode = 1;
        return;
      }
      const store = openStore(o.db!);
      let interrupted = false;
      const onSignal = () => {
        interrupted = true;
      };
      process.once('SIGINT', onSignal);
      const writer = new StoreWriter(store);
      const runId = writer.beginRun('score', { detectors: dets.map((d) => `${d.name}@${d.version}`) });
      try {
        const summaries = await scoreStoredDocuments(store, dets, {
          batchSize: Math.max(1, o.batch),
          shouldStop: () => interrupted,
          onBatch: (name, n) => process.stderr.write(`\rccaudit score: ${name}: ${n} documents`),
        });
        process.stderr.write('\n');
        // Reference texts (AI references, imported/control sets) are scored the same way, after the documents.
        const refSummaries = interrupted
          ? []
          : await scoreStoredReferences(store, dets, {
              batchSize: Math.max(1, o.batch),
              shouldStop: () => interrupted,
              onBatch: (name, n) => process.stderr.write(`\rccaudit score: ${name}: ${n} reference texts`),
            });
        const refsHandled = referencesHandled(refSummaries);
        if (refsHandled > 0) process.stderr.write('\n');
        writer.finishRun(runId, interrupted ? 'interrupted' : 'completed', refsHandled > 0 ? { documents: summaries, references: refSummaries } : summaries);
        for (const s of summaries) {
          process.stdout.write(`${s.detector.padEnd(14)} ${s.version.padEnd(18)} scored ${s.scored}, unsupported ${s.unsupported}, errors ${s.errors}\n`);
        }
        if (refsHandled > 0) {
          process.stdout.write('reference texts:\n');
          for (const s of refSummaries) {
            process.stdout.write(`${s.detector.padEnd(14)} ${s.version.padEnd(18)} scored ${s.scored}, unsupported ${s.unsupported}, errors ${s.errors}\n`);
          }
        }
      } catch (err) {
        writer.finishRun(runId, 'failed', { message: (err as Error).message });
        throw err;
      } finally {
        process.off('SIGINT', onSignal);
        store.close();
      }
    });

  program
    .command('train')
    .description('Train a detector model from labeled JSONL ({text, label: human|ai, ...}); deterministic for a given --seed')
    .requiredOption('--labeled <file>', 'labeled JSONL file (repeatable)', collect)
    .requiredOption('--out <file>', 'model file to write, e.g. data/models/NAME.json')
    .option('--kind <kind>', 'classifier | stylometry | compression | gpt-words', 'classifier')
    .option('--seed <n>', 'random seed', intArg, DEFAULT_SEED)
    .option('--split <split>', 'rows to train on: train (default; keeps calib/heldout clean) or all', splitArg, 'train')
    .option('--lexicon-csv <file>', 'gpt-words: CSV with a "word" column (repeatable; default: the published lists in ../shared/lexicons)', collect)
    .action(async (o: { labeled: string[]; out: string; kind: string; seed: number; split: Split | 'all'; lexiconCsv?: string[] }) => {
      const { records, label } = await labeledRecords(o.labeled, o.split, 'train');
      const common = { seed: o.seed, split: label };
      let model: object;
      switch (o.kind) {
        case 'classifier':
          model = trainLinearModel(records, { ...CLASSIFIER_DEFAULTS, ...common });
          break;
        case 'stylometry':
          model = trainLinearModel(records, { ...STYLOMETRY_DEFAULTS, ...common });
          break;
        case 'compression':
          model = trainCompressionModel(records, { ...COMPRESSION_DEFAULTS, ...common });
          break;
        case 'gpt-words': {
          const published = o.lexiconCsv && o.lexiconCsv.length > 0
            ? o.lexiconCsv.flatMap((f) => readPublishedLexicon(f))
            : readPublishedLexicon(sharedLexiconFile('gpt_words_union.csv'), sharedLexiconFile('antislop_slop_phrase_prob_adjustments.csv'));
          model = buildGptWordsLexicon(records, published, { ...common, alpha: 1, provenance: o.lexiconCsv ? `custom lexicon: ${o.lexiconCsv.join(', ')}` : GPT_WORDS_PROVENANCE });
          break;
        }
        default:
          throw new Error(`train: unknown --kind "${o.kind}" (classifier, stylometry, compression, gpt-words)`);
      }
      const hash = writeModel(o.out, model);
      process.stdout.write(`wrote ${o.out} (${o.kind}, ${records.length} labeled rows from ${label}) sha256 ${hash}\n`);
    });

  addSelectionFlags(
    program
      .command('evaluate')
      .description('AUROC, TPR at 1%/5% FPR, accuracy and F1 (bootstrap 95% CIs) per detector and per file/domain/generator/language'),
  )
    .option('--labeled <file>', 'labeled JSONL (repeatable; default: ../shared/corpora/labeled, heldout split)', collect)
    .option('--split <split>', 'train | calib | heldout | all', splitArg)
    .option('--replicates <n>', 'bootstrap replicates', intArg, 500)
    .option('--threshold <t>', 'threshold for accuracy/F1 (default: calibrated, else 0.5)', fraction)
    .option('--by <slices>', 'comma-separated breakdowns: file,domain,generator,family,variant,lang', 'file,domain,generator,family,variant,lang')
    .option('--json', 'print JSON rows')
    .action(async (o: SelectionFlags & { labeled?: string[]; split?: Split | 'all'; replicates: number; threshold?: number; by: string; json?: boolean }) => {
      const breakdowns = o.by.split(',').map((s) => s.trim()).filter(Boolean);
      for (const b of breakdowns) if (!['file', 'domain', 'generator', 'family', 'variant', 'lang'].includes(b)) throw new Error(`evaluate: unknown --by slice "${b}"`);
      const { records } = await labeledRecords(o.labeled, o.split, 'heldout');
      const dets = await readyDetectors(o);
      const cal = readCalibrationFile(DEFAULT_FILES.calibration());
      const rows = [];
      for (const d of dets) {
        const scores = await scoreRecords(d, records);
        const threshold = o.threshold ?? findCalibration(cal, d.name, d.version)?.threshold ?? 0.5;
        rows.push(...evaluateScores(d, records, scores, { ...DEFAULT_EVALUATE, threshold, replicates: o.replicates, breakdowns: breakdowns as SliceKind[] }));
      }
      process.stdout.write(o.json ? `${JSON.stringify(rows, null, 1)}\n` : `${formatEvaluationTable(rows)}\n`);
    });

  addSelectionFlags(
    program
      .command('calibrate')
      .description('Choose each detector\'s threshold at a target FPR on labeled data and store it with TPR/FPR and Wilson 95% CIs'),
  )
    .option('--labeled <file>', 'labeled JSONL (repeatable; default: ../shared/corpora/labeled, calib split)', collect)
    .option('--split <split>', 'train | calib | heldout | all', splitArg)
    .option('--target-fpr <p>', 'false-positive rate the threshold is chosen for', fraction, 0.05)
    .option('--db <path>', 'store the calibrations in this SQLite store (calibrations table)')
    .option('--out <file>', 'write a calibration JSON file (default data/calibration.json when --db is not given)')
    .action(async (o: SelectionFlags & { labeled?: string[]; split?: Split | 'all'; targetFpr: number; db?: string; out?: string }) => {
      const { records, label } = await labeledRecords(o.labeled, o.split, 'calib');
      const dets = await readyDetectors(o);
      const labels = records.map((r) => (r.label === 'ai' ? 1 : 0) as 0 | 1);
      const entries = [];
      for (const d of dets) entries.push(calibrate(d.name, d.version, await scoreRecords(d, records), labels, o.targetFpr, label));
      const outPath = o.out ?? (o.db ? undefined : DEFAULT_FILES.calibration());
      if (outPath) {
        const file: CalibrationFile = {
          format: 'ccaudit-calibration-v1',
          method: `threshold = lowest score with FPR <= ${o.targetFpr} on ${label}; TPR/FPR with Wilson 95% intervals on the same rows`,
          entries,
        };
        mkdirSync(dirname(outPath), { recursive: true });
        writeFileSync(outPath, `${JSON.stringify(file, null, 1)}\n`);
      }
      if (o.db) {
        const store = openStore(o.db);
        try {
          for (const e of entries) {
            if (e.nPos === 0 || e.nNeg === 0) continue;
            saveCalibration(store, { ...e });
          }
        } finally {
          store.close();
        }
      }
      for (const e of entries) {
        process.stdout.write(
          `${e.detector.padEnd(14)} threshold ${e.threshold.toFixed(4)}  TPR ${e.tpr.toFixed(3)} [${e.tprLo.toFixed(3)}, ${e.tprHi.toFixed(3)}]  FPR ${e.fpr.toFixed(3)} [${e.fprLo.toFixed(3)}, ${e.fprHi.toFixed(3)}]  n=${e.nPos}+${e.nNeg}\n`,
        );
      }
      if (outPath) process.stdout.write(`wrote ${outPath}\n`);
      if (o.db) process.stdout.write(`saved to ${o.db}\n`);
    });
}

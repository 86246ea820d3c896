/** `ccaudit train`: a detector model from labeled JSONL. */
import type { Command } from 'commander';
import {
  buildGptWordsLexicon,
  readPublishedLexicon,
  trainCompressionModel,
  trainLinearModel,
  CLASSIFIER_DEFAULTS,
  COMPRESSION_DEFAULTS,
  STYLOMETRY_DEFAULTS,
} from '../detect/train.js';
import { sharedLexiconFile } from '../detect/dataset.js';
import { DEFAULT_SEED, GPT_WORDS_PROVENANCE } from '../../detectors/train-defaults.js';
import { writeModel } from '../detect/models.js';
import type { Split } from '../detect/splits.js';
import { collect } from './options.js';
import { intArg, labeledRecords, splitArg } from './detector-flags.js';

export function register(program: Command): void {
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
          const published =
            o.lexiconCsv && o.lexiconCsv.length > 0
              ? o.lexiconCsv.flatMap((f) => readPublishedLexicon(f))
              : readPublishedLexicon(sharedLexiconFile('gpt_words_union.csv'), sharedLexiconFile('antislop_slop_phrase_prob_adjustments.csv'));
          model = buildGptWordsLexicon(records, published, {
            ...common,
            alpha: 1,
            provenance: o.lexiconCsv ? `custom lexicon: ${o.lexiconCsv.join(', ')}` : GPT_WORDS_PROVENANCE,
          });
          break;
        }
        default:
          throw new Error(`train: unknown --kind "${o.kind}" (classifier, stylometry, compression, gpt-words)`);
      }
      const hash = writeModel(o.out, model);
      process.stdout.write(`wrote ${o.out} (${o.kind}, ${records.length} labeled rows from ${label}) sha256 ${hash}\n`);
    });
}

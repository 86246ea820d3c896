/** Flags and inputs shared by the detector commands (score, evaluate, calibrate, train). */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { Detector, LabeledRecord } from '../detect/types.js';
import { prepareDetectors, type DetectorSelection } from '../../detectors/registry.js';
import { loadLabeled } from '../detect/labeled.js';
import { inSplit, sharedLabeledFiles } from '../detect/dataset.js';
import type { Split } from '../detect/splits.js';
import { collect } from './options.js';

export function modelFlag(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const m = /^([a-z0-9-]+)=(.+)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`expected NAME=PATH, got "${value}"`);
  return { ...previous, [m[1]]: m[2] };
}

export function fraction(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError(`expected a number between 0 and 1, got "${value}"`);
  return n;
}

export function intArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return n;
}

export function splitArg(value: string): Split | 'all' {
  if (value === 'train' || value === 'calib' || value === 'heldout' || value === 'all') return value;
  throw new InvalidArgumentError(`expected train, calib, heldout or all, got "${value}"`);
}

export interface SelectionFlags {
  detector?: string[];
  detectorModule?: string[];
  model?: Record<string, string>;
  lexicon?: string;
  segmentsInner?: string;
  segmentsWords?: number;
}

export function addSelectionFlags(cmd: Command): Command {
  return cmd
    .option('--detector <name>', 'detector to use (repeatable; default: all)', collect)
    .option('--detector-module <spec>', 'load detector plugins from a module path or npm package (repeatable)', collect)
    .option('--model <name=path>', 'use another model file for a built-in (repeatable), e.g. classifier=my.json', modelFlag)
    .option('--lexicon <file>', 'gpt-words lexicon JSON (default data/lexicons/gpt-words.json)')
    .option('--segments-inner <name>', 'inner detector of "segments"', 'classifier')
    .option('--segments-words <n>', 'words per chunk for "segments"', intArg);
}

export function selection(o: SelectionFlags): DetectorSelection {
  return {
    names: o.detector,
    modules: o.detectorModule,
    builtin: { modelPaths: o.model, lexiconPath: o.lexicon, segmentsInner: o.segmentsInner, segmentsWords: o.segmentsWords },
  };
}

export async function readyDetectors(o: SelectionFlags): Promise<Detector[]> {
  return prepareDetectors(selection(o));
}

function labeledFiles(given: string[] | undefined): { files: string[]; isDefault: boolean } {
  if (given && given.length > 0) {
    for (const f of given) if (!existsSync(f)) throw new Error(`labeled file not found: ${f}`);
    return { files: given, isDefault: false };
  }
  return { files: sharedLabeledFiles(), isDefault: true };
}

export async function labeledRecords(
  given: string[] | undefined,
  split: Split | 'all' | undefined,
  defaultSplit: Split | 'all',
): Promise<{ records: LabeledRecord[]; label: string }> {
  const { files, isDefault } = labeledFiles(given);
  const chosen = split ?? (isDefault ? defaultSplit : 'all');
  const all = await loadLabeled(files);
  const records = chosen === 'all' ? all : inSplit(all, chosen);
  if (records.length === 0) throw new Error(`no labeled records in split "${chosen}" of ${files.join(', ')}`);
  return { records, label: `${chosen === 'all' ? 'all rows' : `${chosen} split`} of ${files.map((f) => basename(f)).join(', ')}` };
}

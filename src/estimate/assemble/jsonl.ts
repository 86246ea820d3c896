/**
 * `ccaudit estimate --jsonl FILE`: the report's estimators over a corpus that is not in a
 * store. Lines are `{id, text, month?, lang?}` ("raw": scored here with the selected
 * detectors) or `{id, scores: {detector: score|null}, text?, month?}` ("scored", e.g. the
 * output of `ccaudit score --jsonl` joined with months). The first valid line decides which.
 * Streams line by line; bad lines are reported and skipped.
 *
 * With `baselinePath` (human texts of the domain from before AI) and `referencesPath` (AI texts
 * imitating it), the domain-matched estimators run as in a store report, built by the same
 * `buildDomainCalibration`; both files are scored the way the corpus is (with the live
 * detectors, or read from their lines' `scores` when the corpus is already scored).
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { monthOf, urlParts } from '../../store/derive.js';
import { countWords } from '../../extract/language.js';
import type { Detector } from '../../detect/types.js';
import { initDetectors, safeScore } from '../../detect/runner.js';
import { selectDetectors } from '../../../detectors/registry.js';
import { BUILTIN_NAMES } from '../../../detectors/index.js';
import { EstimateAggregator, type DetectorSpec } from '../aggregate.js';
import { DEFAULT_BASELINE_BEFORE, DEFAULT_REPLICATES, DEFAULT_SEED } from '../types.js';
import { assembleReport, type ShareReport } from '../model.js';
import { aggregateConfig, fileOperatingPoint, loadResources } from './resources.js';
import { periodMap, type PeriodKind, type PeriodMap, type PeriodInfo } from '../periods.js';
import { buildDomainCalibration, type DomainCalibrationOptions } from './domain-calibration.js';
import { describeReferences, readReferenceFile, type LineScorer } from './reference-files.js';
import { DEFAULT_CUTOFF } from '../../store/baseline-queries.js';
import type { DomainBaselineConfig } from '../estimator.js';
import type { DomainCalibrationInfo } from '../model.js';

export interface JsonlReportOptions {
  /** Group by the lines' `month` (default when the first line has one) or treat all as one group. */
  by?: 'month' | 'all';
  detectors?: string[];
  detectorModules?: string[];
  /** Estimator names (see ../registry.ts). */
  methods: ReadonlySet<string>;
  methodsExplicit?: boolean;
  minDocs: number;
  /** With month grouping: months, quarters, years or `auto` (default month). */
  period?: PeriodKind;
  /** The input again from its start: `auto` periods count the documents per month first. */
  reopen?: () => Readable;
  level: number;
  replicates?: number;
  seed?: number;
  pageFraction?: number;
  referencePath?: string;
  lexiconPath?: string;
  calibrationPath?: string;
  baselineBefore?: string;
  baseline?: 'mean' | 'linear';
  /** JSONL of human texts of the audited domain from before AI (see reference-files.ts). */
  baselinePath?: string;
  /** JSONL of AI texts imitating the domain, with optional `generator` / `set`. */
  referencesPath?: string;
  /** Strata, threshold and drift settings of the domain-matched estimators. */
  domain?: Pick<DomainCalibrationOptions, 'strata' | 'baselineFpr' | 'drift' | 'words'>;
  onBadLine?(lineNo: number, message: string): void;
}

interface Line {
  text: string | null;
  month: string | null;
  lang: string | null;
  tld: string | null;
  scores: Record<string, unknown> | null;
}

function parseLine(raw: string): Line | string {
  let obj: unknown;
  try {
    obj = JSON.parse(raw);
  } catch {
    return 'not valid JSON';
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return 'expected a JSON object';
  const o = obj as Record<string, unknown>;
  const text = typeof o.text === 'string' ? o.text : null;
  const scores = o.scores && typeof o.scores === 'object' && !Array.isArray(o.scores) ? (o.scores as Record<string, unknown>) : null;
  if (text === null && scores === null) return 'expected a string "text" or a "scores" object';
  let month: string | null = null;
  if (o.month !== undefined && o.month !== null) {
    month = typeof o.month === 'string' ? monthOf(o.month) : null;
    if (month === null) return `"month" must be "YYYY-MM" or an ISO date, got ${JSON.stringify(o.month)}`;
  }
  const tld = typeof o.tld === 'string' && o.tld ? o.tld.toLowerCase() : urlParts(typeof o.url === 'string' ? o.url : null).tld;
  return { text, month, lang: typeof o.lang === 'string' ? o.lang : null, tld, scores };
}

/** Valid lines per month (what the report will group), for `auto` periods. */
async function documentsPerMonth(input: Readable): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    if (raw.trim() === '') continue;
    const line = parseLine(raw);
    if (typeof line !== 'string' && line.month) counts.set(line.month, (counts.get(line.month) ?? 0) + 1);
  }
  return counts;
}

async function periodsOf(o: JsonlReportOptions): Promise<{ map: PeriodMap; info: PeriodInfo | null } | null> {
  const kind = o.period ?? 'month';
  if (kind === 'month') return null;
  if (kind !== 'auto') return periodMap(kind, new Map(), o.minDocs);
  if (!o.reopen) throw new Error('--period auto reads the input twice (to count documents per month first): give a file, not stdin');
  return periodMap(kind, await documentsPerMonth(o.reopen()), o.minDocs, [o.baselineBefore ?? DEFAULT_BASELINE_BEFORE]);
}

/** The domain-matched estimators from `--baseline` and `--references` files (both or neither). */
async function domainFromFiles(
  o: JsonlReportOptions,
  names: readonly string[],
  score: LineScorer,
  notes: string[],
): Promise<{ config: DomainBaselineConfig; info: DomainCalibrationInfo } | null> {
  if (!o.baselinePath && !o.referencesPath) return null;
  if (!o.baselinePath || !o.referencesPath) {
    throw new Error(
      `--baseline and --references go together: the domain-matched estimators need human texts and AI texts (got only ${o.baselinePath ? '--baseline' : '--references'})`,
    );
  }
  const human = await readReferenceFile(o.baselinePath, 'human', score);
  const ai = await readReferenceFile(o.referencesPath, 'ai', score);
  notes.push(...human.notes, ...ai.notes);
  if (human.items.length === 0 || ai.items.length === 0) {
    throw new Error(`no usable lines in ${human.items.length === 0 ? o.baselinePath : o.referencesPath}`);
  }
  const built = buildDomainCalibration(
    {
      names,
      human: human.items,
      ai: ai.items,
      // Texts the user supplied, not pages the crawl dated before a cutoff.
      kind: 'user-labeled',
      humanSource: `${human.items.length} baseline texts of ${o.baselinePath}`,
      aiSource: describeReferences(o.referencesPath, ai),
      cutoff: DEFAULT_CUTOFF,
      dateBasis: 'publication',
      nBaseline: 0,
      nControl: human.items.length,
      aiSets: null,
    },
    { ...(o.domain ?? {}), level: o.level, replicates: o.replicates ?? DEFAULT_REPLICATES, seed: o.seed ?? DEFAULT_SEED },
    notes,
  );
  return built;
}

export async function buildJsonlReport(path: string, input: Readable, o: JsonlReportOptions): Promise<ShareReport> {
  const res = loadResources(o);
  const periods = await periodsOf(o);
  const notes = [...res.notes];
  const rl = createInterface({ input, crlfDelay: Infinity });
  const replicates = o.replicates ?? DEFAULT_REPLICATES;
  const seed = o.seed ?? DEFAULT_SEED;

  let agg: EstimateAggregator | null = null;
  let live: Detector[] | null = null;
  let names: string[] = [];
  let by: 'month' | 'all' = o.by ?? 'all';
  let lineNo = 0;
  let bad = 0;
  let detectors: DetectorSpec[] = [];
  let domainInfo: DomainCalibrationInfo | null = null;
  /** Scores of one text: given scores where the line has them, else (live detectors) scored here. */
  const scoreText: LineScorer = async (text, lang, given) => {
    if (!live) {
      return names.map((n) => {
        const v = given?.[n];
        return typeof v === 'number' && Number.isFinite(v) ? v : null;
      });
    }
    const out: Array<number | null> = [];
    for (const d of live) {
      const v = given?.[d.name];
      if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
      else if (text !== null) out.push((await safeScore(d, { text, lang })).score);
      else out.push(null);
    }
    return out;
  };

  for await (const rawLine of rl) {
    lineNo++;
    if (rawLine.trim() === '') continue;
    const line = parseLine(rawLine);
    if (typeof line === 'string') {
      bad++;
      o.onBadLine?.(lineNo, line);
      continue;
    }
    if (!agg) {
      // The first valid line decides the mode, the detectors and (by default) the grouping.
      by = o.by ?? (line.month ? 'month' : 'all');
      if (line.scores) {
        names = o.detectors && o.detectors.length > 0 ? o.detectors : Object.keys(line.scores);
        detectors = names.map((name) => {
          const cal = fileOperatingPoint(res.calibrationFile, name, null);
          return { name, version: 'as scored', threshold: cal?.threshold ?? 0.5, calibration: cal, calibrationSource: cal ? 'file' : null };
        });
        notes.push(
          'scores were read from the input; JSONL scores carry no detector version, so the latest calibration of each detector name was used.',
        );
      } else {
        live = await selectDetectors({ names: o.detectors && o.detectors.length > 0 ? o.detectors : [...BUILTIN_NAMES], modules: o.detectorModules });
        await initDetectors(live);
        names = live.map((d) => d.name);
        detectors = live.map((d) => {
          const cal = fileOperatingPoint(res.calibrationFile, d.name, d.version);
          return { name: d.name, version: d.version, threshold: cal?.threshold ?? 0.5, calibration: cal, calibrationSource: cal ? 'file' : null };
        });
      }
      for (const d of detectors)
        if (!d.calibration) notes.push(`${d.name}@${d.version} has no calibration: labels use threshold 0.5 and no corrected estimate is possible.`);
      const domain = await domainFromFiles(o, names, scoreText, notes);
      domainInfo = domain?.info ?? null;
      agg = new EstimateAggregator(detectors, { ...aggregateConfig(o, res, by === 'month'), domainBaseline: domain?.config ?? null });
    }
    agg.add({
      group: by === 'month' ? (periods && line.month ? periods.map(line.month) : line.month) : 'all',
      month: periods ? line.month : null,
      dateSource: line.month ? 'jsonl month' : 'none',
      lang: line.lang,
      // Stratum fields of the domain-matched estimators.
      tld: line.tld,
      words: line.text !== null ? countWords(line.text) : 0,
      text: line.text,
      scores: await scoreText(line.text, line.lang, line.scores),
    });
  }
  if (!agg) throw new Error(`${path}: no valid lines${bad > 0 ? ` (${bad} bad)` : ''}`);
  if (bad > 0) notes.push(`${bad} bad line(s) skipped.`);
  return assembleReport(
    {
      input: { kind: 'jsonl', path },
      groupBy: by,
      dateBasis: by === 'month' ? 'publication' : null,
      period: by === 'month' ? (periods?.info ?? null) : null,
      replicates,
      seed,
      lang: null,
      detectors,
      mixture: res.mixtureInfo,
      examples: [],
      domainCalibration: domainInfo,
      notes,
    },
    agg.finish(),
  );
}

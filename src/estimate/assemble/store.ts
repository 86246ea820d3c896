/**
 * The report model from a store: reads it (read-only), picks detector versions and their
 * calibrations, loads the human controls and baseline models, streams the documents through
 * the estimators and assembles the report. `ccaudit report` and `ccaudit collapse --db` call
 * `buildReport` / `shareSeriesFromStore`.
 */
import { countDuplicateDocuments, storedSampleRates, type Store } from '../../store/index.js';
import {
  documentsPerMonth,
  reportDocuments,
  scoredDetectors,
  storedCalibration,
  topScoredDocuments,
  type DateBasis,
  type ReportGrouping,
} from '../../store/report-queries.js';
import { EstimateAggregator, type DetectorSpec } from '../aggregate.js';
import { METHOD_NAMES } from '../registry.js';
import { DEFAULT_BASELINE_BEFORE, DEFAULT_REPLICATES, DEFAULT_SEED } from '../types.js';
import { assembleReport, type ReportExample, type ShareReport, type SharePoint } from '../model.js';
import { aggregateConfig, fileOperatingPoint, loadResources } from './resources.js';
import { loadDomainCalibration, type DomainCalibrationOptions } from './domain-calibration.js';
import { controlDatabase, scoreControlFile } from './control-corpus.js';
import { inDomainModelFor } from './indomain-cache.js';
import { periodMap, type PeriodKind } from '../periods.js';

export interface StoreReportOptions {
  by: ReportGrouping;
  dateBasis: DateBasis;
  /** With month grouping: months, quarters, years, or `auto` (months merged up to reach minDocs); default month. */
  period?: PeriodKind;
  /** Detector names or name@version; default: every detector with scores (busiest version). */
  detectors?: string[];
  /** Estimator names (see ../registry.ts). */
  methods: ReadonlySet<string>;
  methodsExplicit?: boolean;
  minDocs: number;
  level: number;
  replicates?: number;
  seed?: number;
  lang?: string;
  pageFraction?: number;
  referencePath?: string;
  lexiconPath?: string;
  calibrationPath?: string;
  baselineBefore?: string;
  baseline?: 'mean' | 'linear';
  /** Example documents to list (highest scores of the headline detector); default 10. */
  examples?: number;
  /** Domain-matched calibration settings; default: both calibrations when a baseline and AI references exist. */
  domain?: Omit<DomainCalibrationOptions, 'level' | 'replicates' | 'seed' | 'lang'>;
}

/** Human-only corpora to load as the baseline (`--control`, `--control-db`). */
export interface ControlSources {
  /** JSONL files scored now with the report's detector versions. */
  files?: readonly string[];
  /** Other ccaudit stores whose documents are all human. */
  databases?: readonly string[];
}

/** What a report takes when a program leaves it out: the `ccaudit report` defaults. */
export const REPORT_DEFAULTS = {
  by: 'month',
  dateBasis: 'publication',
  minDocs: 30,
  level: 0.95,
} as const satisfies Partial<StoreReportOptions>;

/** Options of buildReport: StoreReportOptions with the CLI's defaults (every method) for what is left out. */
export interface ReportOptions
  extends Partial<Pick<StoreReportOptions, 'by' | 'dateBasis' | 'methods' | 'minDocs' | 'level'>>,
    Omit<StoreReportOptions, 'by' | 'dateBasis' | 'methods' | 'minDocs' | 'level'> {
  controls?: ControlSources;
}

/**
 * The AI-share report of a store: what `ccaudit report` prints. Control corpora named in
 * `controls` are loaded (scored if needed) unless the calibration is development-only.
 */
export async function buildReport(store: Store, o: ReportOptions): Promise<ShareReport> {
  const files = o.controls?.files ?? [];
  const dbs = o.controls?.databases ?? [];
  const given = [...(o.domain?.controls ?? [])];
  if ((files.length || dbs.length) && o.domain?.calibration !== 'development') {
    const chosen = chooseDetectorVersions(store, o.detectors);
    for (const f of files) given.push(await scoreControlFile(f, chosen));
    for (const f of dbs) given.push(controlDatabase(f, chosen));
  }
  return buildStoreReport(store, {
    ...o,
    by: o.by ?? REPORT_DEFAULTS.by,
    dateBasis: o.dateBasis ?? REPORT_DEFAULTS.dateBasis,
    minDocs: o.minDocs ?? REPORT_DEFAULTS.minDocs,
    level: o.level ?? REPORT_DEFAULTS.level,
    methods: o.methods ?? new Set(METHOD_NAMES),
    domain: { ...(o.domain ?? {}), controls: given },
  });
}

export interface ShareSeriesOptions {
  dateBasis: DateBasis;
  minDocs: number;
  /** Months (default), quarters, years or `auto` periods, as in a report. */
  period?: PeriodKind;
  seed?: number;
}

/**
 * The headline series of a store at 95 %, per month or `period` (the input `ccaudit collapse --db` projects
 * from), with the error-corrected and mixture series beside it: `{ level, series }` as in the
 * report's JSON.
 */
export function shareSeriesFromStore(store: Store, o: ShareSeriesOptions): { level: number; series: SharePoint[] } {
  const report = buildStoreReport(store, {
    by: 'month',
    dateBasis: o.dateBasis,
    methods: new Set(['in-domain', 'baseline', 'corrected', 'mixture']),
    methodsExplicit: true,
    minDocs: o.minDocs,
    period: o.period,
    level: 0.95,
    seed: o.seed,
    examples: 0,
  });
  return { level: 0.95, series: report.series };
}

export class ReportInputError extends Error {}

/** Resolves `--detector` values against the detector versions present in the store. */
export function chooseDetectorVersions(store: Store, wanted: string[] | undefined): Array<{ detector: string; detectorVersion: string }> {
  const present = scoredDetectors(store);
  if (!wanted || wanted.length === 0) {
    const seen = new Set<string>();
    // scoredDetectors lists the busiest version of each detector first.
    return present
      .filter((p) => !seen.has(p.detector) && seen.add(p.detector))
      .map((p) => ({ detector: p.detector, detectorVersion: p.detectorVersion }));
  }
  return wanted.map((w) => {
    const at = w.indexOf('@');
    const name = at >= 0 ? w.slice(0, at) : w;
    const version = at >= 0 ? w.slice(at + 1) : null;
    const match = present.find((p) => p.detector === name && (version === null || p.detectorVersion === version));
    if (!match) {
      const have = present.map((p) => `${p.detector}@${p.detectorVersion}`).join(', ') || 'none';
      throw new ReportInputError(`no scores for detector "${w}" in the store (scored: ${have})`);
    }
    return { detector: match.detector, detectorVersion: match.detectorVersion };
  });
}

/** The detector whose top documents are listed as examples: the classifier if present, else the first calibrated one. */
export function headlineDetector(detectors: readonly DetectorSpec[]): DetectorSpec | null {
  return detectors.find((d) => d.name === 'classifier') ?? detectors.find((d) => d.calibration) ?? detectors[0] ?? null;
}

export function buildStoreReport(store: Store, o: StoreReportOptions): ShareReport {
  const chosen = chooseDetectorVersions(store, o.detectors);
  const res = loadResources(o);
  const notes = [...res.notes];
  if (chosen.length === 0) notes.push('the store has no scores: run `ccaudit score --db …` first; only word-based estimates are shown.');
  const detectors: DetectorSpec[] = chosen.map(({ detector, detectorVersion }) => {
    const stored = storedCalibration(store, detector, detectorVersion);
    if (stored) {
      return {
        name: detector,
        version: detectorVersion,
        threshold: stored.threshold,
        calibration: { threshold: stored.threshold, tpr: stored.tpr, fpr: stored.fpr, nPos: stored.nPos, nNeg: stored.nNeg, dataset: stored.dataset },
        calibrationSource: 'store',
      };
    }
    const fromFile = fileOperatingPoint(res.calibrationFile, detector, detectorVersion);
    if (!fromFile) notes.push(`${detector}@${detectorVersion} has no calibration: labels use threshold 0.5 and no corrected estimate is possible.`);
    return {
      name: detector,
      version: detectorVersion,
      threshold: fromFile?.threshold ?? 0.5,
      calibration: fromFile,
      calibrationSource: fromFile ? 'file' : null,
    };
  });

  const replicates = o.replicates ?? DEFAULT_REPLICATES;
  const seed = o.seed ?? DEFAULT_SEED;
  const domain = loadDomainCalibration(store, chosen, {
    ...(o.domain ?? {}),
    level: o.level,
    replicates,
    seed,
    lang: o.lang,
  });
  notes.push(...domain.notes);
  if (domain.config && o.methods.has('in-domain')) {
    const { model, notes: cacheNotes } = inDomainModelFor(store, domain.config, { level: o.level, replicates, seed });
    if (typeof model !== 'string') domain.config.inDomain = model;
    notes.push(...cacheNotes);
  }
  const agg = new EstimateAggregator(detectors, { ...aggregateConfig(o, res, o.by === 'month'), domainBaseline: domain.config });
  const periods =
    o.by === 'month' && (o.period ?? 'month') !== 'month'
      ? periodMap(o.period!, documentsPerMonth(store, { dateBasis: o.dateBasis, lang: o.lang, detectors: chosen }), o.minDocs, [
          o.baselineBefore ?? DEFAULT_BASELINE_BEFORE,
          ...(domain.baselineRule ? [domain.baselineRule.cutoff.slice(0, 7)] : []),
        ])
      : null;
  for (const doc of reportDocuments(store, {
    by: o.by,
    dateBasis: o.dateBasis,
    detectors: chosen,
    lang: o.lang,
    withText: agg.needsText,
    baselineRule: domain.baselineRule ?? null,
  })) {
    agg.add(periods && doc.group ? { ...doc, group: periods.map(doc.group), month: doc.group } : doc);
  }

  const head = headlineDetector(detectors);
  const examples: ReportExample[] = head
    ? topScoredDocuments(store, head.name, head.version, o.examples ?? 10).map((d) => ({
        title: d.title,
        url: d.url,
        month: (o.dateBasis === 'crawl' ? d.crawlMonth : d.pubMonth) ?? null,
        detector: head.name,
        score: d.score,
      }))
    : [];
  return assembleReport(
    {
      input: { kind: 'db', path: store.path },
      groupBy: o.by,
      dateBasis: o.by === 'month' ? o.dateBasis : null,
      period: periods?.info ?? null,
      replicates,
      seed,
      lang: o.lang ?? null,
      detectors,
      mixture: res.mixtureInfo,
      examples,
      domainCalibration: domain.info,
      duplicates: countDuplicateDocuments(store, o.lang),
      sampleRates: storedSampleRates(store),
      notes,
    },
    agg.finish(),
  );
}

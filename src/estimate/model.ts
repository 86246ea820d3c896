/**
 * The AI-share report as data: what `ccaudit report` and `ccaudit estimate` compute, and what
 * the table, CSV, JSON and HTML renderers print. The JSON form is this object verbatim; its
 * `series` array is the share-series format `ccaudit collapse --shares` reads
 * (src/collapse/shares.ts).
 */
import type { AgreementRow, AggregateResult, DetectorSpec, GroupResult } from './aggregate.js';
import type { ExcessAnalysis } from './excess.js';
import type { DriftResult } from './baseline/estimator.js';
import type { StratumSummary } from './baseline/score-model.js';
import type { CalibrationKind } from './baseline/types.js';
import { chooseHeadline } from './headline.js';
import type { InDomainSummary } from './indomain/summary.js';

export type { InDomainSummary } from './indomain/summary.js';

export type { Headline, HeadlineCheck } from './headline.js';
import type { PeriodInfo } from './periods.js';
import { periodSpan } from '../core/months.js';

/** One month's estimated share of AI-generated documents. */
export interface SharePoint {
  /** Calendar month "YYYY-MM", quarter "YYYY-Qn", year "YYYY" or span of years "YYYY–YYYY". */
  period: string;
  /**
   * For a period longer than a month: the mean month of its documents (rounded) and the last
   * month that has any; a trend places the point there instead of at the period's middle.
   */
  at?: string;
  through?: string;
  /** Point estimate of the AI share, in [0, 1]. */
  share: number;
  /** Lower end of the confidence interval, in [0, share]. */
  lo: number;
  /** Upper end of the confidence interval, in [share, 1]. */
  hi: number;
  /** Documents the estimate rests on. */
  n: number;
  /** Estimator that produced it, e.g. "raw" or "corrected". */
  method: string;
}

/** What the report prints about the domain-matched calibration. */
export interface DomainCalibrationInfo {
  cutoff: string;
  dateBasis: 'crawl' | 'publication';
  kind: CalibrationKind;
  humanSource: string;
  nBaseline: number;
  nControl: number;
  nAi: number;
  aiSets: string[] | null;
  thresholdRule: string;
  strata: { dims: string[]; lengthEdges: number[]; minBaseline: number; minAi: number };
  /** Per detector: its operating threshold and the strata of the baseline (cells with enough pages, plus the pooled one). */
  detectors: Array<{ detector: string; threshold: number; nBaseline: number; nAi: number; auroc: number | null; strata: StratumSummary[] }>;
  /** Detector that best separates baseline pages from AI references (highest AUROC): its series are the ones to read first. */
  recommended: string | null;
  drift: DriftResult[];
}

export type { ShareEstimate, EstimateStatus, MethodKind } from './types.js';

export const REPORT_FORMAT = 'ccaudit-share-report-v1';

/** `method` of the headline rows of `series` (what `collapse` projects from by default). */
export const HEADLINE_METHOD = 'headline';

export type GroupBy = 'month' | 'crawl' | 'lang' | 'domain' | 'tld' | 'all';

/** A high-scoring document shown as an example (title and URL are untrusted web text). */
export interface ReportExample {
  title: string | null;
  url: string | null;
  month: string | null;
  detector: string;
  score: number;
}

export interface ShareReport {
  format: typeof REPORT_FORMAT;
  generatedAt: string;
  /** Confidence level of every interval (also read by `collapse`). */
  level: number;
  input: { kind: 'db' | 'jsonl'; path: string };
  groupBy: GroupBy;
  /** For month grouping: month of publication (extracted date) or of crawl (WARC-Date). */
  dateBasis: 'publication' | 'crawl' | null;
  /** Quarters, years or `auto` periods instead of months (absent: calendar months). */
  period?: PeriodInfo;
  minDocs: number;
  replicates: number;
  seed: number;
  /** Language filter applied, if any. */
  lang: string | null;
  detectors: DetectorSpec[];
  mixture: {
    reference: string;
    unit: string;
    vocabulary: number;
    languages: string[];
    calibrated: boolean;
    /** Documents not in the reference's languages (left out of the mixture estimate). */
    skippedLanguage: number;
  } | null;
  groups: GroupResult[];
  /** Documents without a value for the grouping key (e.g. no publication date). */
  excluded: number;
  /**
   * Exact duplicates left out of every share: documents repeating an earlier one (the same
   * WARC-Record-ID, or the same payload in the same crawl month). Stored, never counted twice.
   */
  duplicates: number;
  /**
   * Sample rates of the scans that stored the documents (`scan --sample-rate`, ascending);
   * absent when every input row was read. Shares and intervals are of the sampled documents.
   */
  sampleRates?: number[];
  /** Per-month shares with intervals, one row per month and method (month grouping only). */
  series: SharePoint[];
  gptWords: ExcessAnalysis | null;
  agreement: AgreementRow[];
  examples: ReportExample[];
  /** Domain-matched calibration (baseline pages, AI references, strata, drift), when used. */
  domainCalibration: DomainCalibrationInfo | null;
  /** How the headline estimates were made and checked (the in-domain model's summary), when it ran. */
  inDomain: InDomainSummary | null;
  notes: string[];
}

const placement = (g: GroupResult): Pick<SharePoint, 'at' | 'through'> => (g.months ? { at: g.months.mean, through: g.months.last } : {});

/** The collapse-readable series: every numeric estimate of every period (month, quarter, year or span of years). */
export function seriesOf(groups: readonly GroupResult[]): SharePoint[] {
  const out: SharePoint[] = [];
  const isPeriod = (key: string) => periodSpan(key) !== null;
  for (const g of groups) {
    if (!isPeriod(g.key) || !g.headline) continue;
    const h = g.headline;
    out.push({ period: g.key, share: h.share, lo: h.lo, hi: h.hi, n: Math.round(h.n), method: HEADLINE_METHOD, ...placement(g) });
  }
  for (const g of groups) {
    if (!isPeriod(g.key)) continue;
    for (const e of g.estimates) {
      if (e.status !== 'ok' || e.share === null || e.lo === null || e.hi === null || e.n <= 0) continue;
      out.push({ period: g.key, share: e.share, lo: e.lo, hi: e.hi, n: Math.round(e.n), method: e.method, ...placement(g) });
    }
  }
  return out;
}

export interface ReportFrame {
  input: ShareReport['input'];
  groupBy: GroupBy;
  dateBasis: ShareReport['dateBasis'];
  /** Periods other than calendar months (null or absent: months). */
  period?: PeriodInfo | null;
  replicates: number;
  seed: number;
  lang: string | null;
  detectors: DetectorSpec[];
  mixture: ShareReport['mixture'];
  examples: ReportExample[];
  domainCalibration?: DomainCalibrationInfo | null;
  inDomain?: InDomainSummary | null;
  /** Exact duplicate documents the input held and the report left out (0 when not known). */
  duplicates?: number;
  /** Sample rates of the scans that stored the documents; empty or absent = every row read. */
  sampleRates?: number[];
  notes: string[];
}

/** Assembles the report from the aggregator's result and the run's settings. */
export function assembleReport(frame: ReportFrame, result: AggregateResult): ShareReport {
  const notes = [...frame.notes];
  if (result.excluded > 0) {
    const why =
      frame.groupBy !== 'month'
        ? `no ${frame.groupBy} value`
        : frame.dateBasis === 'crawl'
          ? 'no crawl month'
          : 'no publication date found on the page (`--date crawl` groups them by crawl month)';
    notes.push(`${result.excluded} documents left out: ${why}.`);
  }
  const duplicates = frame.duplicates ?? 0;
  if (duplicates > 0) {
    notes.push(
      `${duplicates} exact duplicate document${duplicates === 1 ? '' : 's'} left out (the same WARC-Record-ID, or the same payload in the same crawl month).`,
    );
  }
  const sampleRates = frame.sampleRates ?? [];
  if (sampleRates.length > 0) {
    const pct = sampleRates.map((r) => `${+(r * 100).toPrecision(3)} %`).join(', ');
    notes.push(
      `The documents are a deterministic, id-hashed sample of the input rows (scan --sample-rate: ${pct}); ` +
        'shares estimate the whole input, and their intervals reflect the sample size.',
    );
  }
  const recommended = frame.domainCalibration?.recommended ?? null;
  const groups = result.groups.map((g) => {
    const choice = chooseHeadline(g.estimates, { tooFew: g.tooFew, minDocs: result.minDocs, recommended });
    return { ...g, headline: choice.headline, headlineNote: choice.reason };
  });
  const fallback = groups.find((g) => g.headline && g.headline.calibration === 'development');
  const summary = result.inDomain ?? frame.inDomain ?? null;
  if (summary) notes.push(...summary.notes);
  notes.push(...(result.notes ?? []));
  if (fallback)
    notes.push(
      'headline estimates are not calibrated to this corpus: add a baseline (`ccaudit sample --baseline`) and AI references (`ccaudit synthesize` or `ccaudit references import`) for an in-domain estimate.',
    );
  const tooFew = result.groups.filter((g) => g.tooFew).length;
  if (tooFew > 0) notes.push(`${tooFew} group(s) have fewer than ${result.minDocs} documents: shown as "too few documents".`);
  if (frame.mixture && result.mixtureSkippedLanguage > 0) {
    notes.push(
      `${result.mixtureSkippedLanguage} documents outside the mixture reference's languages (${frame.mixture.languages.join(', ')}) are not in the mixture estimate.`,
    );
  }
  return {
    format: REPORT_FORMAT,
    generatedAt: new Date().toISOString(),
    level: result.level,
    input: frame.input,
    groupBy: frame.groupBy,
    dateBasis: frame.dateBasis,
    ...(frame.period ? { period: frame.period } : {}),
    minDocs: result.minDocs,
    replicates: frame.replicates,
    seed: frame.seed,
    lang: frame.lang,
    detectors: frame.detectors,
    mixture: frame.mixture ? { ...frame.mixture, skippedLanguage: result.mixtureSkippedLanguage } : null,
    groups,
    excluded: result.excluded,
    duplicates,
    ...(sampleRates.length > 0 ? { sampleRates } : {}),
    series: frame.groupBy === 'month' ? seriesOf(groups) : [],
    gptWords: result.excess,
    agreement: result.agreement,
    examples: frame.examples,
    domainCalibration: frame.domainCalibration ?? null,
    inDomain: result.inDomain ?? frame.inDomain ?? null,
    notes,
  };
}

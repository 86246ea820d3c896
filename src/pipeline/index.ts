/**
 * The pipeline's library API: what the CLI's `scan`, `sample` and `score` call, and what
 * ccaudit exports for programs.
 */
import { openStagePool, type StagePool, type StagePoolOptions } from './stage-pool.js';
import { runSample, type SampleRunOptions, type SampleSummary } from './sample.js';
import { runBaselineSample, type BaselineResult, type BaselineRunOptions } from './baseline-sample.js';

export { scan, scanFile, type ScanOptions, type ScanProgress, type ScanSummary } from './scan.js';
export { merge, type MergeOptions, type MergeSummary } from './merge.js';
export { shardSource, shardUnits } from './shard-units.js';
export { score, type ScoreOptions, type ScoreSummary } from './score.js';
export { ingest, ingestUnit, type IngestHooks, type IngestOptions, type IngestSummary, type UnitSummary, type StageTimes } from './ingest.js';
export { createStagePool, openStagePool, WorkerPoolError, type StagePool, type StagePoolOptions } from './stage-pool.js';
export { withRun, runWriter, type RunHandle, type RunOutcome, type StoreInput } from './run.js';
export type { RecordSource, SourceItem, SourceUnit } from '../core/record-source.js';
export type { SampleEvent, SampleStratum, SampleSummary, CrawlPlan } from './sample.js';
export type { BaselinePlan, BaselineResult } from './baseline-sample.js';

/** Where extraction and scoring run: a caller's pool, or one made from these settings. */
export interface StageSettings {
  /** Worker threads for the extract and score steps; 0 = inline. Default one per core. */
  threads?: number;
  /** Detectors to score with as records are stored ([] = every built-in); null/undefined = extract only. */
  detectors?: string[] | null;
  /** Detector plugin modules (paths or package names). */
  detectorModules?: string[];
  /** A pool made by the caller (then the settings above are ignored and it is left open). */
  pool?: StagePool;
}

export type SampleOptions = Omit<SampleRunOptions, 'pool'> & StageSettings;
export type BaselineSampleOptions = Omit<BaselineRunOptions, 'pool'> & StageSettings;

/** Runs `fn` with the caller's pool or one made from the settings (none for a dry run). */
async function withStagePool<T>(s: StageSettings, dryRun: boolean | undefined, fn: (pool: StagePool | undefined) => Promise<T>): Promise<T> {
  if (s.pool || dryRun) return fn(s.pool);
  const settings: StagePoolOptions = { threads: s.threads, detectors: s.detectors, detectorModules: s.detectorModules };
  const pool = await openStagePool(settings);
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}

/**
 * Draws a reproducible Common Crawl sample (zipnum or CDX API), stores it as pending rows,
 * then range-fetches, extracts, scores and stores every pending record. Re-running the same
 * options resumes and never fetches a record twice. `dryRun` draws (or loads) the sample and
 * stores nothing.
 */
export function sample(opts: SampleOptions): Promise<SampleSummary> {
  return withStagePool(opts, opts.dryRun || opts.planOnly, (pool) => runSample({ ...opts, pool }));
}

/**
 * Draws a pre-AI baseline sample: crawls ending before the cutoff, stratified by language
 * and TLD to match the audited documents (or hand-given weights), then fetches it like
 * `sample`. `dryRun` plans the allocation and draws nothing (`summary` null).
 */
export function sampleBaseline(opts: BaselineSampleOptions): Promise<BaselineResult> {
  return withStagePool(opts, opts.dryRun, (pool) => runBaselineSample({ ...opts, pool }));
}

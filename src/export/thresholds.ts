/**
 * Thresholds for `export --flag-at-fpr`: the score above which a document is flagged so that
 * about the given share of human documents would be. Calibrated on the audit's own baseline
 * (its documents dated before the cutoff, taken as human-written) when it has enough scored
 * documents, since that matches the corpus; otherwise the development calibration (labelled
 * corpora, data/calibration.json or `--calibration`) at exactly that FPR, labelled as such.
 */
import { findCalibration, readCalibrationFile } from '../detect/calibration.js';
import { DEFAULT_FILES } from '../detect/paths.js';
import { thresholdForFpr } from '../estimate/baseline/score-model.js';
import { baselineDocuments, DEFAULT_CUTOFF } from '../store/baseline-queries.js';
import type { Store } from '../store/index.js';
import type { DetectorColumn } from './documents.js';

export interface FlagThreshold extends DetectorColumn {
  threshold: number;
  fpr: number;
  /** `baseline`: the audit's pre-cutoff documents; `development`: labelled development corpora. */
  calibration: 'baseline' | 'development';
  /** Scored documents (baseline) or human texts (development) the threshold rests on. */
  n: number;
  /** Where it comes from, in words. */
  basis: string;
}

export interface ThresholdOptions {
  fpr: number;
  /** Baseline cutoff day (default ChatGPT's release) and which date decides. */
  cutoff?: string;
  baselineDate?: 'crawl' | 'publication';
  /** Fewest scored baseline documents to calibrate on; default 200. */
  minBaseline?: number;
  /** Development calibration file; default data/calibration.json. */
  calibrationFile?: string;
}

export class ThresholdError extends Error {}

export function flagThresholds(store: Store, detectors: readonly DetectorColumn[], o: ThresholdOptions): FlagThreshold[] {
  const cutoff = o.cutoff ?? DEFAULT_CUTOFF;
  const dateBasis = o.baselineDate ?? 'crawl';
  const minBaseline = o.minBaseline ?? 200;
  const scores = detectors.map(() => [] as number[]);
  for (const row of baselineDocuments(store, { detectors, cutoff, dateBasis })) {
    row.scores.forEach((s, i) => {
      if (s !== null && Number.isFinite(s)) scores[i]!.push(s);
    });
  }
  let file: ReturnType<typeof readCalibrationFile> | null = null;
  const calibrationPath = o.calibrationFile ?? DEFAULT_FILES.calibration();
  return detectors.map((d, i) => {
    const base = scores[i]!;
    if (base.length >= minBaseline) {
      const sorted = Float64Array.from(base).sort();
      return {
        ...d,
        threshold: thresholdForFpr(sorted, o.fpr),
        fpr: o.fpr,
        calibration: 'baseline',
        n: base.length,
        basis: `${base.length} baseline documents (${dateBasis} date before ${cutoff})`,
      };
    }
    file ??= readCalibrationFile(calibrationPath);
    const entry = findCalibration(file, d.detector, d.detectorVersion);
    if (!entry || entry.detectorVersion !== d.detectorVersion || Math.abs(entry.targetFpr - o.fpr) > 1e-12) {
      throw new ThresholdError(
        `${d.detector}: only ${base.length} scored baseline documents (need ${minBaseline}) and ${calibrationPath} has no ` +
          `calibration of version ${d.detectorVersion} at FPR ${o.fpr}${entry ? ` (it has version ${entry.detectorVersion} at FPR ${entry.targetFpr})` : ''}; ` +
          `run \`ccaudit calibrate --target-fpr ${o.fpr} --out FILE\` and pass --calibration FILE`,
      );
    }
    return {
      ...d,
      threshold: entry.threshold,
      fpr: entry.targetFpr,
      calibration: 'development',
      n: entry.nNeg,
      basis: `development calibration: ${entry.dataset}`,
    };
  });
}

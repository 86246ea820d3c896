/**
 * Detector calibrations: the operating threshold chosen on the calib split and the TPR/FPR
 * it achieves there (with Wilson 95 % intervals). Stored in data/calibration.json (shipped
 * with the default models) and, with --db, in the store's `calibrations` table, where the
 * prevalence estimators read them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { thresholdAtFpr, wilson, auroc } from './metrics.js';

export interface CalibrationEntry {
  detector: string;
  detectorVersion: string;
  threshold: number;
  /** FPR the threshold was chosen for. */
  targetFpr: number;
  tpr: number;
  tprLo: number;
  tprHi: number;
  fpr: number;
  fprLo: number;
  fprHi: number;
  nPos: number;
  nNeg: number;
  /** Fraction of calib documents the detector scored (others were unsupported). */
  coverage: number;
  auroc: number;
  /** Where the numbers come from, e.g. "labeled:calib split (4 files)". */
  dataset: string;
}

export interface CalibrationFile {
  format: 'ccaudit-calibration-v1';
  /** How thresholds were chosen. */
  method: string;
  entries: CalibrationEntry[];
}

/**
 * Chooses the threshold with FPR ≤ targetFpr on the negatives and reports TPR/FPR there.
 * Null scores are excluded (they are counted in coverage).
 */
export function calibrate(
  detector: string,
  detectorVersion: string,
  scores: ReadonlyArray<number | null>,
  labels: ReadonlyArray<0 | 1>,
  targetFpr: number,
  dataset: string,
): CalibrationEntry {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (s === null || !Number.isFinite(s)) continue;
    (labels[i] === 1 ? pos : neg).push(s);
  }
  let threshold = neg.length > 0 ? thresholdAtFpr(neg, targetFpr) : 0.5;
  if (!Number.isFinite(threshold)) threshold = threshold > 0 ? 1 : 0;
  const tp = pos.filter((s) => s >= threshold).length;
  const fp = neg.filter((s) => s >= threshold).length;
  const t = wilson(tp, pos.length);
  const f = wilson(fp, neg.length);
  return {
    detector,
    detectorVersion,
    threshold,
    targetFpr,
    tpr: t.value,
    tprLo: t.lo,
    tprHi: t.hi,
    fpr: f.value,
    fprLo: f.lo,
    fprHi: f.hi,
    nPos: pos.length,
    nNeg: neg.length,
    coverage: scores.length > 0 ? (pos.length + neg.length) / scores.length : 0,
    auroc: auroc(pos, neg),
    dataset,
  };
}

/** Reads a calibration file; a missing file yields an empty calibration. */
export function readCalibrationFile(path: string): CalibrationFile {
  if (!existsSync(path)) return { format: 'ccaudit-calibration-v1', method: 'none', entries: [] };
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as CalibrationFile;
  if (parsed.format !== 'ccaudit-calibration-v1' || !Array.isArray(parsed.entries)) {
    throw new Error(`${path} is not a ccaudit calibration file`);
  }
  return parsed;
}

/** The entry for a detector (exact version first, else the latest entry with that name). */
export function findCalibration(file: CalibrationFile, detector: string, version?: string): CalibrationEntry | null {
  const same = file.entries.filter((e) => e.detector === detector);
  if (version) {
    const exact = same.find((e) => e.detectorVersion === version);
    if (exact) return exact;
  }
  return same.length > 0 ? same[same.length - 1] : null;
}

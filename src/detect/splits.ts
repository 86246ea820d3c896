/**
 * The one definition of the labeled-data split used everywhere in ccaudit.
 *
 *   group  = first 40 characters of normalizeText(text)   (see groupKey)
 *   bucket = first 32 bits of SHA-256("ccaudit-split-v1|" + group) mod 100
 *   bucket  0–69 → 'train'    (model fitting)
 *   bucket 70–84 → 'calib'    (thresholds, calibration.json, score→probability maps)
 *   bucket 85–99 → 'heldout'  (NEVER used for training or calibration: in-distribution
 *                              evaluation and the known-answer mixtures of the estimators)
 *
 * Splitting by group rather than by row keeps fast-detect-gpt's AI continuations in the same
 * split as the human article whose opening words they share (PROVENANCE.md: "an AI text usually
 * starts with the same words as its human counterpart"), so no model is tested on openings it
 * saw in training. The split depends only on the text, so it is stable across files and
 * reorderings, and the same for every caller.
 */
import { createHash } from 'node:crypto';
import { normalizeText } from './text.js';

export type Split = 'train' | 'calib' | 'heldout';
export const SPLIT_SALT = 'ccaudit-split-v1';
export const GROUP_PREFIX_CHARS = 40;
export const SPLIT_PERCENT = { train: 70, calib: 15, heldout: 15 } as const;

/** The grouping key: texts sharing it always land in the same split. */
export function groupKey(text: string): string {
  return normalizeText(text).replace(/\s+/g, ' ').slice(0, GROUP_PREFIX_CHARS);
}

/** Bucket 0–99 of a group key. */
export function splitBucket(key: string): number {
  const digest = createHash('sha256').update(`${SPLIT_SALT}|${key}`).digest();
  return digest.readUInt32BE(0) % 100;
}

/** Which split a labeled text belongs to. */
export function splitOf(text: string): Split {
  const b = splitBucket(groupKey(text));
  if (b < SPLIT_PERCENT.train) return 'train';
  if (b < SPLIT_PERCENT.train + SPLIT_PERCENT.calib) return 'calib';
  return 'heldout';
}

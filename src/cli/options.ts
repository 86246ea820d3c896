import { InvalidArgumentError } from 'commander';

/** commander argument parser for positive integers ("--batch 500"). */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

/** commander argument parser for non-negative integers. */
export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected an integer ≥ 0, got "${value}"`);
  return n;
}

/** Default database path, overridable by CCAUDIT_DB. */
export const DEFAULT_DB = process.env.CCAUDIT_DB ?? 'ccaudit.db';

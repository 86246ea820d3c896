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

/** commander collector for repeatable flags ("--detector a --detector b"). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Like collect, but each value may itself be a comma-separated list ("--tld com,org"). */
export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

/** Repeatable positive-integer flag. */
export function collectInt(value: string, previous: number[] = []): number[] {
  return [...previous, positiveInt(value)];
}

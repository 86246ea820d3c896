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

/** commander collector for repeatable options ("--detector a --detector b"). */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** commander argument parser for integers ≥ min. */
export function intAtLeast(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}, got "${value}"`);
    return n;
  };
}

/** commander argument parser for numbers strictly between 0 and 1. */
export function openFraction(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !(x > 0 && x < 1)) throw new InvalidArgumentError(`expected a number between 0 and 1, got "${value}"`);
  return x;
}

/** commander argument parser for a fraction in (0, 1] ("--sample-rate 0.01"; 1 = everything). */
export function fractionUpToOne(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !(x > 0 && x <= 1)) throw new InvalidArgumentError(`expected a number greater than 0 and at most 1, got "${value}"`);
  return x;
}

/** commander argument parser for a month "YYYY-MM". */
export function month(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new InvalidArgumentError(`expected a month YYYY-MM, got "${value}"`);
  return value;
}

/** commander argument parser for a day "YYYY-MM-DD". */
export function isoDay(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new InvalidArgumentError(`expected a date YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

/** Like collect, but each value may itself be a comma-separated list ("--tld com,org"). */
export function collectList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

/** Repeatable positive-integer flag. */
export function collectInt(value: string, previous: number[] = []): number[] {
  return [...previous, positiveInt(value)];
}

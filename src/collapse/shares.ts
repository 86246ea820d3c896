/**
 * The AI-share series that `ccaudit report --format json` emits and
 * `ccaudit collapse --shares` reads, as JSON or CSV: one point per period, a calendar month
 * ("2024-03"), a quarter ("2024-Q1"), a year ("2024") or a span of years ("2013–2020"), as the
 * report's `--period` grouped them; a trend places each at its documents' mean month (`at`)
 * when the report gives it, else at its middle month.
 *
 * JSON:
 * ```json
 * { "level": 0.95,
 *   "series": [ { "period": "2024-03", "share": 0.12, "lo": 0.08, "hi": 0.16, "n": 240, "method": "corrected" } ] }
 * ```
 * Other top-level fields are allowed and ignored. CSV: a header row naming the
 * columns period,share,lo,hi,n,method (any order; extra columns ignored; optional at and
 * through: where a longer period's documents are, see SharePoint), one row per period and method.
 */
import { readFile } from 'node:fs/promises';
import { monthIndex, PERIOD, periodMiddle, periodSpan } from '../core/months.js';
import { HEADLINE_METHOD, type SharePoint } from '../estimate/model.js';

/** The document `ccaudit report --format json` writes (the fields collapse reads). */
export interface ShareSeries {
  /** Confidence level of [lo, hi]; 0.95 when absent. */
  level?: number;
  series: SharePoint[];
}

/** A validated series for one method, in time order, its periods disjoint. */
export interface ShareInput {
  level: number;
  method: string;
  points: SharePoint[];
  /** Where it came from, for reports. */
  source: string;
}

export class ShareInputError extends Error {}

/** "months" when every point is a calendar month, else "periods" (for the texts that count them). */
export function periodsNoun(points: readonly SharePoint[]): string {
  return points.every((p) => PERIOD.test(p.period)) ? 'months' : 'periods';
}

/** Reads and validates a share series from a .json or .csv file. */
export async function readShareFile(path: string, method?: string): Promise<ShareInput> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ShareInputError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const looksJson = /\.json$/i.test(path) || (!/\.csv$/i.test(path) && text.trimStart().startsWith('{'));
  const parsed = looksJson ? parseShareJson(text, path) : parseShareCsv(text, path);
  return selectMethod(parsed, path, method);
}

/** Parses the JSON form; throws ShareInputError naming the file and the bad entry. */
export function parseShareJson(text: string, source = 'input'): ShareSeries {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ShareInputError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as ShareSeries).series)) {
    throw new ShareInputError(`${source}: expected an object with a "series" array`);
  }
  const { series, level } = doc as { series: unknown[]; level?: unknown };
  if (level !== undefined && !(typeof level === 'number' && level > 0 && level < 1)) {
    throw new ShareInputError(`${source}: "level" must be a number in (0, 1)`);
  }
  const points = series.map((row, i) => {
    if (typeof row !== 'object' || row === null) throw new ShareInputError(`${source}: series[${i}] is not an object`);
    return validatePoint(row as Record<string, unknown>, `${source}: series[${i}]`);
  });
  return { level: level as number | undefined, series: points };
}

const CSV_COLUMNS = ['period', 'share', 'lo', 'hi', 'n', 'method'] as const;
/** Where a period longer than a month has its documents (see SharePoint). */
const OPTIONAL_CSV_COLUMNS = ['at', 'through'] as const;

/** The month index a trend places a point at: its documents' mean month, else its middle. */
export function pointMonth(p: SharePoint): number {
  return p.at ? monthIndex(p.at) : periodMiddle(p.period)!;
}

/** The last month a point measures: its documents' last month, else its period's. */
export function pointLastMonth(p: SharePoint): number {
  return p.through ? monthIndex(p.through) : periodSpan(p.period)!.last;
}

/** Parses the CSV form (simple CSV: optional double quotes, no embedded newlines). */
export function parseShareCsv(text: string, source = 'input'): ShareSeries {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new ShareInputError(`${source}: empty file`);
  const header = splitCsvLine(lines[0]).map((h) => h.trim().toLowerCase());
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new ShareInputError(`${source}: CSV header lacks column(s) ${missing.join(', ')} (need ${CSV_COLUMNS.join(',')})`);
  }
  const points = lines.slice(1).map((line, i) => {
    const cells = splitCsvLine(line);
    const row: Record<string, unknown> = {};
    for (const col of CSV_COLUMNS) {
      const cell = (cells[header.indexOf(col)] ?? '').trim();
      row[col] = col === 'period' || col === 'method' ? cell : cell === '' ? undefined : Number(cell);
    }
    for (const col of OPTIONAL_CSV_COLUMNS) if (header.includes(col)) row[col] = (cells[header.indexOf(col)] ?? '').trim();
    return validatePoint(row, `${source}: line ${i + 2}`);
  });
  return { series: points };
}

function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

function validatePoint(row: Record<string, unknown>, where: string): SharePoint {
  const { period, share, lo, hi, n, method } = row;
  if (typeof period !== 'string' || periodSpan(period) === null) {
    throw new ShareInputError(
      `${where}: "period" must be a month "YYYY-MM", a quarter "YYYY-Qn", a year "YYYY" or years "YYYY–YYYY", got ${JSON.stringify(period)}`,
    );
  }
  for (const [name, v] of [
    ['share', share],
    ['lo', lo],
    ['hi', hi],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
      throw new ShareInputError(`${where}: "${name}" must be a number in [0, 1], got ${JSON.stringify(v)}`);
    }
  }
  if (!((lo as number) <= (share as number) && (share as number) <= (hi as number))) {
    throw new ShareInputError(`${where}: need lo ≤ share ≤ hi, got ${lo} / ${share} / ${hi}`);
  }
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    throw new ShareInputError(`${where}: "n" must be a positive integer, got ${JSON.stringify(n)}`);
  }
  if (typeof method !== 'string' || method === '') {
    throw new ShareInputError(`${where}: "method" must be a non-empty string`);
  }
  const span = periodSpan(period)!;
  const placement: Pick<SharePoint, 'at' | 'through'> = {};
  for (const name of ['at', 'through'] as const) {
    const v = row[name];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string' || !PERIOD.test(v) || monthIndex(v) < span.first || monthIndex(v) > span.last) {
      throw new ShareInputError(`${where}: "${name}" must be a month "YYYY-MM" within ${period}, got ${JSON.stringify(v)}`);
    }
    placement[name] = v;
  }
  return { period, share: share as number, lo: lo as number, hi: hi as number, n, method, ...placement };
}

/** Keeps one method's rows, sorted by month; rejects ambiguous or duplicate input. */
export function selectMethod(doc: ShareSeries, source: string, method?: string): ShareInput {
  const methods = [...new Set(doc.series.map((p) => p.method))];
  if (methods.length === 0) throw new ShareInputError(`${source}: the series is empty`);
  let chosen = method;
  if (chosen === undefined) {
    // A report's series leads with its headline rows: the estimate to project from.
    if (methods.includes(HEADLINE_METHOD)) chosen = HEADLINE_METHOD;
    else if (methods.length > 1) {
      throw new ShareInputError(`${source}: holds several methods (${methods.join(', ')}); pick one with --method`);
    } else chosen = methods[0];
  } else if (!methods.includes(chosen)) {
    throw new ShareInputError(`${source}: no rows for method "${chosen}" (has ${methods.join(', ')})`);
  }
  const first = (p: SharePoint) => periodSpan(p.period)!.first;
  const points = doc.series.filter((p) => p.method === chosen).sort((a, b) => first(a) - first(b));
  let lastSoFar = -Infinity;
  points.forEach((p, i) => {
    if (i > 0 && p.period === points[i - 1].period) {
      throw new ShareInputError(`${source}: period ${p.period} appears twice for method "${chosen}"`);
    }
    if (first(p) <= lastSoFar) {
      throw new ShareInputError(`${source}: periods ${points[i - 1].period} and ${p.period} overlap for method "${chosen}"`);
    }
    lastSoFar = Math.max(lastSoFar, periodSpan(p.period)!.last);
  });
  return { level: doc.level ?? 0.95, method: chosen, points, source };
}

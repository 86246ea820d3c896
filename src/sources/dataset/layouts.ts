/**
 * Which columns of a dataset shard hold the text, id, URL and date. The known layouts are
 * recognised from the column names alone, so the common corpora need no mapping flags:
 *
 * - FineWeb (Parquet): `text, id, dump, url, date, file_path, language, language_score, token_count`
 * - Dolma (JSONL.gz): `id, text, source, added, created, metadata` (URL in `metadata.url` when present)
 * - C4 (JSONL): `text, timestamp, url` (no id: rows are named `<file>:<row>`)
 * - plain: `{id, text, url?, date?}`
 *
 * Field names may be dotted paths into nested objects (`metadata.url`).
 */

export type LayoutName = 'fineweb' | 'dolma' | 'c4' | 'plain' | 'custom';

export interface FieldMap {
  text: string;
  id: string | null;
  url: string | null;
  /** The row's date (crawl or creation time). */
  date: string | null;
  /** A Common Crawl crawl id (`CC-MAIN-2024-10`), the period when the row has no date. */
  dump: string | null;
}

export interface Layout {
  name: LayoutName;
  fields: FieldMap;
}

/** Flags that name fields for layouts the detection does not know (each overrides one field). */
export interface FieldOverrides {
  textField?: string;
  idField?: string;
  urlField?: string;
  dateField?: string;
}

export class LayoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LayoutError';
  }
}

const has = (cols: ReadonlySet<string>, ...names: string[]) => names.every((n) => cols.has(n));
const maybe = (cols: ReadonlySet<string>, name: string) => (cols.has(name) ? name : null);

/** The layout a set of top-level column names matches, before overrides; null when none does. */
export function recogniseLayout(columns: Iterable<string>): Layout | null {
  const cols = new Set(columns);
  if (!cols.has('text')) return null;
  if (has(cols, 'id', 'dump', 'url', 'date')) {
    return { name: 'fineweb', fields: { text: 'text', id: 'id', url: 'url', date: 'date', dump: 'dump' } };
  }
  if (has(cols, 'id', 'source') && (cols.has('created') || cols.has('added'))) {
    const url = cols.has('url') ? 'url' : cols.has('metadata') ? 'metadata.url' : null;
    return { name: 'dolma', fields: { text: 'text', id: 'id', url, date: cols.has('created') ? 'created' : 'added', dump: null } };
  }
  if (has(cols, 'timestamp', 'url') && !cols.has('id')) {
    return { name: 'c4', fields: { text: 'text', id: null, url: 'url', date: 'timestamp', dump: null } };
  }
  return {
    name: 'plain',
    fields: { text: 'text', id: maybe(cols, 'id'), url: maybe(cols, 'url'), date: maybe(cols, 'date'), dump: maybe(cols, 'dump') },
  };
}

/**
 * The layout of a shard: the recognised one with the overrides applied. Throws a LayoutError
 * naming the columns when there is no text column and no `--text-field`.
 */
export function resolveLayout(columns: readonly string[], overrides: FieldOverrides = {}, where = 'input'): Layout {
  const known = recogniseLayout(columns);
  const any = overrides.textField || overrides.idField || overrides.urlField || overrides.dateField;
  if (!known && !overrides.textField) {
    throw new LayoutError(`${where}: no "text" column (columns: ${columns.join(', ') || 'none'}); name it with --text-field`);
  }
  const base: FieldMap = known?.fields ?? { text: overrides.textField!, id: null, url: null, date: null, dump: null };
  const fields: FieldMap = {
    text: overrides.textField ?? base.text,
    id: overrides.idField ?? base.id,
    url: overrides.urlField ?? base.url,
    date: overrides.dateField ?? base.date,
    dump: base.dump,
  };
  return { name: any ? 'custom' : known!.name, fields };
}

/** Top-level columns a layout reads (what a columnar reader must fetch). */
export function layoutColumns(layout: Layout): string[] {
  const f = layout.fields;
  const top = [f.text, f.id, f.url, f.date, f.dump].filter((c): c is string => c !== null).map((c) => c.split('.')[0]!);
  return [...new Set(top)];
}

/** A possibly dotted field of a row; undefined when any step is missing. */
export function fieldValue(row: Record<string, unknown>, path: string): unknown {
  if (!path.includes('.')) return row[path];
  let v: unknown = row;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

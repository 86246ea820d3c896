import type { Migration } from './types.js';

/**
 * Dataset shards. `documents.input_id` keeps the id a dataset row carries (FineWeb's and
 * Dolma's `id`; `<file>:<row>` for layouts without one) so per-document results can be
 * exported keyed by the input's own ids; NULL for documents read from WARC files (their id
 * is `records.record_id`). `runs.sample_rate` is the fraction of rows a scan kept
 * (`--sample-rate`; NULL = every row), which reports state.
 */
export const migration007Datasets: Migration = {
  version: 7,
  name: 'datasets',
  sql: `
ALTER TABLE documents ADD COLUMN input_id TEXT;
CREATE INDEX documents_input_id ON documents (input_id) WHERE input_id IS NOT NULL;
ALTER TABLE runs ADD COLUMN sample_rate REAL CHECK (sample_rate IS NULL OR (sample_rate > 0 AND sample_rate <= 1));
`,
};

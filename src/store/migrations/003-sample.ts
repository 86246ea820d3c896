import type { Migration } from './types.js';

/**
 * Common Crawl samples (`ccaudit sample`).
 *
 * `sample` holds the drawn index lines before anything is fetched, one row per capture, with a
 * fetch state. UNIQUE (filename, offset) makes "never fetch or store a record twice" a property
 * of the table: a line drawn again (another seed, a re-run) is the same row.
 * `sample_draws` marks a crawl's sample as completely drawn and stored, so a resumed run
 * does not draw (and query the index) again.
 */
export const migration003Sample: Migration = {
  version: 3,
  name: 'sample',
  sql: `
CREATE TABLE sample (
  id            INTEGER PRIMARY KEY,
  crawl         TEXT    NOT NULL,
  sample_key    TEXT    NOT NULL,
  draw_index    INTEGER NOT NULL CHECK (draw_index >= 0),
  urlkey        TEXT    NOT NULL,
  timestamp     TEXT    NOT NULL,
  url           TEXT    NOT NULL,
  filename      TEXT    NOT NULL,
  offset        INTEGER NOT NULL CHECK (offset >= 0),
  length        INTEGER NOT NULL CHECK (length > 0),
  mime          TEXT,
  mime_detected TEXT,
  status        INTEGER,
  digest        TEXT,
  languages     TEXT,
  charset       TEXT,
  state         TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'fetched', 'failed')),
  attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error    TEXT,
  fetched_at    TEXT,
  run_id        INTEGER REFERENCES runs(id),
  created_at    TEXT    NOT NULL,
  UNIQUE (filename, offset)
);
CREATE INDEX sample_by_key_state ON sample (sample_key, state, draw_index);
CREATE INDEX sample_by_crawl ON sample (crawl, state);

CREATE TABLE sample_draws (
  crawl          TEXT    NOT NULL,
  sample_key     TEXT    NOT NULL,
  settings       TEXT    NOT NULL CHECK (json_valid(settings)),
  wanted         INTEGER NOT NULL CHECK (wanted >= 0),
  drawn          INTEGER NOT NULL CHECK (drawn >= 0),
  index_requests INTEGER,
  run_id         INTEGER REFERENCES runs(id),
  created_at     TEXT    NOT NULL,
  PRIMARY KEY (crawl, sample_key)
);
`,
};

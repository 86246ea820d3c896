import type { Migration } from './types.js';

/**
 * Core tables: runs, sources, records, documents, errors.
 * Only values the store owns get CHECK constraints (status, kind, offset_kind);
 * values owned by other stages (date_source, charset_source, lang) are stored as given,
 * so a new extractor value never needs a table rebuild.
 */
export const migration001Core: Migration = {
  version: 1,
  name: 'core',
  sql: `
CREATE TABLE runs (
  id                INTEGER PRIMARY KEY,
  command           TEXT    NOT NULL,
  args              TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(args)),
  started_at        TEXT    NOT NULL,
  finished_at       TEXT,
  status            TEXT    NOT NULL DEFAULT 'running'
                    CHECK (status IN ('running', 'completed', 'interrupted', 'failed')),
  pid               INTEGER,
  hostname          TEXT,
  records_added     INTEGER NOT NULL DEFAULT 0,
  documents_added   INTEGER NOT NULL DEFAULT 0,
  errors_added      INTEGER NOT NULL DEFAULT 0,
  sources_completed INTEGER NOT NULL DEFAULT 0,
  summary           TEXT CHECK (summary IS NULL OR json_valid(summary))
);

CREATE TABLE sources (
  id            INTEGER PRIMARY KEY,
  path          TEXT    NOT NULL UNIQUE,
  kind          TEXT    NOT NULL CHECK (kind IN ('file', 'url')),
  size          INTEGER,
  mtime_ms      INTEGER,
  first_run_id  INTEGER REFERENCES runs(id),
  created_at    TEXT    NOT NULL,
  completed_at  TEXT,
  resume_offset INTEGER NOT NULL DEFAULT 0 CHECK (resume_offset >= 0),
  records       INTEGER NOT NULL DEFAULT 0,
  documents     INTEGER NOT NULL DEFAULT 0,
  errors        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE records (
  id             INTEGER PRIMARY KEY,
  source_id      INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  offset         INTEGER NOT NULL CHECK (offset >= 0),
  length         INTEGER NOT NULL CHECK (length >= 0),
  offset_kind    TEXT    NOT NULL CHECK (offset_kind IN ('file', 'uncompressed')),
  warc_version   TEXT,
  warc_type      TEXT,
  target_uri     TEXT,
  warc_date      TEXT,
  warc_date_raw  TEXT,
  record_id      TEXT,
  http_status    INTEGER,
  content_type   TEXT,
  payload_length INTEGER,
  truncated      INTEGER NOT NULL DEFAULT 0 CHECK (truncated IN (0, 1)),
  notes          TEXT CHECK (notes IS NULL OR json_valid(notes)),
  run_id         INTEGER REFERENCES runs(id),
  UNIQUE (source_id, offset)
);

CREATE TABLE documents (
  id             INTEGER PRIMARY KEY,
  record_pk      INTEGER NOT NULL UNIQUE REFERENCES records(id) ON DELETE CASCADE,
  url            TEXT,
  host           TEXT,
  domain         TEXT,
  tld            TEXT,
  title          TEXT,
  text           TEXT    NOT NULL,
  date           TEXT,
  date_source    TEXT,
  lang           TEXT    NOT NULL,
  words          INTEGER NOT NULL CHECK (words >= 0),
  charset        TEXT,
  charset_source TEXT,
  crawl_date     TEXT,
  pub_month      TEXT CHECK (pub_month IS NULL OR pub_month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  crawl_month    TEXT CHECK (crawl_month IS NULL OR crawl_month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]')
);

CREATE TABLE errors (
  id          INTEGER PRIMARY KEY,
  run_id      INTEGER REFERENCES runs(id),
  source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  offset      INTEGER,
  offset_kind TEXT CHECK (offset_kind IS NULL OR offset_kind IN ('file', 'uncompressed')),
  code        TEXT    NOT NULL,
  message     TEXT    NOT NULL,
  created_at  TEXT    NOT NULL
);

-- Idempotency key for errors: one row per (source, offset, code); a NULL offset
-- (error about the whole source) counts as one position.
CREATE UNIQUE INDEX errors_identity ON errors (source_id, ifnull(offset, -1), code);
CREATE INDEX errors_by_run ON errors (run_id);

-- Report groupings.
CREATE INDEX documents_by_crawl_month ON documents (crawl_month);
CREATE INDEX documents_by_pub_month   ON documents (pub_month);
CREATE INDEX documents_by_lang        ON documents (lang);
CREATE INDEX documents_by_host        ON documents (host);
CREATE INDEX documents_by_domain      ON documents (domain);
CREATE INDEX records_by_run           ON records (run_id);
`,
};

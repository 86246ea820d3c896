import type { Migration } from './types.js';

/**
 * Reference texts for domain-matched calibration.
 *
 * `reference_texts` holds labelled texts that are NOT crawl documents: AI references written by
 * an LLM for a baseline page (`ccaudit synthesize`, origin 'synthesize'), labelled JSONL imported
 * by the user (origin 'import', either label), or a human-only control corpus (origin 'control').
 * `set_name` groups one batch (one synthesize run / one imported file); (set_name, external_id)
 * is the idempotency key, so re-running an import or a synthesis adds nothing.
 * `document_id` points at the baseline page an AI reference imitates (NULL for imports).
 * The stratum fields (lang, tld, words, genre) are those of the imitated page when there is one,
 * so an AI reference lands in the same stratum as its human counterpart.
 *
 * `reference_scores` mirrors `scores` for reference texts, so detectors score them the same way.
 */
export const migration004References: Migration = {
  version: 4,
  name: 'references',
  sql: `
CREATE TABLE reference_texts (
  id                INTEGER PRIMARY KEY,
  set_name          TEXT    NOT NULL,
  external_id       TEXT    NOT NULL,
  label             TEXT    NOT NULL CHECK (label IN ('human', 'ai')),
  origin            TEXT    NOT NULL CHECK (origin IN ('synthesize', 'import', 'control')),
  document_id       INTEGER REFERENCES documents(id) ON DELETE SET NULL,
  generator         TEXT,
  prompt            TEXT,
  title             TEXT,
  text              TEXT    NOT NULL,
  lang              TEXT,
  tld               TEXT,
  domain            TEXT,
  genre             TEXT,
  words             INTEGER NOT NULL CHECK (words >= 0),
  prompt_tokens     INTEGER,
  completion_tokens INTEGER,
  details           TEXT CHECK (details IS NULL OR json_valid(details)),
  run_id            INTEGER REFERENCES runs(id),
  created_at        TEXT    NOT NULL,
  UNIQUE (set_name, external_id)
);
CREATE INDEX reference_texts_label ON reference_texts (label, lang);
CREATE INDEX reference_texts_document ON reference_texts (document_id);

CREATE TABLE reference_scores (
  reference_id     INTEGER NOT NULL REFERENCES reference_texts(id) ON DELETE CASCADE,
  detector         TEXT    NOT NULL,
  detector_version TEXT    NOT NULL,
  score            REAL,
  raw              REAL,
  created_at       TEXT    NOT NULL,
  PRIMARY KEY (reference_id, detector, detector_version)
);
`,
};

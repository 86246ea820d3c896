import type { Migration } from './types.js';

/**
 * Detector outputs kept apart from documents (like dolma's attributes), so a new
 * detector or version re-scores a stored corpus without refetching.
 */
export const migration002Scores: Migration = {
  version: 2,
  name: 'scores',
  sql: `
CREATE TABLE scores (
  document_id      INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  detector         TEXT    NOT NULL,
  detector_version TEXT    NOT NULL,
  score            REAL,
  raw              REAL,
  details          TEXT CHECK (details IS NULL OR json_valid(details)),
  created_at       TEXT    NOT NULL,
  PRIMARY KEY (document_id, detector, detector_version)
) WITHOUT ROWID;

-- Per-detector aggregation (reports join scores of one detector to documents).
CREATE INDEX scores_by_detector ON scores (detector, detector_version, document_id);

CREATE TABLE calibrations (
  detector         TEXT    NOT NULL,
  detector_version TEXT    NOT NULL,
  threshold        REAL    NOT NULL,
  tpr              REAL    NOT NULL,
  tpr_lo           REAL,
  tpr_hi           REAL,
  fpr              REAL    NOT NULL,
  fpr_lo           REAL,
  fpr_hi           REAL,
  n_pos            INTEGER NOT NULL CHECK (n_pos >= 0),
  n_neg            INTEGER NOT NULL CHECK (n_neg >= 0),
  dataset          TEXT    NOT NULL,
  created_at       TEXT    NOT NULL,
  PRIMARY KEY (detector, detector_version)
) WITHOUT ROWID;
`,
};

import type { Migration } from './types.js';

/**
 * Trained in-domain models. A report that trains the discriminator of an audit (its baseline
 * pages against its AI references) stores the model here, keyed by a fingerprint of
 * everything it was trained on (texts, months, generators, settings, seed), so the next report
 * over the same data loads it instead of training again. `payload` is the model's binary form
 * (src/estimate/indomain/model-bytes.ts): weights, held-out fold scores, topic centroids, the
 * self-check's result.
 */
export const migration006InDomainModels: Migration = {
  version: 6,
  name: 'indomain-models',
  sql: `
CREATE TABLE indomain_models (
  fingerprint TEXT PRIMARY KEY,
  format INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  n_human INTEGER NOT NULL,
  n_ai INTEGER NOT NULL,
  payload BLOB NOT NULL
);
`,
};

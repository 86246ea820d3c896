/**
 * How `ccaudit merge` folds one store into another, table by table. Every table of the schema
 * needs a rule here (tests/store/merge-rules.test.ts fails otherwise, and merge refuses a
 * store with a table it has no rule for): a new migration that adds a table adds its rule.
 * New columns of existing tables need nothing: merge copies every column the tables share.
 */

export interface MergeRule {
  readonly table: string;
  /**
   * The natural key: the columns that name the same row in two stores. Id columns in `refs`
   * are compared after translation to the output's ids.
   */
  readonly key: readonly string[];
  /** Columns holding another table's `id` → that table (it must come earlier in MERGE_RULES). */
  readonly refs?: Readonly<Record<string, string>>;
  /** The table has `id INTEGER PRIMARY KEY`: rows get new ids in the output, mapped for `refs`. */
  readonly hasId: boolean;
  /**
   * Columns that must agree when the key is already in the output; a difference is a
   * conflict and the merge is refused (REAL columns agree within 1e-9).
   */
  readonly same?: readonly string[];
  /**
   * For a key already in the output: an UPDATE's SET clause and WHERE condition over the
   * output row (`m`) and the incoming row (`s`, id columns already translated), for state that
   * advances (a sample row fetched in another shard). Without it the output row is kept.
   */
  readonly advance?: { readonly set: string; readonly when: string };
}

/** Fetch states in the order they advance. */
const SAMPLE_STATE_RANK = (alias: string) => `(CASE ${alias}.state WHEN 'fetched' THEN 2 WHEN 'failed' THEN 1 ELSE 0 END)`;

/** In dependency order: a table's `refs` point only at tables before it. */
export const MERGE_RULES: readonly MergeRule[] = [
  {
    table: 'runs',
    // No two invocations share a start time, process and host.
    key: ['command', 'started_at', 'pid', 'hostname'],
    hasId: true,
    advance: {
      // A run merged while it was still going: take its final state.
      set: `status = s.status, finished_at = s.finished_at, summary = s.summary, records_added = s.records_added,
            documents_added = s.documents_added, errors_added = s.errors_added, sources_completed = s.sources_completed`,
      when: `m.status = 'running' AND s.status != 'running'`,
    },
  },
  {
    table: 'sources',
    key: ['path'],
    refs: { first_run_id: 'runs' },
    hasId: true,
    same: ['kind', 'size', 'mtime_ms'],
    // The row counters are recounted after each merge (a URL source may hold records of several shards).
    advance: {
      set: `resume_offset = max(m.resume_offset, s.resume_offset), completed_at = coalesce(m.completed_at, s.completed_at)`,
      when: `s.resume_offset > m.resume_offset OR (m.completed_at IS NULL AND s.completed_at IS NOT NULL)`,
    },
  },
  {
    table: 'records',
    key: ['source_id', 'offset'],
    refs: { source_id: 'sources', run_id: 'runs' },
    hasId: true,
    same: ['length', 'offset_kind', 'warc_type', 'target_uri', 'record_id', 'payload_length'],
  },
  {
    table: 'documents',
    key: ['record_pk'],
    refs: { record_pk: 'records' },
    hasId: true,
    same: ['text', 'lang', 'words', 'date', 'title'],
  },
  {
    table: 'errors',
    key: ['source_id', 'offset', 'code'],
    refs: { source_id: 'sources', run_id: 'runs' },
    hasId: true,
  },
  {
    table: 'scores',
    key: ['document_id', 'detector', 'detector_version'],
    refs: { document_id: 'documents' },
    hasId: false,
    same: ['score'],
  },
  {
    table: 'calibrations',
    key: ['detector', 'detector_version'],
    hasId: false,
    same: ['threshold', 'tpr', 'fpr'],
  },
  {
    table: 'sample',
    key: ['filename', 'offset'],
    refs: { run_id: 'runs' },
    hasId: true,
    same: ['length', 'url', 'timestamp'],
    // Each shard fetches its own rows of one plan: the most advanced state wins.
    advance: {
      set: `state = s.state, attempts = s.attempts, last_error = s.last_error, fetched_at = s.fetched_at, run_id = s.run_id`,
      when: `${SAMPLE_STATE_RANK('s')} > ${SAMPLE_STATE_RANK('m')}`,
    },
  },
  {
    table: 'sample_draws',
    key: ['crawl', 'sample_key'],
    refs: { run_id: 'runs' },
    hasId: false,
    same: ['wanted', 'drawn'],
  },
  {
    table: 'reference_texts',
    key: ['set_name', 'external_id'],
    refs: { document_id: 'documents', run_id: 'runs' },
    hasId: true,
    same: ['label', 'text'],
  },
  {
    table: 'reference_scores',
    key: ['reference_id', 'detector', 'detector_version'],
    refs: { reference_id: 'reference_texts' },
    hasId: false,
    same: ['score'],
  },
  {
    // A trained in-domain model: the fingerprint names its whole training data, so one with
    // the same fingerprint is the same model; the output's copy is kept.
    table: 'indomain_models',
    key: ['fingerprint'],
    hasId: false,
    same: ['format', 'n_human', 'n_ai'],
  },
];

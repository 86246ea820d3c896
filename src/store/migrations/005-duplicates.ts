import type { Migration } from './types.js';

/**
 * Exact duplicates. A record repeated in the crawl (the same WARC-Record-ID read twice, or the
 * same payload fetched again within one crawl month) is stored as its own record and document
 * (the file's content and the resume offsets stay complete), but reports leave every copy after
 * the first out of the shares. `payload_digest` (SHA-1 of the decoded payload, hex) is what
 * "the same payload" compares; documents stored before this migration have none, so for them
 * only the record id finds duplicates. The indexes make the "is there an earlier copy?" test a
 * lookup.
 */
export const migration005Duplicates: Migration = {
  version: 5,
  name: 'duplicates',
  sql: `
ALTER TABLE documents ADD COLUMN payload_digest TEXT;
CREATE INDEX documents_payload ON documents (payload_digest, crawl_month) WHERE payload_digest IS NOT NULL;
CREATE INDEX records_record_id ON records (record_id) WHERE record_id IS NOT NULL;
`,
};

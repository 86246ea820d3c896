import { describe, expect, it } from 'vitest';
import { StoreError, listSources, markAbandonedRuns, getRun, openStore, type Store, StoreWriter, totals } from '../../src/store/index.js';
import { useTempDir } from './helpers.js';
import { syntheticDocument, syntheticOffsets, syntheticReadError, syntheticRecord } from './fixtures/synthetic.js';

const tempPath = useTempDir();
const SOURCE = '/data/CC-MAIN-synthetic-00000.warc.gz';

/** Writes records 0..n-1 of the synthetic layout (every 10th without a document). */
function writeAll(store: Store, n: number, batchSize = 50): number {
  const writer = new StoreWriter(store, { batchSize });
  const runId = writer.beginRun('scan', ['synthetic']);
  const { sourceId } = writer.beginSource(SOURCE, { size: 1_000_000, mtimeMs: 1_700_000_000_000 });
  syntheticOffsets(n).forEach((offset, i) => {
    writer.add(sourceId, syntheticRecord(SOURCE, i, offset), i % 10 === 9 ? null : syntheticDocument(i, 800));
    writer.checkpoint(sourceId, offset + syntheticRecord(SOURCE, i, offset).length);
  });
  writer.completeSource(sourceId);
  writer.finishRun(runId, 'completed', { n });
  return runId;
}

function count(store: Store, table: string): number {
  return (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe('StoreWriter', () => {
  it('stores records and documents with derived columns', () => {
    const store = openStore(tempPath('a.db'));
    writeAll(store, 30);
    expect(totals(store)).toMatchObject({ records: 30, documents: 27, sources: 1, sourcesComplete: 1 });
    const doc = store.db
      .prepare(
        `SELECT d.*, r.offset, r.warc_type, r.http_status, r.truncated, r.notes, r.payload_length, r.run_id
         FROM documents d JOIN records r ON r.id = d.record_pk WHERE r.offset = 0`,
      )
      .get() as Record<string, unknown>;
    expect(doc).toMatchObject({
      url: 'https://www.site0.example.org/articles/0.html',
      host: 'www.site0.example.org',
      domain: 'site0.example.org',
      tld: 'org',
      crawl_date: '2019-03-01T12:00:00Z',
      crawl_month: '2019-03',
      pub_month: null,
      date_source: null,
      lang: 'deu',
      warc_type: 'response',
      http_status: 200,
      truncated: 1,
      notes: '["synthetic note"]',
      run_id: 1,
    });
    expect(doc.payload_length).toBeGreaterThan(0);
    const withDate = store.db.prepare(`SELECT date, pub_month FROM documents WHERE date IS NOT NULL LIMIT 1`).get();
    expect(withDate).toEqual({ date: '2023-06-10', pub_month: '2023-06' });
    store.close();
  });

  it('re-running the same scan adds nothing (counts unchanged)', () => {
    const path = tempPath('idem.db');
    const store = openStore(path);
    writeAll(store, 120);
    const before = totals(store);
    const sourceBefore = listSources(store)[0];
    store.close();

    const again = openStore(path);
    // Same records again, source forced from offset 0 by a fresh writer ignoring completion.
    const writer = new StoreWriter(again, { batchSize: 7 });
    const runId = writer.beginRun('scan', ['again']);
    const { sourceId, alreadyComplete } = writer.beginSource(SOURCE, { size: 1_000_000, mtimeMs: 1_700_000_000_000 });
    expect(alreadyComplete).toBe(true);
    syntheticOffsets(120).forEach((offset, i) => {
      writer.add(sourceId, syntheticRecord(SOURCE, i, offset), i % 10 === 9 ? null : syntheticDocument(i, 800));
      writer.addError(syntheticReadError(SOURCE, offset, 'dup-check'));
      writer.addError(syntheticReadError(SOURCE, offset, 'dup-check'));
    });
    writer.finishRun(runId, 'completed');
    expect(writer.stats).toMatchObject({ recordsAdded: 0, documentsAdded: 0, errorsAdded: 120 });
    const after = totals(again);
    expect({ ...after, runs: 0, errors: 0 }).toEqual({ ...before, runs: 0, errors: 0 });
    expect(after.errors).toBe(before.errors + 120);
    expect(listSources(again)[0]).toMatchObject({ records: sourceBefore.records, documents: sourceBefore.documents, errors: 120 });
    expect(getRun(again, runId)).toMatchObject({ recordsAdded: 0, documentsAdded: 0, errorsAdded: 120, status: 'completed' });
    again.close();
  });

  it('attaches a document to a record stored earlier without one', () => {
    const store = openStore(tempPath('late-doc.db'));
    const writer = new StoreWriter(store);
    const record = syntheticRecord(SOURCE, 3, 1000);
    writer.add(record, null);
    writer.flush();
    writer.add(record, syntheticDocument(3, 300));
    writer.add(record, syntheticDocument(3, 300));
    writer.flush();
    expect(totals(store)).toMatchObject({ records: 1, documents: 1 });
    expect(listSources(store)[0]).toMatchObject({ records: 1, documents: 1 });
    store.close();
  });

  it('de-duplicates errors by (source, offset, code), including whole-source errors', () => {
    const store = openStore(tempPath('errors.db'));
    const writer = new StoreWriter(store, { batchSize: 3 });
    writer.beginRun('scan');
    const { sourceId } = writer.beginSource(SOURCE);
    writer.addError(syntheticReadError(SOURCE, 10, 'truncated-gzip'));
    writer.addError(sourceId, syntheticReadError(SOURCE, 10, 'truncated-gzip'));
    writer.addError({ sourceId, offset: 10, code: 'truncated-gzip', message: 'again' });
    writer.addError({ sourceId, offset: 10, code: 'bad-header', message: 'other code, same offset' });
    writer.addError({ sourceId, offset: 20, code: 'truncated-gzip', message: 'other offset' });
    writer.addFileError('/data/unreadable.warc.gz', 'EACCES: permission denied');
    writer.addFileError('/data/unreadable.warc.gz', 'EACCES: permission denied');
    writer.flush();
    expect(count(store, 'errors')).toBe(4);
    const rows = store.db.prepare(`SELECT source_id, offset, code, message FROM errors ORDER BY id`).all();
    expect(rows).toEqual([
      { source_id: 1, offset: 10, code: 'truncated-gzip', message: 'synthetic truncated-gzip at 10' },
      { source_id: 1, offset: 10, code: 'bad-header', message: 'other code, same offset' },
      { source_id: 1, offset: 20, code: 'truncated-gzip', message: 'other offset' },
      { source_id: 2, offset: null, code: 'source-unreadable', message: 'EACCES: permission denied' },
    ]);
    store.close();
  });

  it('commits the checkpoint in the same transaction as the rows before it', () => {
    const path = tempPath('ckpt.db');
    const store = openStore(path);
    const writer = new StoreWriter(store, { batchSize: 10, maxBatchAgeMs: 3_600_000 });
    const { sourceId } = writer.beginSource(SOURCE);
    const offsets = syntheticOffsets(25);
    const reader = openStore(path); // a second connection sees only committed state
    const committed = () =>
      reader.db
        .prepare(`SELECT (SELECT resume_offset FROM sources) AS resume, (SELECT count(*) FROM records) AS records,
                  (SELECT max(offset + length) FROM records) AS end`)
        .get() as { resume: number; records: number; end: number | null };
    offsets.forEach((offset, i) => {
      const rec = syntheticRecord(SOURCE, i, offset);
      writer.add(sourceId, rec, null);
      writer.checkpoint(sourceId, offset + rec.length);
      const c = committed();
      // Whatever is committed, the resume offset is exactly the end of the committed records.
      expect(c.resume).toBe(c.end ?? 0);
      expect(c.records).toBe(i + 1 >= 20 ? 20 : i + 1 >= 10 ? 10 : 0);
    });
    writer.flush();
    expect(committed()).toEqual({
      resume: offsets[24] + syntheticRecord(SOURCE, 24, 0).length,
      records: 25,
      end: offsets[24] + syntheticRecord(SOURCE, 24, 0).length,
    });
    reader.close();
    store.close();
  });

  it('bounds the buffer even when the caller never checkpoints', () => {
    const store = openStore(tempPath('nockpt.db'));
    const writer = new StoreWriter(store, { batchSize: 5 });
    syntheticOffsets(23).forEach((offset, i) => writer.add(syntheticRecord(SOURCE, i, offset), null));
    expect(writer.stats.pendingRows).toBeLessThan(10);
    expect(count(store, 'records')).toBe(20);
    store.close();
  });

  it('resumes from the committed offset and reports completion', () => {
    const path = tempPath('resume.db');
    const store = openStore(path);
    const w1 = new StoreWriter(store, { batchSize: 4 });
    const s1 = w1.beginSource(SOURCE, { size: 10, mtimeMs: 5 });
    expect(s1).toEqual({ sourceId: 1, resumeOffset: 0, alreadyComplete: false });
    const offsets = syntheticOffsets(10);
    offsets.slice(0, 6).forEach((offset, i) => {
      w1.add(1, syntheticRecord(SOURCE, i, offset), null);
      w1.checkpoint(1, offsets[i + 1]);
    });
    // 6 records handed, batch of 4 committed; 2 are lost with the "crash" (no flush).
    const w2 = new StoreWriter(store, { batchSize: 4 });
    expect(w2.beginSource(SOURCE, { size: 10, mtimeMs: 5 })).toEqual({ sourceId: 1, resumeOffset: offsets[4], alreadyComplete: false });
    w2.completeSource(1);
    expect(new StoreWriter(store).beginSource(SOURCE, { size: 10, mtimeMs: 5 }).alreadyComplete).toBe(true);
    store.close();
  });

  it('refuses a changed source by default and rescans it on request', () => {
    const store = openStore(tempPath('changed.db'));
    const w = new StoreWriter(store);
    w.beginRun('scan');
    const { sourceId } = w.beginSource(SOURCE, { size: 100, mtimeMs: 1000 });
    w.add(sourceId, syntheticRecord(SOURCE, 0, 0), syntheticDocument(0, 100));
    w.addError({ sourceId, offset: 5, code: 'junk', message: 'x' });
    w.checkpoint(sourceId, 50);
    w.completeSource(sourceId);

    let caught: unknown;
    try {
      new StoreWriter(store).beginSource(SOURCE, { size: 200, mtimeMs: 1000 });
    } catch (err) {
      caught = err;
    }
    expect((caught as StoreError).code).toBe('source-changed');
    expect((caught as StoreError).message).toMatch(/changed since it was stored \(size 100 → 200\)/);

    const again = new StoreWriter(store, { onSourceChange: 'rescan' }).beginSource(SOURCE, { size: 200, mtimeMs: 1000 });
    expect(again).toEqual({ sourceId, resumeOffset: 0, alreadyComplete: false });
    expect(totals(store)).toMatchObject({ records: 0, documents: 0, errors: 0 });
    expect(listSources(store)[0]).toMatchObject({ size: 200, records: 0, errors: 0, completedAt: null });
    store.close();
  });

  it('rejects malformed input with a clear error and keeps the buffer usable', () => {
    const store = openStore(tempPath('bad.db'));
    const w = new StoreWriter(store);
    const good = syntheticRecord(SOURCE, 1, 0);
    expect(() => w.add(7, good, null)).toThrow(/unknown source id 7; call beginSource\(\) first/);
    expect(() => w.checkpoint(7, 10)).toThrow(/unknown source id 7/);
    expect(w.beginSource(SOURCE).sourceId).toBe(1);
    expect(() => w.add({ ...good, offset: -1 }, null)).toThrow(/record offset must be a non-negative integer, got -1/);
    expect(() => w.add({ ...good, offset: 1.5 }, null)).toThrow(StoreError);
    expect(() => w.add({ ...good, offsetKind: 'gzip' as never }, null)).toThrow(/offsetKind/);
    expect(() => w.add(good, { ...syntheticDocument(1, 10), words: -3 })).toThrow(/words/);
    expect(() => w.checkpoint(1, Number.NaN)).toThrow(/checkpoint offset/);
    expect(() => w.addError({ sourceId: 1, offset: 0, code: '', message: 'x' })).toThrow(/error code/);
    expect(() => w.finishRun(1, 'running' as never)).toThrow(/run status/);
    w.add(good, null);
    w.flush();
    expect(totals(store).records).toBe(1);
    expect(() => w.finishRun(42, 'completed')).toThrow(/no run with id 42/);
    store.close();
  });

  it('flushes at every checkpoint when maxBatchAgeMs is 0', () => {
    const store = openStore(tempPath('age.db'));
    const w = new StoreWriter(store, { batchSize: 1000, maxBatchAgeMs: 0 });
    const { sourceId } = w.beginSource(SOURCE);
    syntheticOffsets(5).forEach((offset, i) => {
      w.add(sourceId, syntheticRecord(SOURCE, i, offset), null);
      w.checkpoint(sourceId, offset + 1);
      expect(count(store, 'records')).toBe(i + 1);
    });
    expect(w.stats.flushes).toBe(5);
    store.close();
  });

  it('runs atNextFlush actions in the same transaction as the rows', () => {
    const store = openStore(tempPath('actions.db'));
    const w = new StoreWriter(store, { batchSize: 100 });
    const runId = w.beginRun('sample');
    const { sourceId } = w.beginSource('https://data.commoncrawl.org/crawl-data/synthetic.warc.gz');
    const mark = (note: string) => () => {
      store.db.prepare(`UPDATE runs SET summary = json(?) WHERE id = ?`).run(JSON.stringify({ note }), runId);
    };
    w.add(sourceId, syntheticRecord('x', 0, 0), null);
    w.atNextFlush(mark('first batch'));
    w.flush();
    expect(getRun(store, runId)?.summary).toEqual({ note: 'first batch' });

    w.add(sourceId, syntheticRecord('x', 1, 5000), null);
    w.atNextFlush(() => {
      throw new Error('sample table said no');
    });
    expect(() => w.flush()).toThrow('sample table said no');
    // Rolled back: the record of the failed batch is not stored and is still buffered.
    expect(count(store, 'records')).toBe(1);
    expect(w.stats.pendingRows).toBe(1);
    store.close();
  });

  it('keeps source and run counters equal to the real row counts', () => {
    const store = openStore(tempPath('counters.db'));
    const runId = writeAll(store, 77, 9);
    const src = listSources(store)[0];
    expect(src).toMatchObject({ records: count(store, 'records'), documents: count(store, 'documents') });
    expect(getRun(store, runId)).toMatchObject({
      status: 'completed',
      recordsAdded: 77,
      documentsAdded: count(store, 'documents'),
      sourcesCompleted: 1,
      args: ['synthetic'],
      summary: { n: 77 },
    });
    store.close();
  });

  it('marks runs of dead processes as interrupted', () => {
    const store = openStore(tempPath('abandoned.db'));
    const live = new StoreWriter(store).beginRun('scan');
    const dead = new StoreWriter(store).beginRun('scan');
    // A pid that cannot exist on Linux (above pid_max's hard ceiling of 2^22).
    store.db.prepare(`UPDATE runs SET pid = 99999999 WHERE id = ?`).run(dead);
    expect(markAbandonedRuns(store)).toEqual([dead]);
    expect(getRun(store, dead)?.status).toBe('interrupted');
    expect(getRun(store, live)?.status).toBe('running');
    store.close();
  });
});

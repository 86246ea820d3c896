/**
 * JSON Lines shards (`.jsonl`, `.json`, `.ndjson`, gzip- or zstd-compressed), streamed line by
 * line with bounded memory. Every line counts as a row (blank lines are skipped but keep their
 * index), so row numbers are stable whatever row reading starts at.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Decompress as ZstdStream } from 'fzstd';

export type JsonlCompression = 'none' | 'gzip' | 'zstd';

export type JsonlRow = { row: number; value: unknown } | { row: number; error: { code: string; message: string } };

/** A line longer than this is a bad row, not a reason to hold gigabytes. */
export const MAX_LINE_CHARS = 64 * 1024 * 1024;

async function* zstdChunks(source: AsyncIterable<Buffer>): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  const stream = new ZstdStream((chunk) => {
    out.push(chunk);
  });
  for await (const chunk of source) {
    stream.push(chunk);
    yield* out.splice(0);
  }
  stream.push(new Uint8Array(0), true);
  yield* out.splice(0);
}

function byteChunks(path: string, compression: JsonlCompression): AsyncIterable<Uint8Array> {
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  if (compression === 'gzip') return file.pipe(createGunzip());
  if (compression === 'zstd') return zstdChunks(file);
  return file;
}

/** The lines of a JSONL file from row `startRow`, parsed; read errors end the file with an error row. */
export async function* readJsonlRows(path: string, compression: JsonlCompression, startRow = 0): AsyncGenerator<JsonlRow> {
  const decoder = new TextDecoder('utf-8');
  let row = 0;
  let pending = '';
  let oversized = false;
  const line = function* (text: string): Generator<JsonlRow> {
    const r = row++;
    if (r < startRow) return;
    if (oversized) {
      oversized = false;
      yield { row: r, error: { code: 'bad-row', message: `row ${r}: line longer than ${MAX_LINE_CHARS} characters` } };
      return;
    }
    if (text.trim() === '') return;
    try {
      yield { row: r, value: JSON.parse(text) };
    } catch (err) {
      yield { row: r, error: { code: 'bad-json', message: `row ${r}: invalid JSON (${(err as Error).message})` } };
    }
  };
  try {
    for await (const chunk of byteChunks(path, compression)) {
      pending += decoder.decode(chunk, { stream: true });
      let start = 0;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', start)) {
        yield* line(pending.slice(start, nl));
        start = nl + 1;
      }
      pending = pending.slice(start);
      if (pending.length > MAX_LINE_CHARS) {
        oversized = true;
        pending = '';
      }
    }
    pending += decoder.decode();
    if (pending !== '' || oversized) yield* line(pending);
  } catch (err) {
    // A truncated or corrupt compressed stream: what was read stands, the rest is one error.
    const code = compression === 'none' ? 'read-failed' : 'truncated-file';
    yield { row, error: { code, message: `row ${row}: cannot read on (${(err as Error).message})` } };
  }
}

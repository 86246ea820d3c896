/**
 * What kind of input a local file is: a WARC/WET file, a Parquet shard or a JSON Lines shard
 * (plain, gzip or zstd). Decided from the bytes (Parquet's `PAR1`, compression magic, then
 * whether the text opens with `{`), with the name only breaking a tie, so misnamed files work.
 */
import { open } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';
import { Decompress as ZstdStream } from 'fzstd';
import type { JsonlCompression } from './jsonl.js';

export type InputKind = { kind: 'warc' } | { kind: 'parquet' } | { kind: 'jsonl'; compression: JsonlCompression };

/**
 * File names a directory walk takes as dataset shards. Plain `.json`/`.ndjson` files are left
 * out: beside a crawl they are indexes and metadata far more often than shards (name them
 * explicitly to scan them).
 */
export const DATASET_NAME = /\.(parquet|pq)$|\.jsonl(\.(gz|zst|zstd))?$|\.(json|ndjson)\.(gz|zst|zstd)$/i;

const HEAD_BYTES = 64 * 1024;

function opensJson(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
    // A UTF-8 BOM before the first object is tolerated.
    if (b === 0xef || b === 0xbb || b === 0xbf) continue;
    return b === 0x7b; // '{'
  }
  return false;
}

function zstdHead(bytes: Uint8Array): Uint8Array {
  const out: Uint8Array[] = [];
  try {
    new ZstdStream((c) => out.push(c)).push(bytes);
  } catch {
    // A frame cut short by the head limit: whatever came out is enough to look at.
  }
  return out[0] ?? new Uint8Array(0);
}

export async function sniffInput(path: string): Promise<InputKind> {
  const handle = await open(path, 'r');
  let head: Uint8Array;
  try {
    const buf = new Uint8Array(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31) return { kind: 'parquet' };
  if (head[0] === 0x1f && head[1] === 0x8b) {
    let inner: Uint8Array = new Uint8Array(0);
    try {
      inner = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      // Not decodable here: the WARC reader reports it with its offset.
    }
    return opensJson(inner.subarray(0, 4096)) ? { kind: 'jsonl', compression: 'gzip' } : { kind: 'warc' };
  }
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) {
    return opensJson(zstdHead(head).subarray(0, 4096)) ? { kind: 'jsonl', compression: 'zstd' } : { kind: 'warc' };
  }
  if (opensJson(head.subarray(0, 4096))) return { kind: 'jsonl', compression: 'none' };
  // A truncated Parquet file still starts with PAR1; an empty file named like a shard is a shard.
  if (head.length === 0 && DATASET_NAME.test(path))
    return /\.(parquet|pq)$/i.test(path) ? { kind: 'parquet' } : { kind: 'jsonl', compression: 'none' };
  return { kind: 'warc' };
}

/**
 * Parquet shards through hyparquet (a maintained pure-JS reader: no native build, reads the
 * codecs datasets use — snappy, gzip, zstd, brotli, lz4 — via hyparquet-compressors, and reads
 * a file one row group at a time through an AsyncBuffer, so a 1 GB shard is never loaded
 * whole; memory is bounded by one row group's needed columns).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

/** Reads byte ranges of an open file on demand. */
export function fileHandleBuffer(handle: FileHandle, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = Math.min(end ?? size, size);
      const out = new ArrayBuffer(Math.max(0, stop - start));
      const view = new Uint8Array(out);
      let done = 0;
      while (done < view.length) {
        const { bytesRead } = await handle.read(view, done, view.length - done, start + done);
        if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${start + done}`);
        done += bytesRead;
      }
      return out;
    },
  };
}

export interface ParquetShard {
  metadata: FileMetaData;
  /** Top-level column names. */
  columns: string[];
  rows: number;
  /** First row of each row group, and the total at the end. */
  groupStarts: number[];
  /** Compressed bytes of the named columns in row group `g`. */
  groupBytes(g: number, columns: readonly string[]): number;
  /** The rows [start, end) of the named columns, as objects. */
  read(columns: string[], start: number, end: number): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

/** Opens a Parquet file and reads its footer; throws when the footer is missing or corrupt (a truncated file). */
export async function openParquet(path: string): Promise<ParquetShard> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const file = fileHandleBuffer(handle, size);
    const metadata = await parquetMetadataAsync(file);
    const columns = parquetSchema(metadata).children.map((c) => c.element.name);
    const groupStarts = [0];
    for (const g of metadata.row_groups) groupStarts.push(groupStarts[groupStarts.length - 1]! + Number(g.num_rows));
    return {
      metadata,
      columns,
      rows: Number(metadata.num_rows),
      groupStarts,
      groupBytes: (g, cols) =>
        metadata.row_groups[g]!.columns.filter((c) => cols.includes(c.meta_data?.path_in_schema[0] ?? '')).reduce(
          (sum, c) => sum + Number(c.meta_data?.total_compressed_size ?? 0),
          0,
        ),
      read: (cols, start, end) =>
        parquetReadObjects({ file, metadata, columns: cols, rowStart: start, rowEnd: end, compressors, useOffsetIndex: true }) as Promise<
          Array<Record<string, unknown>>
        >,
      close: () => handle.close(),
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

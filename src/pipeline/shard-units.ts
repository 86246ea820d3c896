/**
 * Shard selection over any record source's units: the units are ordered by their stored
 * source (or label), weighed by their size in bytes, and cut into contiguous blocks of about
 * equal bytes. The same inputs give the same shards whatever order they were named in.
 */
import type { RecordSource, SourceUnit } from '../core/record-source.js';
import { contiguousShare, type Shard } from '../core/shard.js';

const unitKey = (unit: SourceUnit) => unit.source ?? unit.label;

/** This shard's units of `units`, in their stable order. Units without `stat` weigh one byte. */
export async function shardUnits<U extends SourceUnit>(units: Iterable<U> | AsyncIterable<U>, shard: Shard): Promise<U[]> {
  const all: Array<{ unit: U; size: number }> = [];
  for await (const unit of units) all.push({ unit, size: unit.stat ? (await unit.stat()).size : 1 });
  all.sort((a, b) => {
    const ka = unitKey(a.unit);
    const kb = unitKey(b.unit);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  return contiguousShare(all, (u) => u.size, shard).map((u) => u.unit);
}

/** `source` restricted to one shard of its units (the whole source when `shard` is null). */
export function shardSource<U extends SourceUnit>(source: RecordSource<U>, shard: Shard | null | undefined): RecordSource<U> {
  if (!shard || shard.count === 1) return source;
  return {
    units: () => ({
      async *[Symbol.asyncIterator]() {
        yield* await shardUnits(source.units(), shard);
      },
    }),
    open: (unit, resumeOffset) => source.open(unit, resumeOffset),
  };
}

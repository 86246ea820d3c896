/**
 * Keeps the main thread's heap small while worker threads do the heavy work. The main thread
 * of a worker-pool scan holds little live data (about 30 MB: the writer's batch, the module
 * graph) but V8 lets an uncapped heap grow to several times its live data before it collects,
 * so over a 1 GB scan its committed heap drifted to 170 MB, mostly stored results already
 * written. A heap limit cannot be set once the process runs, so a full collection is asked
 * for whenever the used heap passes a bound; with this little live data one takes tens of
 * milliseconds every few seconds (measured: 52 over a 5-minute scan).
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Used-heap bound of the main thread in MB: about twice its live data in a pool scan. */
export const MAIN_HEAP_BOUND_MB = 64;

let collect: (() => void) | null | undefined;

/** V8's `gc()`, made reachable at run time (the flag only shows it to contexts made after it). */
function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  } catch {
    collect = null;
  }
  return collect;
}

/** Used heap just after the last collection asked for here, in bytes. */
let liveAfterCollection = 0;

/**
 * Runs a full collection when the used heap is past `boundMb`, or past twice what survived the
 * last one when that is more: a program that embeds the library and holds much live data of
 * its own is not collected after every range. Otherwise does nothing, so it is cheap to call
 * after every unit of work. Returns whether it collected.
 */
export function boundMainHeap(boundMb = MAIN_HEAP_BOUND_MB): boolean {
  const threshold = Math.max(boundMb * 1024 * 1024, 2 * liveAfterCollection);
  if (getHeapStatistics().used_heap_size < threshold) return false;
  const gc = collector();
  if (!gc) return false;
  gc();
  liveAfterCollection = getHeapStatistics().used_heap_size;
  return true;
}

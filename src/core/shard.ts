/**
 * Deterministic shards: which part of a job one task of an array job (Slurm, Kubernetes
 * Indexed Job, AWS Batch) does. A shard is a contiguous block of the job's units in a stable
 * order (files by path, sample rows and documents by id), so shard databases merged in shard
 * order hold their rows in the order one process would have written them.
 */

/** Task `index` (0-based) of `count` tasks. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export class ShardSpecError extends Error {
  override name = 'ShardSpecError';
}

/** Array-job variables of the engines ccaudit runs on, first match wins. */
const ENGINES: ReadonlyArray<{ name: string; index: string; count: readonly string[]; base?: string }> = [
  // Slurm numbers tasks from --array's first value (0-3, or 1-4): the index is relative to it.
  { name: 'Slurm', index: 'SLURM_ARRAY_TASK_ID', count: ['SLURM_ARRAY_TASK_COUNT'], base: 'SLURM_ARRAY_TASK_MIN' },
  // Kubernetes sets only the index; the manifest passes spec.completions as the count.
  { name: 'Kubernetes', index: 'JOB_COMPLETION_INDEX', count: ['CCAUDIT_SHARD_COUNT', 'JOB_COMPLETIONS'] },
  { name: 'AWS Batch', index: 'AWS_BATCH_JOB_ARRAY_INDEX', count: ['AWS_BATCH_JOB_ARRAY_SIZE', 'CCAUDIT_SHARD_COUNT'] },
  { name: 'ccaudit', index: 'CCAUDIT_SHARD_INDEX', count: ['CCAUDIT_SHARD_COUNT'] },
];

function wholeNumber(text: string | undefined): number | null {
  if (text === undefined || !/^\s*\d+\s*$/.test(text)) return null;
  return Number(text);
}

function checked(index: number, count: number, what: string): Shard {
  if (!(count >= 1)) throw new ShardSpecError(`${what}: the shard count must be at least 1, got ${count}`);
  if (!(index >= 0 && index < count)) throw new ShardSpecError(`${what}: shard index ${index} is outside 0..${count - 1}`);
  return { index, count };
}

/** The shard named by an array engine's environment variables, or null when none is set. */
export function shardFromEnv(env: Readonly<Record<string, string | undefined>>): Shard | null {
  for (const engine of ENGINES) {
    const raw = env[engine.index];
    if (raw === undefined || raw === '') continue;
    const id = wholeNumber(raw);
    if (id === null) throw new ShardSpecError(`--shard auto: ${engine.index}=${raw} is not a whole number`);
    const countVar = engine.count.find((v) => env[v] !== undefined && env[v] !== '');
    if (!countVar) {
      throw new ShardSpecError(`--shard auto: ${engine.name} sets ${engine.index} but not the task count (set ${engine.count.join(' or ')})`);
    }
    const count = wholeNumber(env[countVar]);
    if (count === null) throw new ShardSpecError(`--shard auto: ${countVar}=${env[countVar]} is not a whole number`);
    const base = engine.base ? (wholeNumber(env[engine.base]) ?? 0) : 0;
    return checked(id - base, count, `--shard auto (${engine.index}=${raw}, ${countVar}=${env[countVar]})`);
  }
  return null;
}

/**
 * Parses `--shard`: "i/N" (0 ≤ i < N) or "auto" (the array engine's variables; see
 * shardFromEnv). Throws ShardSpecError with a one-line message.
 */
export function parseShard(text: string, env: Readonly<Record<string, string | undefined>> = process.env): Shard {
  const spec = text.trim();
  if (spec === 'auto') {
    const shard = shardFromEnv(env);
    if (!shard) {
      throw new ShardSpecError(
        '--shard auto: no array-job index in the environment (SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX or CCAUDIT_SHARD_INDEX)',
      );
    }
    return shard;
  }
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  if (!m) throw new ShardSpecError(`--shard: expected i/N (e.g. 0/4) or auto, got "${text}"`);
  return checked(Number(m[1]), Number(m[2]), `--shard ${spec}`);
}

/** "i/N", as printed and stored in run arguments. */
export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/**
 * Splits items (already in their stable order) into `count` contiguous blocks of about equal
 * weight, and returns block `index`. An item belongs to the block its weight's midpoint falls
 * in, so every item is in exactly one block whatever the weights, and the blocks in order are
 * the items in order.
 */
export function contiguousShare<T>(items: readonly T[], weight: (item: T) => number, shard: Shard): T[] {
  const weights = items.map((item) => Math.max(0, weight(item)));
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) return items.filter((_, i) => Math.min(shard.count - 1, Math.floor((i * shard.count) / items.length)) === shard.index);
  const out: T[] = [];
  let before = 0;
  items.forEach((item, i) => {
    const mid = before + weights[i] / 2;
    before += weights[i];
    if (Math.min(shard.count - 1, Math.floor((mid * shard.count) / total)) === shard.index) out.push(item);
  });
  return out;
}

/** Bounds [start, end) of block `index` when `n` ordered items are cut into `count` equal blocks. */
export function blockBounds(n: number, shard: Shard): { start: number; end: number } {
  return { start: Math.floor((shard.index * n) / shard.count), end: Math.floor(((shard.index + 1) * n) / shard.count) };
}

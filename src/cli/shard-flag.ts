/** The `--shard i/N|auto` flag shared by `scan`, `sample` and `score --db`. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseShard, ShardSpecError, type Shard } from '../core/shard.js';

/** commander parser: "i/N" or "auto" (read from the array engine's environment variables). */
export function shardArg(value: string): Shard {
  try {
    return parseShard(value);
  } catch (err) {
    if (err instanceof ShardSpecError) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

/** `--shard`; `what` names what is split ("the files …"). */
export function shardOption(what: string): Option {
  return new Option(
    '--shard <i/N|auto>',
    `do only part i of N of ${what} (0 ≤ i < N); "auto" reads SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, ` +
      'JOB_COMPLETION_INDEX/CCAUDIT_SHARD_COUNT (Kubernetes) or AWS_BATCH_JOB_ARRAY_INDEX/AWS_BATCH_JOB_ARRAY_SIZE',
  ).argParser(shardArg);
}

export function addShardFlag(cmd: Command, what: string): Command {
  return cmd.addOption(shardOption(what));
}

import cliProgress from 'cli-progress';

/** A byte-based progress bar on stderr, drawn only when stderr is a terminal. */
export interface ByteProgress {
  add(delta: number): void;
  setStatus(text: string): void;
  stop(): void;
}

export function byteProgress(totalBytes: number, label: string): ByteProgress {
  if (!process.stderr.isTTY || process.env.CI) {
    return { add() {}, setStatus() {}, stop() {} };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} {bar} {percentage}% | {value_mb}/{total_mb} MB | {status}`,
      hideCursor: true,
      clearOnComplete: false,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const mb = (n: number) => (n / 1e6).toFixed(1);
  let done = 0;
  let status = '';
  bar.start(Math.max(totalBytes, 1), 0, { value_mb: mb(0), total_mb: mb(totalBytes), status });
  return {
    add(delta) {
      done += delta;
      bar.update(done, { value_mb: mb(done), total_mb: mb(totalBytes), status });
    },
    setStatus(text) {
      status = text;
    },
    stop() {
      bar.stop();
    },
  };
}

/** A count-based progress bar ("12/100 pages") on stderr, drawn only when stderr is a terminal. */
export interface CountProgress {
  /** `n` more items done. */
  add(n?: number): void;
  setStatus(text: string): void;
  stop(): void;
}

export function countProgress(total: number, label: string, unit = 'items'): CountProgress {
  if (!process.stderr.isTTY || process.env.CI || total <= 0) {
    return { add() {}, setStatus() {}, stop() {} };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} {bar} {value}/{total} ${unit} | {status}`,
      hideCursor: true,
      clearOnComplete: false,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let done = 0;
  let status = '';
  bar.start(total, 0, { status });
  return {
    add(n = 1) {
      done += n;
      bar.update(done, { status });
    },
    setStatus(text) {
      status = text;
      bar.update(done, { status });
    },
    stop() {
      bar.stop();
    },
  };
}

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

/**
 * A status that changes while nothing finishes (retries, back-off): on a terminal a live line
 * (cli-progress, redrawn every second so a back-off counts down), otherwise a plain line every
 * `intervalMs` when the status changed, so logs of a throttled run show it is alive.
 */
export interface LiveStatus {
  /** The status changed: redraw now (terminal), or print now if nothing has been printed yet. */
  refresh(): void;
  /** A line of its own above the status. */
  log(message: string): void;
  stop(): void;
}

export function liveStatus(label: string, render: () => string, opts: { tty?: boolean; intervalMs?: number } = {}): LiveStatus {
  const tty = opts.tty ?? (!!process.stderr.isTTY && !process.env.CI);
  if (tty) {
    const bar = new cliProgress.SingleBar({ stream: process.stderr, format: `${label}: {status}`, hideCursor: true, fps: 5 });
    let running = false;
    const draw = () => {
      if (!running) {
        bar.start(1, 0, { status: render() });
        running = true;
      } else bar.update(0, { status: render() });
    };
    const timer = setInterval(() => running && draw(), 1000);
    timer.unref();
    return {
      refresh: draw,
      log(message) {
        if (running) bar.stop();
        process.stderr.write(`${label}: ${message}\n`);
        if (running) {
          running = false;
          draw();
        }
      },
      stop() {
        clearInterval(timer);
        if (running) bar.stop();
        running = false;
      },
    };
  }
  let printed: string | null = null;
  let quietTicks = 0;
  const print = () => {
    const text = render();
    // Unchanged text is repeated now and then, so a long back-off still shows a sign of life.
    if (text === printed && ++quietTicks < 6) return;
    quietTicks = 0;
    printed = text;
    process.stderr.write(`${label}: ${text}\n`);
  };
  const timer = setInterval(print, opts.intervalMs ?? 5000);
  timer.unref();
  return {
    refresh() {
      if (printed === null) print();
    },
    log(message) {
      process.stderr.write(`${label}: ${message}\n`);
    },
    stop() {
      clearInterval(timer);
    },
  };
}

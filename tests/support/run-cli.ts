import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = path.join(ROOT, 'tests/support/ccaudit-cli.ts');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface ProcessOptions {
  /** Written to the child's stdin, which is then closed (closed at once when absent). */
  input?: string | Buffer;
  cwd?: string;
  /** The child's whole environment (not merged with this process's). */
  env?: NodeJS.ProcessEnv;
  /** Kills the child with `killSignal` after this long; the result then has `timedOut`. */
  timeoutMs?: number;
  killSignal?: NodeJS.Signals;
  uid?: number;
  gid?: number;
}

export interface ProcessResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Starts a child process and collects its output. The test process never blocks on it: a
 * synchronous spawn stalls vitest's worker, which then misses its own RPC deadlines under load
 * and fails the run although every test passed.
 */
export function startProcess(command: string, args: string[], opts: ProcessOptions = {}): { child: ChildProcess; done: Promise<ProcessResult> } {
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env,
    uid: opts.uid,
    gid: opts.gid,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const done = new Promise<ProcessResult>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill(opts.killSignal ?? 'SIGTERM');
          }, opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, timedOut });
    });
  });
  // A child that exits without reading its input must not fail the run with EPIPE.
  child.stdin!.on('error', () => {});
  child.stdin!.end(opts.input);
  return { child, done };
}

/** Runs a child process to its end (see startProcess). */
export function runProcess(command: string, args: string[], opts: ProcessOptions = {}): Promise<ProcessResult> {
  return startProcess(command, args, opts).done;
}

/** Runs `ccaudit <args>` in a child process (real argv parsing, real exit code). */
export async function runCli(args: string[], opts: { input?: string | Buffer; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const r = await runProcess(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input,
    env: { ...process.env, ...opts.env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `ccaudit <args>` without waiting (for kill-and-resume tests). */
export function startCli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

export const SHARED = path.resolve(ROOT, '../shared');
export const WARC_DIR = path.join(SHARED, 'corpora/warc');
export { ROOT };

/**
 * Runs one docker build per image, at most `concurrency` at a time, each in its own process group
 * so that an interrupt can stop the client and whatever it started. Reports each job's start,
 * output lines and end as events; never throws for a failed build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

export interface BuildJob {
  literal: string;
  args: string[];
  /** Where the build writes its image ID; a job without one is done when the client exits 0. */
  iidFile?: string;
}

export interface JobResult {
  state: 'done' | 'failed' | 'cancelled';
  imageId?: string;
  seconds: number;
  exitCode?: number;
  /** Everything the client printed (stdout and stderr as they arrived), the oldest part cut past a limit. */
  log: string;
  /** Why the job failed when the build itself did not say (cannot start the client, no image ID). */
  reason?: string;
}

export type JobEvent =
  | { kind: 'start'; index: number }
  | { kind: 'output'; index: number; line: string }
  | { kind: 'end'; index: number; result: JobResult };

interface RunnerOptions {
  command: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  concurrency: number;
  /** Aborting stops every running build (SIGINT to its group, SIGKILL after the grace time) and starts no more. */
  signal?: AbortSignal;
  onEvent: (event: JobEvent) => void;
  killGraceMs?: number;
  /** A failed job for which this answers true is run once more (its first failure is forgotten). */
  retry?: (index: number, result: JobResult) => boolean;
}

/**
 * BuildKit's words when it gave up on a frontend whose container did not start in time (a daemon
 * under heavy load): the build itself is sound, and run again it usually starts.
 */
const FRONTEND_DROPPED = 'frontend grpc server closed unexpectedly';

/** Whether a failed build ended because BuildKit dropped its frontend (its last error says so). */
function frontendDropped(result: JobResult): boolean {
  if (result.state !== 'failed') return false;
  const last = result.log.split('\n').reverse().find((l) => /\berror\b|ERROR|failed to solve/.test(l));
  return last?.includes(FRONTEND_DROPPED) ?? false;
}

/** `retry` for `modus build`: a build whose frontend BuildKit dropped is run once more, with a note. */
export function retryDroppedFrontend(literalOf: (index: number) => string, note: (text: string) => void): (index: number, result: JobResult) => boolean {
  return (index, result) => {
    if (!frontendDropped(result)) return false;
    note(`modus build: ${literalOf(index)}: BuildKit dropped the frontend (${FRONTEND_DROPPED}); building it once more\n`);
    return true;
  };
}

const LOG_LIMIT = 4 * 1024 * 1024;

export function runBuilds(jobs: readonly BuildJob[], options: RunnerOptions): Promise<JobResult[]> {
  return new Promise((resolve) => {
    const results: (JobResult | undefined)[] = jobs.map(() => undefined);
    const running = new Map<number, ChildProcess>();
    let next = 0;
    let finished = 0;

    const finish = (index: number, result: JobResult) => {
      results[index] = result;
      running.delete(index);
      finished++;
      options.onEvent({ kind: 'end', index, result });
      if (finished === jobs.length) resolve(results as JobResult[]);
      else pump();
    };

    const retried = new Set<number>();
    const launch = (index: number) => {
      running.set(
        index,
        start(jobs[index]!, index, options, (result) => {
          if (!retried.has(index) && !options.signal?.aborted && options.retry?.(index, result)) {
            retried.add(index);
            launch(index);
          } else finish(index, result);
        }),
      );
    };

    const pump = () => {
      if (options.signal?.aborted) return;
      while (running.size < options.concurrency && next < jobs.length) launch(next++);
    };

    const abort = () => {
      for (let index = next; index < jobs.length; index++) {
        next++;
        finish(index, { state: 'cancelled', seconds: 0, log: '' });
      }
      for (const child of running.values()) stopGroup(child, options.killGraceMs ?? 5000);
    };

    if (jobs.length === 0) {
      resolve([]);
      return;
    }
    if (options.signal?.aborted) abort();
    else {
      options.signal?.addEventListener('abort', abort, { once: true });
      pump();
    }
  });
}

function start(job: BuildJob, index: number, options: RunnerOptions, done: (result: JobResult) => void): ChildProcess {
  const began = performance.now();
  const seconds = () => (performance.now() - began) / 1000;
  options.onEvent({ kind: 'start', index });
  const child = spawn(options.command, job.args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = new LogBuffer((line) => options.onEvent({ kind: 'output', index, line }));
  child.stdout!.on('data', (chunk: Buffer) => log.add(chunk));
  child.stderr!.on('data', (chunk: Buffer) => log.add(chunk));
  let settled = false;
  child.on('error', (error) => {
    if (settled) return;
    settled = true;
    done({ state: 'failed', seconds: seconds(), log: log.text(), reason: `cannot run ${options.command}: ${error.message}` });
  });
  child.on('close', (code, signal) => {
    if (settled) return;
    settled = true;
    log.flush();
    const cancelled = options.signal?.aborted ?? false;
    const exitCode = code ?? (signal ? 128 : 1);
    if (cancelled) return done({ state: 'cancelled', seconds: seconds(), exitCode, log: log.text() });
    if (exitCode !== 0) return done({ state: 'failed', seconds: seconds(), exitCode, log: log.text() });
    if (job.iidFile === undefined) return done({ state: 'done', seconds: seconds(), exitCode, log: log.text() });
    const imageId = readImageId(job.iidFile);
    if (!imageId) return done({ state: 'failed', seconds: seconds(), exitCode, log: log.text(), reason: 'the build wrote no image ID' });
    done({ state: 'done', imageId, seconds: seconds(), exitCode, log: log.text() });
  });
  return child;
}

function readImageId(file: string): string | undefined {
  try {
    const id = fs.readFileSync(file, 'utf8').trim();
    return id === '' ? undefined : id;
  } catch {
    return undefined;
  }
}

/** SIGINT to the child's process group (the docker client cancels its build), SIGKILL if it lingers. */
function stopGroup(child: ChildProcess, graceMs: number): void {
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  signalGroup('SIGINT');
  const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
  timer.unref();
  child.once('close', () => clearTimeout(timer));
}

/** Collects a child's output and hands out complete lines. */
class LogBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private partial = '';

  constructor(private readonly onLine: (line: string) => void) {}

  add(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > LOG_LIMIT && this.chunks.length > 1) this.size -= this.chunks.shift()!.length;
    const text = this.partial + chunk.toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) this.onLine(line);
  }

  flush(): void {
    if (this.partial !== '') this.onLine(this.partial);
    this.partial = '';
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

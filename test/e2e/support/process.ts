// Runs the docker client and collects what it prints. The only place the e2e helpers start processes.
import { spawn } from 'child_process';
import { BUILDX_CLIENT, DAEMON } from './daemon';

/** The docker client of this suite's daemon (see daemon.ts). */
export const DOCKER: string = DAEMON.client;

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved in the order they arrived. */
  output: string;
  timedOut: boolean;
}

export interface CommandOptions {
  timeoutMs?: number;
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Working directory of the client (`docker buildx bake` reads paths relative to it). */
  cwd?: string;
  /** Another client than this daemon's own (e.g. BUILDX_CLIENT's). */
  client?: string;
}

const DEFAULT_TIMEOUT_MS = 180_000;

/** Runs `docker ARGS...` with BuildKit enabled; never throws for a non-zero exit. */
export function docker(args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(options.client ?? DOCKER, [...args], {
      env: { ...process.env, DOCKER_BUILDKIT: '1', ...options.env },
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const output: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      output.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      output.push(chunk);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${options.client ?? DOCKER}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const note = timedOut ? `\n[e2e] docker ${args[0]} killed after ${timeoutMs} ms\n` : '';
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8') + note,
        output: Buffer.concat(output).toString('utf8') + note,
        timedOut,
      });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Like `docker`, but a non-zero exit is an error that carries the command and its output. */
export async function dockerChecked(args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  const result = await docker(args, options);
  if (result.code !== 0) {
    throw new Error(`docker ${args.join(' ')} exited with ${result.code}:\n${result.output}`);
  }
  return result;
}

/** Runs `docker buildx ARGS...` with a buildx client for this suite's daemon (BUILDX_CLIENT). */
export function buildx(args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  return docker(['buildx', ...args], { ...options, client: BUILDX_CLIENT.client, env: { ...BUILDX_CLIENT.env, ...options.env } });
}

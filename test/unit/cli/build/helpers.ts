/** A temporary context with a Modusfile, a fake docker client and a CliIO that records output. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CliIO } from '../../../../frontend/cli/io';

export const FAKE_DOCKER = path.join(__dirname, 'fixtures', 'fake-docker.js');

export interface Recorded {
  io: CliIO;
  stdout: () => string;
  stderr: () => string;
}

export function recordingIO(cwd: string, env: Record<string, string> = {}, isTTY = false): Recorded {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      env: { PATH: process.env.PATH, ...env },
      cwd,
      isTTY,
    },
    stdout: () => out,
    stderr: () => err,
  };
}

export interface FakeSetup {
  dir: string;
  logFile: string;
  env: Record<string, string>;
  calls: () => Record<string, unknown>[];
}

/** A directory holding `files` and the fake docker's call log. */
export function fakeSetup(files: Record<string, string>, spec: Record<string, { fail?: boolean; sleepMs?: number; stepLineAfterMs?: number }> = {}): FakeSetup {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modus-cli-build-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const logFile = path.join(dir, 'docker-calls.jsonl');
  fs.writeFileSync(logFile, '');
  return {
    dir,
    logFile,
    env: { MODUS_DOCKER: FAKE_DOCKER, FAKE_DOCKER_LOG: logFile, FAKE_DOCKER_SPEC: JSON.stringify(spec) },
    calls: () =>
      fs
        .readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export function removeSetup(setup: FakeSetup): void {
  fs.rmSync(setup.dir, { recursive: true, force: true });
}

/** Resolves once `predicate` holds (polling), or rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

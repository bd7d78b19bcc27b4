/**
 * The `modus` build commands against a fake docker client (`fake-docker-client.js`, which logs
 * every call and answers as its spec says): a temporary folder with the files of a test, and a
 * CliIO that records the output.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CliIO } from '../../frontend/cli/io';
import { startsProcesses } from './process-tests';

const FAKE_DOCKER = path.join(__dirname, 'fake-docker-client.js');

interface Recorded {
  io: CliIO;
  stdout: () => string;
  stderr: () => string;
}

function recordingIO(cwd: string, env: Record<string, string> = {}, isTTY = false): Recorded {
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

/** How the fake docker answers the build of each target literal. */
type FakeSpec = Record<string, { fail?: boolean; sleepMs?: number; stepLineAfterMs?: number; dropFrontendOnce?: boolean }>;

/** A directory holding `files` and the fake docker's call log. */
function fakeSetup(files: Record<string, string>, spec: FakeSpec = {}): FakeSetup {
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

/**
 * For one test file: `setup(spec, env, testFiles)` makes a fresh folder with `files` (or
 * `testFiles`) and the fake docker for a test, with a recording CliIO whose environment is the fake's, then `env` of the file, then the
 * test's. Every folder is removed after the file's tests; every test of the file may take
 * PROCESS_TEST_TIMEOUT_MS (the fake docker is a node process per call).
 */
export function fakeDockerSuite(files: Record<string, string>, fileEnv: Record<string, string> = {}) {
  startsProcesses();
  const setups: FakeSetup[] = [];
  afterAll(() => setups.forEach((s) => fs.rmSync(s.dir, { recursive: true, force: true })));
  return (spec: FakeSpec = {}, env: Record<string, string> = {}, testFiles = files) => {
    const s = fakeSetup(testFiles, spec);
    setups.push(s);
    return { s, rec: recordingIO(s.dir, { ...s.env, ...fileEnv, ...env }) };
  };
}

/** Resolves once `predicate` holds (polling), or rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

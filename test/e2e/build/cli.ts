// Runs the `modus` program (bundled from the sources once per test file) as a child process.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildSync } from 'esbuild';
import { DOCKER, FRONTEND_IMAGE, makeTempDirectory } from '../support';

let bundle: string | undefined;

/** The program built from the working tree, into a temporary directory (dist/ is left alone). */
export function modusBundle(): string {
  if (!bundle) {
    const dir = makeTempDirectory('modus-e2e-cli-');
    const out = path.join(dir, 'modus.js');
    buildSync({ entryPoints: [path.join(__dirname, '../../../frontend/cli/main.ts')], bundle: true, platform: 'node', target: 'node20', outfile: out, logLevel: 'warning' });
    bundle = path.join(dir, 'modus');
    fs.writeFileSync(bundle, "require('./modus.js').runCli();\n");
  }
  return bundle;
}

export interface ModusResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function spawnModus(args: readonly string[], cwd: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [modusBundle(), ...args], {
    cwd,
    env: { ...process.env, MODUS_DOCKER: DOCKER, MODUS_FRONTEND: FRONTEND_IMAGE, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function collect(child: ChildProcess): Promise<ModusResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

export function modus(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<ModusResult> {
  return collect(spawnModus(args, cwd, env));
}

export interface BuiltImage {
  literal: string;
  predicate: string;
  args: (string | string[])[];
  image_id: string | null;
  tags: string[];
}

/** `modus build --json` that must succeed; its report keyed by literal. */
export async function buildImages(context: string, goal: string, extra: string[] = []): Promise<Map<string, BuiltImage>> {
  const result = await modus(['build', '--json', '--network', 'none', ...extra, context, goal], context);
  if (result.code !== 0) throw new Error(`modus build ${goal} exited with ${result.code}:\n${result.stderr}`);
  const report = JSON.parse(result.stdout) as BuiltImage[];
  return new Map(report.map((r) => [r.literal, r]));
}

/** A value unique to this test run, so that steps are not served from an earlier run's cache. */
export function nonce(): string {
  return `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}

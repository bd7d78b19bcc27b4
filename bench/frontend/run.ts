/**
 * Frontend benchmarks (issue: the BuildKit frontend):
 *  1. time from frontend start to Return for a 100-rule Modusfile, against the fake gateway
 *     (no daemon: the frontend's own work, node start-up included);
 *  2. a fully cached rebuild through the real daemon: a Modusfile versus the equivalent
 *     Dockerfile through Docker's built-in frontend, 10 and 100 steps, side by side, as a ratio.
 *
 *   npx esbuild bench/frontend/run.ts --bundle --platform=node --outfile=dist/bench-frontend.js \
 *     && node dist/bench-frontend.js [repetitions]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWithFakeGateway } from '../../test/support/fake-gateway';

const DOCKER = process.env.MODUS_DOCKER ?? '/usr/bin/docker';
const BASE = 'modus-test/busybox:1';
const reps = Number(process.argv[2] ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** A Modusfile of `rules` rules: a chain of layer predicates, each one run step. */
function modusfile(rules: number): string {
  const lines = ['# syntax=modus-frontend:dev'];
  for (let i = 0; i < rules - 1; i++) lines.push(`step${i} :- run("echo ${i} > /f${i}").`);
  lines.push(`app :- from("${BASE}"), ${Array.from({ length: rules - 1 }, (_, i) => `step${i}`).join(', ')}.`);
  return lines.join('\n') + '\n';
}

function dockerfile(steps: number): string {
  return [`FROM ${BASE}`, ...Array.from({ length: steps - 1 }, (_, i) => `RUN echo ${i} > /f${i}`)].join('\n') + '\n';
}

async function frontendWork(): Promise<number[]> {
  const text = modusfile(100);
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const result = await runWithFakeGateway({
      script: join(__dirname, 'frontend.js'),
      opts: { filename: 'Modusfile', target: 'app' },
      files: { 'ref-1': { Modusfile: text } },
      onSolve: (_req, index) => (index === 0 ? { ref: 'ref-1' } : { ref: `ref-${index + 1}` }),
      images: { [`docker.io/${BASE}`]: { config: { architecture: 'amd64', os: 'linux', config: { Env: ['PATH=/bin'] } } } },
    });
    const match = /ready to return after (\d+) ms/.exec(result.stderr);
    if (!match || result.returned?.error) throw new Error(`frontend failed: ${result.stderr} ${JSON.stringify(result.returned?.error)}`);
    times.push(Number(match[1]));
  }
  return times;
}

function timeBuild(dir: string, file: string, args: string[]): number {
  const start = performance.now();
  execFileSync(DOCKER, ['build', '--network=none', '-q', '-f', file, ...args, dir], { env: { ...process.env, DOCKER_BUILDKIT: '1' }, stdio: 'pipe' });
  return performance.now() - start;
}

function cachedRebuilds(steps: number): { modus: number; dockerfile: number } {
  const dir = mkdtempSync(join(tmpdir(), 'modus-bench-'));
  writeFileSync(join(dir, 'Modusfile'), modusfile(steps));
  writeFileSync(join(dir, 'Dockerfile'), dockerfile(steps));
  const modusArgs = ['--target', 'app'];
  timeBuild(dir, join(dir, 'Modusfile'), modusArgs);
  timeBuild(dir, join(dir, 'Dockerfile'), []);
  const m: number[] = [];
  const d: number[] = [];
  for (let i = 0; i < reps; i++) {
    m.push(timeBuild(dir, join(dir, 'Modusfile'), modusArgs));
    d.push(timeBuild(dir, join(dir, 'Dockerfile'), []));
  }
  return { modus: median(m), dockerfile: median(d) };
}

async function main(): Promise<void> {
  const work = await frontendWork();
  console.log(`frontend start → Return, 100 rules (fake gateway): median ${median(work)} ms (runs: ${work.join(', ')})`);
  for (const steps of [10, 100]) {
    const r = cachedRebuilds(steps);
    console.log(
      `fully cached rebuild, ${steps} steps: Modusfile ${r.modus.toFixed(0)} ms, Dockerfile ${r.dockerfile.toFixed(0)} ms, ratio ${(r.modus / r.dockerfile).toFixed(2)}`,
    );
  }
  const size = execFileSync(DOCKER, ['image', 'inspect', '-f', '{{.Size}}', 'modus-frontend:dev']).toString().trim();
  console.log(`frontend image size: ${(Number(size) / 1e6).toFixed(1)} MB`);
}

void main();

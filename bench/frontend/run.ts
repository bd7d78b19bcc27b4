/**
 * Frontend benchmarks (issue: the BuildKit frontend):
 *  1. time from frontend start to Return for a 100-rule Modusfile, against the fake gateway
 *     (no daemon: the frontend's own work, node start-up included), from the plain bundle and
 *     from the start-up snapshot the image uses;
 *  2. a fully cached rebuild through the real daemon: a Modusfile versus the equivalent
 *     Dockerfile through Docker's built-in frontend, 10 and 100 steps, side by side, as a ratio,
 *     with the frontend's own split of its time (its line in the daemon's log);
 *  3. the floor: a build whose frontend image does nothing at all (busybox `true`, `node -e ''`),
 *     and the frontend's own cost beyond it, (M − F0) / D: M the 100-step Modusfile rebuild, F0
 *     the busybox no-op, D the 100-step Dockerfile rebuild.
 *
 *   npm run image && npx esbuild bench/frontend/run.ts --bundle --platform=node \
 *     --outfile=dist/bench-frontend.js && node dist/bench-frontend.js [repetitions]
 * (from the repository root; MODUS_DOCKERD_LOG names the daemon's log if not the default).
 * Current Docker: MODUS_DOCKER=/var/lib/modus-current/bin/docker (builds go through
 * `buildx build`, frontend images through the local registry, BENCH_FRONTEND defaults to
 * localhost:5000/modus-frontend:dev; `bash scripts/push-frontend-image.sh` first).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWithFakeGateway } from '../../test/support/fake-gateway';

const DOCKER = process.env.MODUS_DOCKER ?? '/usr/bin/docker';
const CURRENT = DOCKER.startsWith('/var/lib/modus-current/');
const REGISTRY = process.env.MODUS_REGISTRY_ADDR ?? 'localhost:5000';
const FRONTEND = process.env.BENCH_FRONTEND ?? (CURRENT ? `${REGISTRY}/modus-frontend:dev` : 'modus-frontend:dev');
const BASE = 'modus-test/busybox:1';
const reps = Number(process.argv[2] ?? 5);
const DOCKERD_LOG = process.env.MODUS_DOCKERD_LOG ?? (CURRENT ? '/var/lib/modus-current/dockerd.log' : '/var/log/modus-dockerd.log');
/** `docker build` on 20.10; `buildx build` without the provenance attestation (as modus build) on current Docker. */
const BUILD = CURRENT ? ['buildx', 'build', '--provenance=false'] : ['build'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** A Modusfile of `rules` rules: a chain of layer predicates, each one run step. */
function modusfile(rules: number): string {
  const lines = [`# syntax=${FRONTEND}`];
  for (let i = 0; i < rules - 1; i++) lines.push(`step${i} :- run("echo ${i} > /f${i}").`);
  lines.push(`app :- from("${BASE}"), ${Array.from({ length: rules - 1 }, (_, i) => `step${i}`).join(', ')}.`);
  return lines.join('\n') + '\n';
}

function dockerfile(steps: number): string {
  return [`FROM ${BASE}`, ...Array.from({ length: steps - 1 }, (_, i) => `RUN echo ${i} > /f${i}`)].join('\n') + '\n';
}

async function frontendWork(launch: { script: string; nodeArgs?: string[] }): Promise<number[]> {
  const text = modusfile(100);
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const result = await runWithFakeGateway({
      ...launch,
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

/** The frontend's start-up snapshot, built as the Dockerfile builds it, next to the bundle. */
function buildSnapshot(): string {
  const blob = join(__dirname, 'frontend.blob');
  execFileSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', join(__dirname, 'frontend.js')], { stdio: 'pipe' });
  return blob;
}

/** A frontend image that does nothing (its entrypoint exits at once): the fixed cost of any container frontend. */
function noopFrontend(name: string, base: string, entrypoint: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'modus-bench-noop-'));
  writeFileSync(join(dir, 'Dockerfile'), `FROM ${base}\nENTRYPOINT ${JSON.stringify(entrypoint)}\n`);
  const tag = CURRENT ? `${REGISTRY}/${name}` : name;
  execFileSync(DOCKER, [...BUILD, '-q', '-t', tag, ...(CURRENT ? ['--push'] : []), dir], { env: { ...process.env, DOCKER_BUILDKIT: '1' }, stdio: 'pipe' });
  return tag;
}

interface Timed {
  ms: number;
  /** From the frontend's line in the daemon's log: start → Return, and BuildKit's part of it. */
  frontend?: { total: number; solve: number };
}

function timeBuild(dir: string, file: string, args: string[], mayFail = false): Timed {
  const logSize = existsSync(DOCKERD_LOG) ? statSync(DOCKERD_LOG).size : 0;
  const start = performance.now();
  try {
    execFileSync(DOCKER, [...BUILD, '--network=none', '-q', '-f', file, ...args, dir], { env: { ...process.env, DOCKER_BUILDKIT: '1' }, stdio: 'pipe' });
  } catch (err) {
    if (!mayFail) throw err;
  }
  const ms = performance.now() - start;
  return { ms, ...frontendLine(logSize) };
}

function frontendLine(since: number): { frontend?: { total: number; solve: number } } {
  if (!existsSync(DOCKERD_LOG)) return {};
  const text = readFileSync(DOCKERD_LOG).subarray(since).toString('utf8');
  const match = /ready to return after (\d+) ms \((\d+) ms of it BuildKit/.exec(text);
  return match ? { frontend: { total: Number(match[1]), solve: Number(match[2]) } } : {};
}

interface Rebuilds {
  modus: Timed[];
  dockerfile: Timed[];
}

/** Fully cached rebuilds of the same steps as a Modusfile and a Dockerfile, alternately. */
function prepareRebuild(steps: number): () => Rebuilds {
  const dir = mkdtempSync(join(tmpdir(), 'modus-bench-'));
  writeFileSync(join(dir, 'Modusfile'), modusfile(steps));
  writeFileSync(join(dir, 'Dockerfile'), dockerfile(steps));
  const modus = () => timeBuild(dir, join(dir, 'Modusfile'), ['--target', 'app']);
  const docker = () => timeBuild(dir, join(dir, 'Dockerfile'), []);
  modus();
  docker();
  const result: Rebuilds = { modus: [], dockerfile: [] };
  return () => {
    result.modus.push(modus());
    result.dockerfile.push(docker());
    return result;
  };
}

const ms = (t: Timed[]) => median(t.map((x) => x.ms));

const loadAverage = () => loadavg().map((x) => x.toFixed(1)).join(', ');

async function main(): Promise<void> {
  console.log(`${CURRENT ? 'current Docker' : 'Docker 20.10'} (${DOCKER}), frontend ${FRONTEND}, ${reps} runs each; load average ${loadAverage()}`);
  execFileSync(process.execPath, ['scripts/bundle.mjs']); // dist/frontend.js, as the image has it
  const plain = await frontendWork({ script: join(__dirname, 'frontend.js') });
  console.log(`frontend start → Return, 100 rules (fake gateway), bundle: median ${median(plain)} ms (runs: ${plain.join(', ')})`);
  const snapshot = await frontendWork({ script: '', nodeArgs: ['--snapshot-blob', buildSnapshot()] });
  console.log(`frontend start → Return, 100 rules (fake gateway), start-up snapshot as in the image: median ${median(snapshot)} ms (runs: ${snapshot.join(', ')})`);

  const noopBusybox = noopFrontend('modus-bench/noop-busybox', BASE, ['true']);
  const noopNode = noopFrontend('modus-bench/noop-node', 'modus-node-base:20', ['/usr/local/bin/node', '-e', '']);
  const rebuild10 = prepareRebuild(10);
  const rebuild100 = prepareRebuild(100);
  const noopDir = mkdtempSync(join(tmpdir(), 'modus-bench-noop-'));
  writeFileSync(join(noopDir, 'Dockerfile'), 'FROM scratch\n');
  const noop = (image: string) => timeBuild(noopDir, join(noopDir, 'Dockerfile'), ['--build-arg', `BUILDKIT_SYNTAX=${image}`], true);
  let r10: Rebuilds | undefined;
  let r100: Rebuilds | undefined;
  const nb: Timed[] = [];
  const nn: Timed[] = [];
  for (let i = 0; i < reps; i++) {
    r10 = rebuild10();
    r100 = rebuild100();
    nb.push(noop(noopBusybox));
    nn.push(noop(noopNode));
  }
  for (const [steps, r] of [[10, r10!], [100, r100!]] as const) {
    const frontend = r.modus.flatMap((t) => (t.frontend ? [t.frontend] : []));
    const own = frontend.map((f) => f.total - f.solve);
    console.log(
      `fully cached rebuild, ${steps} steps: Modusfile ${ms(r.modus).toFixed(0)} ms, Dockerfile ${ms(r.dockerfile).toFixed(0)} ms, ratio ${(ms(r.modus) / ms(r.dockerfile)).toFixed(2)}` +
        (frontend.length
          ? `; frontend start → Return ${median(frontend.map((f) => f.total))} ms, of which BuildKit solving ${median(frontend.map((f) => f.solve))} ms, the frontend's own ${median(own)} ms`
          : ''),
    );
  }
  const d100 = ms(r100!.dockerfile);
  console.log(`a frontend that does nothing (busybox \`true\`): ${ms(nb).toFixed(0)} ms = ${(ms(nb) / d100).toFixed(2)} × the 100-step Dockerfile rebuild`);
  console.log(`a frontend that does nothing (node -e ''): ${ms(nn).toFixed(0)} ms = ${(ms(nn) / d100).toFixed(2)} × the 100-step Dockerfile rebuild`);
  const m100 = ms(r100!.modus);
  console.log(`load average at the end: ${loadAverage()}`);
  console.log(`the frontend's own cost beyond its container, (M − F0) / D = (${m100.toFixed(0)} − ${ms(nb).toFixed(0)}) / ${d100.toFixed(0)} = ${((m100 - ms(nb)) / d100).toFixed(2)}`);
  if (CURRENT) return;
  const size = execFileSync(DOCKER, ['image', 'inspect', '-f', '{{.Size}}', FRONTEND]).toString().trim();
  console.log(`frontend image size: ${(Number(size) / 1e6).toFixed(1)} MB`);
}

void main();

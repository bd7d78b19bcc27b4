/**
 * Multi-image build benchmark (docs/benchmarks.md, "Multi-image builds"): the matrix built cold
 * by `modus build`, against the same images from their transpiled Dockerfile with one
 * `docker build --target` per image (a) all at once with the same concurrency and (b) one after
 * another; plus the cost of getting N separate images out: the same images built cold in one
 * solve of the transpiled Dockerfile without exporting them (one extra stage mounts every image,
 * only that tiny stage is exported), and a warm `modus build` (every step cached).
 *
 * Usage: bench/build/run.sh [--runs N] [--concurrency J] [--versions 5] [--variants 4] [--json FILE] [--no-sequential]
 * The daemon is $MODUS_DOCKER's (default /usr/bin/docker, Docker 20.10); for current Docker,
 * MODUS_DOCKER=/var/lib/modus-current/bin/docker BENCH_FRONTEND=localhost:5000/modus-frontend:dev.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_MATRIX, GOAL, matrixModusfile, type MatrixOptions } from './matrix';

const DOCKER = process.env.MODUS_DOCKER || '/usr/bin/docker';
const BASE = process.env.BENCH_BASE_IMAGE || 'modus-test/busybox:1';
const MODUS = process.env.BENCH_MODUS!;
const FRONTEND = process.env.BENCH_FRONTEND || 'modus-frontend:dev';

interface Args {
  runs: number;
  concurrency: number;
  versions: number;
  variants: number;
  json?: string;
  /** Leave out (b), the one-after-another Dockerfile builds (the slowest part, in no target). */
  sequential: boolean;
  /**
   * Also (c): the transpiled Dockerfile's images in one `docker buildx bake --load` (buildx only):
   * what getting the images out costs the daemon's own Dockerfile frontend, with no container frontend.
   */
  dockerfileBake: boolean;
}

function parse(argv: string[]): Args {
  const args: Args = { runs: 1, concurrency: Math.max(4, 4 * os.cpus().length), versions: DEFAULT_MATRIX.versions, variants: DEFAULT_MATRIX.variants, sequential: true, dockerfileBake: false };
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (key === '--no-sequential' || key === '--dockerfile-bake') {
      if (key === '--no-sequential') args.sequential = false;
      else args.dockerfileBake = true;
      i--;
      continue;
    }
    if (key === '--runs') args.runs = Number(value);
    else if (key === '--concurrency') args.concurrency = Number(value);
    else if (key === '--versions') args.versions = Number(value);
    else if (key === '--variants') args.variants = Number(value);
    else if (key === '--json') args.json = value;
    else throw new Error(`unknown option ${key}`);
  }
  return args;
}

function exec(command: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, DOCKER_BUILDKIT: '1', MODUS_DOCKER: DOCKER, MODUS_FRONTEND: FRONTEND }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

async function timed(what: string, work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  process.stderr.write(`  ${what}: ${seconds.toFixed(2)} s\n`);
  return seconds;
}

async function must(command: string, args: string[], cwd: string): Promise<string> {
  const result = await exec(command, args, cwd);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.out.slice(-3000)}`);
  return result.out;
}

/** A fresh context whose Modusfile carries `salt`, its transpiled Dockerfile and its targets. */
async function prepare(root: string, salt: string, args: Args): Promise<{ dir: string; stages: string[] }> {
  const dir = fs.mkdtempSync(path.join(root, 'ctx-'));
  const options: MatrixOptions = { ...DEFAULT_MATRIX, base: BASE, salt, versions: args.versions, variants: args.variants };
  fs.writeFileSync(path.join(dir, 'Modusfile'), matrixModusfile(options));
  const dockerfile = await must('node', [MODUS, 'transpile', dir, GOAL], dir);
  const stages = [...dockerfile.matchAll(/^#   (\S+)\s+image\(/gm)].map((m) => m[1]!);
  const mounts = stages.map((s, i) => `--mount=type=bind,from=${s},target=/mnt/${i}`).join(' ');
  fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  fs.writeFileSync(path.join(dir, 'all.Dockerfile'), `${dockerfile}\nFROM ${BASE} AS all\nRUN ${mounts} true\n`);
  return { dir, stages };
}

const dockerBuild = (dir: string, file: string, target: string) =>
  must(DOCKER, ['build', '-q', '--network=none', '-f', path.join(dir, file), '--target', target, dir], dir);

interface RunResult {
  modusCold: number;
  parallelDockerfile: number;
  sequentialDockerfile: number;
  oneSolveNoExport: number;
  modusOneSolve: number;
  modusWarm: number;
  parallelDockerfileWarm: number;
  dockerfileBake: number;
}

async function once(root: string, args: Args, run: number): Promise<RunResult> {
  const salt = `bench-${process.pid}-${Date.now()}-${run}`;
  const modusCtx = await prepare(root, `${salt}-modus`, args);
  const parallelCtx = await prepare(root, `${salt}-parallel`, args);
  const sequentialCtx = await prepare(root, `${salt}-sequential`, args);
  const oneCtx = await prepare(root, `${salt}-one`, args);
  const modusOneCtx = await prepare(root, `${salt}-modus-one`, args);
  const bakeCtx = args.dockerfileBake ? await prepare(root, `${salt}-bake`, args) : undefined;
  const n = modusCtx.stages.length;
  const j = Math.min(n, args.concurrency);
  process.stderr.write(`run ${run + 1}: ${n} images, ${j} builds at a time\n`);
  const modusBuild = () => must('node', [MODUS, 'build', '--network', 'none', '--concurrency', String(j), modusCtx.dir, GOAL], modusCtx.dir).then(() => undefined);
  const parallel = () => pool(parallelCtx.stages, j, (s) => dockerBuild(parallelCtx.dir, 'Dockerfile', s));
  // modus build and (a) go first in turn, so that a load that drifts during a run weighs on both.
  const modusFirst = run % 2 === 0;
  let modusCold = 0;
  let modusWarm = 0;
  let parallelDockerfile = 0;
  let parallelDockerfileWarm = 0;
  const modusPair = async () => {
    modusCold = await timed('modus build (cold)', modusBuild);
    modusWarm = await timed('modus build (warm, every step cached)', modusBuild);
  };
  const parallelPair = async () => {
    parallelDockerfile = await timed('(a) transpiled, one docker build per image, all at once', parallel);
    parallelDockerfileWarm = await timed('(a) again (warm, every step cached)', parallel);
  };
  for (const pair of modusFirst ? [modusPair, parallelPair] : [parallelPair, modusPair]) await pair();
  const sequentialDockerfile = args.sequential
    ? await timed('(b) transpiled, one docker build per image, one after another', async () => {
        for (const s of sequentialCtx.stages) await dockerBuild(sequentialCtx.dir, 'Dockerfile', s);
      })
    : NaN;
  const oneSolveNoExport = await timed('all images in one solve, not exported', async () => {
    await dockerBuild(oneCtx.dir, 'all.Dockerfile', 'all');
  });
  const dockerfileBake = args.dockerfileBake ? await timed('(c) transpiled, every image in one docker buildx bake --load', () => bakeDockerfile(bakeCtx!)) : NaN;
  const modusOneSolve = await timed('all images in one solve through the Modus frontend (MODUS_BUILD_ALL), one image exported', async () => {
    const buildArgs = ['--build-arg', `BUILDKIT_SYNTAX=${FRONTEND}`, '--build-arg', 'MODUS_BUILD_ALL=1'];
    await must(DOCKER, ['build', '-q', '--network=none', ...buildArgs, '-f', path.join(modusOneCtx.dir, 'Modusfile'), '--target', GOAL, modusOneCtx.dir], modusOneCtx.dir);
  });
  return { modusCold, parallelDockerfile, sequentialDockerfile, oneSolveNoExport, modusOneSolve, modusWarm, parallelDockerfileWarm, dockerfileBake };
}

/** (c): a bake file of one target per image stage of the transpiled Dockerfile, built and loaded at once. */
async function bakeDockerfile(ctx: { dir: string; stages: string[] }): Promise<void> {
  const target = Object.fromEntries(ctx.stages.map((s) => [s, { context: '.', dockerfile: 'Dockerfile', target: s, network: 'none' }]));
  fs.writeFileSync(path.join(ctx.dir, 'bake.json'), JSON.stringify({ group: { default: { targets: ctx.stages } }, target }));
  // As modus build bakes: without buildx's default provenance attestation.
  await must('env', ['BUILDX_NO_DEFAULT_ATTESTATIONS=1', DOCKER, 'buildx', 'bake', '-f', path.join(ctx.dir, 'bake.json'), '--load'], ctx.dir);
}

/** Runs `work` on every item, at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'modus-bench-build-'));
  try {
    const runs: RunResult[] = [];
    for (let r = 0; r < args.runs; r++) runs.push(await once(root, args, r));
    const m = (k: keyof RunResult) => median(runs.map((x) => x[k]));
    const n = args.versions * args.variants;
    const exportCost = m('modusCold') - m('oneSolveNoExport');
    const modusExportCost = m('modusCold') - m('modusOneSolve');
    const share = (cost: number) => `${cost.toFixed(2)} s (${((100 * cost) / m('modusCold')).toFixed(1)} %)`;
    const lines = [
      `| images | at a time | runs | modus build cold | (a) Dockerfile, parallel | (b) Dockerfile, sequential | one solve, no export (Dockerfile) | one solve (Modus frontend) | export cost vs Dockerfile one solve | export cost vs Modus one solve | modus build warm | (a) warm |`,
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
      `| ${n} | ${Math.min(n, args.concurrency)} | ${args.runs} | ${m('modusCold').toFixed(2)} s | ${m('parallelDockerfile').toFixed(2)} s | ${args.sequential ? `${m('sequentialDockerfile').toFixed(2)} s` : 'not run'} | ${m('oneSolveNoExport').toFixed(2)} s | ${m('modusOneSolve').toFixed(2)} s | ${share(exportCost)} | ${share(modusExportCost)} | ${m('modusWarm').toFixed(2)} s | ${m('parallelDockerfileWarm').toFixed(2)} s |`,
    ];
    const server = (await exec(DOCKER, ['version', '--format', '{{.Server.Version}}'], root)).out.trim();
    const buildx = (await exec(DOCKER, ['buildx', 'version'], root)).code === 0;
    process.stdout.write(`daemon: Docker ${server} through ${DOCKER} (${buildx ? 'buildx: modus build bakes' : 'no buildx: docker build per image'})\n`);
    process.stdout.write(lines.join('\n') + '\n');
    const perRun = runs.map((r) => (r.modusCold / r.parallelDockerfile).toFixed(2)).join(', ');
    process.stdout.write(`modus build cold / (a): ${(m('modusCold') / m('parallelDockerfile')).toFixed(2)} (medians; per run ${perRun})\n`);
    if (args.dockerfileBake) {
      const bakeCost = m('dockerfileBake') - m('oneSolveNoExport');
      process.stdout.write(`(c) one bake of the Dockerfile's images: ${m('dockerfileBake').toFixed(2)} s; its export cost vs the Dockerfile one solve: ${bakeCost.toFixed(2)} s (${((100 * bakeCost) / m('dockerfileBake')).toFixed(1)} %)\n`);
    }
    process.stdout.write(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
    if (args.json) fs.writeFileSync(args.json, JSON.stringify({ args, runs }, null, 2) + '\n');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});

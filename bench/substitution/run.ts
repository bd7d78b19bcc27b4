/**
 * What substitution from a cache repository saves on a machine with an empty build cache.
 * Machine A (the main daemon) builds a goal whose sub-images take real time (sleeps and a few MB
 * of random data) with `modus build --cache-repo R --push-cache`. Then, on machine B (the second
 * daemon, scripts/start-second-daemon.sh), each repetition makes B cold (`builder prune -af`, the
 * built images removed) and builds the same goal twice, alternating the order: once without the
 * cache repository, once with it. Both are `modus build` wall times. Target: with ≤ 0.1 × without.
 * `--scale S` multiplies the steps' sleeps (default 2: about 36 s of steps on the longest path);
 * the time with the repository hardly depends on it, so the ratio does.
 *
 * Usage (from the repository root): bench/substitution/run.sh [--reps N] [--scale S] [--json FILE]
 */
import { spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';

const DOCKER = process.env.MODUS_DOCKER || '/usr/bin/docker';
const FRONTEND = process.env.MODUS_FRONTEND_IMAGE || 'modus-frontend:dev';
const BASE = process.env.MODUS_BUSYBOX_IMAGE || 'modus-test/busybox:1';
const B_HOST = process.env.MODUS_B_HOST || 'unix:///var/run/modus-b.sock';
const REGISTRY = process.env.MODUS_REGISTRY_ADDR || '127.0.0.1:5000';
const TARGET_RATIO = 0.1;

interface Options {
  reps: number;
  json: string | undefined;
  scale: number;
  cli: string;
}

function readOptions(argv: string[]): Options {
  const cli = process.env.MODUS_BENCH_CLI;
  if (!cli) throw new Error('MODUS_BENCH_CLI must name the bundled modus program (run.sh sets it)');
  const options: Options = { reps: 3, json: undefined, scale: 2, cli };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--reps') options.reps = Number(argv[++i]);
    else if (argv[i] === '--json') options.json = argv[++i];
    else if (argv[i] === '--scale') options.scale = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!Number.isInteger(options.reps) || options.reps < 1) throw new Error('--reps needs a positive whole number');
  if (!(options.scale > 0 && options.scale <= 20)) throw new Error('--scale needs a number above 0, at most 20');
  return options;
}

/** base (8 s) under left and right (6 s each, side by side) under app (4 s), times `scale`. */
function modusfile(nonce: string, scale: number): string {
  const random = (file: string, mb: number) => `dd if=/dev/urandom of=${file} bs=1M count=${mb} 2>/dev/null`;
  const sleep = (s: number) => `sleep ${s * scale}`;
  return [
    `base :- from("${BASE}"), run("${random('/base', 8)}; ${sleep(8)} # ${nonce}").`,
    `left :- base, run("${random('/left', 4)}; ${sleep(6)}").`,
    `right :- base, copy("right.txt", "/right.txt"), run("${random('/right', 4)}; ${sleep(6)}").`,
    `app :- left, right::copy("/right", "/right"), run("sha256sum /base /left /right /right.txt > /app; ${sleep(4)}").`,
    '',
  ].join('\n');
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

function run(command: string, args: string[], env: Record<string, string> = {}, cwd?: string): Promise<Run> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, DOCKER_BUILDKIT: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), seconds: (performance.now() - start) / 1000 }),
    );
  });
}

async function checked(command: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const result = await run(command, args, env);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.code}):\n${result.stderr}`);
  return result;
}

const onB = { DOCKER_HOST: B_HOST };

/** `modus build --json --verbose` of app; the image id, the time and the progress. */
async function modusBuild(options: Options, context: string, extra: string[], env: Record<string, string>): Promise<{ imageId: string; seconds: number; progress: string }> {
  const args = [options.cli, 'build', '--json', '--verbose', '--network', 'none', ...extra, context, 'app'];
  const result = await run(process.execPath, args, { MODUS_DOCKER: DOCKER, MODUS_FRONTEND: FRONTEND, MODUS_BUILDX: '0', ...env }, context);
  if (result.code !== 0) throw new Error(`modus build ${extra.join(' ')} failed (${result.code}):\n${result.stderr}`);
  const report = JSON.parse(result.stdout) as { image_id: string }[];
  return { imageId: report[0]!.image_id, seconds: result.seconds, progress: result.stderr };
}

/** B with no build cache and none of the images built here. */
async function makeBCold(images: string[]): Promise<void> {
  if (images.length > 0) await run(DOCKER, ['image', 'rm', '--force', ...images.splice(0)], onB);
  await checked(DOCKER, ['builder', 'prune', '-af'], onB);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  const repo = `${REGISTRY}/modus-bench/substitution-${randomBytes(4).toString('hex')}`;
  const context = fs.mkdtempSync(path.join(os.tmpdir(), 'modus-bench-substitution-'));
  fs.writeFileSync(path.join(context, 'right.txt'), 'right\n');
  fs.writeFileSync(path.join(context, 'Modusfile'), modusfile(randomBytes(8).toString('hex'), options.scale));
  const builtOnB: string[] = [];
  const pushedRefs: string[] = [];
  try {
    const onA = await modusBuild(options, context, ['--cache-repo', repo, '--push-cache'], {});
    pushedRefs.push(...[...onA.progress.matchAll(/^modus build: pushed \S+ as (\S+)$/gm)].map((m) => m[1]!));
    const pushed = pushedRefs.length;
    if (pushed !== 4) throw new Error(`machine A pushed ${pushed} sub-images, expected 4:\n${onA.progress}`);
    const without: number[] = [];
    const withRepo: number[] = [];
    for (let i = 0; i < options.reps; i++) {
      for (const useRepo of i % 2 === 0 ? [false, true] : [true, false]) {
        await makeBCold(builtOnB);
        const built = await modusBuild(options, context, useRepo ? ['--cache-repo', repo] : [], onB);
        builtOnB.push(built.imageId);
        const substituted = built.progress.includes(`[modus] substitute app from ${repo}:`);
        if (substituted !== useRepo) throw new Error(`cold build on B ${useRepo ? 'with' : 'without'} the repository: substitution ${substituted ? 'happened' : 'missing'}:\n${built.progress}`);
        (useRepo ? withRepo : without).push(built.seconds);
      }
    }
    const result = {
      reps: options.reps,
      scale: options.scale,
      stepSleepS: 18 * options.scale,
      machineASeconds: onA.seconds,
      withoutRepoMedianS: median(without),
      withRepoMedianS: median(withRepo),
      ratio: median(withRepo) / median(without),
      targetRatio: TARGET_RATIO,
      withoutRepoS: without,
      withRepoS: withRepo,
      cpus: os.cpus().length,
      loadAverage: os.loadavg()[0],
    };
    const row = (label: string, value: string) => `| ${label} | ${value} |`;
    console.log(
      [
        `Cold builds on machine B (build cache pruned before each), median of ${options.reps}; sleeps on the longest path ${result.stepSleepS} s (--scale ${options.scale}); ${result.cpus} CPUs, load average ${result.loadAverage.toFixed(2)}`,
        '',
        '| measure | value |',
        '|---|---|',
        row('machine A: build + push (once)', `${result.machineASeconds.toFixed(2)} s`),
        row('B cold, without the cache repository', `${result.withoutRepoMedianS.toFixed(2)} s (${without.map((s) => s.toFixed(2)).join(', ')})`),
        row('B cold, with the cache repository', `${result.withRepoMedianS.toFixed(2)} s (${withRepo.map((s) => s.toFixed(2)).join(', ')})`),
        row('ratio (target ≤ 0.1)', result.ratio.toFixed(3)),
        '',
        result.ratio <= TARGET_RATIO ? 'target met' : 'target MISSED',
      ].join('\n'),
    );
    if (options.json) fs.writeFileSync(options.json, JSON.stringify(result, null, 2) + '\n');
  } finally {
    await makeBCold(builtOnB).catch(() => undefined);
    if (pushedRefs.length > 0) await run(DOCKER, ['image', 'rm', ...pushedRefs]);
    fs.rmSync(context, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

/**
 * The cost of a `::cache_probe` when nothing changed. Two Modusfiles build the same image — a
 * download of a file served on 127.0.0.1 — one with the download probed (`wget -q -O - URL`),
 * one without. After a warm-up build of each (filling BuildKit's cache), every repetition builds
 * both, alternating, all steps CACHED; the difference of the medians is what the probe costs.
 * The probe command's own time is measured on the host (busybox wget, same URL). Target: the
 * probe costs at most its own time plus 0.3 s.
 *
 * Usage (from the repository root): bench/probe/run.sh [--reps N] [--json FILE]
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';

const DOCKER = process.env.MODUS_DOCKER || '/usr/bin/docker';
const FRONTEND = process.env.MODUS_FRONTEND_IMAGE || 'modus-frontend:dev';
const BASE = process.env.MODUS_BUSYBOX_IMAGE || 'modus-test/busybox:1';
const TARGET_OVERHEAD_S = 0.3;

interface Options {
  reps: number;
  json: string | undefined;
}

function readOptions(argv: string[]): Options {
  const options: Options = { reps: 7, json: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--reps') options.reps = Number(argv[++i]);
    else if (argv[i] === '--json') options.json = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!Number.isInteger(options.reps) || options.reps < 1) throw new Error('--reps needs a positive whole number');
  return options;
}

function run(command: string, args: string[]): Promise<{ code: number; output: string; seconds: number }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, DOCKER_BUILDKIT: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output: Buffer.concat(chunks).toString('utf8'), seconds: (performance.now() - start) / 1000 }));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function build(context: string, file: string): Promise<{ seconds: number; output: string }> {
  const args = ['build', '--progress=plain', '--network=host', '--build-arg', `BUILDKIT_SYNTAX=${FRONTEND}`, '-f', path.join(context, file), '--target', 'app', context];
  const result = await run(DOCKER, args);
  if (result.code !== 0) throw new Error(`docker build -f ${file} failed:\n${result.output}`);
  return result;
}

/** Steps that ran (not CACHED) other than the probe itself: a warm build must have none. */
function stepsRun(output: string): string[] {
  const names = new Map<string, string>();
  const ran: string[] = [];
  for (const line of output.split('\n')) {
    const m = /^#(\d+) (.*)$/.exec(line);
    if (!m) continue;
    if (!names.has(m[1]!)) names.set(m[1]!, m[2]!);
    else if (/^DONE /.test(m[2]!) && / › run\(/.test(names.get(m[1]!)!)) ran.push(names.get(m[1]!)!);
  }
  return ran;
}

/** The probe step's own duration as BuildKit reports it (`#N DONE 0.3s`). */
function probeStepSeconds(output: string): number | undefined {
  const vertex = /^#(\d+) .*::cache_probe\(/m.exec(output)?.[1];
  if (vertex === undefined) return undefined;
  const done = new RegExp(`^#${vertex} DONE (\\d+(?:\\.\\d+)?)s`, 'm').exec(output);
  return done ? Number(done[1]) : undefined;
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  const content = 'nothing changes here\n'.repeat(50);
  const server = http.createServer((_req, res) => res.end(content));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/file`;
  const context = fs.mkdtempSync(path.join(os.tmpdir(), 'modus-bench-probe-'));
  const nonce = `${process.pid}-${Date.now()}`;
  const fetch = `wget -q -O /file ${url} && echo ${nonce} > /nonce`;
  fs.writeFileSync(path.join(context, 'plain.Modusfile'), `app :- from("${BASE}"), run("${fetch}").\n`);
  fs.writeFileSync(path.join(context, 'probed.Modusfile'), `app :- from("${BASE}"), run("${fetch}")::cache_probe("wget -q -O - ${url}").\n`);
  try {
    await build(context, 'plain.Modusfile');
    await build(context, 'probed.Modusfile');
    const plain: number[] = [];
    const probed: number[] = [];
    const probeSteps: number[] = [];
    const own: number[] = [];
    for (let i = 0; i < options.reps; i++) {
      const a = await build(context, 'plain.Modusfile');
      const b = await build(context, 'probed.Modusfile');
      const rerun = [...stepsRun(a.output), ...stepsRun(b.output)];
      if (rerun.length > 0) throw new Error(`a warm build ran steps: ${rerun.join(', ')}`);
      plain.push(a.seconds);
      probed.push(b.seconds);
      const step = probeStepSeconds(b.output);
      if (step !== undefined) probeSteps.push(step);
      own.push((await run('busybox', ['wget', '-q', '-O', '/dev/null', url])).seconds);
    }
    const result = {
      reps: options.reps,
      plainMedianS: median(plain),
      probedMedianS: median(probed),
      probeCostS: median(probed) - median(plain),
      probeOwnTimeS: median(own),
      probeStepS: probeSteps.length > 0 ? median(probeSteps) : undefined,
      targetS: median(own) + TARGET_OVERHEAD_S,
      cpus: os.cpus().length,
      loadAverage: os.loadavg()[0],
    };
    const row = (label: string, seconds: number | undefined) => `| ${label} | ${seconds === undefined ? 'n/a' : seconds.toFixed(3)} |`;
    console.log(
      [
        `Warm builds (all steps CACHED), median of ${options.reps}; ${result.cpus} CPUs, load average ${result.loadAverage.toFixed(2)}`,
        '',
        '| measure | seconds |',
        '|---|---|',
        row('build without the probe', result.plainMedianS),
        row('build with the probe', result.probedMedianS),
        row('probe cost (difference)', result.probeCostS),
        row("probe command's own time (host)", result.probeOwnTimeS),
        row('probe step as BuildKit reports it', result.probeStepS),
        row('target: own time + 0.3 s', result.targetS),
        '',
        result.probeCostS <= result.targetS ? 'target met' : 'target MISSED',
      ].join('\n'),
    );
    if (options.json) fs.writeFileSync(options.json, JSON.stringify(result, null, 2) + '\n');
  } finally {
    server.close();
    fs.rmSync(context, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

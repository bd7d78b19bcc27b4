/**
 * The whole-command benchmark: `modus proof --json -f FILE GOAL` as a process against `swipl`
 * consulting the Prolog twin and collecting the same answers with findall (bench/solver/whole.pl),
 * on large generated programs. Each side's start-up is its own process on a one-fact program
 * (ours: `modus proof --json` of `x("a").`; SWI: the same fact and findall), and is subtracted.
 * Wall time is measured around the process (a python3 parent gives its CPU time and peak RSS);
 * runs alternate between the sides; medians. Then the steady state of the same work in one warm process on each side:
 * ours the `proof` command in-process (read, parse, check, translate, solve, choose proofs, JSON),
 * SWI unloading, consulting and querying again.
 *
 * Usage (from the repository root): bench/solver/whole.sh [--reps N] [--only NAME,...] [--dir DIR]
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { proofCommand } from '../../frontend/cli/commands/proof';
import { parseBenchArgs, writeProgram, type BenchOptions } from './options';
import { largeMatrix, LARGE_MATRIX_100K, LARGE_MATRIX_40K, reachability, type BenchProgram } from './programs';

type Options = BenchOptions;

interface ProcessFigures {
  wallMs: number;
  cpuMs: number;
  peakKb: number;
}

interface Side {
  whole: ProcessFigures;
  startup: ProcessFigures;
  steadyWallMs: number;
  steadyCpuMs: number;
  answers: number;
}

const BENCH_DIR = path.resolve('bench/solver');
const MODUS = path.resolve('bin/modus');
const TINY: BenchProgram = {
  name: 'start-up',
  description: 'one fact',
  modusfile: 'x("a").\n',
  goal: 'x(X)',
  prolog: 'x(a).\nbench_query(N) :- findall(X, x(X), All), sort(All, D), length(D, N).\n',
  expectedAnswers: 1,
};

function programs(): BenchProgram[] {
  return [largeMatrix(LARGE_MATRIX_40K), largeMatrix(LARGE_MATRIX_100K), reachability(30000), reachability(50000)];
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  fs.mkdirSync(options.dir, { recursive: true });
  writeProgram(options.dir, TINY);
  const rows: Array<{ program: BenchProgram; ours: Side; swi: Side }> = [];
  for (const program of programs().filter((p) => !options.only || options.only.includes(p.name))) {
    writeProgram(options.dir, program);
    const [ours, swi] = wholeCommands(options, program);
    rows.push({ program, ours: { ...ours, ...(await oursSteady(options, program)) }, swi: { ...swi, ...swiSteady(options, program) } });
    process.stderr.write(`${program.name}: done\n`);
  }
  process.stdout.write(report(rows, options));
}

function parseArgs(args: string[]): Options {
  return parseBenchArgs(args, { reps: 7, only: undefined, dir: path.join(os.tmpdir(), 'modus-solver-bench-whole') });
}

// ---------------------------------------------------------------------------------------------
// Whole processes

function oursCommand(dir: string, program: BenchProgram): string[] {
  return ['node', MODUS, 'proof', '--json', '-f', path.join(dir, `${program.name}.Modusfile`), program.goal];
}

function swiCommand(dir: string, program: BenchProgram): string[] {
  return ['swipl', path.join(BENCH_DIR, 'whole.pl'), '--', path.join(dir, `${program.name}.pl`)];
}

/**
 * Runs a command with its stdout going to `out` (a file path); CPU time (user + sys, to the
 * microsecond) and peak RSS come from wait4 in a small python3 parent (GNU time gives only
 * hundredths of a second, too coarse for SWI's tens of milliseconds).
 */
const WAIT4 = `import os, sys
pid = os.fork()
if pid == 0:
    fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(fd, 1)
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime, usage.ru_maxrss)`;

function timed(command: string[], out: string): ProcessFigures {
  const t0 = performance.now();
  const result = spawnSync('python3', ['-c', WAIT4, out, ...command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const wallMs = performance.now() - t0;
  const [status, cpu, peak] = result.stdout.trim().split(' ').map(Number);
  if (result.status !== 0 || status !== 0) throw new Error(`${command.join(' ')} exited with ${status}`);
  return { wallMs, cpuMs: cpu! * 1000, peakKb: peak! };
}

function countAnswers(side: 'ours' | 'swi', out: string): number {
  const text = fs.readFileSync(out, 'utf8');
  return side === 'ours' ? (JSON.parse(text) as { solutions: unknown[] }).solutions.length : Number(text.trim());
}

/** Both sides alternately, the program and the start-up program, after one warm-up round. */
function wholeCommands(options: Options, program: BenchProgram): [Omit<Side, 'steadyWallMs' | 'steadyCpuMs'>, Omit<Side, 'steadyWallMs' | 'steadyCpuMs'>] {
  const out = path.join(options.dir, 'out.txt');
  const runs = { ours: [] as ProcessFigures[], swi: [] as ProcessFigures[], oursStart: [] as ProcessFigures[], swiStart: [] as ProcessFigures[] };
  const answers = { ours: 0, swi: 0 };
  for (let rep = 0; rep <= options.reps; rep++) {
    const ours = timed(oursCommand(options.dir, program), out);
    answers.ours = countAnswers('ours', out);
    const swi = timed(swiCommand(options.dir, program), out);
    answers.swi = countAnswers('swi', out);
    const oursStart = timed(oursCommand(options.dir, TINY), out);
    const swiStart = timed(swiCommand(options.dir, TINY), out);
    if (rep === 0) continue;
    runs.ours.push(ours);
    runs.swi.push(swi);
    runs.oursStart.push(oursStart);
    runs.swiStart.push(swiStart);
  }
  return [
    { whole: medians(runs.ours), startup: medians(runs.oursStart), answers: answers.ours },
    { whole: medians(runs.swi), startup: medians(runs.swiStart), answers: answers.swi },
  ];
}

function medians(runs: ProcessFigures[]): ProcessFigures {
  return {
    wallMs: median(runs.map((r) => r.wallMs)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    peakKb: median(runs.map((r) => r.peakKb)),
  };
}

// ---------------------------------------------------------------------------------------------
// Steady state

async function oursSteady(options: Options, program: BenchProgram): Promise<{ steadyWallMs: number; steadyCpuMs: number }> {
  const argv = oursCommand(options.dir, program).slice(3);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let rep = 0; rep <= options.reps; rep++) {
    collectGarbage();
    const chunks: string[] = [];
    const io = { stdout: (t: string) => void chunks.push(t), stderr: (t: string) => void process.stderr.write(t), env: {}, cwd: process.cwd(), isTTY: false };
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const code = await proofCommand.run(argv, io);
    const c = process.cpuUsage(c0);
    const t1 = performance.now();
    if (code !== 0) throw new Error(`${program.name}: modus proof exited with ${code}`);
    if (rep === 0) continue;
    wall.push(t1 - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { steadyWallMs: median(wall), steadyCpuMs: median(cpu) };
}

function swiSteady(options: Options, program: BenchProgram): { steadyWallMs: number; steadyCpuMs: number } {
  const output = execFileSync('swipl', [path.join(BENCH_DIR, 'whole.pl'), '--', path.join(options.dir, `${program.name}.pl`), String(options.reps)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const runs = output.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f[0] === 'run' && f[1] !== '0');
  return { steadyWallMs: median(runs.map((f) => Number(f[2]))), steadyCpuMs: median(runs.map((f) => Number(f[3]))) };
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

// ---------------------------------------------------------------------------------------------
// Report

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const s = (ms: number): string => (ms / 1000).toFixed(3);
const mb = (kb: number): string => (kb / 1024).toFixed(0);
const ratio = (a: number, b: number): string => (b > 0 ? (a / b).toFixed(2) : '–');

function report(rows: Array<{ program: BenchProgram; ours: Side; swi: Side }>, options: Options): string {
  const lines = [
    `Whole command and steady state, median of ${options.reps} runs after 1 warm-up (times in s, memory in MB).`,
    `Node ${process.version}; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    '',
    '| program | answers (ours / SWI) | ours wall (start-up) | SWI wall (start-up) | **whole ratio, wall** | ours CPU (start-up) | SWI CPU (start-up) | whole ratio, CPU | ours / SWI peak RSS | ours / SWI steady wall | **steady ratio** |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { program, ours, swi } of rows) {
    const net = (side: Side, key: 'wallMs' | 'cpuMs'): number => side.whole[key] - side.startup[key];
    lines.push(
      `| ${program.name} | ${ours.answers} / ${swi.answers} | ${s(ours.whole.wallMs)} (${s(ours.startup.wallMs)}) | ${s(swi.whole.wallMs)} (${s(swi.startup.wallMs)}) | ` +
        `**${ratio(net(ours, 'wallMs'), net(swi, 'wallMs'))}** | ${s(ours.whole.cpuMs)} (${s(ours.startup.cpuMs)}) | ${s(swi.whole.cpuMs)} (${s(swi.startup.cpuMs)}) | ` +
        `${ratio(net(ours, 'cpuMs'), net(swi, 'cpuMs'))} | ${mb(ours.whole.peakKb)} / ${mb(swi.whole.peakKb)} | ` +
        `${s(ours.steadyWallMs)} / ${s(swi.steadyWallMs)} | **${ratio(ours.steadyWallMs, swi.steadyWallMs)}** |`,
    );
  }
  lines.push('');
  for (const { program, ours, swi } of rows) {
    const ok = ours.answers === program.expectedAnswers && swi.answers === program.expectedAnswers;
    lines.push(`* ${program.name}: ${program.description}; expected ${program.expectedAnswers} answers: ${ok ? 'ok' : 'MISMATCH'}`);
  }
  lines.push('');
  return lines.join('\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});

/**
 * The solver benchmark: each generated program is run by SWI-Prolog (swipl, timed inside
 * Prolog around the query, load reported separately) and by our pipeline in this process
 * (parseModusfile → translateProgram/translateGoal → solve), one after the other, several
 * repetitions each after a warm-up. Prints a Markdown table of medians and the ratio ours/SWI.
 *
 * Usage (from the repository root): bench/solver/run.sh [--reps N] [--only NAME,...]
 *   [--dir DIR] [--json FILE] [--skip-swi] [--skip-ours]
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { parseGoal, parseModusfile } from '../../grammar';
import { SourceFile } from '../../grammar/source';
import { solve } from '../../frontend/solver/solve';
import type { IRLiteral, IRProgram } from '../../frontend/language/ir';
import { translateGoal, translateProgram } from '../../frontend/translate/translate';
import { parseBenchArgs, writeProgram, type BenchOptions } from './options';
import { allPrograms, BenchProgram } from './programs';

interface Options extends BenchOptions {
  json: string | undefined;
  skipSwi: boolean;
  skipOurs: boolean;
}

interface SwiResult {
  loadMs: number;
  queryWallMs: number;
  queryCpuMs: number;
  answers: number;
}

interface OursResult {
  parseTranslateMs: number;
  solveMs: number;
  /** Process CPU time (user + system, all threads: includes Node's parallel GC helpers). */
  solveCpuMs: number;
  totalMs: number;
  answers: number;
  steps: number;
  errors: string[];
}

interface Row {
  program: BenchProgram;
  swi?: SwiResult;
  ours?: OursResult;
}

const BENCH_DIR = path.resolve('bench/solver');

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  fs.mkdirSync(options.dir, { recursive: true });
  fs.copyFileSync(path.join(BENCH_DIR, 'modus_builtins.pl'), path.join(options.dir, 'modus_builtins.pl'));
  const programs = allPrograms().filter((p) => !options.only || options.only.includes(p.name));
  const rows: Row[] = [];
  for (const program of programs) {
    writeProgram(options.dir, program);
    const row: Row = { program };
    if (!options.skipSwi) row.swi = runSwi(options, program);
    if (!options.skipOurs) row.ours = runOurs(options, program);
    rows.push(row);
    process.stderr.write(`${program.name}: done\n`);
  }
  process.stdout.write(report(rows, options));
  if (options.json) fs.writeFileSync(options.json, JSON.stringify(rows.map(jsonRow), null, 2) + '\n');
}

function parseArgs(args: string[]): Options {
  const defaults: Options = { reps: 7, only: undefined, dir: path.join(os.tmpdir(), 'modus-solver-bench'), json: undefined, skipSwi: false, skipOurs: false };
  return parseBenchArgs(args, defaults, (arg, value) => {
    if (arg === '--json') defaults.json = path.resolve(value());
    else if (arg === '--skip-swi') defaults.skipSwi = true;
    else if (arg === '--skip-ours') defaults.skipOurs = true;
    else return false;
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// SWI-Prolog

function runSwi(options: Options, program: BenchProgram): SwiResult {
  const output = execFileSync(
    'swipl',
    [path.join(BENCH_DIR, 'harness.pl'), '--', path.join(options.dir, `${program.name}.pl`), String(options.reps)],
    { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let loadMs = NaN;
  const wall: number[] = [];
  const cpu: number[] = [];
  const answers = new Set<number>();
  for (const line of output.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === 'load') loadMs = Number(fields[1]);
    if (fields[0] === 'run' && fields[1] !== '0') {
      wall.push(Number(fields[2]));
      cpu.push(Number(fields[3]));
      answers.add(Number(fields[4]));
    }
  }
  if (wall.length !== options.reps || answers.size !== 1) {
    throw new Error(`unexpected swipl output for ${program.name}:\n${output}`);
  }
  return { loadMs, queryWallMs: median(wall), queryCpuMs: median(cpu), answers: [...answers][0]! };
}

// ---------------------------------------------------------------------------------------------
// Ours

function runOurs(options: Options, program: BenchProgram): OursResult {
  const parseTranslate: number[] = [];
  const solveTimes: number[] = [];
  const solveCpu: number[] = [];
  const totals: number[] = [];
  let last: { answers: number; steps: number; errors: string[] } | undefined;
  for (let rep = 0; rep <= options.reps; rep++) {
    collectGarbage();
    const t0 = performance.now();
    const prepared = prepare(program);
    const t1 = performance.now();
    const cpu0 = process.cpuUsage();
    const result = solve(prepared.program, prepared.goal, { cost: 'layers' });
    const cpu = process.cpuUsage(cpu0);
    const t2 = performance.now();
    last = {
      answers: result.solutions.length,
      steps: result.steps,
      errors: result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    };
    if (rep === 0) continue; // warm-up
    parseTranslate.push(t1 - t0);
    solveTimes.push(t2 - t1);
    solveCpu.push((cpu.user + cpu.system) / 1000);
    totals.push(t2 - t0);
  }
  return {
    parseTranslateMs: median(parseTranslate),
    solveMs: median(solveTimes),
    solveCpuMs: median(solveCpu),
    totalMs: median(totals),
    ...last!,
  };
}

function prepare(program: BenchProgram): { program: IRProgram; goal: IRLiteral[] } {
  const parsed = parseModusfile(new SourceFile(`${program.name}.Modusfile`, program.modusfile));
  failOnErrors(program, 'Modusfile', parsed.diagnostics);
  const goal = parseGoal(new SourceFile('<goal>', program.goal));
  failOnErrors(program, 'goal', goal.diagnostics);
  const translated = translateGoal(goal.goal!, translateProgram(parsed.ast));
  if (translated.goals.length !== 1) throw new Error(`${program.name}: expected one goal body`);
  return { program: translated.program, goal: translated.goals[0]! };
}

function failOnErrors(program: BenchProgram, what: string, diagnostics: Array<{ severity: string; message: string }>): void {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`${program.name}: ${what} does not parse: ${errors.map((e) => e.message).join('; ')}`);
  }
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

// ---------------------------------------------------------------------------------------------
// Report

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function ms(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || b === 0) return '–';
  return (a / b).toFixed(2);
}

function report(rows: Row[], options: Options): string {
  const lines = [
    `Solver benchmark, median of ${options.reps} runs after 1 warm-up (times in ms).`,
    `Machine: ${machine()}; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    '',
    '| program | answers (SWI / ours) | SWI load | SWI query wall | SWI query cpu | ours parse+translate | ours solve wall | ours solve cpu | ours total wall | ratio total/query (wall) | ratio solve/query (wall) | ratio solve/query (cpu) | ratio total/(load+query) (wall) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { program, swi, ours } of rows) {
    const answers = `${swi?.answers ?? '–'} / ${ours?.answers ?? '–'}`;
    lines.push(
      `| ${program.name} | ${answers} | ${ms(swi?.loadMs)} | ${ms(swi?.queryWallMs)} | ${ms(swi?.queryCpuMs)} | ` +
        `${ms(ours?.parseTranslateMs)} | ${ms(ours?.solveMs)} | ${ms(ours?.solveCpuMs)} | ${ms(ours?.totalMs)} | ` +
        `${ratio(ours?.totalMs, swi?.queryWallMs)} | ${ratio(ours?.solveMs, swi?.queryWallMs)} | ` +
        `${ratio(ours?.solveCpuMs, swi?.queryCpuMs)} | ` +
        `${ratio(ours?.totalMs, swi ? swi.loadMs + swi.queryWallMs : undefined)} |`,
    );
  }
  lines.push('');
  for (const { program, swi, ours } of rows) {
    const problems: string[] = [];
    if (swi && swi.answers !== program.expectedAnswers) problems.push(`SWI found ${swi.answers}`);
    if (ours && ours.answers !== program.expectedAnswers) problems.push(`ours found ${ours.answers}`);
    if (ours && ours.errors.length > 0) problems.push(`our errors: ${ours.errors.join('; ')}`);
    const status = problems.length === 0 ? 'ok' : `MISMATCH (${problems.join(', ')})`;
    const steps = ours ? `, ${ours.steps} resolution steps` : '';
    lines.push(`* ${program.name}: ${program.description}; expected ${program.expectedAnswers} answers: ${status}${steps}`);
  }
  lines.push('');
  return lines.join('\n');
}

function machine(): string {
  const cpus = os.cpus();
  let swipl = 'swipl ?';
  try {
    swipl = execFileSync('swipl', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // reported as unknown
  }
  return `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
    `${os.type()} ${os.release()}, Node ${process.version}, ${swipl}`;
}

function jsonRow(row: Row): object {
  return { name: row.program.name, expectedAnswers: row.program.expectedAnswers, swi: row.swi, ours: row.ours };
}

main();

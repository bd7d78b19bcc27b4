/**
 * The solver benchmark's generated programs: deterministic, parseable, with the answer counts
 * they promise, and a Prolog twin whose number and semver builtins agree with ours (when swipl exists).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseGoal, parseModusfile } from '../../../../grammar';
import { SourceFile } from '../../../../grammar/source';
import { compareNumbers, NumberComparison } from '../../../../frontend/solver/builtins/number';
import { compareSemver, SemverComparison } from '../../../../frontend/solver/builtins/semver';
import {
  allPrograms,
  imageMatrix,
  LARGE_MATRIX_100K,
  LARGE_MATRIX_40K,
  largeMatrix,
  largeMatrixImageCount,
  MATRIX_40,
  MATRIX_400,
  matrixImageCount,
  prologAtom,
  reachability,
} from '../../../../bench/solver/programs';
import { startsProcesses } from '../../../support/process-tests';

startsProcesses();

const BENCH_DIR = path.resolve(__dirname, '../../../../bench/solver');

function hasSwipl(): boolean {
  try {
    execFileSync('swipl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const itWithSwipl = hasSwipl() ? it : it.skip;

describe('generated benchmark programs', () => {
  it('are byte-identical when generated twice', () => {
    expect(allPrograms()).toEqual(allPrograms());
  });

  it('have the promised sizes', () => {
    expect(matrixImageCount(MATRIX_40)).toBe(40);
    expect(matrixImageCount(MATRIX_400)).toBe(400);
    expect(imageMatrix(MATRIX_40).expectedAnswers).toBe(40);
    const reach = reachability(1000);
    expect(reach.modusfile.split('\n').filter((l) => l.startsWith('arc(')).length).toBe(1000);
    expect(largeMatrixImageCount(LARGE_MATRIX_40K)).toBe(40000);
    expect(largeMatrixImageCount(LARGE_MATRIX_100K)).toBe(100000);
    const excluded = largeMatrix(LARGE_MATRIX_100K).modusfile.split('\n').filter((l) => l.startsWith('excluded('));
    expect(new Set(excluded).size).toBe(LARGE_MATRIX_100K.excluded);
    expect(reachability(10000).prolog.split('\n').filter((l) => l.startsWith('arc(')).length).toBe(10000);
  });

  it('reach: every node is reachable from n0 (BFS over the arcs)', () => {
    const program = reachability(1000);
    const arcs = [...program.modusfile.matchAll(/^arc\("(n\d+)", "(n\d+)"\)\.$/gm)].map((m) => [m[1]!, m[2]!]);
    const next = new Map<string, string[]>();
    for (const [a, b] of arcs) next.set(a!, [...(next.get(a!) ?? []), b!]);
    const seen = new Set<string>();
    const queue = [...(next.get('n0') ?? [])];
    while (queue.length > 0) {
      const node = queue.pop()!;
      if (seen.has(node)) continue;
      seen.add(node);
      queue.push(...(next.get(node) ?? []));
    }
    expect(seen.size).toBe(program.expectedAnswers);
    expect(seen.has('n0')).toBe(true); // through a cycle
  });

  it.each(allPrograms().map((p) => [p.name, p] as const))('%s parses without diagnostics', (_name, program) => {
    expect(parseModusfile(new SourceFile('Modusfile', program.modusfile)).diagnostics).toEqual([]);
    expect(parseGoal(new SourceFile('goal', program.goal)).diagnostics).toEqual([]);
  });

  it('quotes Prolog atoms', () => {
    expect(prologAtom("it's \\ a")).toBe("'it\\'s \\\\ a'");
  });

  itWithSwipl('the Prolog twins find the expected number of answers', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-programs-'));
    fs.copyFileSync(path.join(BENCH_DIR, 'modus_builtins.pl'), path.join(dir, 'modus_builtins.pl'));
    for (const program of [imageMatrix(MATRIX_40), reachability(1000), largeMatrix({ versions: 20, variants: 3, distros: 10, excluded: 7 })]) {
      const file = path.join(dir, `${program.name}.pl`);
      fs.writeFileSync(file, program.prolog);
      const out = execFileSync('swipl', [path.join(BENCH_DIR, 'harness.pl'), '--', file, '1'], { encoding: 'utf8' });
      const runs = out.split('\n').filter((l) => l.startsWith('run '));
      expect(runs).toHaveLength(2);
      for (const run of runs) expect(Number(run.trim().split(/\s+/)[4])).toBe(program.expectedAnswers);
    }
  });
});

describe('the Prolog builtins of the benchmark agree with ours', () => {
  const numberCases: Array<[string, string]> = [
    ['1', '1.0'], ['3.15', '3.14'], ['10', '9'], ['-0', '0'], ['.5', '0.5'], ['1.', '1'], ['1e3', '1000'],
    ['1E-3', '0.001'], ['NaN', 'NaN'], ['nan', '1'], ['inf', '1e308'], ['-Infinity', '-1e308'], ['1e400', 'inf'],
    [' 1', '1'], ['0x10', '16'], ['', '0'], ['.', '0'], ['1e', '1'], ['1_0', '10'], ['+.5e-3', '0.0005'], ['8', '999'],
  ];
  const semverCases: Array<[string, string]> = [
    ['1.0.1', '1.0'], ['1.1', '1'], ['1.1', '1.1.1'], ['0.1.0-beta', '0.1.0-alpha'], ['1.0-alpha', '1.0'],
    ['0.1.1-alpha', '0.1.0'], ['1.0.0-alpha.beta', '1.0.0-alpha.1'], ['1.0.0-alpha.10', '1.0.0-alpha.9'],
    ['1.0.0-rc.1', '1.0.0-rc.1'], ['1.0.0', '1.0.0-rc.2'], ['1.0.0-rc.2', '1.0.0'], ['1.1.5', '1.1'], ['1.2.0', '1.1'],
    ['1.5.0', '1.*'], ['1.5.0', '1.*.3'], ['1.2.0', ' 1.2'], ['1.2.0', '1.2 '], ['01.0.0', '1'], ['1.0.0-01', '1.0.0-01'],
    ['1.0.0', '=1'], ['1.0.0', '>1'], ['1.0.0+001', '1.0.0'], ['10.0.0', '9'], ['8.0.12', '10'], ['2', '1.9.9'],
    ['1.0.0', ''], ['1.0.0', 'abc'], ['1.2.3.4', '1'], ['1.0.0-Beta', '1.0.0-alpha'], ['0.9.0', '1.0.0-alpha'],
  ];
  const numberOps: NumberComparison[] = ['eq', 'gt', 'lt', 'geq', 'leq'];
  const semverOps: SemverComparison[] = ['exact', 'gt', 'lt', 'geq', 'leq'];

  itWithSwipl('on a shared table of cases', () => {
    const goals: string[] = [];
    const expected: string[] = [];
    for (const [a, b] of numberCases) {
      for (const op of numberOps) {
        goals.push(`number_${op}(${prologAtom(a)}, ${prologAtom(b)})`);
        expected.push(`number_${op}(${JSON.stringify(a)}, ${JSON.stringify(b)}) ${compareNumbers(op, a, b)}`);
      }
    }
    for (const [v, r] of semverCases) {
      for (const op of semverOps) {
        goals.push(`semver_${op}(${prologAtom(v)}, ${prologAtom(r)})`);
        expected.push(`semver_${op}(${JSON.stringify(v)}, ${JSON.stringify(r)}) ${compareSemver(op, v, r)}`);
      }
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-builtins-'));
    const script = [
      `:- use_module(${prologAtom(path.join(BENCH_DIR, 'modus_builtins'))}).`,
      'check(G) :- ( catch(G, _, fail) -> writeln(true) ; writeln(false) ).',
      ':- initialization(main, main).',
      `main :- ${goals.map((g) => `check(${g})`).join(', ')}.`,
      '',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'check.pl'), script);
    const out = execFileSync('swipl', [path.join(dir, 'check.pl')], { encoding: 'utf8' }).trim().split('\n');
    const actual = expected.map((line, i) => line.replace(/ (true|false)$/, ` ${out[i]}`));
    expect(actual).toEqual(expected);
  });
});

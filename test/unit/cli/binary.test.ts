/**
 * The bundled program as users run it: `node dist/modus.js` (made by `npm run build`), a real
 * process with real exit codes and streams. Skipped, with a message, when dist is missing.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CRASH_PATTERN, pseudoRandomBytes, workspace, type Workspace } from './harness';
import { startsProcesses } from '../../support/process-tests';

startsProcesses();

const BUNDLE = path.resolve(__dirname, '../../../dist/modus.js');
const haveBundle = fs.existsSync(BUNDLE);
if (!haveBundle) {
  // eslint-disable-next-line no-console
  console.warn(`skipping the dist/modus.js tests: ${BUNDLE} is missing (run \`npm run build\`)`);
}
const describeBundle = haveBundle ? describe : describe.skip;

let ws: Workspace;
beforeAll(() => {
  ws = workspace();
  ws.write('Modusfile', 'b("0"). b("1").\napp :- from("alpine"), run("echo hi").\n');
  ws.write('bad.mf', 'a :- from("x") run("y").\nb :- .\n');
  ws.write('binary.mf', pseudoRandomBytes(32 * 1024, 5));
  ws.write('nested.mf', `a :- ${'('.repeat(10_000)}from("x")${')'.repeat(10_000)}.\n`);
  let reach = 'reach(X, Y) :- arc(X, Y).\nreach(X, Y) :- arc(X, Z), reach(Z, Y).\n';
  for (let i = 0; i < 3000; i++) reach += `arc("n${i}", "n${i + 1}").\n`;
  ws.write('reach.mf', reach);
});
afterAll(() => ws.remove());

function modus(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return modusWithInput(undefined, ...args);
}

/** `node [--max-old-space-size=MB] dist/modus.js ARGS`: its status (null when killed), stdout, stderr. */
function modusWithHeap(megabytes: number | undefined, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const flags = megabytes === undefined ? [] : [`--max-old-space-size=${megabytes}`];
  const r = spawnSync(process.execPath, [...flags, BUNDLE, ...args], {
    cwd: ws.dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function modusWithInput(input: string | undefined, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BUNDLE, ...args], {
    input,
    cwd: ws.dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describeBundle('node dist/modus.js', () => {
  test('exit codes 0, 1 and 2', () => {
    expect(modus('check').code).toBe(0);
    expect(modus('check', '-f', 'bad.mf').code).toBe(1);
    expect(modus('proof', 'b("7")').code).toBe(1);
    expect(modus('proof', '--cost', 'nope', 'app').code).toBe(2);
    expect(modus('check', 'a', 'b').code).toBe(2);
    expect(modus().code).toBe(2);
  });

  test('proof --json: exactly the documented JSON on stdout', () => {
    const r = modus('proof', '--json', 'b(X)');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      solutions: [
        { literal: 'b("0")', predicate: 'b', args: ['0'], layers: 0 },
        { literal: 'b("1")', predicate: 'b', args: ['1'], layers: 0 },
      ],
    });
    expect(JSON.parse(modus('proof', '--json', 'app').stdout).solutions[0].layers).toBe(1);
  });

  test('check: every error, each as FILE:LINE:COL: error: MESSAGE + source line + caret', () => {
    const r = modus('check', '-f', 'bad.mf');
    const lines = r.stderr.split('\n');
    const headers = lines.map((l, i) => [l, i] as const).filter(([l]) => /^bad\.mf:\d+:\d+: error: /.test(l));
    expect(headers.map(([l]) => l.split(':').slice(1, 3).join(':'))).toEqual(['1:16', '2:6']);
    for (const [, i] of headers) {
      expect(lines[i + 1]).toMatch(/^\s+\d+ \| /);
      expect(lines[i + 2]).toMatch(/^\s+\| +\^/);
    }
  });

  test('`-` reads standard input: fmt and check', () => {
    expect(modusWithInput('a:-b .\n', 'fmt', '-')).toEqual({ code: 0, stdout: 'a :- b.\n', stderr: '' });
    expect(modusWithInput('a:-b .\n', 'fmt', '--check', '-').code).toBe(1);
    const check = modusWithInput('a :- from("x") run("y").\n', 'check', '--json', '-f', '-', '--stdin-filename', 'x/Modusfile');
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout).diagnostics[0]).toEqual(expect.objectContaining({ file: 'x/Modusfile', line: 1, column: 16 }));
  });

  test('a reader that stops early (`| head`): the rest of the output is dropped, exit 0, nothing on stderr', () => {
    ws.write('many.mf', Array.from({ length: 20_000 }, (_, i) => `m("${i}").\n`).join(''));
    const r = spawnSync('bash', ['--norc', '-c', `"${process.execPath}" "${BUNDLE}" proof --json -f many.mf 'm(X)' | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`], {
      cwd: ws.dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
      timeout: 60_000,
    });
    expect({ status: r.stdout.trim(), stderr: r.stderr }).toEqual({ status: '0', stderr: '' });
  });

  test('standard output on a full disk (`> /dev/full`): exit 1 and one line saying why, no stack trace', () => {
    ws.write('one.mf', 'x("a").\n');
    const r = spawnSync('bash', ['--norc', '-c', `"${process.execPath}" "${BUNDLE}" proof --json -f one.mf 'x(X)' >/dev/full`], {
      cwd: ws.dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
      timeout: 60_000,
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 1, stderr: 'modus: cannot write standard output: no space left on device (ENOSPC)\n' });
  });

  test('an endless derivation of ever longer strings meets the default budget within a 1 GB heap', () => {
    ws.write('endless.mf', 's("a").\ns(Y) :- s(X), string_concat(X, "a", Y).\nt("a").\nt(Y) :- t(X), Y = f"${X}a".\napp :- s("b"), from("x").\nf :- t("b"), from("x").\n');
    for (const goal of ['app', 'f']) {
      const r = modusWithHeap(1024, 'proof', '-f', 'endless.mf', goal);
      expect({ status: r.status, stderr: r.stderr }).toEqual({
        status: 1,
        stderr: 'endless.mf: error: resolution budget of 10000000 steps exceeded (raise it with --budget or the MODUS_BUDGET build arg)\n',
      });
    }
  });

  test('binary input and deep nesting: diagnostics and exit 1, no stack trace', () => {
    for (const file of ['binary.mf', 'nested.mf']) {
      const r = modus('check', '-f', file);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^${file.replace('.', '\\.')}:\\d+:\\d+: error: `));
      expect(r.stderr).not.toMatch(CRASH_PATTERN);
    }
  });

  test('right recursion over 3,000 arcs: every answer, in the order of the path', () => {
    // Each of the 3,000 calls reach("nK", Y) is tabled with its answers: 4.5 million in all.
    const r = modusWithHeap(undefined, 'proof', '--json', '-f', 'reach.mf', 'reach("n0", Y)');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { solutions } = JSON.parse(r.stdout) as { solutions: { args: string[] }[] };
    expect(solutions).toHaveLength(3_000);
    expect(solutions[0]!.args).toEqual(['n0', 'n1']);
    expect(solutions[2_999]!.args).toEqual(['n0', 'n3000']);
  }, 120_000);

  test('a search that fills the heap stops with a named error, not an out-of-memory crash', () => {
    const r = modusWithHeap(150, 'proof', '--json', '-f', 'reach.mf', 'reach("n0", Y)');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^reach\.mf: error: the search ran out of memory: \d+ answers tabled fill most of the \d+ MB heap \(narrow the goal, or give Node more with NODE_OPTIONS=--max-old-space-size=MB\)\n$/);
  }, 60_000);
});

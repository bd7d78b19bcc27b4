/**
 * Inputs a hostile or careless user gives: endless files, floods of errors, endless derivations,
 * goals outside the language. Each is refused quickly, clearly and within bounded memory.
 */
import { SourceFile } from '../../../grammar/source';
import { probeJobs } from '../../../frontend/caching/probes';
import { DEFAULT_MAX_FILE_SIZE, loadProgramText, planSolutions, solveGoal } from '../../../frontend/pipeline';
import { CRASH_PATTERN, workspace, type Workspace } from './harness';

let ws: Workspace;
beforeAll(() => {
  ws = workspace();
});
afterAll(() => ws.remove());

describe('what is read is capped', () => {
  test('modus check -f /dev/zero stops at the limit with a clear error', async () => {
    const r = await ws.run(['check', '-f', '/dev/zero']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`modus check: cannot read /dev/zero: larger than ${DEFAULT_MAX_FILE_SIZE} bytes (the limit; set MODUS_MAX_FILE_SIZE to raise it)\n`);
  });

  test('MODUS_MAX_FILE_SIZE sets the limit; a file within it is read', async () => {
    ws.write('small.mf', 'a :- from("x").\n');
    expect((await ws.run(['check', '-f', 'small.mf'], { env: { MODUS_MAX_FILE_SIZE: '16' } })).code).toBe(0);
    const r = await ws.run(['proof', '-f', 'small.mf', 'a'], { env: { MODUS_MAX_FILE_SIZE: '15' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot read small.mf: larger than 15 bytes');
  });

  test('a bad MODUS_MAX_FILE_SIZE is named', async () => {
    ws.write('small.mf', 'a :- from("x").\n');
    const r = await ws.run(['check', '-f', 'small.mf'], { env: { MODUS_MAX_FILE_SIZE: '1MB' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('MODUS_MAX_FILE_SIZE must be a positive whole number of bytes, not `1MB`');
  });
});

test('static-check errors are capped like syntax errors', async () => {
  const clauses = Array.from({ length: 5000 }, (_, i) => `p${i} :- from("a"); run("x").\n`).join('');
  ws.write('kinds.mf', clauses);
  const r = await ws.run(['check', '-f', 'kinds.mf']);
  expect(r.code).toBe(1);
  expect(r.stderr.match(/: error: /g)).toHaveLength(20);
  expect(r.stderr).toContain('kinds.mf: note: 4980 more errors not shown');
  expect(r.stderr.length).toBeLessThan(20_000);
});

describe('a negated goal reads as written', () => {
  beforeAll(() => ws.write('neg.mf', 'mode("y").\napp :- from("a").\n'));

  test('--json', async () => {
    const r = await ws.run(['proof', '--json', '-f', 'neg.mf', '!mode("x")']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{"solutions": [{"literal": "!mode(\\"x\\")", "predicate": "mode", "args": ["x"], "layers": 0}]}\n');
  });

  test('the tree shows the goal negation', async () => {
    const r = await ws.run(['proof', '-f', 'neg.mf', 'app, !mode("x")']);
    expect(r.stdout).not.toContain('_negate');
    expect(r.stdout).toContain('app\n└── from("a")\n!mode("x")\n');
    const alone = await ws.run(['proof', '-f', 'neg.mf', '!mode("x")']);
    expect(alone.stdout).toContain('Proof 1 of 1 (0 layers):\n!mode("x")\n');
  });
});

test('a list in a goal is refused by every command, as in a clause body', async () => {
  ws.write('list.mf', 'd(X) :- from("a").\n');
  for (const argv of [['proof'], ['proof', '--json'], ['llb'], ['transpile']]) {
    const r = await ws.run([...argv, '-f', 'list.mf', 'd(["a", "b"])']);
    expect({ argv, code: r.code }).toEqual({ argv, code: 1 });
    expect(r.stderr).toContain('goal:1:3: error: A list was found here. This is not supported currently.');
  }
});

test('an endless derivation of ever longer strings meets the default budget quickly', async () => {
  ws.write('endless.mf', 's("a").\ns(Y) :- s(X), string_concat(X, "a", Y).\napp :- s("b"), from("x").\n');
  const started = Date.now();
  const r = await ws.run(['proof', '-f', 'endless.mf', 'app']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('error: resolution budget of 10000000 steps exceeded (raise it with --budget or the MODUS_BUDGET build arg)');
  expect(r.stderr).not.toMatch(CRASH_PATTERN);
  expect(Date.now() - started).toBeLessThan(10_000);
  // Within 1 GB: test/unit/cli/binary.test.ts runs it in a process of its own with a 1 GB heap.
}, 30_000);

test('a probe runs once per command, base image, working directory and env', () => {
  const src = `v("1").
v("2").
b(V) :- v(V), from("alpine"), (run("make")::cache_probe("echo $V"))::in_env("V", V).
c :- from("alpine"), (run("make")::cache_probe("echo $V"))::in_env("V", "1").
w :- from("alpine"), (run("make")::cache_probe("echo $V"))::in_workdir("/w").
`;
  const loaded = loadProgramText(new SourceFile('Modusfile', src));
  const solutions = ['b(V)', 'c', 'w'].flatMap((goal) => solveGoal(loaded.program!, goal, { cost: 'layers', forBuild: true }).solutions);
  const { plan } = planSolutions(solutions);
  const jobs = probeJobs(plan).map((j) => ({ base: j.base, cwd: j.cwd, env: j.env }));
  expect(jobs).toEqual([
    { base: 0, cwd: '', env: [['V', '1']] },
    { base: 0, cwd: '', env: [['V', '2']] },
    { base: 0, cwd: '/w', env: [] },
  ]);
});

test('6,000 chained :: operators: modus check passes, modus proof never crashes', async () => {
  ws.write('ops.mf', 'a :- from("x"), run("y")' + '::in_workdir("w")'.repeat(6000) + '.\n');
  expect(await ws.run(['check', '-f', 'ops.mf'])).toEqual({ code: 0, stdout: '', stderr: '' });
  const proof = await ws.run(['proof', '--json', '-f', 'ops.mf', 'a']);
  expect(proof.stderr).not.toMatch(CRASH_PATTERN);
}, 60_000);

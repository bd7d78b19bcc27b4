/**
 * Depth that comes from the input (long recursions, long chains of image rules, long bodies, long
 * operator chains) is no limit for the solver, the proof printers, the planner or LLB generation:
 * they loop instead of recursing, and only memory or the resolution budget can stop them.
 */
import { CRASH_PATTERN, workspace, type Workspace } from './harness';

let ws: Workspace;
beforeAll(() => {
  ws = workspace();
});
afterAll(() => ws.remove());

/** `reach` by right recursion over a path of `n` arcs n0 → n1 → … → n`n`. */
function rightRecursion(n: number): string {
  let text = '';
  for (let i = 0; i < n; i++) text += `arc("n${i}", "n${i + 1}").\n`;
  return `${text}reach(X, Y) :- arc(X, Y).\nreach(X, Y) :- arc(X, Z), reach(Z, Y).\n`;
}

/** `n` image rules, each building on the one before: i0 is from("x"), iK is i(K-1) plus a step. */
function imageChain(n: number): string {
  let text = 'i0 :- from("x").\n';
  for (let k = 1; k < n; k++) text += `i${k} :- i${k - 1}, run("s${k}").\n`;
  return text;
}

function expectClean(r: { code: number; stderr: string }): void {
  expect(r.stderr).not.toMatch(CRASH_PATTERN);
  expect(r.stderr).not.toContain('nests too deeply');
  expect(r.code).toBe(0);
}

describe('right recursion', () => {
  // Over 3,000 arcs to every node (4.5 million tabled answers, 1.8 GB): binary.test.ts, in a
  // process of its own, so that memory does not stay with the other tests of this worker.
  beforeAll(() => ws.write('reach10k.mf', rightRecursion(10_000)));

  test('over 10,000 arcs to one node: a proof 10,000 rules deep', async () => {
    const r = await ws.run(['proof', '--json', '-f', 'reach10k.mf', 'reach("n0", "n10000")']);
    expectClean(r);
    expect(r.stdout).toBe('{"solutions": [{"literal": "reach(\\"n0\\", \\"n10000\\")", "predicate": "reach", "args": ["n0", "n10000"], "layers": 0}]}\n');
  }, 60_000);

  test('the tree printer walks all 10,000 levels', async () => {
    // --compact keeps the output small: the depth is in the proof, the printer walks all of it.
    const r = await ws.run(['proof', '--compact', '-f', 'reach10k.mf', 'reach("n0", "n10000")']);
    expectClean(r);
    expect(r.stdout).toContain('1 proof(s) found');
  }, 60_000);
});

describe('a chain of 4,000 image rules', () => {
  beforeAll(() => ws.write('chain.mf', imageChain(4_000)));

  test('proof --json: one solution of 3,999 layers', async () => {
    const r = await ws.run(['proof', '--json', '-f', 'chain.mf', 'i3999']);
    expectClean(r);
    expect(r.stdout).toBe('{"solutions": [{"literal": "i3999", "predicate": "i3999", "args": [], "layers": 3999}]}\n');
  });

  test('the proof tree, compact and in full', async () => {
    const compact = await ws.run(['proof', '--compact', '-f', 'chain.mf', 'i3999']);
    expectClean(compact);
    expect(compact.stdout).toContain('run("s3999")');
    // The full tree indents every level: its size grows with the square of the depth.
    const full = await ws.run(['proof', '-f', 'chain.mf', 'i1000']);
    expectClean(full);
    expect(full.stdout).toContain('i0\n');
  }, 60_000);

  test('llb and transpile', async () => {
    const llb = await ws.run(['llb', '-f', 'chain.mf', 'i3999']);
    expectClean(llb);
    const transpiled = await ws.run(['transpile', '-f', 'chain.mf', 'i3999']);
    expectClean(transpiled);
    expect(transpiled.stdout).toContain('RUN ["/bin/sh","-c","s3999"]');
  }, 60_000);

  test('--explain and --graph stay capped and never crash', async () => {
    for (const view of ['--explain', '--graph']) {
      const r = await ws.run(['proof', view, '-f', 'chain.mf', 'i3999']);
      expect(r.stderr).not.toMatch(CRASH_PATTERN);
      expect(r.code).toBe(0);
    }
  }, 60_000);
});

describe('a body of 10,000 literals', () => {
  const body = Array.from({ length: 10_000 }, (_, k) => `run("s${k}")`).join(', ');
  beforeAll(() => ws.write('body.mf', `a :- from("x"), ${body}.\n`));

  test('proof --json and the tree', async () => {
    const json = await ws.run(['proof', '--json', '-f', 'body.mf', 'a']);
    expectClean(json);
    expect(json.stdout).toBe('{"solutions": [{"literal": "a", "predicate": "a", "args": [], "layers": 10000}]}\n');
    const tree = await ws.run(['proof', '-f', 'body.mf', 'a']);
    expectClean(tree);
    expect(tree.stdout).toContain('└── run("s9999")');
  }, 60_000);

  test('llb', async () => {
    expectClean(await ws.run(['llb', '-f', 'body.mf', 'a']));
  }, 60_000);
});

describe('6,000 chained :: operators', () => {
  beforeAll(() => ws.write('ops.mf', 'a :- from("x"), run("y")' + '::in_workdir("w")'.repeat(6000) + '.\n'));

  test('proof --json, and the tree of 1,500 (its size grows with the square of the depth)', async () => {
    const json = await ws.run(['proof', '--json', '-f', 'ops.mf', 'a']);
    expectClean(json);
    expect(json.stdout).toBe('{"solutions": [{"literal": "a", "predicate": "a", "args": [], "layers": 1}]}\n');
    ws.write('ops1500.mf', 'a :- from("x"), run("y")' + '::in_workdir("w")'.repeat(1500) + '.\n');
    const tree = await ws.run(['proof', '-f', 'ops1500.mf', 'a']);
    expectClean(tree);
    expect(tree.stdout).toContain('\n└── ) ::in_workdir("w")\n');
  }, 60_000);

  test('llb and transpile', async () => {
    expectClean(await ws.run(['llb', '-f', 'ops.mf', 'a']));
    const transpiled = await ws.run(['transpile', '-f', 'ops.mf', 'a']);
    expectClean(transpiled);
    expect(transpiled.stdout).toContain('w/w/w');
  }, 60_000);

  test('6,000 nested ::merge scopes (the layer count walks them)', async () => {
    const merges = 'm :- from("x"), run("y")' + '::merge'.repeat(6000) + ', (from("z"), run("w"))::copy("/", "/").\n';
    ws.write('merge.mf', merges);
    const r = await ws.run(['proof', '--json', '-f', 'merge.mf', 'm']);
    expectClean(r);
    expect(r.stdout).toBe('{"solutions": [{"literal": "m", "predicate": "m", "args": [], "layers": 3}]}\n');
  }, 60_000);
});

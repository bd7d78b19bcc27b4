/** `modus proof` through the program's entry point, in-process. */
import { workspace, type Workspace } from './harness';

const MODUSFILE = `
b("0"). b("1").
base("alpine").
app(mode) :- base(img), from(img), run(f"echo \${mode} > /mode"), (copy(".", "/src"))::in_workdir("/app").
app("dev") :- from("alpine:dev").
mode("prod"). mode("dev").
all(m) :- mode(m), app(m).
cmd(c) :- (from("alpine"), run("true"))::set_cmd(c).
versioned(v) :- build_arg("VERSION", v), from(f"alpine:\${v}").

# The same image two ways: 3 layers at height 1 (first clause), or 1 layer at height 3.
many :- from("alpine"), run("1"), run("2"), run("3").
many :- one.
one :- two.
two :- from("alpine"), run("x").
`;

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
  ws.write('Modusfile', MODUSFILE);
});
afterEach(() => ws.remove());

describe('modus proof --json', () => {
  test('stdout is exactly one JSON object with literal, predicate, args and layers', async () => {
    const r = await ws.run(['proof', '--json', 'b(X)']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      solutions: [
        { literal: 'b("0")', predicate: 'b', args: ['0'], layers: 0 },
        { literal: 'b("1")', predicate: 'b', args: ['1'], layers: 0 },
      ],
    });
    // One line, with the separators of the documented example.
    expect(r.stdout).toBe(
      '{"solutions": [{"literal": "b(\\"0\\")", "predicate": "b", "args": ["0"], "layers": 0}, ' +
        '{"literal": "b(\\"1\\")", "predicate": "b", "args": ["1"], "layers": 0}]}\n',
    );
  });

  test('image solutions with their layer counts; a list in the goal is an error, as in build and llb', async () => {
    const all = JSON.parse((await ws.run(['proof', '--json', 'all(X)'])).stdout);
    expect(all.solutions).toEqual([
      { literal: 'all("prod")', predicate: 'all', args: ['prod'], layers: 2 },
      { literal: 'all("dev")', predicate: 'all', args: ['dev'], layers: 0 },
    ]);
    const cmd = await ws.run(['proof', '--json', 'cmd(["sh", "-c"])']);
    expect(cmd.code).toBe(1);
    expect(JSON.parse(cmd.stdout).solutions).toEqual([]);
    expect(cmd.stderr).toContain('goal:1:5: error: A list was found here.');
  });

  // `available` depends on which images exist: test/unit/caching covers it.
  test('the cost function shows in the chosen proof: layers 1, height 3, first 3', async () => {
    const layersFor = async (cost: string) => {
      const r = await ws.run(['proof', '--json', '--cost', cost, 'many']);
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout).solutions.map((s: { layers: number }) => s.layers);
    };
    expect(await layersFor('layers')).toEqual([1]);
    expect(await layersFor('height')).toEqual([3]);
    expect(await layersFor('first')).toEqual([3]);
    expect(JSON.parse((await ws.run(['proof', '--json', 'many'])).stdout).solutions[0].layers).toBe(1);
  });

  test('no solution: exit 1, the reasons on stderr, and still {"solutions": []} on stdout', async () => {
    const r = await ws.run(['proof', '--json', 'b("7")']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('{"solutions": []}\n');
    expect(r.stderr).toMatch(/b\("7"\)/);
    const unknown = await ws.run(['proof', '--json', 'nothing(X)']);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('{"solutions": []}\n');
    expect(unknown.stderr).toMatch(/^goal:1:1: error: unknown predicate/);
  });

  test('a broken Modusfile: diagnostics, exit 1, {"solutions": []}', async () => {
    ws.write('bad.mf', 'a :- from("x") run("y").\n');
    const r = await ws.run(['proof', '--json', '-f', 'bad.mf', 'a']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('{"solutions": []}\n');
    expect(r.stderr).toMatch(/^bad\.mf:1:16: error: /);
  });

  test('build args are facts build_arg("K", "V")', async () => {
    const r = await ws.run(['proof', '--json', '--build-arg', 'VERSION=3.19', '--build-arg=OTHER=a=b', 'versioned(V)']);
    expect(JSON.parse(r.stdout).solutions.map((s: { args: string[] }) => s.args)).toEqual([['3.19']]);
    expect((await ws.run(['proof', '--json', 'versioned(V)'])).code).toBe(1);
  });

  test('a disjunctive goal is solved in full', async () => {
    const r = await ws.run(['proof', '--json', 'b(X) ; many']);
    expect(JSON.parse(r.stdout).solutions.map((s: { literal: string }) => s.literal)).toEqual(['b("0")', 'b("1")', 'many']);
  });
});

describe('modus proof, default view', () => {
  test('"N proof(s) found for goal `GOAL`" then each proof as a tree with its layer count', async () => {
    const r = await ws.run(['proof', 'all(X)']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('2 proof(s) found for goal `all(X)`');
    expect(r.stdout).toContain('Proof 1 of 2 (2 layers):\nall("prod")\n├── mode("prod")\n└── app("prod")\n');
    expect(r.stdout).toContain('    ├── run("echo prod > /mode")\n');
    expect(r.stdout).toContain('    ├── (\n    │   └── copy(".", "/src")\n    └── ) ::in_workdir("/app")\n');
    expect(r.stdout).toContain('Proof 2 of 2 (0 layers):\nall("dev")\n');
  });

  test('CONTEXT GOAL: the Modusfile of the context', async () => {
    ws.write('ctx/Modusfile', 'only :- from("scratch").\n');
    const r = await ws.run(['proof', 'ctx', 'only']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('1 proof(s) found for goal `only`');
  });

  test('--compact leaves out the rule nodes below the goal literals', async () => {
    const r = await ws.run(['proof', '--compact', 'all("prod")']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('app("prod")');
    expect(r.stdout).not.toContain('mode("prod")');
    expect(r.stdout).toContain('all("prod")\n├── from("alpine")\n');
    expect(r.stdout).toContain('├── (\n│   └── copy(".", "/src")\n└── ) ::in_workdir("/app")\n');
  });

  test('a goal syntax error is reported against the pseudo-file `goal`, with a caret', async () => {
    const r = await ws.run(['proof', 'app("x"']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines[0]).toMatch(/^goal:1:8: error: /);
    expect(lines[1]).toMatch(/^\s+1 \| app\("x"$/);
    expect(lines[2]!.indexOf('^')).toBe(lines[1]!.indexOf('| ') + 2 + 7);
    expect((await ws.run(['proof', 'b(X).'])).stderr).toMatch(/^goal:1:5: error: /);
  });

  test('no solution without an error: the warnings, a last line naming the goal, exit 1', async () => {
    const r = await ws.run(['proof', 'b(X), !b(X)']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/warning: /);
    expect(r.stderr.endsWith('modus proof: no proof found for goal `b(X), !b(X)`\n')).toBe(true);
  });

  test('an exceeded budget is an error naming itself', async () => {
    const r = await ws.run(['proof', '--budget', '3', 'all(X)']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: .*budget of 3/);
  });

  test('the same run twice gives the same bytes', async () => {
    const first = await ws.run(['proof', 'all(X) ; many']);
    const second = await ws.run(['proof', 'all(X) ; many']);
    expect(second).toEqual(first);
  });
});

describe('modus proof --explain and --graph', () => {
  test('--explain prints the SLD explanation', async () => {
    const r = await ws.run(['proof', '--explain', 'all(X)']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('We require all(X)\n')).toBe(true);
    expect(r.stdout).toContain('mode("prod") is a fact.');
    expect(r.stdout).toContain('Success');
    expect((await ws.run(['proof', '-e', 'all(X)'])).stdout).toBe(r.stdout);
  });

  test('--explain of a failing goal: the explanation on stdout, the reasons on stderr, exit 1', async () => {
    const r = await ws.run(['proof', '--explain', 'b("7")']);
    expect(r.code).toBe(1);
    expect(r.stdout.startsWith('We require b("7")\n')).toBe(true);
    expect(r.stderr).not.toBe('');
  });

  test('--graph prints one DOT digraph named SLD_Tree', async () => {
    const r = await ws.run(['proof', '--graph', 'many']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('digraph SLD_Tree {\n')).toBe(true);
    expect(r.stdout.endsWith('}\n')).toBe(true);
    expect(r.stdout).toMatch(/n0 -> n\d+ \[label="many :- one"\];/);
    expect((await ws.run(['proof', '-g', 'many'])).stdout).toBe(r.stdout);
  });
});

describe('modus proof usage errors (exit 2)', () => {
  test.each([
    [['proof']],
    [['proof', 'ctx', 'goal', 'extra']],
    [['proof', '--cost', 'cheapest', 'many']],
    [['proof', '--budget', '0', 'many']],
    [['proof', '--budget', 'lots', 'many']],
    [['proof', '--build-arg', 'NOEQUALS', 'many']],
    [['proof', '--build-arg', '=v', 'many']],
    [['proof', '--json', '--graph', 'many']],
    [['proof', '--explain', '--graph', 'many']],
    [['proof', '--nope', 'many']],
  ])('%j', async (argv) => {
    const r = await ws.run(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^modus proof: .+\nUsage: modus proof .+\nRun `modus help proof` for more information\.\n$/);
  });
});

/** `modus bake`: the bake file's shape, target names, tags, args, paths, determinism and errors. */
import { bakeFile, bakeJson, bakeTargetNames } from '../../../../frontend/cli/build/bake-file';
import { dockerfileInContext } from '../../../../frontend/cli/commands/bake';
import { workspace, type Workspace } from '../harness';

const MODUSFILE = [
  'base :- from("busybox"), run("echo base").',
  'app(X, M) :- version(X), mode(M), base, run(f"echo ${X} ${M}").',
  'version("1.0"). version("2.0").',
  'mode("dev"). mode(M) :- build_arg("EXTRA_MODE", M).',
  '',
].join('\n');

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
  ws.write('ctx/Modusfile', MODUSFILE);
  ws.write('ctx/other.Modusfile', MODUSFILE);
});
afterEach(() => ws.remove());

const parse = (stdout: string) => JSON.parse(stdout) as { group: { default: { targets: string[] } }; target: Record<string, Record<string, unknown>> };

test('one target per solution, a default group of them all, the literal as target and the frontend as BUILDKIT_SYNTAX', async () => {
  const r = await ws.run(['bake', '--frontend', 'localhost:5000/modus-frontend:1', 'ctx', 'app(X, M)']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const file = parse(r.stdout);
  expect(file.group.default.targets).toEqual(['app-1_0-dev', 'app-2_0-dev']);
  expect(file.target['app-1_0-dev']).toEqual({
    context: 'ctx',
    dockerfile: 'Modusfile',
    target: 'app("1.0", "dev")',
    args: { BUILDKIT_SYNTAX: 'localhost:5000/modus-frontend:1' },
    tags: [],
  });
  expect(Object.keys(file)).toEqual(['group', 'target']);
});

test('tags from the templates; build args are facts for the solver and args of every target', async () => {
  const r = await ws.run(['bake', '-t', 'app:{0}-{1}', '-t', 'reg/{predicate}:{args}', '--build-arg', 'EXTRA_MODE=prod', 'ctx', 'app("1.0", M)']);
  expect(r.code).toBe(0);
  const file = parse(r.stdout);
  expect(file.group.default.targets).toEqual(['app-1_0-dev', 'app-1_0-prod']);
  expect(file.target['app-1_0-prod']!.tags).toEqual(['app:1.0-prod', 'reg/app:1.0-prod']);
  expect(file.target['app-1_0-prod']!.args).toEqual({ BUILDKIT_SYNTAX: 'modus-frontend:dev', EXTRA_MODE: 'prod' });
});

test('the frontend defaults to $MODUS_FRONTEND', async () => {
  const r = await ws.run(['bake', 'ctx', 'app("1.0", "dev")'], { env: { MODUS_FRONTEND: 'registry.example/modus:2' } });
  expect(parse(r.stdout).target['app-1_0-dev']!.args).toEqual({ BUILDKIT_SYNTAX: 'registry.example/modus:2' });
});

test('the same input gives the same bytes', async () => {
  const argv = ['bake', '-t', 'app:{args}', '--build-arg', 'B=2', '--build-arg', 'A=1', 'ctx', 'app(X, M)'];
  const first = await ws.run(argv);
  const second = await ws.run(argv);
  expect(second.stdout).toBe(first.stdout);
  expect(first.stdout.endsWith('}\n')).toBe(true);
  expect(Object.keys(parse(first.stdout).target['app-1_0-dev']!.args as object)).toEqual(['A', 'B', 'BUILDKIT_SYNTAX']);
});

test('-f FILE becomes the dockerfile relative to the context', async () => {
  const r = await ws.run(['bake', '-f', 'ctx/other.Modusfile', 'ctx', 'app("1.0", "dev")']);
  expect(r.code).toBe(0);
  expect(parse(r.stdout).target['app-1_0-dev']!.dockerfile).toBe('other.Modusfile');
  expect(dockerfileInContext(undefined, 'ctx', '/w')).toBe('Modusfile');
  expect(dockerfileInContext('files/M', 'ctx', '/w')).toBe('../files/M');
  expect(dockerfileInContext('/abs/M', 'ctx', '/w')).toBe('/abs/M');
});

test('target names: only letters, digits, _ and -; clashes and `default` get a hash of the literal', () => {
  const names = bakeTargetNames([
    { literal: 'a("x y")', predicate: 'a', args: ['x y'] },
    { literal: 'a("x.y")', predicate: 'a', args: ['x.y'] },
    { literal: 'a("z", ["p", "q"])', predicate: 'a', args: ['z', ['p', 'q']] },
    { literal: 'default', predicate: 'default', args: [] },
  ]);
  expect(names[0]).toMatch(/^a-x_y-[0-9a-f]{8}$/);
  expect(names[1]).toMatch(/^a-x_y-[0-9a-f]{8}$/);
  expect(names[0]).not.toBe(names[1]);
  expect(names[2]).toBe('a-z-p-q');
  expect(names[3]).toMatch(/^default-[0-9a-f]{8}$/);
  for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
});

test('what modus build adds to every target: no-cache, network, platforms, outputs', () => {
  const file = bakeFile({
    images: [{ literal: 'a', predicate: 'a', args: [], tags: [] }],
    context: '/ctx',
    dockerfile: 'Modusfile',
    frontend: 'f',
    buildArgs: {},
    noCache: true,
    network: 'none',
    platforms: ['linux/amd64', 'linux/arm64'],
    outputs: ['type=cacheonly'],
  });
  expect(bakeJson(file)).toBe(
    JSON.stringify(
      {
        group: { default: { targets: ['a'] } },
        target: {
          a: { context: '/ctx', dockerfile: 'Modusfile', target: 'a', args: { BUILDKIT_SYNTAX: 'f' }, tags: [], 'no-cache': true, network: 'none', platforms: ['linux/amd64', 'linux/arm64'], output: ['type=cacheonly'] },
        },
      },
      null,
      2,
    ) + '\n',
  );
});

test('errors: no solution, a bad tag template, missing arguments, an unreadable Modusfile', async () => {
  const none = await ws.run(['bake', 'ctx', 'app("3.0", M)']);
  expect(none.code).toBe(1);
  expect(none.stdout).toBe('');
  expect(none.stderr).toContain('has no solution');
  const badTag = await ws.run(['bake', '-t', 'app:{7}', 'ctx', 'app(X, M)']);
  expect(badTag.code).toBe(2);
  expect(badTag.stderr).toContain('unknown placeholder {7}');
  const shared = await ws.run(['bake', '-t', 'app:{1}', 'ctx', 'app(X, M)']);
  expect(shared.code).toBe(2);
  expect(shared.stderr).toContain('the same tag');
  const missing = await ws.run(['bake', 'ctx']);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('expected CONTEXT and GOAL');
  const unreadable = await ws.run(['bake', 'nowhere', 'app(X, M)']);
  expect(unreadable.code).toBe(1);
  expect(unreadable.stderr).toBe('modus bake: cannot read nowhere/Modusfile: no such file or directory\n');
});

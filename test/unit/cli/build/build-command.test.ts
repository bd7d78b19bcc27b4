/** `modus build` end to end against a fake docker client: arguments, concurrency, tags, JSON, failures, interrupts. */
import * as path from 'node:path';
import { main } from '../../../../frontend/cli/main';
import { runBuild } from '../../../../frontend/cli/commands/build';
import { oneSolveError } from '../../../../frontend/cli/build/build-images';
import { fakeDockerSuite, waitFor, type FakeSetup } from '../../../support/fake-docker';

const MODUSFILE = [
  'base :- from("busybox"), run("echo base").',
  'a(X) :- aa(X), base, run(f"echo ${X}").',
  'aa("1"). aa("2"). aa("3"). aa("4").',
  '',
].join('\n');

const setup = fakeDockerSuite({ 'ctx/Modusfile': MODUSFILE });

const isBuildAll = (c: Record<string, unknown>) => (c.args as string[]).includes('MODUS_BUILD_ALL=1');
/** The per-image builds (not the one-solve build of the whole goal that runs alongside them). */
const builds = (s: FakeSetup) => s.calls().filter((c) => c.cmd === 'build' && !isBuildAll(c));
const buildAlls = (s: FakeSetup) => s.calls().filter((c) => c.cmd === 'build' && isBuildAll(c));
const tags = (s: FakeSetup) => s.calls().filter((c) => c.cmd === 'tag');

test('several images: the whole goal is built in one solve, alongside the per-image builds that export', async () => {
  const { s, rec } = setup();
  const code = await main(['build', 'ctx', 'a(X)', '--network', 'none'], rec.io);
  expect(code).toBe(0);
  const all = buildAlls(s);
  expect(all).toHaveLength(1);
  expect(all[0]!.target).toBe('a(X)');
  expect(builds(s)).toHaveLength(4);
  expect(rec.stderr()).toContain('building all 4 images in one solve');
});

test('the per-image builds start once the one solve shows its first step, not before', async () => {
  const ends = (s: FakeSetup) => s.calls().filter((c) => c.cmd === 'end');
  const starts = (s: FakeSetup) => builds(s).map((c) => c.t as number);
  const oneSolveEnd = (s: FakeSetup) => ends(s).find((c) => c.target === 'a(X)')!.t as number;
  const oneSolveStart = (s: FakeSetup) => buildAlls(s)[0]!.t as number;

  const early = setup({ 'a(X)': { sleepMs: 1500, stepLineAfterMs: 300 } });
  expect(await main(['build', 'ctx', 'a(X)'], early.rec.io)).toBe(0);
  expect(Math.min(...starts(early.s))).toBeGreaterThanOrEqual(oneSolveStart(early.s) + 250);
  expect(Math.max(...starts(early.s))).toBeLessThan(oneSolveEnd(early.s));

  const never = setup({ 'a(X)': { sleepMs: 300 } });
  expect(await main(['build', 'ctx', 'a(X)'], never.rec.io)).toBe(0);
  expect(Math.min(...starts(never.s))).toBeGreaterThanOrEqual(oneSolveEnd(never.s));
});

test('one image: no separate one-solve build', async () => {
  const { s, rec } = setup();
  expect(await main(['build', 'ctx', 'a("1")'], rec.io)).toBe(0);
  expect(buildAlls(s)).toHaveLength(0);
  expect(builds(s)).toHaveLength(1);
});

test('one docker build per solution, with the literal as target and the frontend as syntax', async () => {
  const { s, rec } = setup();
  const code = await main(['build', 'ctx', 'a(X)', '--build-arg', 'V=1', '--no-cache', '--network', 'none', '--frontend', 'my-frontend:1'], rec.io);
  expect(rec.stderr()).toContain('4 images built');
  expect(code).toBe(0);
  const calls = builds(s);
  expect(calls.map((c) => c.target).sort()).toEqual(['a("1")', 'a("2")', 'a("3")', 'a("4")']);
  const args = calls.find((c) => c.target === 'a("1")')!.args as string[];
  expect(args.slice(0, 2)).toEqual(['build', '--progress=plain']);
  expect(args).toEqual(expect.arrayContaining(['-f', path.join(s.dir, 'ctx', 'Modusfile'), '--build-arg', 'BUILDKIT_SYNTAX=my-frontend:1']));
  expect(args).toEqual(expect.arrayContaining(['--build-arg', 'V=1', '--network=none']));
  expect(args[args.length - 1]).toBe(path.join(s.dir, 'ctx'));
  // --no-cache applies to the one solve; the per-image builds only export its results.
  const oneSolve = buildAlls(s)[0]!.args as string[];
  expect(oneSolve).toEqual(expect.arrayContaining(['--no-cache', '--build-arg', 'V=1']));
  expect(args).not.toContain('--no-cache');
  expect(args).toEqual(expect.arrayContaining(['--build-arg', 'MODUS_EXPORT_ONLY=1']));
  expect(oneSolve).not.toContain('MODUS_EXPORT_ONLY=1');
  // One clock for every build of the run, so that ::cache_ttl buckets agree.
  const clockOf = (a: string[]) => a.find((x) => x.startsWith('MODUS_CLOCK='));
  expect(clockOf(oneSolve)).toMatch(/^MODUS_CLOCK=\d+$/);
  for (const call of calls) expect(clockOf(call.args as string[])).toBe(clockOf(oneSolve));
  // One nonce too: a step with a cache mount that runs again has the same key in every build.
  const nonceOf = (a: string[]) => a.find((x) => x.startsWith('MODUS_BUILD_NONCE='));
  expect(nonceOf(oneSolve)).toMatch(/^MODUS_BUILD_NONCE=[0-9a-f]{32}$/);
  for (const call of calls) expect(nonceOf(call.args as string[])).toBe(nonceOf(oneSolve));
  expect(calls.every((c) => c.buildkit === '1')).toBe(true);
});

test('--secret and --ssh reach every build as given: the one solve and each per-image build', async () => {
  const pairs = (args: string[], flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]] : []));
  const session = ['--secret', 'id=npmrc,src=/home/me/.npmrc', '--secret', 'id=tok,env=TOKEN', '--ssh', 'default', '--ssh', 'gh=/run/agent.sock'];
  const several = setup();
  expect(await main(['build', 'ctx', 'a(X)', ...session], several.rec.io)).toBe(0);
  const calls = several.s.calls().filter((c) => c.cmd === 'build');
  expect(calls).toHaveLength(5);
  for (const call of calls) {
    const args = call.args as string[];
    expect(pairs(args, '--secret')).toEqual(['id=npmrc,src=/home/me/.npmrc', 'id=tok,env=TOKEN']);
    expect(pairs(args, '--ssh')).toEqual(['default', 'gh=/run/agent.sock']);
    // The context stays the last argument.
    expect(args[args.length - 1]).toBe(path.join(several.s.dir, 'ctx'));
  }
  const one = setup();
  expect(await main(['build', 'ctx', 'a("1")', '--ssh', 'default'], one.rec.io)).toBe(0);
  const [single] = builds(one.s);
  expect(pairs(single!.args as string[], '--ssh')).toEqual(['default']);
  expect(single!.args as string[]).not.toContain('--secret');
});

test('builds run at once by default and one by one with --concurrency 1', async () => {
  const overlap = (s: FakeSetup) => {
    let running = 0;
    let most = 0;
    const buildAllPids = new Set(buildAlls(s).map((c) => c.pid));
    for (const c of s.calls().filter((call) => !buildAllPids.has(call.pid))) {
      if (c.cmd === 'build') most = Math.max(most, ++running);
      if (c.cmd === 'end') running--;
    }
    return most;
  };
  const all = setup({ 'a("1")': { sleepMs: 400 }, 'a("2")': { sleepMs: 400 }, 'a("3")': { sleepMs: 400 }, 'a("4")': { sleepMs: 400 } });
  expect(await main(['build', 'ctx', 'a(X)'], all.rec.io)).toBe(0);
  expect(overlap(all.s)).toBe(4);
  const one = setup();
  expect(await main(['build', 'ctx', 'a(X)', '--concurrency', '1'], one.rec.io)).toBe(0);
  expect(overlap(one.s)).toBe(1);
  expect(one.rec.stderr()).toMatch(/\[1\/4\] a\("1"\)\s+waiting/);
});

test('--json prints the fixed report; --tag tags every image after all were built', async () => {
  const { s, rec } = setup();
  const code = await main(['build', 'ctx', 'a(X)', '--json', '--tag', 'app:{0}', '-t', 'app:{predicate}-{args}'], rec.io);
  expect(code).toBe(0);
  const report = JSON.parse(rec.stdout()) as Record<string, unknown>[];
  expect(report).toHaveLength(4);
  expect(Object.keys(report[0]!)).toEqual(['literal', 'predicate', 'args', 'image_id', 'tags']);
  expect(report[0]).toEqual({
    literal: 'a("1")',
    predicate: 'a',
    args: ['1'],
    image_id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    tags: ['app:1', 'app:a-1'],
  });
  const tagCalls = tags(s);
  expect(tagCalls.map((c) => c.tag).sort()).toEqual(['app:1', 'app:2', 'app:3', 'app:4', 'app:a-1', 'app:a-2', 'app:a-3', 'app:a-4']);
  expect(tagCalls.find((c) => c.tag === 'app:1')!.id).toBe(report[0]!.image_id);
  const lastBuildEnd = Math.max(...s.calls().filter((c) => c.cmd === 'end').map((c) => c.t as number));
  expect(Math.min(...tagCalls.map((c) => c.t as number))).toBeGreaterThanOrEqual(lastBuildEnd);
});

test('a failing image among good ones: exit 1, its log, the failed literals, nothing tagged', async () => {
  const { s, rec } = setup({ 'a("3")': { fail: true } });
  const code = await main(['build', 'ctx', 'a(X)', '--json', '--tag', 'app:{0}'], rec.io);
  expect(code).toBe(1);
  const err = rec.stderr();
  expect(err).toMatch(/\[3\/4\] a\("3"\)\s+failed after/);
  expect(err).toContain('--- a("3"): BuildKit log ---');
  expect(err).toContain('#2 ERROR: step of a("3") failed: exit code 3');
  expect(err).toContain('1 of 4 images failed');
  expect(err).toMatch(/failed after [0-9.]+ s \(3 built, not tagged\):\n  a\("3"\)\n/);
  expect(tags(s)).toEqual([]);
  const report = JSON.parse(rec.stdout()) as { image_id: string | null; tags: string[] }[];
  expect(report.map((r) => r.image_id === null)).toEqual([false, false, true, false]);
  expect(report.every((r) => r.tags.length === 0)).toBe(true);
});

test('a build whose frontend BuildKit dropped is run once more, with a note; other failures are not retried', async () => {
  const { s, rec } = setup({ 'a("2")': { dropFrontendOnce: true }, 'a(X)': { dropFrontendOnce: true } });
  expect(await main(['build', 'ctx', 'a(X)', '--tag', 'app:{0}'], rec.io)).toBe(0);
  expect(rec.stderr()).toContain('modus build: a("2"): BuildKit dropped the frontend (frontend grpc server closed unexpectedly); building it once more\n');
  expect(rec.stderr()).toContain('modus build: the one solve of a(X): BuildKit dropped the frontend');
  expect(builds(s).filter((c) => c.target === 'a("2")')).toHaveLength(2);
  expect(builds(s).filter((c) => c.target === 'a("1")')).toHaveLength(1);
  expect(tags(s)).toHaveLength(4);
  // Any other failure is not retried.
  const failing = setup({ 'a("3")': { fail: true } });
  expect(await main(['build', 'ctx', 'a(X)'], failing.rec.io)).toBe(1);
  expect(builds(failing.s).filter((c) => c.target === 'a("3")')).toHaveLength(1);
  expect(failing.rec.stderr()).not.toContain('once more');
});

test('an interrupt stops every running build, starts no more and tags nothing', async () => {
  const slow = { sleepMs: 20_000 };
  const { s, rec } = setup({ 'a("1")': slow, 'a("2")': slow, 'a("3")': slow, 'a("4")': slow });
  const controller = new AbortController();
  const done = runBuild(['ctx', 'a(X)', '--concurrency', '2', '--tag', 'app:{0}'], rec.io, controller.signal);
  await waitFor(() => builds(s).length === 2);
  await new Promise((r) => setTimeout(r, 200));
  controller.abort();
  expect(await done).toBe(130);
  const calls = s.calls();
  expect(calls.filter((c) => c.cmd === 'interrupted').map((c) => c.target).sort()).toEqual(['a("1")', 'a("2")']);
  expect(builds(s)).toHaveLength(2);
  expect(tags(s)).toEqual([]);
  expect(rec.stderr()).toContain('interrupted; 4 builds stopped, nothing was tagged');
});

test('with buildx, --explain-cache keeps one `docker buildx build` per image', async () => {
  const { s, rec } = setup({}, { FAKE_DOCKER_BUILDX: '1' });
  expect(await main(['build', 'ctx', 'a("1")', '--explain-cache'], rec.io)).toBe(0);
  expect((builds(s)[0]!.args as string[]).slice(0, 4)).toEqual(['buildx', 'build', '--load', '--progress=plain']);
  expect(rec.stderr()).toContain('buildx build');
});

test('--verbose shows every line of BuildKit progress, prefixed by the image', async () => {
  const { rec } = setup();
  expect(await main(['build', 'ctx', 'a("2")', '--verbose'], rec.io)).toBe(0);
  expect(rec.stderr()).toMatch(/\[1\/1\] a\("2"\) \| #2 building a\("2"\)/);
});

test('--progress plain is --verbose; quiet drops the per-image lines; a wrong mode is a usage error', async () => {
  const plain = setup();
  expect(await main(['build', 'ctx', 'a("2")', '--progress=plain'], plain.rec.io)).toBe(0);
  expect(plain.rec.stderr()).toMatch(/\[1\/1\] a\("2"\) \| #2 building a\("2"\)/);
  const tty = setup();
  expect(await main(['build', 'ctx', 'a("2")', '--progress', 'tty'], tty.rec.io)).toBe(0);
  expect(tty.rec.stderr()).toContain('\u001b[2K');
  const wrong = setup();
  expect(await main(['build', 'ctx', 'a("2")', '--progress', 'plian'], wrong.rec.io)).toBe(2);
  expect(wrong.rec.stderr()).toContain('--progress must be one of auto, plain, tty, quiet, not `plian` (did you mean plain?)');
  expect(await main(['build', 'ctx', 'a("2")', '-v', '--progress', 'quiet'], setup().rec.io)).toBe(2);
  expect(await main(['build', 'ctx', 'a("2")', '-q', '--progress', 'plain'], setup().rec.io)).toBe(2);
  expect(await main(['build', 'ctx', 'a("2")', '-q', '-v'], setup().rec.io)).toBe(2);
});

test('--progress quiet (-q): the image IDs on stdout in solution order, nothing else; errors still on stderr', async () => {
  const digest = (text: string) => `sha256:${require('node:crypto').createHash('sha256').update(text).digest('hex')}`;
  for (const flags of [['--progress', 'quiet'], ['-q']]) {
    const { s, rec } = setup();
    expect(await main(['build', 'ctx', 'a(X)', '-t', 'app:{0}', ...flags], rec.io)).toBe(0);
    expect(rec.stdout()).toBe(['1', '2', '3', '4'].map((v) => `${digest(`a("${v}")`)}\n`).join(''));
    expect(rec.stderr()).toBe('');
    expect(tags(s)).toHaveLength(4);
  }
  const json = setup();
  expect(await main(['build', 'ctx', 'a("1")', '-q', '--json'], json.rec.io)).toBe(0);
  expect(JSON.parse(json.rec.stdout())).toEqual([expect.objectContaining({ literal: 'a("1")' })]);
  expect(json.rec.stderr()).toBe('');
  const failing = setup({ 'a("3")': { fail: true } });
  expect(await main(['build', 'ctx', 'a(X)', '-q'], failing.rec.io)).toBe(1);
  expect(failing.rec.stdout()).toBe('');
  expect(failing.rec.stderr()).toContain('#2 ERROR: step of a("3") failed: exit code 3');
  expect(failing.rec.stderr()).toMatch(/1 of 4 images failed after [0-9.]+ s \(3 built, not tagged\):\n  a\("3"\)\n/);
  expect(failing.rec.stderr()).not.toContain('modus build: 4 images');
});

test('the docker client comes from --docker before $MODUS_DOCKER', async () => {
  const { s, rec } = setup({}, { MODUS_DOCKER: '/nonexistent/docker' });
  expect(await main(['build', 'ctx', 'a("1")', '--docker', s.env.MODUS_DOCKER!], rec.io)).toBe(0);
  const bad = setup({}, { MODUS_DOCKER: '/nonexistent/docker' });
  expect(await main(['build', 'ctx', 'a("1")'], bad.rec.io)).toBe(1);
  expect(bad.rec.stderr()).toContain('cannot run /nonexistent/docker');
});

test('usage errors exit 2 before any build', async () => {
  const cases = [
    ['build', 'ctx'],
    ['build', 'ctx', 'a(X)', '--tag', 'app:x'],
    ['build', 'ctx', 'a(X)', '--tag', 'app:{9}'],
    ['build', 'ctx', 'a(X)', '--network', 'bridge'],
    ['build', 'ctx', 'a(X)', '--concurrency', '0'],
  ];
  for (const argv of cases) {
    const { s, rec } = setup();
    expect(await main(argv, rec.io)).toBe(2);
    expect(builds(s)).toEqual([]);
  }
});

test('no solution: exit 1 with the reason, no build', async () => {
  const { s, rec } = setup();
  expect(await main(['build', 'ctx', 'a("9")'], rec.io)).toBe(1);
  expect(rec.stderr()).toContain('a("9")');
  expect(builds(s)).toEqual([]);
});

test('--cost reaches the frontend as MODUS_COST', async () => {
  const { s, rec } = setup();
  expect(await main(['build', 'ctx', 'a("1")', '--cost', 'height'], rec.io)).toBe(0);
  expect(builds(s)[0]!.args).toEqual(expect.arrayContaining(['--build-arg', 'MODUS_COST=height']));
});

test('a failed one solve is summed up by the frontend\'s own message, positioned', () => {
  const log = [
    '#8 ERROR: executor failed running [/bin/sh -c false]: exit code: 1',
    'failed to solve with frontend dockerfile.v0: failed to solve with frontend gateway.v0: rpc error: code = Unknown desc = Modusfile:1:70: error: step `b("2") › run("false")` failed: exit code: 1',
    '',
  ].join('\n');
  expect(oneSolveError(log)).toBe('Modusfile:1:70: error: step `b("2") › run("false")` failed: exit code: 1');
  expect(oneSolveError('nothing here\n')).toBeUndefined();
});

/** `modus build --cache-repo R --push-cache`: which sub-images are pushed, as which tags, and when nothing is. */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../frontend/cli/main';
import { cacheBuildsInLogs } from '../../../frontend/cli/build/push-cache';
import type { CliIO } from '../../../frontend/cli/io';
import { startsProcesses } from '../../support/process-tests';

startsProcesses();

const FAKE_DOCKER = path.join(__dirname, 'fixtures', 'fake-docker-cache.js');
const REPO = '127.0.0.1:5000/team/cache';
const key = (c: string) => `mk1-${c.repeat(64)}`;
const idOf = (target: string) => `sha256:${createHash('sha256').update(target).digest('hex')}`;

const MODUSFILE = ['base :- from("busybox"), run("echo base").', 'a(X) :- aa(X), base, run(f"echo ${X}").', 'aa("1"). aa("2").', ''].join('\n');

/** What the frontend announces per build target: a("1") and a("2") share base. */
const ANNOUNCE = {
  'a("1")': [
    ['base', key('b')],
    ['a("1")', key('1')],
  ],
  'a("2")': [
    ['base', key('b')],
    ['a("2")', key('2')],
  ],
  base: [['base', key('b')]],
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function run(argv: string[], env: Record<string, string> = {}, goal = 'a(X)') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modus-push-cache-'));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, 'ctx'));
  fs.writeFileSync(path.join(dir, 'ctx', 'Modusfile'), MODUSFILE);
  const logFile = path.join(dir, 'calls.jsonl');
  fs.writeFileSync(logFile, '');
  let stderr = '';
  const io: CliIO = {
    stdout: () => undefined,
    stderr: (t) => void (stderr += t),
    env: { PATH: process.env.PATH, MODUS_DOCKER: FAKE_DOCKER, MODUS_BUILDX: '0', FAKE_DOCKER_LOG: logFile, FAKE_ANNOUNCE: JSON.stringify(ANNOUNCE), ...env },
    cwd: dir,
    isTTY: false,
  };
  const calls = () =>
    fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, string | null>);
  return { done: main(['build', ...argv, 'ctx', goal], io), calls, stderr: () => stderr };
}

/** The per-image builds (not the one-solve build of the whole goal `a(X)` that comes first). */
function imageBuilds(calls: Record<string, string | null>[]) {
  return calls.filter((c) => c.cmd === 'build' && c.target !== 'a(X)');
}

describe('cacheBuildsInLogs', () => {
  const line = (lit: string, repo: string, k: string) => `#7 [modus] cache repo: building ${lit} (${repo}:${k} not found)\n`;

  test('collects each announced literal once, sorted, for the given repository only', () => {
    const logs = [
      line('b("x y", "(z)")', REPO, key('c')) + line('a', REPO, key('a')) + line('other', 'elsewhere/repo', key('e')),
      `#3 [modus] substitute s from ${REPO}:${key('f')}\n` + line('a', REPO, key('a')),
    ];
    expect(cacheBuildsInLogs(logs, REPO)).toEqual({
      builds: [
        { literal: 'a', key: key('a') },
        { literal: 'b("x y", "(z)")', key: key('c') },
      ],
      conflicting: [],
    });
  });

  test('a literal announced under two keys is reported, not returned', () => {
    const found = cacheBuildsInLogs([line('a', REPO, key('a')), line('a', REPO, key('d')) + line('b', REPO, key('b'))], REPO);
    expect(found).toEqual({ builds: [{ literal: 'b', key: key('b') }], conflicting: ['a'] });
  });

  test('a repository with regexp characters matches only itself', () => {
    expect(cacheBuildsInLogs([line('a', '127x0.0.1:5000/team/cache', key('a'))], REPO).builds).toEqual([]);
  });
});

describe('modus build --cache-repo/--push-cache', () => {
  test('--cache-repo alone passes MODUS_CACHE_REPO to every build and pushes nothing', async () => {
    const r = run(['--cache-repo', REPO]);
    expect(await r.done).toBe(0);
    const calls = r.calls();
    expect(calls.filter((c) => c.cmd === 'build').every((c) => c.repo === REPO)).toBe(true);
    expect(imageBuilds(calls).map((c) => c.target).sort()).toEqual(['a("1")', 'a("2")']);
    expect(calls.filter((c) => c.cmd === 'push' || c.cmd === 'tag')).toEqual([]);
  });

  test('--push-cache pushes every built sub-image, goals and shared ones, each once as REPO:KEY', async () => {
    const r = run(['--cache-repo', REPO, '--push-cache']);
    expect(await r.done).toBe(0);
    const calls = r.calls();
    // base is not a goal: built once more on its own (cached) to have an image to tag.
    expect(imageBuilds(calls).map((c) => c.target).sort()).toEqual(['a("1")', 'a("2")', 'base']);
    expect(calls.find((c) => c.target === 'base')!.repo).toBe(REPO);
    const tags = calls.filter((c) => c.cmd === 'tag').map((c) => [c.id, c.ref]);
    expect(tags.sort()).toEqual(
      [
        [idOf('a("1")'), `${REPO}:${key('1')}`],
        [idOf('a("2")'), `${REPO}:${key('2')}`],
        [idOf('base'), `${REPO}:${key('b')}`],
      ].sort(),
    );
    expect(calls.filter((c) => c.cmd === 'push').map((c) => c.ref).sort()).toEqual([`${REPO}:${key('1')}`, `${REPO}:${key('2')}`, `${REPO}:${key('b')}`].sort());
    expect(r.stderr()).toContain(`pushed base as ${REPO}:${key('b')}`);
  });

  // A sub-image built again under another clock or nonce could get another TTL bucket, so
  // another key, or run a step again: the pushed image would not be the one just built.
  test.each([['several goals', 'a(X)'], ['one goal', 'a("1")']])('with %s, the sub-image built again to be pushed gets the run\'s clock and nonce', async (_, goal) => {
    const r = run(['--cache-repo', REPO, '--push-cache'], {}, goal);
    expect(await r.done).toBe(0);
    const builds = r.calls().filter((c) => c.cmd === 'build');
    expect(builds.map((c) => c.target)).toContain('base');
    expect(builds[0]!.clock).toMatch(/^\d+$/);
    expect(builds[0]!.nonce).toMatch(/^[0-9a-f]{32}$/);
    for (const build of builds) expect([build.target, build.clock, build.nonce]).toEqual([build.target, builds[0]!.clock, builds[0]!.nonce]);
  });

  test('the build arg MODUS_CACHE_REPO is enough for --push-cache', async () => {
    const r = run(['--build-arg', `MODUS_CACHE_REPO=${REPO}`, '--push-cache']);
    expect(await r.done).toBe(0);
    expect(r.calls().filter((c) => c.cmd === 'push')).toHaveLength(3);
  });

  test('--push-cache without a repository is a usage error, before any build', async () => {
    const r = run(['--push-cache']);
    expect(await r.done).toBe(2);
    expect(r.stderr()).toContain('--push-cache needs --cache-repo');
    expect(r.calls()).toEqual([]);
  });

  test('a sub-image whose key differs when built alone is not pushed, and the build fails', async () => {
    const r = run(['--cache-repo', REPO, '--push-cache'], { FAKE_ANNOUNCE: JSON.stringify({ ...ANNOUNCE, base: [['base', key('9')]] }) });
    expect(await r.done).toBe(1);
    const pushed = r.calls().filter((c) => c.cmd === 'push').map((c) => c.ref);
    expect(pushed).not.toContain(`${REPO}:${key('b')}`);
    expect(pushed).not.toContain(`${REPO}:${key('9')}`);
    expect(pushed).toHaveLength(2);
    expect(r.stderr()).toContain(`has key ${key('9')} when built alone`);
  });

  test('a failed push fails the build and says which', async () => {
    const r = run(['--cache-repo', REPO, '--push-cache'], { FAKE_PUSH_FAIL: `${REPO}:${key('b')}` });
    expect(await r.done).toBe(1);
    expect(r.stderr()).toContain(`docker push ${REPO}:${key('b')} failed: denied`);
    expect(r.stderr()).toContain(`pushed a("1") as ${REPO}:${key('1')}`);
  });

  test('nothing announced (everything substituted) means nothing pushed', async () => {
    const r = run(['--cache-repo', REPO, '--push-cache'], { FAKE_ANNOUNCE: '{}' });
    expect(await r.done).toBe(0);
    expect(r.calls().filter((c) => c.cmd !== 'build')).toEqual([]);
    expect(r.stderr()).toContain('nothing to push');
  });
});

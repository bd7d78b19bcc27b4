/** `modus build` on a docker client with buildx: one bake of every image, builder, push, platforms, faults. */
import * as path from 'node:path';
import { main } from '../../../../frontend/cli/main';
import { bakeFailures, builderFromInspect, imageIdCandidates, localImageIds } from '../../../../frontend/cli/build/buildx';
import { fakeDockerSuite, type FakeSetup } from '../../../support/fake-docker';

const MODUSFILE = [
  'base :- from("busybox"), run("echo base").',
  'a(X) :- aa(X), base, run(f"echo ${X}").',
  'aa("1"). aa("2"). aa("3").',
  '',
].join('\n');

const setup = fakeDockerSuite({ 'ctx/Modusfile': MODUSFILE }, { FAKE_DOCKER_BUILDX: '1' });

type Bake = { args: string[]; push: boolean; file: { group: { default: { targets: string[] } }; target: Record<string, Record<string, unknown>> } };
const bakes = (s: FakeSetup) => s.calls().filter((c) => c.cmd === 'bake') as unknown as Bake[];
const bakeCalls = (s: FakeSetup) => s.calls().filter((c) => c.cmd === 'bake');
const tags = (s: FakeSetup) => s.calls().filter((c) => c.cmd === 'tag');
const digest = (text: string) => `sha256:${require('node:crypto').createHash('sha256').update(text).digest('hex')}`;

test('the whole goal baked first in one solve; the images in one bake once its first step shows; untagged and loaded; tagged locally once all are built', async () => {
  const { s, rec } = setup();
  const code = await main(['build', 'ctx', 'a(X)', '-t', 'app:{0}', '--json', '--build-arg', 'V=1', '--network', 'none', '--no-cache'], rec.io);
  expect(rec.stderr()).toContain('3 images built');
  expect(code).toBe(0);
  expect(s.calls().filter((c) => c.cmd === 'build')).toEqual([]);
  const [all, bake, ...more] = bakes(s);
  expect(more).toEqual([]);
  expect(all!.args).not.toContain('--load');
  expect(all!.file.group.default.targets).toEqual(['all']);
  const { target: goal, args: allArgs, ...allSettings } = all!.file.target.all!;
  expect(goal).toBe('a(X)');
  expect(allArgs).toEqual({ ...(bake!.file.target['a-1']!.args as Record<string, string>), MODUS_BUILD_ALL: '1' });
  expect(allSettings).toEqual({ ...bake!.file.target['a-1']!, target: undefined, args: undefined, output: ['type=cacheonly'] });
  // The fake prints the one solve's step line as it ends: the images' bake starts after that line.
  const [oneSolveEnd] = s.calls().filter((c) => c.cmd === 'end');
  expect(bakeCalls(s)[1]!.t).toBeGreaterThanOrEqual(oneSolveEnd!.t as number);
  expect(bake!.args.slice(0, 2)).toEqual(['buildx', 'bake']);
  expect(bake!.args).toEqual(expect.arrayContaining(['--load', '--progress=plain', '--metadata-file']));
  expect(bake!.file.group.default.targets).toEqual(['a-1', 'a-2', 'a-3']);
  const target = bake!.file.target['a-2']!;
  // Bake runs in the context, so that it reads nothing outside its working directory.
  expect(bakeCalls(s).map((c) => c.cwd)).toEqual([path.join(s.dir, 'ctx'), path.join(s.dir, 'ctx')]);
  expect(target).toMatchObject({ context: '.', dockerfile: 'Modusfile', target: 'a("2")', tags: [], 'no-cache': true, network: 'none' });
  expect(bake!.args.some((a) => a.startsWith('--allow'))).toBe(false);
  expect(target.args).toMatchObject({ BUILDKIT_SYNTAX: 'modus-frontend:dev', V: '1' });
  expect((target.args as Record<string, string>).MODUS_CLOCK).toMatch(/^[0-9]+$/);
  const nonces = new Set(Object.values(bake!.file.target).map((t) => (t.args as Record<string, string>).MODUS_BUILD_NONCE));
  expect([...nonces]).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/)]);
  expect(tags(s).map((c) => [c.id, c.tag]).sort((x, y) => String(x[1]).localeCompare(String(y[1])))).toEqual([
    [digest('a("1")'), 'app:1'],
    [digest('a("2")'), 'app:2'],
    [digest('a("3")'), 'app:3'],
  ]);
  const report = JSON.parse(rec.stdout()) as { image_id: string; tags: string[] }[];
  expect(report.map((r) => [r.image_id, r.tags])).toEqual([
    [digest('a("1")'), ['app:1']],
    [digest('a("2")'), ['app:2']],
    [digest('a("3")'), ['app:3']],
  ]);
  expect(rec.stderr()).toContain('in one');
  expect(rec.stderr()).toContain('buildx bake on builder default (driver docker)');
});

test('after the bake, one docker image inspect of one image tells which digest is the local ID of all; no provenance in the metadata file', async () => {
  const { s, rec } = setup();
  expect(await main(['build', 'ctx', 'a(X)', '--json'], rec.io)).toBe(0);
  const inspects = s.calls().filter((c) => c.cmd === 'image-inspect');
  expect(inspects.map((c) => c.ids)).toEqual([[`${digest('a("1")').slice(0, -6)}config`, digest('a("1")')]]);
  const report = JSON.parse(rec.stdout()) as { image_id: string }[];
  expect(report.map((r) => r.image_id)).toEqual([digest('a("1")'), digest('a("2")'), digest('a("3")')]);
  expect(bakeCalls(s)[0]!.metadataProvenance).toBe('disabled');
});

test('-q: the loaded image IDs on stdout, one per image in solution order, nothing on stderr', async () => {
  const { s, rec } = setup();
  expect(await main(['build', 'ctx', 'a(X)', '-t', 'app:{0}', '-q'], rec.io)).toBe(0);
  expect(rec.stdout()).toBe([digest('a("1")'), digest('a("2")'), digest('a("3")')].map((id) => `${id}\n`).join(''));
  expect(rec.stderr()).toBe('');
  expect(tags(s)).toHaveLength(3);
});

test('a Modusfile outside the context: its absolute path, and bake may read its folder', async () => {
  const { s, rec } = setup();
  require('node:fs').writeFileSync(path.join(s.dir, 'elsewhere.Modusfile'), MODUSFILE);
  expect(await main(['build', '-f', 'elsewhere.Modusfile', 'ctx', 'a("1")'], rec.io)).toBe(0);
  const bake = bakes(s)[0]!;
  expect(bake.file.target['a-1']!.dockerfile).toBe(path.join(s.dir, 'elsewhere.Modusfile'));
  expect(bake.args).toContain(`--allow=fs.read=${s.dir}`);
});

test('--secret and --ssh: every target of the bake has them (and so does the pushing bake)', async () => {
  const { s, rec } = setup();
  const argv = ['build', 'ctx', 'a(X)', '-t', 'reg.example/app:{0}', '--push', '--secret', 'id=npmrc,src=/home/me/.npmrc', '--secret', 'id=tok,env=TOKEN', '--ssh', 'default', '--ssh', 'gh=/run/agent.sock'];
  expect(await main(argv, rec.io)).toBe(0);
  const all = bakes(s);
  expect(all.map((b) => b.push)).toEqual([false, false, true]);
  for (const bake of all) {
    for (const target of Object.values(bake.file.target)) {
      expect(target.secret).toEqual(['id=npmrc,src=/home/me/.npmrc', 'id=tok,env=TOKEN']);
      expect(target.ssh).toEqual(['default', 'gh=/run/agent.sock']);
    }
  }
});

test('without --secret or --ssh the targets have neither key', async () => {
  const { s, rec } = setup();
  expect(await main(['build', 'ctx', 'a("1")'], rec.io)).toBe(0);
  const target = bakes(s)[0]!.file.target['a-1']!;
  expect(target).not.toHaveProperty('secret');
  expect(target).not.toHaveProperty('ssh');
});

test('--builder and --platform reach the bake', async () => {
  const { s, rec } = setup();
  expect(await main(['build', 'ctx', 'a("1")', '--builder', 'remote', '--platform', 'linux/amd64,linux/arm64'], rec.io)).toBe(0);
  expect(s.calls().find((c) => c.cmd === 'buildx-inspect')!.name).toBe('remote');
  const bake = bakes(s)[0]!;
  expect(bake.args).toEqual(expect.arrayContaining(['--builder', 'remote']));
  expect(bake.file.target['a-1']!.platforms).toEqual(['linux/amd64', 'linux/arm64']);
});

test('--push: the first bake only builds (cache), the second pushes under the tags; nothing is tagged locally', async () => {
  const { s, rec } = setup();
  expect(await main(['build', 'ctx', 'a(X)', '--push', '-t', 'localhost:5000/app:{0}', '--json'], rec.io)).toBe(0);
  const [all, build, push] = bakes(s);
  expect(all!.push).toBe(false);
  expect(all!.file.target.all!.output).toEqual(['type=cacheonly']);
  expect(build!.push).toBe(false);
  expect(build!.args).not.toContain('--load');
  expect(build!.file.target['a-1']!.output).toEqual(['type=cacheonly']);
  expect(build!.file.target['a-1']!.tags).toEqual([]);
  expect(push!.push).toBe(true);
  expect(push!.file.target['a-1']!.tags).toEqual(['localhost:5000/app:1']);
  expect(push!.file.target['a-1']!.output).toBeUndefined();
  expect(tags(s)).toEqual([]);
  const report = JSON.parse(rec.stdout()) as { image_id: string; tags: string[] }[];
  expect(report[0]).toMatchObject({ image_id: digest('a("1") pushed'), tags: ['localhost:5000/app:1'] });
});

test('--push --no-cache: the pushing bake takes every step from the first (no no-cache, export only), so it pushes the bytes just built', async () => {
  const { s, rec } = setup();
  expect(await main(['build', 'ctx', 'a(X)', '--push', '--no-cache', '-t', 'localhost:5000/app:{0}'], rec.io)).toBe(0);
  const [, build, push] = bakes(s);
  expect(build!.file.target['a-1']).toMatchObject({ 'no-cache': true });
  expect(build!.file.target['a-1']!.args).not.toHaveProperty('MODUS_EXPORT_ONLY');
  expect(push!.file.target['a-1']).not.toHaveProperty('no-cache');
  expect(push!.file.target['a-1']!.args).toMatchObject({ MODUS_EXPORT_ONLY: '1' });
  // Both bakes have the same clock and nonce: the pushing one finds the first one's steps.
  const shared = (b: Bake) => [(b.file.target['a-1']!.args as Record<string, string>).MODUS_CLOCK, (b.file.target['a-1']!.args as Record<string, string>).MODUS_BUILD_NONCE];
  expect(shared(push!)).toEqual(shared(build!));
});

test('--push --load: loaded and tagged locally too', async () => {
  const { s, rec } = setup();
  expect(await main(['build', 'ctx', 'a("1")', '--push', '--load', '-t', 'localhost:5000/app:{0}'], rec.io)).toBe(0);
  expect(bakes(s)[0]!.args).toContain('--load');
  expect(tags(s).map((c) => c.tag)).toEqual(['localhost:5000/app:1']);
});

test('a failing target: one line naming the image and the error, exit 1, nothing tagged or pushed', async () => {
  const { s, rec } = setup({ 'a("2")': { fail: true } });
  expect(await main(['build', 'ctx', 'a(X)', '-t', 'app:{0}', '--push', '--json'], rec.io)).toBe(1);
  expect(bakes(s).map((b) => b.push)).toEqual([false, false]);
  expect(tags(s)).toEqual([]);
  expect(rec.stderr()).toContain('modus build: a("2") failed: step of a("2") failed: exit code 3\n');
  expect(rec.stderr()).toContain('1 of 3 images failed');
  const report = JSON.parse(rec.stdout()) as { image_id: string | null; tags: string[] }[];
  expect(report.every((r) => r.image_id === null && r.tags.length === 0)).toBe(true);
});

test('the images failing: the one solve is stopped; the failing image is named', async () => {
  const { s, rec } = setup({ 'a(X)': { sleepMs: 20_000, stepLineAfterMs: 10 }, 'a("3")': { fail: true } });
  const began = Date.now();
  expect(await main(['build', 'ctx', 'a(X)', '-t', 'app:{0}'], rec.io)).toBe(1);
  expect(Date.now() - began).toBeLessThan(15_000);
  expect(rec.stderr()).toContain('modus build: a("3") failed: step of a("3") failed: exit code 3\n');
  expect(rec.stderr()).toContain('1 of 3 images failed');
  expect(s.calls().filter((c) => c.cmd === 'interrupted')).toHaveLength(1);
  expect(tags(s)).toEqual([]);
});

test('one image, or --platform: no one-solve bake', async () => {
  const one = setup();
  expect(await main(['build', 'ctx', 'a("1")'], one.rec.io)).toBe(0);
  const platforms = setup();
  expect(await main(['build', 'ctx', 'a(X)', '--platform', 'linux/amd64'], platforms.rec.io)).toBe(0);
  expect(bakes(one.s).concat(bakes(platforms.s)).map((b) => b.file.group.default.targets)).toEqual([['a-1'], ['a-1', 'a-2', 'a-3']]);
});

test('a registry refusing the push: one line naming the tag and the image, exit 1', async () => {
  const { s, rec } = setup({}, { FAKE_DOCKER_PUSH_FAIL: 'localhost:5000/app:2' });
  expect(await main(['build', 'ctx', 'a(X)', '-t', 'localhost:5000/app:{0}', '--push'], rec.io)).toBe(1);
  expect(tags(s)).toEqual([]);
  expect(rec.stderr()).toContain('modus build: pushing localhost:5000/app:2 (a("2")) failed: failed to push localhost:5000/app:2: unexpected status 403 Forbidden\n');
  // The names a failed push may have given in the local store are taken back.
  const removed = s.calls().find((c) => c.cmd === 'other' && (c.args as string[])[0] === 'image' && (c.args as string[])[1] === 'rm');
  expect(removed!.args).toEqual(['image', 'rm', 'localhost:5000/app:1', 'localhost:5000/app:2', 'localhost:5000/app:3']);
});

test('an unknown or unreachable builder: one line naming it, exit 1, nothing built', async () => {
  const unknown = setup();
  expect(await main(['build', 'ctx', 'a(X)', '--builder', 'missing'], unknown.rec.io)).toBe(1);
  expect(unknown.rec.stderr()).toBe('modus build: builder missing cannot be used: no builder "missing" found\n');
  const down = setup({}, { FAKE_DOCKER_BUILDER_ERROR: 'Cannot connect to the Docker daemon at tcp://127.0.0.1:1. Is the docker daemon running?' });
  expect(await main(['build', 'ctx', 'a(X)'], down.rec.io)).toBe(1);
  expect(down.rec.stderr()).toBe('modus build: builder default (the current one) is unreachable: Cannot connect to the Docker daemon at tcp://127.0.0.1:1. Is the docker daemon running?\n');
  expect(bakes(unknown.s).concat(bakes(down.s))).toEqual([]);
});

test('the builder is asked about while the goal is solved (so a goal without solution asked too), nothing built then', async () => {
  const { s, rec } = setup();
  expect(await main(['build', 'ctx', 'a("9")'], rec.io)).toBe(1);
  expect(rec.stderr()).toContain('a("9")');
  expect(s.calls().map((c) => c.cmd)).toEqual(['buildx-inspect']);
});

test('a client without buildx: buildx options are an error naming the client; without them, docker build per image', async () => {
  const { s, rec } = setup({}, { FAKE_DOCKER_BUILDX: '0' });
  expect(await main(['build', 'ctx', 'a(X)', '--push', '-t', 'r/a:{0}', '--platform', 'linux/arm64'], rec.io)).toBe(1);
  expect(rec.stderr()).toMatch(/^modus build: --push, --platform need docker buildx, and the docker client .*fake-docker-client\.js has no buildx plugin\n$/);
  expect(s.calls().filter((c) => c.cmd === 'build' || c.cmd === 'bake')).toEqual([]);
  const plain = setup({}, { FAKE_DOCKER_BUILDX: '0' });
  expect(await main(['build', 'ctx', 'a(X)'], plain.rec.io)).toBe(0);
  expect(bakes(plain.s)).toEqual([]);
  expect(plain.s.calls().filter((c) => c.cmd === 'build').length).toBeGreaterThan(0);
});

test('usage errors: --push without --tag, an empty platform, per-image options with bake options', async () => {
  const { rec } = setup();
  expect(await main(['build', 'ctx', 'a(X)', '--push'], rec.io)).toBe(2);
  expect(rec.stderr()).toContain('--push needs --tag TEMPLATE');
  expect(await main(['build', 'ctx', 'a(X)', '--platform', 'linux/amd64,'], rec.io)).toBe(2);
  expect(await main(['build', 'ctx', 'a(X)', '--explain-cache', '--builder', 'b'], rec.io)).toBe(2);
  expect(rec.stderr()).toContain('--explain-cache cannot be combined with --builder');
});

test('pure parts: builder inspection, failed targets, image ID candidates', () => {
  expect(builderFromInspect(0, 'Name: b1\nDriver: docker-container\n\nNodes:\nName: b10\nError: x\n', '', 'b1')).toEqual({ builder: { name: 'b1', driver: 'docker-container' } });
  expect(bakeFailures('#1 x\nERROR: target a-1: failed to solve: boom\nother\n')).toEqual([{ target: 'a-1', message: 'boom' }]);
  expect(imageIdCandidates({ 'containerimage.digest': 'sha256:m', 'containerimage.config.digest': 'sha256:c' })).toEqual(['sha256:c', 'sha256:m']);
  expect(imageIdCandidates(undefined)).toEqual([]);
  const metadata = { a: { 'containerimage.config.digest': 'sha256:ca', 'containerimage.digest': 'sha256:ma' }, b: { 'containerimage.config.digest': 'sha256:cb', 'containerimage.digest': 'sha256:mb' }, c: {} };
  expect(localImageIds(metadata, ['a', 'b', 'c'], 'a', new Set(['sha256:ca']))).toEqual(['sha256:ca', 'sha256:cb', undefined]);
  expect(localImageIds(metadata, ['a', 'b'], 'a', new Set(['sha256:ma']))).toEqual(['sha256:ma', 'sha256:mb']);
  expect(localImageIds(metadata, ['a', 'b'], 'a', new Set())).toEqual([undefined, undefined]);
});

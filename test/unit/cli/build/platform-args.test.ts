/**
 * The automatic platform build args (`TARGETARCH`, …) in the commands that solve a goal, as the
 * frontend sets them in a build: this machine's platform by default, each `--platform` of
 * `modus build` in turn, an image built only for the platforms it solves on.
 */
import { main } from '../../../../frontend/cli/main';
import { hostPlatform } from '../../../../frontend/cli/goal-request';
import { fakeDockerSuite, type FakeSetup } from '../../../support/fake-docker';

const MODUSFILE = [
  'img(A) :- build_arg("TARGETARCH", A), from("busybox"), run(f"echo ${A}").',
  'arm_only :- build_arg("TARGETARCH", "arm64"), from("busybox").',
  'given(P) :- build_arg("TARGETPLATFORM", P), from("busybox").',
  '',
].join('\n');

const setup = fakeDockerSuite({ 'ctx/Modusfile': MODUSFILE }, { FAKE_DOCKER_BUILDX: '1' });

type Bake = { file: { target: Record<string, { target: string; platforms?: string[] }> } };
const bakeTargets = (s: FakeSetup) => (s.calls().filter((c) => c.cmd === 'bake') as unknown as Bake[])[0]!.file.target;

test('modus proof solves with this machine\'s platform, and --build-arg still wins', async () => {
  const { rec } = setup();
  expect(await main(['proof', 'ctx', 'img(A)', '--json'], rec.io)).toBe(0);
  expect(rec.stdout()).toContain(`"${hostPlatform().architecture}"`);
  const given = setup();
  expect(await main(['proof', 'ctx', 'given(P)', '--json', '--build-arg', 'TARGETPLATFORM=plan9/386'], given.rec.io)).toBe(0);
  expect(given.rec.stdout()).toContain('"plan9/386"');
});

test('modus build --platform a,b: one solve per platform; each image built for the platforms it solves on', async () => {
  const { s, rec } = setup();
  const code = await main(['build', 'ctx', 'img(A)', '--platform', 'linux/amd64,linux/arm64'], rec.io);
  expect(rec.stderr()).toContain('2 images built');
  expect(code).toBe(0);
  const targets = bakeTargets(s);
  expect(Object.values(targets).map((t) => [t.target, t.platforms])).toEqual([
    ['img("amd64")', ['linux/amd64']],
    ['img("arm64")', ['linux/arm64']],
  ]);
});

test('an image that solves on every requested platform is built for all of them', async () => {
  const { s, rec } = setup();
  expect(await main(['build', 'ctx', 'given(P)', '--build-arg', 'TARGETPLATFORM=any', '--platform', 'linux/amd64', '--platform', 'linux/arm64'], rec.io)).toBe(0);
  expect(Object.values(bakeTargets(s)).map((t) => t.platforms)).toEqual([['linux/amd64', 'linux/arm64']]);
});

test('a platform the goal has no solution on, and an unknown platform: named errors', async () => {
  const none = setup();
  expect(await main(['build', 'ctx', 'arm_only', '--platform', 'linux/amd64,linux/arm64'], none.rec.io)).toBe(1);
  expect(none.rec.stderr()).toContain('modus build --platform linux/amd64: goal `arm_only` has no solution');
  const unknown = setup();
  expect(await main(['build', 'ctx', 'img(A)', '--platform', 'linux/sparc99'], unknown.rec.io)).toBe(2);
  expect(unknown.rec.stderr()).toContain('--platform: unknown architecture `sparc99`');
});

test.each([
  ['bogus', '--platform: invalid platform `bogus`: expected os/architecture[/variant], e.g. linux/amd64'],
  ['linux/sparc99', '--platform: unknown architecture `sparc99` in platform `linux/sparc99`'],
  ['linux/amd64,', '--platform: empty platform in `linux/amd64,`: expected os/architecture[/variant], several separated by commas, e.g. linux/amd64,linux/arm64'],
  [',', '--platform: empty platform in `,`'],
  ['', '--platform: empty platform in ``'],
])('modus build and modus llb say the same of --platform %j', async (value, message) => {
  const said: string[] = [];
  for (const command of [['build', 'ctx', 'img(A)'], ['llb', '--offline', 'ctx', 'img(A)']]) {
    const { s, rec } = setup();
    expect(await main([...command, '--platform', value], rec.io)).toBe(2);
    expect(s.calls()).toEqual([]);
    said.push(rec.stderr().split('\n')[0]!.replace(`modus ${command[0]}: `, ''));
  }
  expect(said[0]).toContain(message);
  expect(said[1]).toBe(said[0]);
});

test('modus llb takes one platform: several are a usage error naming them', async () => {
  const { rec } = setup();
  expect(await main(['llb', '--offline', 'ctx', 'img(A)', '--platform', 'linux/amd64,linux/arm64'], rec.io)).toBe(2);
  expect(rec.stderr()).toContain('--platform: several platforms (linux/amd64, linux/arm64) were given; one is expected here');
});

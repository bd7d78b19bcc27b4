// A `run` step on another platform, through qemu registered with binfmt_misc (Debian's
// qemu-user-static, scripts/setup-machine.sh), FROM a two-platform busybox image in the local
// registry (scripts/build-multiarch-image.sh). Every test runs on both daemons. Current Docker
// builds both platforms in one build; on Docker 20.10 a list of platforms is refused, by buildx with
// a message naming the containerd image store it needs, and by `modus build` with one naming
// buildx, while one other platform per build works.
import * as fs from 'fs';
import * as path from 'path';
import { DAEMON, DOCKER, FRONTEND_IMAGE, ON_CURRENT_DOCKER, buildx, describeE2e, docker, makeContext, makeTempDirectory } from '../support';
import { modus } from '../build/cli';

const REGISTRY = process.env.MODUS_TEST_REGISTRY ?? '127.0.0.1:5000';
const BASE = `${REGISTRY}/modus-test/busybox-multi:1`;
const EMULATOR = '/proc/sys/fs/binfmt_misc/qemu-aarch64';

const MODUSFILE = [
  'app :-',
  `  from("${BASE}"),`,
  '  build_arg("TARGETARCH", A),',
  '  run(f"uname -m > /machine && echo ${A} > /targetarch").',
  '',
].join('\n');

async function requirePrerequisites(): Promise<void> {
  if (!fs.existsSync(EMULATOR)) throw new Error(`no arm64 emulator: ${EMULATOR} is missing (run scripts/setup-machine.sh)`);
  const manifest = await fetch(`http://${REGISTRY}/v2/modus-test/busybox-multi/manifests/1`, {
    method: 'HEAD',
    headers: { Accept: 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json' },
  });
  if (!manifest.ok) throw new Error(`${BASE} is not in the registry (run scripts/build-multiarch-image.sh)`);
}

function buildArgs(context: string, platforms: string, out: string): string[] {
  return [
    '--progress=plain', '-f', `${context}/Modusfile`, '--build-arg', `BUILDKIT_SYNTAX=${FRONTEND_IMAGE}`,
    '--target', 'app', '--platform', platforms, '-o', `type=local,dest=${out}`, context,
  ];
}

/** A build with the daemon's own client (`docker build` on 20.10, `docker buildx build` on current Docker). */
function build(context: string, platforms: string, out: string) {
  return docker([...DAEMON.buildCommand, ...buildArgs(context, platforms, out)]);
}

/** buildx refuses a list of platforms on a daemon without the containerd image store. */
const MULTI_PLATFORM_REFUSED = 'Multi-platform build is not supported for the docker driver';

function read(out: string, file: string): string {
  return fs.readFileSync(path.join(out, file), 'utf8').trim();
}

describeE2e('run steps on an emulated platform', () => {
  const context = makeContext({ Modusfile: MODUSFILE });
  beforeAll(requirePrerequisites);

  test('linux/amd64 and linux/arm64 in one build: each run step ran on its own machine type (Docker 20.10: refused)', async () => {
    const out = makeTempDirectory('modus-e2e-out-');
    // A buildx client on both daemons: Docker 20.10's own client has no list of platforms.
    const r = await buildx(['build', ...buildArgs(context, 'linux/amd64,linux/arm64', out)]);
    if (!ON_CURRENT_DOCKER) {
      expect(r.code).not.toBe(0);
      expect(r.output).toContain(MULTI_PLATFORM_REFUSED);
      expect(r.output).toContain('containerd image store');
      return;
    }
    expect(r.code).toBe(0);
    expect(read(out, 'linux_amd64/machine')).toBe('x86_64');
    expect(read(out, 'linux_arm64/machine')).toBe('aarch64');
    expect(read(out, 'linux_arm64/targetarch')).toBe('arm64');
  });

  test('modus build --platform a,b --push: each image for the platforms it solves on, as an index (Docker 20.10: needs buildx)', async () => {
    const ctx = makeContext({ Modusfile: `img(A) :- from("${BASE}"), build_arg("TARGETARCH", A), run(f"uname -m > /machine-\${A}").\nall :- from("${BASE}"), run("uname -m > /machine").\n` });
    const repo = `${REGISTRY}/modus-e2e/emulated-${process.pid}`;
    const pushed = async (goal: string) => modus(['build', '--platform', 'linux/amd64,linux/arm64', '--push', '-t', `${repo}:{predicate}{args}`, ctx, goal], ctx);
    if (!ON_CURRENT_DOCKER) {
      const refused = await pushed('img(A)');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(`modus build: --push, --platform need docker buildx, and the docker client ${DOCKER} has no buildx plugin\n`);
      return;
    }
    const architectures = async (tag: string) => {
      // One platform: a manifest and its configuration; several: an index, a configuration per platform.
      const inspect = await docker(['buildx', 'imagetools', 'inspect', '--format', '{{json .Image}}', `${repo}:${tag}`]);
      expect(inspect.code).toBe(0);
      const image = JSON.parse(inspect.stdout) as Record<string, unknown>;
      if (typeof image.architecture === 'string') return [image.architecture];
      return Object.values(image as Record<string, { architecture: string }>).map((i) => i.architecture).sort();
    };
    const perArch = await pushed('img(A)');
    expect(perArch.stderr).toContain('2 images built and pushed');
    expect(await architectures('imgamd64')).toEqual(['amd64']);
    expect(await architectures('imgarm64')).toEqual(['arm64']);
    const both = await pushed('all');
    expect(both.code).toBe(0);
    expect(await architectures('all')).toEqual(['amd64', 'arm64']);
  });

  test('linux/arm64 alone: the run step ran under the emulator', async () => {
    const out = makeTempDirectory('modus-e2e-out-');
    const r = await build(context, 'linux/arm64', out);
    expect(r.code).toBe(0);
    expect(read(out, 'machine')).toBe('aarch64');
    expect(read(out, 'targetarch')).toBe('arm64');
  });
}, { images: [FRONTEND_IMAGE] });

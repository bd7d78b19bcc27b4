// Named contexts and multi-platform builds through buildx (copy-only images, no emulator):
// -o type=local gives a directory per platform, --push an index with both platforms. On Docker
// 20.10 a buildx client drives the daemon (BUILDX_CLIENT; its own client has no --build-context):
// named contexts work there, and a list of platforms is refused by buildx itself, with a message
// naming the containerd image store it needs.
import * as fs from 'fs';
import * as path from 'path';
import { BUSYBOX_IMAGE, FRONTEND_IMAGE, ON_CURRENT_DOCKER, buildx, describeE2e, makeContext, makeTempDirectory } from '../support';

const REGISTRY = process.env.MODUS_TEST_REGISTRY ?? '127.0.0.1:5000';
const MULTI_PLATFORM_REFUSED = 'Multi-platform build is not supported for the docker driver';

const MODUSFILE = 'app :- build_arg("TARGETARCH", A), from("tools"), copy("f", f"/f-${A}").\n';

function build(context: string, args: string[]) {
  return buildx(['build', '--progress=plain', '-f', `${context}/Modusfile`, '--build-arg', `BUILDKIT_SYNTAX=${FRONTEND_IMAGE}`, '--target', 'app', ...args, context]);
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

describeE2e('named contexts and platforms', () => {
  const context = makeContext({ Modusfile: MODUSFILE, f: 'hi\n', 'tools/bin/tool': 'tool v1\n' });

  test('a directory named context: the from takes its files', async () => {
    const out = makeTempDirectory('modus-e2e-out-');
    const r = await build(context, ['--build-context', `tools=${context}/tools`, '--platform', 'linux/arm64', '-o', `type=local,dest=${out}`]);
    expect(r.code).toBe(0);
    expect(filesUnder(out)).toEqual(['bin/tool', 'f-arm64']);
    expect(fs.readFileSync(path.join(out, 'bin/tool'), 'utf8')).toBe('tool v1\n');
  });

  test('two platforms: a directory per platform with its own files (Docker 20.10: refused by buildx)', async () => {
    const out = makeTempDirectory('modus-e2e-out-');
    const r = await build(context, ['--build-context', `tools=${context}/tools`, '--platform', 'linux/amd64,linux/arm64', '-o', `type=local,dest=${out}`]);
    if (!ON_CURRENT_DOCKER) {
      expect(r.code).not.toBe(0);
      expect(r.output).toContain(MULTI_PLATFORM_REFUSED);
      return;
    }
    expect(r.code).toBe(0);
    expect(filesUnder(out)).toEqual(['linux_amd64/bin/tool', 'linux_amd64/f-amd64', 'linux_arm64/bin/tool', 'linux_arm64/f-arm64']);
    expect(fs.readFileSync(path.join(out, 'linux_arm64/bin/tool'), 'utf8')).toBe('tool v1\n');
  });

  test('docker-image:// named context: the from takes that image', async () => {
    const out = makeTempDirectory('modus-e2e-out-');
    const r = await build(context, ['--build-context', `tools=docker-image://${BUSYBOX_IMAGE}`, '-o', `type=local,dest=${out}`]);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(out, 'bin/busybox'))).toBe(true);
  });

  test('--push: an index with both platforms in the registry (Docker 20.10: refused by buildx)', async () => {
    const tag = `${REGISTRY}/modus-e2e/multi-${process.pid}:1`;
    const r = await build(context, ['--build-context', `tools=${context}/tools`, '--platform', 'linux/amd64,linux/arm64', '--provenance=false', '-t', tag, '--push']);
    if (!ON_CURRENT_DOCKER) {
      expect(r.code).not.toBe(0);
      expect(r.output).toContain(MULTI_PLATFORM_REFUSED);
      return;
    }
    expect(r.code).toBe(0);
    const inspect = await buildx(['imagetools', 'inspect', '--raw', tag]);
    expect(inspect.code).toBe(0);
    const index = JSON.parse(inspect.stdout) as { manifests: { platform: { os: string; architecture: string } }[] };
    expect(index.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`).sort()).toEqual(['linux/amd64', 'linux/arm64']);
  });

  test('MODUS_CACHE_REPO: the content key of a literal from a directory context follows its files', async () => {
    const dir = makeContext({ Modusfile: 'app :- from("tools"), copy("f", "/f").\n', f: 'hi\n', 'tools/bin/tool': 'tool v1\n' });
    const keyOf = async () => {
      const r = await build(dir, ['--build-context', `tools=${dir}/tools`, '--build-arg', `MODUS_CACHE_REPO=${REGISTRY}/modus-e2e/cache-${process.pid}`, '-o', `type=local,dest=${makeTempDirectory('modus-e2e-out-')}`]);
      expect(r.code).toBe(0);
      return /cache repo: building app \(\S+:(mk1-[0-9a-f]{64}) not found\)/.exec(r.output)?.[1];
    };
    const first = await keyOf();
    expect(first).toBeDefined();
    expect(await keyOf()).toBe(first);
    fs.writeFileSync(path.join(dir, 'tools/bin/tool'), 'tool v2\n');
    expect(await keyOf()).not.toBe(first);
  });

  test('MODUS_COST=available: a from that only a named context provides is available', async () => {
    const dir = makeContext({ Modusfile: 'app :- from("tools"), copy("f", "/short").\napp :- from("scratch"), copy("f", "/long1"), copy("f", "/long2").\n', f: 'hi\n', 'tools/bin/tool': 'tool\n' });
    const out = makeTempDirectory('modus-e2e-out-');
    const r = await build(dir, ['--build-context', `tools=${dir}/tools`, '--build-arg', 'MODUS_COST=available', '-o', `type=local,dest=${out}`]);
    expect(r.code).toBe(0);
    expect(filesUnder(out)).toEqual(['bin/tool', 'short']);
  });

  test('an image context that cannot be resolved and an unknown platform: named errors', async () => {
    const missing = await build(context, ['--build-context', 'tools=docker-image://modus-test/absent:1', '-o', `type=local,dest=${makeTempDirectory('modus-e2e-out-')}`]);
    expect(missing.code).not.toBe(0);
    expect(missing.output).toContain('cannot resolve image `modus-test/absent:1` of the named context `tools`');
    const platform = await build(context, ['--build-context', `tools=${context}/tools`, '--platform', 'linux/sparc99', '-o', `type=local,dest=${makeTempDirectory('modus-e2e-out-')}`]);
    expect(platform.code).not.toBe(0);
    expect(platform.output).toMatch(/sparc99/);
    expect(platform.output).not.toMatch(/at .*\.js:\d+/);
  });

  test('another single platform builds a copy-only image on scratch', async () => {
    const scratchContext = makeContext({ Modusfile: 'app :- build_arg("TARGETARCH", A), from("scratch"), copy("f", f"/f-${A}").\n', f: 'hi\n' });
    const out = makeTempDirectory('modus-e2e-out-');
    const r = await build(scratchContext, ['--platform', 'linux/arm64', '-o', `type=local,dest=${out}`]);
    expect(r.code).toBe(0);
    expect(filesUnder(out)).toEqual(['f-arm64']);
  });
}, { images: [FRONTEND_IMAGE, BUSYBOX_IMAGE] });

// Multi-platform results and named contexts through the whole frontend against the fake gateway.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { decodeMessage } from '../../../proto/schema';
import { bundleForTest, runWithFakeGateway } from '../../support/fake-gateway';

let script: string;
beforeAll(async () => {
  script = await bundleForTest(join(__dirname, '../../../frontend/main.ts'));
}, 60_000);

const BASE = { architecture: 'amd64', os: 'linux', config: { Env: ['PATH=/bin'] }, rootfs: { type: 'layers', diff_ids: [] } };
const digestOf = (bytes: Uint8Array) => 'sha256:' + createHash('sha256').update(bytes).digest('hex');

function ops(definition: any): any[] {
  return (definition?.def ?? []).slice(0, -1).map((bytes: Uint8Array) => ({ digest: digestOf(bytes), op: decodeMessage<any>('pb.Op', bytes) }));
}

async function build(modusfile: string, opts: Record<string, string>) {
  const definitions: any[] = [];
  const result = await runWithFakeGateway({
    script,
    opts: { filename: 'Modusfile', ...opts },
    images: { 'docker.io/library/alpine:3': { digest: 'sha256:' + 'cd'.repeat(32), config: BASE }, 'docker.io/library/busybox:latest': { config: BASE } },
    onSolve: (request, index) => {
      if (index === 0) return { files: { Modusfile: modusfile } }; // the Modusfile, read first
      definitions.push(request.Definition);
      return { ref: `ref-${definitions.length}` };
    },
  });
  const returned = result.returned!;
  const meta = (key: string) => (returned.result?.metadata?.[key] ? Buffer.from(returned.result.metadata[key]).toString('utf8') : undefined);
  return { result, returned, meta, definitions };
}

describe('--platform a,b', () => {
  const modusfile = 'app :- build_arg("TARGETARCH", A), from("busybox")::set_env("ARCH", A), copy("f", f"/f-${A}").\n';

  test('one ref per platform with refs.platforms and a configuration each; the target platform is a build arg', async () => {
    const b = await build(modusfile, { target: 'app', platform: 'linux/amd64,linux/arm64' });
    expect(b.returned.error).toBeUndefined();
    expect(Object.keys(b.returned.result!.refs.refs).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    expect(JSON.parse(b.meta('refs.platforms')!)).toEqual({
      Platforms: [
        { ID: 'linux/amd64', Platform: { architecture: 'amd64', os: 'linux' } },
        { ID: 'linux/arm64', Platform: { architecture: 'arm64', os: 'linux' } },
      ],
    });
    const arm = JSON.parse(b.meta('containerimage.config/linux/arm64')!);
    expect(arm.architecture).toBe('arm64');
    expect(arm.config.Env).toContain('ARCH=arm64');
    expect(JSON.parse(b.meta('containerimage.config/linux/amd64')!).config.Env).toContain('ARCH=amd64');
    const paths = b.definitions.flatMap((d) => ops(d)).flatMap((o) => o.op.file?.actions ?? []).map((a: any) => a.copy?.dest).filter(Boolean);
    expect(paths.sort()).toEqual(['/f-amd64', '/f-arm64']);
  }, 30_000);

  test('an unknown platform is an error naming it', async () => {
    const b = await build(modusfile, { target: 'app', platform: 'linux/amd64,linux/sparc99' });
    expect(b.returned.error?.message).toBe('unknown architecture `sparc99` in platform `linux/sparc99` (e.g. linux/amd64, linux/arm64, linux/arm/v7)');
  }, 30_000);

  test('an empty platform in the list is an error, worded as modus build and modus llb word it', async () => {
    const b = await build(modusfile, { target: 'app', platform: 'linux/amd64,' });
    expect(b.returned.error?.message).toBe('empty platform in `linux/amd64,`: expected os/architecture[/variant], several separated by commas, e.g. linux/amd64,linux/arm64');
  }, 30_000);
});

describe('named contexts', () => {
  test('docker-image:// replaces the image of a from with that name', async () => {
    const b = await build('app :- from("tools").\n', { target: 'app', 'context:tools': 'docker-image://alpine:3' });
    expect(b.returned.error).toBeUndefined();
    const ids = b.definitions.flatMap((d) => ops(d)).map((o) => o.op.source?.identifier).filter(Boolean);
    expect(ids).toContain(`docker-image://docker.io/library/alpine:3@sha256:${'cd'.repeat(32)}`);
  }, 30_000);

  test('a short name matches the written reference (busybox = docker.io/library/busybox:latest)', async () => {
    const b = await build('app :- from("docker.io/library/busybox:latest").\n', { target: 'app', 'context:busybox': 'docker-image://alpine:3' });
    const ids = b.definitions.flatMap((d) => ops(d)).map((o) => o.op.source?.identifier).filter(Boolean);
    expect(ids.some((id: string) => id.includes('alpine'))).toBe(true);
  }, 30_000);

  test('a directory is its files on scratch', async () => {
    const b = await build('app :- from("busybox"), from("tools")::copy("/bin/tool", "/usr/bin/tool").\n', {
      target: 'app',
      'context:tools': 'local:tools',
      'sharedkey:localdir:tools': 'tooldir',
    });
    expect(b.returned.error).toBeUndefined();
    const sources = b.definitions.flatMap((d) => ops(d)).map((o) => o.op.source).filter(Boolean);
    expect(sources.map((s: any) => s.identifier)).toContain('local://tools');
    expect(sources.find((s: any) => s.identifier === 'local://tools').attrs['local.sharedkeyhint']).toBe('context:tools-tooldir');
  }, 30_000);

  test('an image that cannot be resolved is an error naming the context, at the from', async () => {
    const b = await build('app :- from("tools").\n', { target: 'app', 'context:tools': 'docker-image://nothere:1' });
    expect(b.returned.error?.message).toContain('cannot resolve image `nothere:1` of the named context `tools`');
    expect(b.returned.error?.message).toMatch(/^Modusfile:1:8: error:/);
  }, 30_000);

  test('cost available: a from given by a named context is available (a directory, or an image that resolves)', async () => {
    const modusfile = 'app :- from("tools"), run("short").\napp :- from("busybox"), run("long1"), run("long2").\n';
    const commands = (b: Awaited<ReturnType<typeof build>>) =>
      b.definitions.flatMap((d) => ops(d)).map((o) => o.op.exec?.meta?.args?.[2]).filter(Boolean);
    const cost = { target: 'app', 'build-arg:MODUS_COST': 'available' };
    const without = await build(modusfile, cost);
    expect(commands(without)).toEqual(['long1', 'long2']);
    const local = await build(modusfile, { ...cost, 'context:tools': 'local:tools' });
    expect(local.returned.error).toBeUndefined();
    expect(commands(local)).toEqual(['short']);
    const image = await build(modusfile, { ...cost, 'context:tools': 'docker-image://alpine:3' });
    expect(commands(image)).toEqual(['short']);
    const missing = await build(modusfile, { ...cost, 'context:tools': 'docker-image://nothere:1' });
    expect(commands(missing)).toEqual(['long1', 'long2']);
  }, 60_000);

  test('a context kind the frontend does not take is an error naming it', async () => {
    const b = await build('app :- from("tools").\n', { target: 'app', 'context:tools': 'oci-layout://x@sha256:00' });
    expect(b.returned.error?.message).toContain('named context `tools` is `oci-layout://x@sha256:00`');
  }, 30_000);
});

describe('named contexts and the cache repository (MODUS_CACHE_REPO)', () => {
  /** The content key the frontend announces for `app`, with the directory context `tools` holding `files`. */
  async function appKey(files: Record<string, string>, sessionId = 'session-1'): Promise<string> {
    const names: string[] = [];
    const result = await runWithFakeGateway({
      script,
      sessionId,
      opts: { filename: 'Modusfile', target: 'app', 'build-arg:MODUS_CACHE_REPO': 'reg.example/cache', 'context:tools': 'local:tools' },
      images: { 'docker.io/library/busybox:latest': { config: BASE } },
      onSolve: (request, index) => {
        if (index === 0) return { files: { Modusfile: 'app :- from("busybox"), from("tools")::copy("/bin/tool", "/tool").\n' } };
        const sources = ops(request.Definition).map((o) => o.op.source?.identifier);
        for (const meta of Object.values<any>(request.Definition?.metadata ?? {})) {
          const name = meta.description?.['llb.customname'];
          if (name) names.push(name);
        }
        return sources.includes('local://tools') ? { files } : {};
      },
    });
    expect(result.returned?.error).toBeUndefined();
    const announced = names.map((n) => /cache repo: building app \(reg\.example\/cache:(mk1-[0-9a-f]{64}) not found\)/.exec(n)?.[1]).filter(Boolean);
    expect(announced).toHaveLength(1);
    return announced[0]!;
  }

  test('the content key of a literal from a directory context changes with the directory\'s files, and only with them', async () => {
    const one = await appKey({ 'bin/tool': 'v1' });
    // Not the session: every build has another.
    expect(await appKey({ 'bin/tool': 'v1' }, 'session-2')).toBe(one);
    expect(await appKey({ 'bin/tool': 'v2' })).not.toBe(one);
    expect(await appKey({ 'bin/tool': 'v1', 'share/doc': 'more' })).not.toBe(one);
  }, 60_000);
});

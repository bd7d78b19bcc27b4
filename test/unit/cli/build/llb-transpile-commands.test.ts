/** `modus llb` and `modus transpile` through the command dispatcher, offline (no daemon asked). */
import { main } from '../../../../frontend/cli/main';
import { plain } from '../../../../frontend/cli/build/llb-json';
import { fromInspect } from '../../../../frontend/cli/build/bases';
import { fakeDockerSuite } from '../../../support/fake-docker';

const MODUSFILE = [
  'base :- from("busybox")::set_workdir("/src"), copy("app.txt", "app.txt").',
  'a(X) :- aa(X), base, run(f"echo ${X} > out")::in_env("V", X).',
  'aa("1"). aa("2").',
  '',
].join('\n');

const setup = fakeDockerSuite({ 'ctx/Modusfile': MODUSFILE, 'ctx/app.txt': 'x\n' });

async function run(argv: string[], modusfile = MODUSFILE) {
  const { s, rec } = setup({}, {}, { 'ctx/Modusfile': modusfile, 'ctx/app.txt': 'x\n' });
  const code = await main(argv, rec.io);
  return { code, stdout: rec.stdout(), stderr: rec.stderr(), calls: s.calls() };
}

interface Dump {
  goal: string;
  bases: Record<string, { ref: string; config: string }>;
  images: { literal: string; terminal: string; ops: string[]; config: { config: { WorkingDir?: string; Labels?: Record<string, string> } } }[];
  ops: Record<string, { op: Record<string, unknown>; metadata: Record<string, unknown> }>;
}

describe('modus llb', () => {
  test('every image with its ops, shared ops listed once, decoded', async () => {
    const { code, stdout, calls } = await run(['llb', '--offline', 'ctx', 'a(X)']);
    expect(code).toBe(0);
    expect(calls).toEqual([]);
    const dump = JSON.parse(stdout) as Dump;
    expect(dump.images.map((i) => i.literal)).toEqual(['a("1")', 'a("2")']);
    expect(dump.bases).toEqual({ busybox: { ref: 'docker.io/library/busybox:latest', config: 'unresolved: empty configuration, reference unpinned' } });
    const [one, two] = dump.images;
    expect(one!.terminal).toBe(one!.ops[one!.ops.length - 1]);
    const shared = one!.ops.filter((d) => two!.ops.includes(d));
    expect(shared.length).toBeGreaterThanOrEqual(3);
    expect(Object.keys(dump.ops)).toHaveLength(new Set([...one!.ops, ...two!.ops]).size);
    const exec = Object.values(dump.ops).find((o) => 'exec' in o.op && JSON.stringify(o.op).includes('echo 1 > out'))!;
    const meta = (exec.op.exec as { meta: { args: string[]; env: string[]; cwd: string } }).meta;
    expect(meta.args).toEqual(['/bin/sh', '-c', 'echo 1 > out']);
    expect(meta.env).toContain('V=1');
    expect(meta.cwd).toBe('/src');
    expect(one!.config.config.WorkingDir).toBe('/src');
    expect(one!.config.config.Labels).toEqual({ 'com.modus-continens.literal': 'a("1")' });
    expect(JSON.stringify(dump.ops)).toContain('"local://context"');
  });

  test('deterministic output; a changed step changes its digest and those after it only', async () => {
    const first = (await run(['llb', '--offline', 'ctx', 'a("1")'])).stdout;
    expect((await run(['llb', '--offline', 'ctx', 'a("1")'])).stdout).toBe(first);
    const changed = (await run(['llb', '--offline', 'ctx', 'a("1")'], MODUSFILE.replace('> out', '> out2'))).stdout;
    const a = (JSON.parse(first) as Dump).images[0]!.ops;
    const b = (JSON.parse(changed) as Dump).images[0]!.ops;
    expect(a.length).toBe(b.length);
    const firstDifference = a.findIndex((d, i) => d !== b[i]);
    expect(firstDifference).toBeGreaterThan(0);
    expect(a.slice(firstDifference).every((d, i) => d !== b[firstDifference + i])).toBe(true);
  });

  test('a step with a cache mount that runs again: the fixed nonce, or the one given, and a note', async () => {
    const modusfile = 'a :- from("busybox"), run("make")::mount_cache("/c")::no_cache.\n';
    const salts = (stdout: string) => Object.values((JSON.parse(stdout) as Dump).ops).flatMap((o) => JSON.stringify(o.op).match(/modus-llb|given-nonce/g) ?? []);
    const fixed = await run(['llb', '--offline', 'ctx', 'a'], modusfile);
    expect(salts(fixed.stdout)).toEqual(['modus-llb']);
    expect((JSON.parse(fixed.stdout) as { notes: string[] }).notes.join('\n')).toContain('MODUS_BUILD_NONCE');
    const given = await run(['llb', '--offline', '--build-arg', 'MODUS_BUILD_NONCE=given-nonce', 'ctx', 'a'], modusfile);
    expect(salts(given.stdout)).toEqual(['given-nonce']);
    expect((JSON.parse(given.stdout) as { notes: string[] }).notes.join('\n')).not.toContain('MODUS_BUILD_NONCE');
  });

  test('--encoding and --platform; bad values are usage errors', async () => {
    const canonical = JSON.parse((await run(['llb', '--offline', '--encoding', 'canonical', '--platform', 'linux/arm64', 'ctx', 'a("1")'])).stdout) as Dump & {
      platform: string;
      encoding: string;
    };
    expect([canonical.platform, canonical.encoding]).toEqual(['linux/arm64', 'canonical']);
    expect((await run(['llb', '--offline', '--encoding', 'x', 'ctx', 'a("1")'])).code).toBe(2);
    expect((await run(['llb', '--offline', '--platform', 'linux', 'ctx', 'a("1")'])).code).toBe(2);
  });

  test('asks the docker client for base images unless --offline', async () => {
    const { calls } = await run(['llb', 'ctx', 'a("1")']);
    expect(calls.filter((c) => c.cmd === 'other').map((c) => (c.args as string[]).slice(0, 2))).toEqual([['image', 'inspect']]);
  });

  test('no solution: exit 1', async () => {
    const { code, stderr } = await run(['llb', '--offline', 'ctx', 'a("3")']);
    expect(code).toBe(1);
    expect(stderr).toContain('a("3")');
  });
});

describe('modus transpile', () => {
  test('prints the Dockerfile on stdout', async () => {
    const { code, stdout } = await run(['transpile', '--offline', 'ctx', 'a(X)']);
    expect(code).toBe(0);
    expect(stdout).toContain('FROM busybox AS n_0');
    expect(stdout).toContain('WORKDIR "/src"');
    expect(stdout).toMatch(/FROM n_\d+ AS a-2\n$/);
  });

  test('an error diagnostic (a line break in a label) exits 1 with the position', async () => {
    const { code, stderr, stdout } = await run(['transpile', '--offline', 'ctx', 'b'], 'b :- from("busybox")::set_label("k", "a\\nb").\n');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/ctx\/Modusfile:1:\d+: error: a line break/);
  });
});

test('plain(): bytes as text or base64, empty lists and maps dropped', () => {
  expect(plain({ a: new Uint8Array([104, 105]), b: [], c: {}, d: new Uint8Array([0, 255]), e: [{ f: undefined, g: 1 }] })).toEqual({
    a: { text: 'hi' },
    d: { base64: 'AP8=' },
    e: [{ g: 1 }],
  });
});

test('fromInspect: the OCI fields of docker inspect, pinned by a repo digest of the same repository', () => {
  const base = fromInspect('busybox', {
    Id: 'sha256:1',
    RepoDigests: ['other@sha256:2', 'busybox@sha256:3'],
    Architecture: 'amd64',
    Os: 'linux',
    Config: { Hostname: '', Env: ['PATH=/bin'], WorkingDir: '', User: 'u', Cmd: ['sh'] },
  });
  expect(base).toEqual({
    id: 'sha256:1',
    repoDigest: 'docker.io/library/busybox@sha256:3',
    config: { architecture: 'amd64', os: 'linux', config: { User: 'u', Env: ['PATH=/bin'], Cmd: ['sh'] } },
  });
});

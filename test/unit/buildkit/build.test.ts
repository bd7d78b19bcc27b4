// The frontend's whole flow (frontend/main.ts) against the fake gateway: what it solves, the LLB
// and image config it produces, and the errors it Returns. No daemon needed.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { decodeMessage } from '../../../proto/schema';
import { bundleForTest, runWithFakeGateway, V08_API_CAPS, V08_LLB_CAPS, type FakeGatewayResult, type FakeStatus } from '../../support/fake-gateway';

const BUSYBOX = 'docker.io/modus-test/busybox:1';
const BUSYBOX_DIGEST = 'sha256:' + 'ab'.repeat(32);
const BASE_CONFIG = {
  architecture: 'amd64',
  os: 'linux',
  created: '2024-01-01T00:00:00Z',
  config: { Env: ['PATH=/usr/bin:/bin', 'ZED=1', 'ALPHA=2'], Cmd: ['/bin/sh'], Healthcheck: { Test: ['CMD', 'true'] } },
  rootfs: { type: 'layers', diff_ids: ['sha256:' + '01'.repeat(32)] },
};

let script: string;
beforeAll(async () => {
  script = await bundleForTest(join(__dirname, '../../../frontend/main.ts'));
}, 60_000);

interface Op {
  digest: string;
  op: any;
  metadata: any;
}

interface Build {
  result: FakeGatewayResult;
  /** Ops of the last Solve (the image), in definition order, terminal op excluded. */
  ops: Op[];
  definition: any;
  config: any;
  error?: FakeStatus;
}

const digestOf = (bytes: Uint8Array) => 'sha256:' + createHash('sha256').update(bytes).digest('hex');

function decodeOps(definition: any): Op[] {
  const defs: Uint8Array[] = definition?.def ?? [];
  return defs.slice(0, -1).map((bytes) => {
    const digest = digestOf(bytes);
    return { digest, op: decodeMessage<any>('pb.Op', bytes), metadata: definition.metadata?.[digest] ?? {} };
  });
}

const isLocal = (definition: any) => decodeOps(definition).some((o) => String(o.op.source?.identifier ?? '').startsWith('local://'));

async function build(
  modusfile: string,
  opts: Record<string, string> = {},
  fail?: (ops: Op[]) => FakeStatus | undefined,
  caps?: { api?: string[]; llb?: string[] },
): Promise<Build> {
  let ops: Op[] = [];
  let definition: any;
  const result = await runWithFakeGateway({
    script,
    ...(caps ? { caps } : {}),
    opts: { filename: 'Modusfile', ...opts },
    images: { [BUSYBOX]: { digest: BUSYBOX_DIGEST, config: BASE_CONFIG } },
    onSolve: (request) => {
      if (isLocal(request.Definition) && decodeOps(request.Definition).length === 1) return { files: { Modusfile: modusfile } };
      definition = request.Definition;
      ops = decodeOps(definition);
      const error = fail?.(ops);
      return error ? { error } : { ref: 'image-ref' };
    },
  });
  const returned = result.returned;
  const configBytes = returned?.result?.metadata?.['containerimage.config'];
  const config = configBytes ? JSON.parse(Buffer.from(configBytes).toString('utf8')) : undefined;
  const out: Build = { result, ops, definition, config };
  if (returned?.error && returned.error.code !== 0) out.error = returned.error;
  return out;
}

const execs = (b: Build) => b.ops.filter((o) => o.op.exec);
const nameOf = (o: Op) => o.metadata.description?.['llb.customname'];
const FROM = 'from("modus-test/busybox:1")';

describe('frontend flow through the fake gateway', () => {
  it('reads at most MODUS_MAX_FILE_SIZE bytes of the Modusfile (16 MiB by default); a larger one is a clear error', async () => {
    const src = `app :- ${FROM}.\n`;
    const within = await build(src, { target: 'app', 'build-arg:MODUS_MAX_FILE_SIZE': String(src.length) });
    expect(within.error).toBeUndefined();
    const larger = await build(src, { target: 'app', 'build-arg:MODUS_MAX_FILE_SIZE': String(src.length - 1) });
    expect(larger.error?.message).toBe(
      `cannot read the Modusfile \`Modusfile\`: larger than ${src.length - 1} bytes (the limit; set the build arg MODUS_MAX_FILE_SIZE to raise it)`,
    );
  }, 30_000);

  it('returns the image with the base config kept, edits applied, labels added, the base pinned by digest', async () => {
    const b = await build(`app :- ${FROM}::set_env("ALPHA", "3")::set_label("k", "v"), run("make").\n`, {
      target: 'app',
      'label:org.example': 'yes',
    });
    expect(b.error).toBeUndefined();
    expect(b.result.exitCode).toBe(0);
    expect(b.result.returned!.result!.ref).toEqual({ id: 'image-ref' });
    const sources = b.ops.filter((o) => o.op.source).map((o) => o.op.source.identifier);
    expect(sources).toEqual([`docker-image://${BUSYBOX}@${BUSYBOX_DIGEST}`]);
    expect(b.config.created).toBeUndefined();
    expect(b.config.config.Env).toEqual(['PATH=/usr/bin:/bin', 'ZED=1', 'ALPHA=3']);
    expect(b.config.config.Healthcheck).toEqual({ Test: ['CMD', 'true'] });
    expect(b.config.config.Cmd).toEqual(['/bin/sh']);
    expect(b.config.config.Labels).toEqual({ k: 'v', 'com.modus-continens.literal': 'app', 'org.example': 'yes' });
  }, 30_000);

  it('solves the image with evaluate (positioned step errors); MODUS_EXPORT_ONLY: no evaluate, no step ignores the cache', async () => {
    const src = `a :- ${FROM}, run("make")::no_cache.\napp :- a, run("install").\n`;
    const last = (b: Build) => b.result.solves[b.result.solves.length - 1]!.request;
    const ignoring = (b: Build) => execs(b).filter((o) => o.metadata.ignore_cache).length;
    const normal = await build(src, { target: 'app', 'no-cache': '' });
    expect(normal.error).toBeUndefined();
    expect(Boolean(last(normal).Evaluate)).toBe(true);
    expect(ignoring(normal)).toBe(2);
    const exportOnly = await build(src, { target: 'app', 'no-cache': '', 'build-arg:MODUS_EXPORT_ONLY': '1' });
    expect(exportOnly.error).toBeUndefined();
    expect(Boolean(last(exportOnly).Evaluate)).toBe(false);
    expect(ignoring(exportOnly)).toBe(0);
    // The same steps: only the metadata differs, so the digests are the one solve's.
    expect(exportOnly.ops.map((o) => o.digest)).toEqual(normal.ops.map((o) => o.digest));
  }, 30_000);

  it('reads the Modusfile alongside the Ping; a bad option found there is Returned as the error, after the Ping', async () => {
    const b = await build(`app :- ${FROM}, run("make").\n`, { target: 'app' });
    expect(b.error).toBeUndefined();
    // The Modusfile's local-source Solve is sent before the Ping is answered.
    expect(b.result.calls.indexOf('Solve')).toBeLessThan(b.result.calls.indexOf('Ping'));
    const bad = await build(`app :- ${FROM}, run("make").\n`, { target: 'app', 'build-arg:MODUS_CLOCK': 'noon' });
    expect(bad.result.exitCode).toBe(0);
    expect(bad.result.calls).toContain('Ping');
    expect(bad.error?.message).toMatch(/MODUS_CLOCK `noon`/);
  }, 30_000);

  it('runs: sh -c, the image env then in_env, the workdir as cwd, no user, the forced network', async () => {
    const b = await build(`app :- ${FROM}::set_workdir("/srv"), run("make")::in_workdir("sub")::in_env("B", "1")::in_env("A", "2").\n`, {
      target: 'app',
      'force-network-mode': 'none',
    });
    expect(b.error).toBeUndefined();
    const [run] = execs(b);
    expect(run!.op.exec.meta.args).toEqual(['/bin/sh', '-c', 'make']);
    // `e::in_env("B", "1")::in_env("A", "2")` is `(e::in_env(B))::in_env(A)`: A applies first.
    expect(run!.op.exec.meta.env).toEqual(['PATH=/usr/bin:/bin', 'ZED=1', 'ALPHA=2', 'A=2', 'B=1']);
    expect(run!.op.exec.meta.cwd).toBe('/srv/sub');
    expect(run!.op.exec.meta.user ?? '').toBe('');
    expect(run!.op.exec.network).toBe(2);
    expect(nameOf(run!)).toBe('app › run("make") Modusfile:1:59');
    expect(nameOf(b.ops.find((o) => o.op.source)!)).toBe(`app › ${FROM} Modusfile:1:8`);
  }, 30_000);

  it('maps every step to its Modusfile range in the source map', async () => {
    const b = await build(`app :- ${FROM},\n  run("make").\n`, { target: 'app' });
    const run = execs(b)[0]!;
    const source = b.definition.Source;
    expect(Buffer.from(source.infos[0].data).toString()).toContain('run("make")');
    expect(source.infos[0].filename).toBe('Modusfile');
    expect(source.locations[run.digest].locations[0].ranges[0]).toEqual({ start: { line: 2, character: 2 }, end: { line: 2, character: 13 } });
  }, 30_000);

  it('--no-cache with predicate names ignores the cache of those steps only; without names, of every step', async () => {
    const modusfile = [`helper :- ${FROM}, run("echo helper").`, 'app :- helper, run("echo app").', ''].join('\n');
    const some = await build(modusfile, { target: 'app', 'no-cache': 'helper' });
    expect(Object.fromEntries(execs(some).map((o) => [o.op.exec.meta.args[2], Boolean(o.metadata.ignore_cache)]))).toEqual({
      'echo helper': true,
      'echo app': false,
    });
    const all = await build(modusfile, { target: 'app', 'no-cache': '' });
    expect(execs(all).map((o) => Boolean(o.metadata.ignore_cache))).toEqual([true, true]);
  }, 30_000);

  it('a merge of copies only is one FileOp with one copy per operation and no exec', async () => {
    const modusfile = [
      `src :- ${FROM}, run("echo x > /x").`,
      'app :- from("scratch"), (src::copy("/x", "/a"), src::copy("/x", "b/"))::merge.',
      '',
    ].join('\n');
    const b = await build(modusfile, { target: 'app' });
    expect(b.error).toBeUndefined();
    const files = b.ops.filter((o) => o.op.file);
    expect(files).toHaveLength(1);
    expect(files[0]!.op.file.actions.map((a: any) => [a.copy.src, a.copy.dest])).toEqual([
      ['/x', '/a'],
      ['/x', '/b/'],
    ]);
    expect(execs(b).map((o) => o.op.exec.meta.args[2])).toEqual(['echo x > /x']);
  }, 30_000);

  it('a merge with runs: one shell script on BuildKit v0.8; its steps, a diff and a MergeOp where BuildKit has mergeop and diffop', async () => {
    const modusfile = [
      `src :- ${FROM}, run("echo x > /x").`,
      `app :- ${FROM}, (run("echo a > /a"), src::copy("/x", "/b"), run("rm /a")::in_env("K", "v"))::merge.`,
      '',
    ].join('\n');
    const old = await build(modusfile, { target: 'app' });
    expect(old.error).toBeUndefined();
    expect(old.ops.some((o) => o.op.merge || o.op.diff)).toBe(false);
    expect(execs(old).map((o) => o.op.exec.meta.args[2])).toEqual(['echo x > /x', expect.stringContaining('echo a > /a')]);

    const llb = [...V08_LLB_CAPS, 'mergeop', 'diffop'];
    const b = await build(modusfile, { target: 'app' }, undefined, { llb });
    expect(b.error).toBeUndefined();
    const byDigest = new Map(b.ops.map((o) => [o.digest, o]));
    const last = b.ops[b.ops.length - 1]!;
    expect(last.op.merge.inputs).toHaveLength(2);
    const [parent, changes] = last.op.inputs.map((i: any) => byDigest.get(i.digest)!);
    expect(parent.op.source.identifier).toBe(`docker-image://${BUSYBOX}@${BUSYBOX_DIGEST}`);
    // The diff: from the parent under a no-op FileOp, to the last of the merge's own steps.
    const [lower, upper] = changes.op.inputs.map((i: any) => byDigest.get(i.digest)!);
    expect(lower.op.file.actions).toEqual([expect.objectContaining({ rm: { path: '/.modus-merge-lower', allowNotFound: true } })]);
    expect(upper.op.exec.meta.args).toEqual(['/bin/sh', '-c', 'rm /a']);
    expect(upper.op.exec.meta.env).toContain('K=v');
    expect(execs(b).map((o) => o.op.exec.meta.args[2])).toEqual(['echo a > /a', 'echo x > /x', 'rm /a']);
    expect(b.ops.filter((o) => o.op.file?.actions[0]?.copy).map((o) => o.op.file.actions[0].copy.dest)).toEqual(['/b']);
    // Each step is named after its operation; the merge after the whole.
    expect(nameOf(upper)).toMatch(/^app › run\("rm \/a"\) Modusfile:2:/);
    expect(nameOf(last)).toMatch(/^app › ::merge Modusfile:2:/);
    const again = await build(modusfile, { target: 'app' }, undefined, { llb });
    expect(again.ops.map((o) => o.digest)).toEqual(b.ops.map((o) => o.digest));
  }, 60_000);

  it('a failing step: the Returned error names its position and step and keeps the typed details', async () => {
    const modusfile = `app :- ${FROM},\n  run("exit 1").\n`;
    const b = await build(modusfile, { target: 'app' }, (ops) => {
      const run = ops.find((o) => o.op.exec)!;
      const vertex = { type_url: 'github.com/moby/buildkit/errdefs.Vertex+json', value: Buffer.from(JSON.stringify({ digest: run.digest })) };
      return { code: 2, message: 'executor failed running [/bin/sh -c exit 1]: exit code: 1', details: [vertex] };
    });
    expect(b.error!.message).toBe(
      'Modusfile:2:3: error: step `app › run("exit 1")` failed: executor failed running [/bin/sh -c exit 1]: exit code: 1',
    );
    expect(b.error!.details!.map((d) => d.type_url)).toEqual(['github.com/moby/buildkit/errdefs.Vertex+json']);
    expect(b.result.exitCode).toBe(0);
  }, 30_000);

  it('user errors are Returned as messages, never as crashes', async () => {
    const noGoal = await build(`app :- ${FROM}.\nsvc(x) :- ${FROM}, run(x).\n`);
    expect(noGoal.error!.message).toMatch(/^no goal given: pass --target 'GOAL' \(e\.g\. --target 'app'\)/);
    expect(noGoal.error!.message).toContain('image predicates in the Modusfile: app/0, svc/1');
    const platform = await build(`app :- ${FROM}, run("x").\n`, { target: 'app', platform: 'linux/arm64' });
    expect(platform.error!.message).toBe(
      'platform linux/arm64 cannot run `run` steps on this builder; it runs linux/amd64. Register an emulator for it (binfmt_misc, e.g. qemu-user-static) or build images without `run` for it (copy-only, on scratch)',
    );
    const network = await build(`app :- ${FROM}.\n`, { target: 'app', 'force-network-mode': 'bridge' });
    expect(network.error!.message).toMatch(/^invalid network mode `bridge`/);
    const syntax = await build(`app :- ${FROM}\n`, { target: 'app' });
    expect(syntax.error!.message).toMatch(/^Modusfile:1:36: error: expected /);
    expect(syntax.error!.details!.map((d) => d.type_url)).toEqual(['github.com/moby/buildkit/errdefs.Source+json']);
    for (const b of [noGoal, platform, network, syntax]) expect(b.result.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
  }, 60_000);

  describe('warnings', () => {
    const ABSENT = 'modus-test/absent:1';
    const src = `app :- ${FROM}, run("make").\napp :- from("${ABSENT}"), run("x").\n`;
    const opts = { target: 'app', 'build-arg:MODUS_COST': 'available' };

    it('go through Warn where the daemon has gateway.warnings, with the Modusfile and the range of the from', async () => {
      const b = await build(src, opts, undefined, { api: [...V08_API_CAPS, 'gateway.warnings'] });
      expect(b.error).toBeUndefined();
      expect(b.result.warnings).toHaveLength(1);
      const [w] = b.result.warnings;
      expect(Buffer.from(w.short).toString()).toBe(`image ${ABSENT} is not available (docker.io/${ABSENT}: not found); proofs using it are not chosen (line 2)`);
      expect(Number(w.level)).toBe(1);
      expect(w.info.filename).toBe('Modusfile');
      expect(Buffer.from(w.info.data).toString()).toBe(src);
      expect(w.ranges).toEqual([{ start: { line: 2, character: 7 }, end: { line: 2, character: 7 + `from("${ABSENT}")`.length } }]);
      // The warning belongs to the step that loaded the Modusfile.
      const load = b.result.solves[0]!.request.Definition;
      expect(w.digest).toBe(digestOf(load.def[0]));
      expect(b.result.solves.some((s) => decodeOps(s.request.Definition).some((o) => String(nameOf(o)).includes('warning')))).toBe(false);
    }, 30_000);

    it('are progress steps named with their position where it has not', async () => {
      const b = await build(src, opts);
      expect(b.error).toBeUndefined();
      expect(b.result.warnings).toEqual([]);
      const names = b.result.solves.flatMap((s) => decodeOps(s.request.Definition).map(nameOf));
      expect(names).toContain(`[modus] warning: Modusfile:2:8: image ${ABSENT} is not available (docker.io/${ABSENT}: not found); proofs using it are not chosen`);
    }, 30_000);

    it('of the lint rules carry the rule, its description and page, as --check reports them', async () => {
      const b = await build(`app(X) :- ${FROM}.\n`, { target: 'app("1")' }, undefined, { api: [...V08_API_CAPS, 'gateway.warnings'] });
      expect(b.error).toBeUndefined();
      const [w] = b.result.warnings;
      expect(Buffer.from(w.short).toString()).toBe('SingletonVariable: Variable `X` occurs only once in this clause; name it `_X` (or `_`) if that is meant. (line 1)');
      expect(w.detail.map((d: Uint8Array) => Buffer.from(d).toString())).toEqual(['A named variable occurs only once in its clause.']);
      expect(w.url).toBe('docs/lint.md#singletonvariable');
      expect(w.ranges).toEqual([{ start: { line: 1, character: 4 }, end: { line: 1, character: 5 } }]);
    }, 30_000);
  });
});

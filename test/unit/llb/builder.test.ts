import {
  FileAction,
  goJson,
  image,
  local,
  marshal,
  normalizeImageRef,
  parseOwner,
  requiredCaps,
  scratch,
  sha256Digest,
  source,
  terminalInput,
  type Definition,
} from '../../../frontend/llb';
import { decodeMessage, encodeMessage } from '../../../proto/schema';

type Op = {
  inputs: { digest: string; index?: number }[];
  exec?: { meta: { args: string[]; env: string[]; cwd: string; user?: string }; mounts: Record<string, unknown>[]; network?: number };
  file?: { actions: Record<string, any>[] };
  source?: { identifier: string; attrs: Record<string, string> };
  platform?: { OS: string; Architecture: string };
};

/** The op the definition's terminal op points at. */
function resultOp(def: Definition): Op {
  const terminal = decodeMessage<Op>('pb.Op', def.def[def.def.length - 1]);
  const digest = terminal.inputs[0].digest;
  const bytes = def.def.find((b) => sha256Digest(b) === digest)!;
  return decodeMessage<Op>('pb.Op', bytes);
}

describe('State is an immutable value', () => {
  it('returns new states and leaves the original untouched', () => {
    const a = image('busybox');
    const b = a.withEnv('X', '1').withDir('/w').withUser('u');
    expect(a.env()).toEqual([]);
    expect(a.dir()).toBe('/');
    expect(b.env()).toEqual(['X=1']);
    expect(b.dir()).toBe('/w');
    expect(b.user()).toBe('u');
  });

  it('replaces an env entry by moving it to the end (Go AddOrReplace)', () => {
    const s = scratch().withEnv('A', '1').withEnv('B', '2').withEnv('A', '3');
    expect(s.env()).toEqual(['B=2', 'A=3']);
    expect(s.getEnv('A')).toBe('3');
    expect(s.withoutEnv('B').env()).toEqual(['A=3']);
  });

  it('joins relative directories and cleans them', () => {
    expect(scratch().withDir('/a').withDir('b/../c').dir()).toBe('/a/c');
    expect(scratch().withDir('/a').withDir('/x/').dir()).toBe('/x/');
  });

  it('applies an image config: Env in order, WorkingDir, User', () => {
    const s = scratch().withImageConfig({ config: { Env: ['PATH=/bin', 'EMPTY=', 'EQ=a=b'], WorkingDir: '/srv', User: 'app' } });
    expect(s.env()).toEqual(['PATH=/bin', 'EMPTY=', 'EQ=a=b']);
    expect(s.dir()).toBe('/srv');
    expect(s.user()).toBe('app');
  });

  it('marshals the same graph to the same bytes every time', () => {
    const build = () =>
      image('alpine:3.19')
        .run({ args: ['sh', '-c', 'true'], mounts: [{ dest: '/o', from: scratch() }], customName: 'x' })
        .file(FileAction.mkfile('/f', 0o644, 'x'));
    const one = marshal(build());
    const two = marshal(build());
    expect(one.def.map((b) => Buffer.from(b).toString('hex'))).toEqual(two.def.map((b) => Buffer.from(b).toString('hex')));
    expect(JSON.stringify(Object.keys(one.metadata))).toBe(JSON.stringify(Object.keys(two.metadata)));
  });
});

describe('sources', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest'],
    ['modus-test/busybox:1', 'docker.io/modus-test/busybox:1'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['127.0.0.1:5000/a/b:v1', '127.0.0.1:5000/a/b:v1'],
    ['index.docker.io/library/alpine', 'docker.io/library/alpine:latest'],
    ['alpine@sha256:' + 'a'.repeat(64), 'docker.io/library/alpine@sha256:' + 'a'.repeat(64)],
    ['Not Valid', 'Not Valid'],
  ])('normalizes %s', (ref, expected) => {
    expect(normalizeImageRef(ref)).toBe(expected);
  });

  it('writes image attrs only when not default', () => {
    expect(resultOp(marshal(image('busybox', { resolveMode: 'default' }))).source!.attrs).toEqual({});
    expect(resultOp(marshal(image('busybox', { resolveMode: 'local' }))).source!.attrs).toEqual({ 'image.resolvemode': 'local' });
  });

  it('gives images a platform and local sources none', () => {
    const platform = { os: 'linux', architecture: 'arm64', variant: 'v8' };
    expect(resultOp(marshal(image('busybox'), { platform })).platform).toMatchObject({ OS: 'linux', Architecture: 'arm64', Variant: 'v8' });
    expect(resultOp(marshal(local('context'), { platform })).platform).toBeUndefined();
  });

  it('encodes local pattern lists as Go JSON', () => {
    const op = resultOp(marshal(local('context', { includePatterns: ['a&b'], excludePatterns: [], followPaths: ['x'] })));
    expect(op.source!.attrs).toEqual({ 'local.includepattern': '["a\\u0026b"]', 'local.followpaths': '["x"]' });
    expect(goJson(['<>'])).toBe('["\\u003c\\u003e"]');
  });

  it('sorts map keys bytewise, integer-like keys included', () => {
    const def = marshal(source('git://x', { '9': 'a', '10': 'b', b: 'c', B: 'd' }));
    const bytes = Buffer.from(def.def[0]).toString('latin1');
    const order = ['10', '9', 'B', 'b'].map((k) => bytes.indexOf(`\n${String.fromCharCode(k.length)}${k}`));
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(order.every((i) => i >= 0)).toBe(true);
  });

  it('marshals scratch to an empty definition', () => {
    expect(marshal(scratch())).toEqual({ def: [], metadata: {} });
    expect(terminalInput(marshal(scratch()))).toBeUndefined();
  });

  it('writes each distinct op once', () => {
    const a = image('busybox');
    const b = image('busybox');
    const both = a.run({ args: ['x'], mounts: [{ dest: '/b', from: b, readonly: true }] });
    const def = marshal(both);
    expect(def.def).toHaveLength(3);
    expect(resultOp(def).inputs).toHaveLength(1);
  });
});

describe('run', () => {
  const base = image('busybox').withDir('/app').withEnv('A', '1').withUser('1000');

  it('uses the state context, with per-run overrides', () => {
    const op = resultOp(marshal(base.run({ args: ['make'], cwd: '/other', network: 'none' })));
    expect(op.exec!.meta).toMatchObject({ args: ['make'], env: ['A=1'], cwd: '/other', user: '1000' });
    expect(op.exec!.network).toBe(2);
  });

  it('sorts mounts by destination and numbers the writable ones', () => {
    const ctx = local('context');
    const r = base.run({
      args: ['x'],
      mounts: [
        { dest: '/z', from: scratch() },
        { dest: '/b', from: ctx, readonly: true, selector: 'src' },
        { dest: '/c', type: 'cache', id: 'c' },
        { dest: '/a', from: scratch() },
      ],
    });
    const op = resultOp(marshal(r));
    expect(op.exec!.mounts.map((m) => [m.dest, m.output ?? 0, m.input ?? 0])).toEqual([
      ['/', 0, 0],
      ['/a', 1, -1],
      ['/b', -1, 1],
      ['/c', -1, -1],
      ['/z', 2, -1],
    ]);
    expect(marshal(r.getMount('/z')).def.length).toBe(4);
    const outTerminal = decodeMessage<Op>('pb.Op', marshal(r.getMount('/z')).def.at(-1)!);
    expect(outTerminal.inputs[0].index).toBe(2);
    // A read-only mount's "output" is its unchanged source.
    expect(terminalInput(marshal(r.getMount('/b')))).toBe(terminalInput(marshal(ctx)));
    expect(() => r.getMount('/c')).toThrow(/no output/);
    expect(() => r.getMount('/nope')).toThrow(/no mount/);
  });

  it('keeps the base as the result of a read-only root', () => {
    const r = base.run({ args: ['x'], readonlyRootfs: true, mounts: [{ dest: '/out', from: scratch() }] });
    expect(r.output).toBe(base.output);
  });

  it('rejects empty args and duplicate mounts', () => {
    expect(() => base.run({ args: [] })).toThrow(/args/);
    expect(() => base.run({ args: ['x'], mounts: [{ dest: '/', from: scratch() }] })).toThrow(/two mounts/);
  });

  it('adds PATH only when the daemon does not set a default', () => {
    const r = scratch().run({ args: ['x'] });
    const without = { has: () => false };
    const withCap = { has: (c: string) => c === 'exec.meta.setsdefaultpath' };
    expect(resultOp(marshal(r, { llbCaps: without })).exec!.meta.env).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
    expect(resultOp(marshal(r, { llbCaps: withCap })).exec!.meta.env).toEqual([]);
    expect(requiredCaps(marshal(r, { llbCaps: withCap }))).toContain('exec.meta.setsdefaultpath');
  });

  it('records ignore_cache and the custom name in metadata, and the meta caps on the terminal op', () => {
    const def = marshal(base.run({ args: ['x'], ignoreCache: true, customName: 'step' }));
    const digest = terminalInput(def)!;
    const execDigest = decodeMessage<Op>('pb.Op', def.def.at(-1)!).inputs[0].digest;
    expect(def.metadata[execDigest]).toMatchObject({ ignore_cache: true, description: { 'llb.customname': 'step' } });
    expect(def.metadata[digest].caps).toEqual({ constraints: true, platform: true, 'meta.ignorecache': true, 'meta.description': true });
  });
});

describe('file actions', () => {
  it('resolves paths against the target dir and the copy source dir', () => {
    const from = image('busybox').withDir('/src');
    const target = image('alpine').withDir('/app');
    const op = resultOp(
      marshal(target.file(FileAction.copy(from, 'a/../b', 'dst/').copy(from, '/abs', '.').mkdir('d', 0o40755).rm('x/')),
    ));
    const [c1, c2, mk, rmv] = op.file!.actions;
    expect(c1.copy).toMatchObject({ src: '/src/b', dest: '/app/dst/', mode: -1, timestamp: -1 });
    expect(c2.copy).toMatchObject({ src: '/abs', dest: '/app' });
    expect(mk.mkdir).toMatchObject({ path: '/app/d', mode: 0o755, timestamp: -1 });
    expect(rmv.rm).toMatchObject({ path: '/app/x' });
  });

  it('chains actions through len(inputs)+k and only the last is an output', () => {
    const from = image('busybox');
    const op = resultOp(marshal(image('alpine').file(FileAction.copy(from, '/a', '/b').mkfile('/f', 0o600, 'x').mkdir('/d', 0o755))));
    expect(op.inputs).toHaveLength(2);
    expect(op.file!.actions.map((a) => [a.input ?? 0, a.secondaryInput ?? 0, a.output ?? 0])).toEqual([
      [0, 1, -1],
      [2, -1, -1],
      [3, -1, 0],
    ]);
  });

  it('uses -1 inputs on scratch and keeps "/." copy destinations', () => {
    const op = resultOp(marshal(scratch().file(FileAction.copy(scratch(), '/', '/.', {}))));
    expect(op.inputs).toEqual([]);
    expect(op.file!.actions[0]).toMatchObject({ input: -1, secondaryInput: -1, copy: { dest: '/.' } });
  });

  it('encodes owners by id or by name with the base input', () => {
    expect(parseOwner('root:staff')).toEqual({ user: 0, group: 'staff' });
    expect(parseOwner('1000')).toEqual({ user: 1000 });
    const op = resultOp(marshal(image('busybox').file(FileAction.mkfile('/f', 0o644, '', { owner: 'app:0' }))));
    expect(op.file!.actions[0].mkfile.owner).toEqual({ user: { byName: { name: 'app' } }, group: { byID: 0 } });
  });

  it('writes nanosecond timestamps beyond 2^53 exactly', () => {
    const ns = 1700000000123456789n;
    const def = marshal(scratch().file(FileAction.mkdir('/d', 0o755, { createdTime: ns })));
    const action = resultOp(def).file!.actions[0];
    expect(BigInt(action.mkdir.timestamp) / 1000n).toBe(ns / 1000n);
    expect(Buffer.from(def.def[0]).includes(Buffer.from(encodeMessage('pb.FileActionMkDir', { timestamp: ns })))).toBe(true);
  });
});

describe('source maps', () => {
  it('indexes files in first-use order and maps each op', async () => {
    const { SourceMapFile } = await import('../../../frontend/llb');
    const f1 = new SourceMapFile('A', new Uint8Array([1]));
    const f2 = new SourceMapFile('B', new Uint8Array([2]));
    const range = { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } };
    const s = image('busybox', { locations: [f2.location([range])] }).run({ args: ['x'], locations: [f1.location([range]), f2.location([range])] });
    const def = marshal(s);
    expect(def.source!.infos.map((i) => i.filename)).toEqual(['B', 'A']);
    const execDigest = decodeMessage<Op>('pb.Op', def.def.at(-1)!).inputs[0].digest;
    expect(def.source!.locations[execDigest].locations.map((l) => l.sourceIndex)).toEqual([1, 0]);
  });
});

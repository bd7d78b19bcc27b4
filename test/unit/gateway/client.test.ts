import { join } from 'node:path';
import { decodeMessage } from '../../../proto/schema';
import { bundleForTest, runWithFakeGateway, V08_API_CAPS, type FakeGatewayResult } from '../../support/fake-gateway';

const text = (v: Uint8Array | undefined) => Buffer.from(v ?? []).toString('utf8');

let script: string;
beforeAll(async () => {
  script = await bundleForTest(join(__dirname, 'fixtures/test-frontend.ts'));
}, 30_000);

function expectCleanExit(r: FakeGatewayResult) {
  expect(r.timedOut).toBe(false);
  expect(r.exitCode).toBe(0);
  expect(r.stdoutIsHttp2).toBe(true);
  expect(r.calls[r.calls.length - 1]).toBe('Return');
  expect(r.calls.filter((c) => c === 'Return')).toHaveLength(1);
}

describe('gateway client against the fake gateway', () => {
  it('pings, reads options and caps, returns metadata, exits 0 with only gRPC on stdout', async () => {
    const r = await runWithFakeGateway({
      script,
      opts: { mode: 'echo', 'build-arg:B': 'x=y', 'build-arg:A': '', '10': 'ten', '9': 'nine' },
      sessionId: 'sess-1',
      workers: [{ ID: 'w1', Labels: { a: 'b' }, platforms: [{ OS: 'linux', Architecture: 'arm64', Variant: 'v8' }] }],
    });
    expectCleanExit(r);
    expect(r.calls[0]).toBe('Ping');
    const md = r.returned!.result!.metadata;
    expect(JSON.parse(text(md.opts))).toEqual([
      ['10', 'ten'],
      ['9', 'nine'],
      ['build-arg:A', ''],
      ['build-arg:B', 'x=y'],
      ['mode', 'echo'],
    ]);
    expect(text(md.session)).toBe('sess-1');
    expect(text(md.product)).toBe('docker');
    expect(JSON.parse(text(md.apiCaps))).toEqual([...V08_API_CAPS].sort());
    expect(text(md.hasBind)).toBe('true');
    expect(JSON.parse(text(md.workers))).toEqual([{ id: 'w1', labels: { a: 'b' }, platforms: [{ os: 'linux', architecture: 'arm64', variant: 'v8' }] }]);
    expect(r.stderr).toContain('this line must go to stderr');
  }, 30_000);

  it('solves a local source and reads files, ranges, directories and stats', async () => {
    const r = await runWithFakeGateway({
      script,
      opts: { mode: 'readfile' },
      sessionId: 'sess-2',
      onSolve: () => ({ files: { Modusfile: 'app :- from("x").\n', 'sub/a': '1' } }),
    });
    expectCleanExit(r);
    expect(r.solves).toHaveLength(1);
    const solve = r.solves[0].request;
    expect(solve.allowResultReturn).toBe(true);
    expect(solve.allowResultArrayRef).toBe(true);
    const op = decodeMessage<any>('pb.Op', solve.Definition.def[0]);
    expect(op.source).toEqual({
      identifier: 'local://dockerfile',
      attrs: { 'local.session': 'sess-2', 'local.followpaths': '["Modusfile"]', 'local.sharedkeyhint': 'dockerfile' },
    });
    const md = r.returned!.result!.metadata;
    expect(r.returned!.result!.ref).toEqual({ id: 'ref-0' });
    expect(text(md.content)).toBe('app :- from("x").\n');
    expect(text(md.part)).toBe('p :');
    expect(JSON.parse(text(md.dir))).toEqual(['Modusfile', 'sub']);
    expect(text(md.size)).toBe('18');
  }, 30_000);

  it('resolves an image config, solves with evaluate and returns the ref with its image config', async () => {
    const r = await runWithFakeGateway({
      script,
      opts: { mode: 'solve' },
      images: { 'docker.io/modus-test/busybox:1': { config: { config: { Env: ['PATH=/bin'], WorkingDir: '/' } } } },
    });
    expectCleanExit(r);
    expect(r.calls).toEqual(['Ping', 'ResolveImageConfig', 'Solve', 'Return']);
    const solve = r.solves[0].request;
    expect(solve.Evaluate).toBe(true);
    expect(solve.Definition.def).toHaveLength(4);
    const exec = decodeMessage<any>('pb.Op', solve.Definition.def[1]);
    expect(exec.exec.meta.env).toEqual(['PATH=/bin']);
    const names = Object.values(solve.Definition.metadata).map((m: any) => m.description?.['llb.customname']).filter(Boolean);
    expect(names.sort()).toEqual(['RUN echo hello', 'write greeting']);
    const result = r.returned!.result!;
    expect(result.ref).toEqual({ id: 'ref-0' });
    expect(JSON.parse(text(result.metadata['containerimage.config']))).toEqual({ config: { Env: ['PATH=/bin'] } });
    expect(text(result.metadata.digest)).toBe('');
  }, 30_000);

  it('sends a warning with its level, detail, url, source and range (Warn)', async () => {
    const r = await runWithFakeGateway({ script, opts: { mode: 'warn' } });
    expectCleanExit(r);
    expect(r.calls).toEqual(['Ping', 'Warn', 'Return']);
    const [w] = r.warnings;
    expect(w.digest).toBe('sha256:' + 'a'.repeat(64));
    expect(Number(w.level)).toBe(1);
    expect(text(w.short)).toBe('image x is not available');
    expect(w.detail.map(text)).toEqual(['proofs using it are not chosen']);
    expect(w.url).toBe('https://example.com/docs');
    expect(w.info.filename).toBe('Modusfile');
    expect(text(w.info.data)).toBe('app :- from("x").\n');
    expect(w.info.language).toBe('Modus');
    expect(w.ranges).toEqual([{ start: { line: 1, character: 7 }, end: { line: 1, character: 16 } }]);
  }, 30_000);

  it('returns "" for a scratch result', async () => {
    const r = await runWithFakeGateway({ script, opts: { mode: 'scratch' } });
    expectCleanExit(r);
    expect(r.returned!.result!.ref).toEqual({});
  }, 30_000);

  it('returns a user error as a status with a source detail, and exits 0', async () => {
    const r = await runWithFakeGateway({ script, opts: { mode: 'user-error' } });
    expectCleanExit(r);
    const error = r.returned!.error!;
    expect(error.code).toBe(2);
    expect(error.message).toBe('Modusfile:1:8: error: unknown predicate `nope/0`');
    expect(error.details![0].type_url).toBe('github.com/moby/buildkit/errdefs.Source+json');
    const detail = JSON.parse(text(error.details![0].value));
    expect(Buffer.from(detail.info.data, 'base64').toString()).toBe('app :- nope.\n');
    expect(detail.ranges[0].start).toEqual({ line: 1, character: 7 });
  }, 30_000);

  it('forwards a daemon error status unchanged, typed details included', async () => {
    const vertex = Buffer.from(JSON.stringify({ digest: 'sha256:abc' }));
    const r = await runWithFakeGateway({
      script,
      opts: { mode: 'forward' },
      onSolve: () => ({
        error: {
          code: 2,
          message: 'process "false" did not complete successfully: exit code: 1',
          details: [{ type_url: 'github.com/moby/buildkit/errdefs.Vertex+json', value: vertex }],
        },
      }),
    });
    expectCleanExit(r);
    const error = r.returned!.error!;
    expect(error.message).toBe('process "false" did not complete successfully: exit code: 1');
    expect(error.details).toHaveLength(1);
    expect(error.details![0].type_url).toBe('github.com/moby/buildkit/errdefs.Vertex+json');
    expect(text(error.details![0].value)).toBe(vertex.toString());
  }, 30_000);

  it('turns a missing file into an error Return (status without details)', async () => {
    const r = await runWithFakeGateway({ script, opts: { mode: 'missing-file' } });
    expectCleanExit(r);
    expect(r.returned!.error).toMatchObject({ code: 2, message: 'open nope.txt: no such file or directory' });
  }, 30_000);

  it('reports an unexpected exception as an internal error, the stack only on stderr', async () => {
    const r = await runWithFakeGateway({ script, opts: { mode: 'crash' } });
    expectCleanExit(r);
    expect(r.returned!.error!.message).toBe('internal error in the Modus frontend: boom');
    expect(r.stderr).toContain('TypeError: boom');
  }, 30_000);

  it('notices a frontend that writes anything but gRPC to stdout (the build then gets no Return)', async () => {
    const r = await runWithFakeGateway({ script, opts: { mode: 'echo' }, env: { POLLUTE_STDOUT: '1' }, timeoutMs: 20_000 });
    expect(r.stdoutIsHttp2).toBe(false);
    expect(r.returned).toBeUndefined();
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('cannot reach the BuildKit gateway');
  }, 30_000);
});

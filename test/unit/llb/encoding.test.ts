import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { image, marshal, sha256Digest } from '../../../frontend/llb';
import { decodeMessage, encodeMessage } from '../../../proto/schema';
import { startsProcesses } from '../../support/process-tests';

startsProcesses();

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('deterministic protobuf encoding', () => {
  it('leaves out proto3 defaults but writes present empty messages', () => {
    expect(hex(encodeMessage('pb.Input', { digest: '', index: 0 }))).toBe('');
    expect(hex(encodeMessage('pb.Op', { constraints: {} }))).toBe('5a00');
  });

  it('writes -1 as a ten-byte varint', () => {
    expect(hex(encodeMessage('pb.Mount', { input: -1 }))).toBe('08ffffffffffffffffff01');
  });

  it('writes a oneof member even when it holds the default value', () => {
    expect(hex(encodeMessage('pb.UserOpt', { byID: 0 }))).toBe('1000');
  });

  it('packs repeated numbers', () => {
    expect(hex(encodeMessage('pb.Meta', { validExitCodes: [0, 1] }))).toBe('62020001');
  });

  it('writes both key and value of map entries, keys sorted bytewise', () => {
    expect(hex(encodeMessage('pb.OpMetadata', { caps: { b: false, a: true } }))).toBe('2a050a016110012a050a0162' + '1000');
  });

  it('canonical encoding puts the Op oneof after platform and constraints', () => {
    const platform = { os: 'linux', architecture: 'amd64' };
    const gogo = marshal(image('busybox'), { platform }).def[0];
    const canonical = marshal(image('busybox'), { platform, encoding: 'canonical' }).def[0];
    const op = decodeMessage<Record<string, unknown>>('pb.Op', gogo);
    expect(decodeMessage('pb.Op', canonical)).toEqual(op);
    const { source, ...rest } = op;
    expect(hex(canonical)).toBe(hex(encodeMessage('pb.Op', rest)) + hex(encodeMessage('pb.Op', { source })));
    expect(hex(gogo)).toBe(hex(encodeMessage('pb.Op', { source })) + hex(encodeMessage('pb.Op', rest)));
  });

  it('canonical encoding references inputs by the canonical digests', () => {
    const def = marshal(image('busybox').run({ args: ['x'] }), { encoding: 'canonical' });
    const exec = decodeMessage<{ inputs: { digest: string }[] }>('pb.Op', def.def[1]);
    expect(exec.inputs[0].digest).toBe(sha256Digest(def.def[0]));
  });

  it('round-trips nested messages, maps of messages and bytes', () => {
    const request = {
      Definition: { def: [new Uint8Array([1, 2]), new Uint8Array([3])], metadata: { 'sha256:b': { ignore_cache: true, caps: { x: true } }, 'sha256:a': {} } },
      FrontendOpt: { b: '2', a: '' },
      allowResultReturn: true,
      CacheImports: [{ Type: 'registry', Attrs: { ref: 'r' } }],
      Evaluate: false,
    };
    const decoded = decodeMessage<any>('moby.buildkit.v1.frontend.SolveRequest', encodeMessage('moby.buildkit.v1.frontend.SolveRequest', request));
    expect(decoded.Definition.def.map((b: Uint8Array) => [...b])).toEqual([[1, 2], [3]]);
    expect(decoded.Definition.metadata).toEqual({ 'sha256:a': { description: {}, caps: {} }, 'sha256:b': { ignore_cache: true, description: {}, caps: { x: true } } });
    expect(decoded.FrontendOpt).toEqual({ a: '', b: '2' });
    expect(decoded.CacheImports).toEqual([{ Type: 'registry', Attrs: { ref: 'r' } }]);
    expect(decoded.allowResultReturn).toBe(true);
    expect(decoded.Evaluate).toBeUndefined();
  });

  it('decodes packed and unpacked repeated numbers and skips unknown fields', () => {
    expect(decodeMessage<any>('pb.Meta', Buffer.from('62020001', 'hex')).validExitCodes).toEqual([0, 1]);
    expect(decodeMessage<any>('pb.Meta', Buffer.from('60006001', 'hex')).validExitCodes).toEqual([0, 1]);
    const withUnknown = Buffer.concat([Buffer.from(encodeMessage('pb.Input', { digest: 'd', index: 2 })), Buffer.from('f80601a206026869', 'hex')]);
    expect(decodeMessage('pb.Input', withUnknown)).toEqual({ digest: 'd', index: 2 });
    expect(decodeMessage<any>('pb.Mount', encodeMessage('pb.Mount', { input: -1 })).input).toBe(-1);
  });

  it('proto/descriptors.ts is generated from the current .proto files', () => {
    const root = join(__dirname, '../../..');
    expect(() => execFileSync(process.execPath, [join(root, 'proto/generate.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});

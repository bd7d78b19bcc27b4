import { diff, image, marshal, merge, scratch, sha256Digest } from '../../../frontend/llb';
import { decodeMessage } from '../../../proto/schema';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const platform = { os: 'linux', architecture: 'amd64' };

/** The op the terminal op points at, its bytes and metadata. */
function result(state: ReturnType<typeof merge>, encoding: 'gogo' | 'canonical' = 'gogo') {
  const def = marshal(state, { platform, encoding });
  const terminal = decodeMessage<any>('pb.Op', def.def[def.def.length - 1]!);
  const digest = terminal.inputs[0].digest as string;
  const bytes = def.def.find((b) => sha256Digest(b) === digest)!;
  return { def, bytes, op: decodeMessage<any>('pb.Op', bytes), metadata: def.metadata[digest] as any };
}

describe('MergeOp and DiffOp', () => {
  const a = image('docker.io/library/a:1');
  const b = image('docker.io/library/b:1');

  it('a merge lists its inputs in order, carries no platform and needs cap mergeop', () => {
    const { op, metadata, def } = result(merge([a, b], { customName: 'stack' }));
    const digestOf = (s: typeof a) => sha256Digest(marshal(s, { platform }).def[0]!);
    expect(op.inputs.map((i: any) => i.digest)).toEqual([digestOf(a), digestOf(b)]);
    expect(op.merge).toEqual({ inputs: [{}, { input: 1 }] });
    expect(op.platform).toBeUndefined();
    expect(op.constraints).toEqual({ filter: [] });
    expect(metadata.caps).toEqual({ mergeop: true });
    expect(metadata.description['llb.customname']).toBe('stack');
    expect(def.def).toHaveLength(4);
  });

  it('encodes as Go does: inputs, merge, constraints (gogo); merge after constraints (canonical)', () => {
    // Two inputs of 2 + 73 bytes each (field 1, length 73: field 1, length 71, the digest), then
    // MergeOp{inputs: [{}, {input: 1}]}: field 6, length 6: 0a00 (input 0 is the default), 0a020801.
    const inputsLength = 2 * 2 * (2 + 73);
    const gogo = hex(result(merge([a, b])).bytes);
    const canonical = hex(result(merge([a, b]), 'canonical').bytes);
    expect(gogo.slice(inputsLength)).toBe('3206' + '0a00' + '0a020801' + '5a00');
    expect(canonical.slice(inputsLength)).toBe('5a00' + '3206' + '0a00' + '0a020801');
  });

  it('a merge leaves scratch out: one state is itself, none is scratch', () => {
    expect(merge([scratch(), a, scratch()])).toBe(a);
    expect(merge([scratch()]).isScratch).toBe(true);
    expect(result(merge([a, scratch(), b])).op.merge.inputs).toHaveLength(2);
  });

  it('a diff has lower then upper, no platform, cap diffop; from scratch it is upper', () => {
    const { op, metadata } = result(diff(a, b));
    expect(op.diff).toEqual({ lower: {}, upper: { input: 1 } });
    expect(op.inputs).toHaveLength(2);
    expect(op.platform).toBeUndefined();
    expect(metadata.caps).toEqual({ diffop: true });
    expect(diff(scratch(), b)).toBe(b);
    expect(result(diff(a, scratch())).op.diff).toEqual({ lower: {}, upper: { input: -1 } });
  });

  it('gives the same bytes every time', () => {
    const once = marshal(merge([a, diff(a, b)]), { platform });
    const again = marshal(merge([image('docker.io/library/a:1'), diff(image('docker.io/library/a:1'), image('docker.io/library/b:1'))]), { platform });
    expect(again.def.map(hex)).toEqual(once.def.map(hex));
  });
});

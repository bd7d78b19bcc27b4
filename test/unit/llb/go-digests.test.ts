import { marshal, sha256Digest } from '../../../frontend/llb';
import { decodeMessage, encodeMessage } from '../../../proto/schema';
import { GO_EXPECTED } from './go-expected';
import { goFixtures } from './go-fixtures';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fixtures = goFixtures();

describe('digests equal Go client/llb (BuildKit v0.8.3, gogo encoding)', () => {
  it('covers every fixture the Go program printed', () => {
    expect(Object.keys(fixtures).sort()).toEqual(Object.keys(GO_EXPECTED).sort());
  });

  describe.each(Object.keys(GO_EXPECTED).sort())('%s', (name) => {
    const expected = GO_EXPECTED[name];
    const definition = marshal(fixtures[name], { platform: { os: 'linux', architecture: 'amd64' } });
    const digests = definition.def.map(sha256Digest);

    it('has the same ops (Go orders independent inputs by map iteration, so compare as sets)', () => {
      expect([...digests].sort()).toEqual([...expected.def].sort());
    });

    it('ends with the same terminal op', () => {
      expect(digests[digests.length - 1]).toBe(expected.def[expected.def.length - 1]);
    });

    it('puts every dependency before the ops that use it', () => {
      digests.forEach((_, i) => {
        const op = decodeMessage<{ inputs: { digest: string }[] }>('pb.Op', definition.def[i]);
        for (const input of op.inputs) expect(digests.slice(0, i)).toContain(input.digest);
      });
    });

    it('writes the same OpMetadata bytes for every op', () => {
      const ours = Object.fromEntries(Object.entries(definition.metadata).map(([d, md]) => [d, hex(encodeMessage('pb.OpMetadata', md))]));
      expect(ours).toEqual(expected.metadata);
    });

    it('writes the same source map', () => {
      if (expected.source === undefined) expect(definition.source).toBeUndefined();
      else expect(hex(encodeMessage('pb.Source', definition.source!))).toBe(expected.source);
    });
  });

  it('is the default platform linux/amd64 when none is given', () => {
    expect(marshal(fixtures.image).def.map(sha256Digest)).toEqual(GO_EXPECTED.image.def);
  });
});

import fc from 'fast-check';
import {
  compareSemver,
  comparePrerelease,
  parseComparator,
  parseLenientVersion,
  parseVersion,
  SemverComparison,
} from '../../../../frontend/solver/builtins/semver';

describe('partial versions, wildcards and operator prefixes', () => {
  it.each<[SemverComparison, string, string, boolean]>([
    ['exact', '1.0.1', '1.0', true],
    ['gt', '1.1', '1', false],
    ['geq', '1.1', '1', true],
    ['lt', '1.1', '1.1.1', true],
    ['gt', '0.1.0-beta', '0.1.0-alpha', true],
  ])('semver_%s(%j, %j) is %p', (op, version, req, expected) => {
    expect(compareSemver(op, version, req)).toBe(expected);
  });
});

describe('compareSemver truth table', () => {
  // [op, version, requirement, expected]
  const table: Array<[SemverComparison, string, string, boolean]> = [
    // exact: a partial comparator only pins the components it names
    ['exact', '1.0.0', '1.0.0', true],
    ['exact', '1.0.0', '1.0.1', false],
    ['exact', '1.1.0', '1.0', false],
    ['exact', '1.9.9', '1', true],
    ['exact', '2.0.0', '1', false],
    ['exact', '0.9.9', '1', false],
    ['exact', '1', '1.0.0', true],
    ['exact', '1.2', '1.2.0', true],
    ['exact', '1.2', '1.2', true],
    ['exact', '1.0.0+build5', '1.0.0', true],
    ['exact', '1.0.0', '1.0.0+other', true],
    ['exact', '1.0.0-alpha+b', '1.0.0-alpha+c', true],
    ['exact', '1.0.0-alpha', '1.0.0-alpha', true],
    ['exact', '1.0.0-alpha', '1.0.0-beta', false],
    ['exact', '1.0.0-alpha', '1.0.0', false],
    ['exact', '1.0.0', '1.0.0-alpha', false],
    ['exact', '1.0.0-alpha', '1.0', false],
    ['exact', '1.0.0-alpha', '1', false],
    ['exact', '10.0.0', '10', true],
    // gt: `>1` is `>=2.0.0`, `>1.1` is `>=1.2.0`
    ['gt', '2.0.0', '1', true],
    ['gt', '1.9.9', '1', false],
    ['gt', '1.2.0', '1.1', true],
    ['gt', '1.1.9', '1.1', false],
    ['gt', '1.1.1', '1.1.0', true],
    ['gt', '1.1.0', '1.1.0', false],
    ['gt', '1.0.0', '1.1.0', false],
    ['gt', '10.0.0', '9', true],
    ['gt', '1.10.0', '1.9', true],
    ['gt', '0.1.0', '0.1.0-alpha', true],
    ['gt', '0.1.0-alpha.1', '0.1.0-alpha', true],
    ['gt', '0.1.0-alpha', '0.1.0-alpha.1', false],
    ['gt', '1.0.0-alpha.10', '1.0.0-alpha.9', true],
    ['gt', '1.0.0-alpha.beta', '1.0.0-alpha.1', true],
    ['gt', '1.0.0-rc.1', '1.0.0-beta.11', true],
    ['gt', '1.0.0-beta.11', '1.0.0-beta.2', true],
    ['gt', '1.0.0-Beta', '1.0.0-alpha', false], // ASCII order: uppercase first
    // a pre-release version needs a pre-release comparator on the same major.minor.patch
    ['gt', '0.1.1-alpha', '0.1.0', false],
    ['gt', '0.1.1-alpha', '0.1.0-alpha', false],
    ['gt', '2.0.0-rc.1', '1', false],
    // lt: `<1.1` is `<1.1.0`, `<1` is `<1.0.0`
    ['lt', '1.1', '1.1.1', true],
    ['lt', '1.0.9', '1.1', true],
    ['lt', '1.1.0', '1.1', false],
    ['lt', '1.1.5', '1.1', false],
    ['lt', '0.9.9', '1', true],
    ['lt', '1.0.0', '1', false],
    ['lt', '9.0.0', '10.0.0', true],
    ['lt', '1.0.0-alpha', '1.0.0', false],
    ['lt', '1.0.0-alpha', '1.0.0-beta', true],
    ['lt', '1.0.0-alpha.1', '1.0.0-alpha.beta', true],
    ['lt', '0.9.0', '1.0.0-alpha', true],
    ['lt', '0.9.0-alpha', '1.0.0-alpha', false],
    // geq
    ['geq', '1.0.0', '1', true],
    ['geq', '0.9.9', '1', false],
    ['geq', '1.1.0', '1.1', true],
    ['geq', '1.1.7', '1.1', true],
    ['geq', '1.2.0', '1.1', true],
    ['geq', '1.0.9', '1.1', false],
    ['geq', '1.1.0', '1.1.0', true],
    ['geq', '1.0.0-rc.1', '1.0.0-rc.1', true],
    ['geq', '1.0.0-rc.2', '1.0.0-rc.1', true],
    ['geq', '1.0.0-rc.1', '1.0.0-rc.2', false],
    ['geq', '1.0.0-rc.2', '1.0.0', false],
    ['geq', '1.0.0', '1.0.0-rc.2', true],
    // leq: `<=1.1` is `<1.2.0`, `<=1` is `<2.0.0`
    ['leq', '1.1.5', '1.1', true],
    ['leq', '1.2.0', '1.1', false],
    ['leq', '1.9.0', '1', true],
    ['leq', '2.0.0', '1', false],
    ['leq', '1.1.0', '1.1.0', true],
    ['leq', '1.1.1', '1.1.0', false],
    ['leq', '1.0.0-alpha', '1.0.0-alpha', true],
    ['leq', '1.0.0-alpha', '1.0.0-beta', true],
    ['leq', '1.0.0-alpha', '1.0.0', false],
    ['leq', '0.9.0', '1.0.0-alpha', true],
    // comparator syntax: spaces after the operator and at the ends, wildcards, build metadata
    ['geq', '1.2.0', ' 1.2', true],
    ['geq', '1.2.0', '1.2 ', true],
    ['exact', '1.5.0', '1.*', true],
    ['exact', '1.5.0', '1.x', true],
    ['exact', '1.5.2', '1.5.X', true],
    ['exact', '2.0.0', '1.*', false],
    ['exact', '1.5.0', '1.*.*', true],
    ['geq', '1.5.0', '1.*', true],
    // The builtin concatenates operator and requirement, so `>` + `=1` is `>=1`.
    ['gt', '1.0.0', '=1', true],
    ['lt', '1.0.0', '=1', true],
    // numbers up to u64::MAX
    ['exact', '18446744073709551615.0.0', '18446744073709551615', true],
    ['gt', '18446744073709551615.0.0', '18446744073709551614', true],
    // leading zeros are fine in build metadata and in alphanumeric pre-release identifiers
    ['exact', '1.0.0+001', '1.0.0', true],
    ['exact', '1.0.0-0a', '1.0.0-0a', true],
    ['exact', '1.0.0-0', '1.0.0-0', true],
    ['exact', '1.0.0-x-y-z.--', '1.0.0-x-y-z.--', true],
  ];
  it.each(table)('semver_%s(%j, %j) is %p', (op, version, req, expected) => {
    expect(compareSemver(op, version, req)).toBe(expected);
  });
});

describe('unparseable versions or requirements fail every comparison', () => {
  const ops: SemverComparison[] = ['exact', 'gt', 'lt', 'geq', 'leq'];
  const badVersions = [
    '',
    '1.0-alpha', // padding is only tried for the whole text: "1.0-alpha.0" is no version
    '1-alpha',
    '01.0.0',
    '1.01.0',
    '1.0.00',
    '1.0.0-01',
    '1.0.0-',
    '1.0.0+',
    '1.0.0-a..b',
    '1.0.0-a.',
    '1.0.0+a..b',
    '1.0.0-a_b',
    '1.2.3.4',
    '1.',
    '.1',
    '1..0',
    ' 1.0.0',
    '1.0.0 ',
    'v1.0.0',
    '=1.0.0',
    'a.b.c',
    '18446744073709551616.0.0',
    '1.0.0-ä',
  ];
  for (const version of badVersions) {
    it(`version ${JSON.stringify(version)}`, () => {
      expect(parseLenientVersion(version)).toBeUndefined();
      for (const op of ops) {
        expect(compareSemver(op, version, '0')).toBe(false);
        expect(compareSemver(op, version, '1')).toBe(false);
        expect(compareSemver(op, version, '99')).toBe(false);
      }
    });
  }
  const badRequirements = [
    '',
    ' ',
    'abc',
    '1.0-alpha', // a pre-release needs a full major.minor.patch
    '1-alpha',
    '01',
    '1.01',
    '1.0.0-01',
    '1.0.0-',
    '1.*.3',
    '*',
    '1.2.3.4',
    '1.0.0 junk',
    '1, 2',
    '>1', // "=>1", ">>1", ...
    '^1',
    '~1',
    '==1',
    '18446744073709551616',
  ];
  for (const requirement of badRequirements) {
    it(`requirement ${JSON.stringify(requirement)}`, () => {
      for (const op of ops) {
        for (const version of ['0.0.1', '1.0.0', '1.2.3', '100.0.0']) {
          expect(compareSemver(op, version, requirement)).toBe(false);
        }
      }
    });
  }
});

describe('parsing details', () => {
  it('pads "1" and "1.2" but keeps full versions as written', () => {
    expect(parseLenientVersion('1')).toEqual({ major: 1n, minor: 0n, patch: 0n, pre: [] });
    expect(parseLenientVersion('1.2')).toEqual({ major: 1n, minor: 2n, patch: 0n, pre: [] });
    expect(parseLenientVersion('1.2.3-rc.1+b7')).toEqual({ major: 1n, minor: 2n, patch: 3n, pre: ['rc', '1'] });
    expect(parseVersion('1.2')).toBeUndefined();
  });
  it('reads partial comparators', () => {
    expect(parseComparator('>=1.2')).toEqual({ op: '>=', major: 1n, minor: 2n, patch: undefined, pre: [] });
    expect(parseComparator('< 3')).toEqual({ op: '<', major: 3n, minor: undefined, patch: undefined, pre: [] });
    expect(parseComparator('=1.2.3-beta.2')).toEqual({ op: '=', major: 1n, minor: 2n, patch: 3n, pre: ['beta', '2'] });
    expect(parseComparator('1.2.3')).toBeUndefined(); // the builtin always supplies an operator
  });
  it('orders pre-releases as SemVer 2.0 precedence does', () => {
    const ordered = ['alpha', 'alpha.1', 'alpha.beta', 'beta', 'beta.2', 'beta.11', 'rc.1', ''];
    const ids = ordered.map((p) => (p === '' ? [] : p.split('.')));
    for (let i = 0; i < ids.length; i++) {
      for (let j = 0; j < ids.length; j++) {
        expect(Math.sign(comparePrerelease(ids[i]!, ids[j]!))).toBe(Math.sign(i - j));
      }
    }
  });
});

describe('properties over full versions without pre-releases', () => {
  const part = fc.integer({ min: 0, max: 30 });
  const version = fc.tuple(part, part, part).map(([a, b, c]) => `${a}.${b}.${c}`);
  const key = (v: string): number[] => v.split('.').map(Number);
  const cmp = (a: string, b: string): number => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return 0;
  };
  it('full comparators order versions numerically', () => {
    fc.assert(
      fc.property(version, version, (v, r) => {
        const c = cmp(v, r);
        expect(compareSemver('exact', v, r)).toBe(c === 0);
        expect(compareSemver('gt', v, r)).toBe(c > 0);
        expect(compareSemver('lt', v, r)).toBe(c < 0);
        expect(compareSemver('geq', v, r)).toBe(c >= 0);
        expect(compareSemver('leq', v, r)).toBe(c <= 0);
      }),
    );
  });
  it('a partial requirement X.Y behaves as the range [X.Y.0, X.(Y+1).0)', () => {
    fc.assert(
      fc.property(version, part, part, (v, x, y) => {
        const low = `${x}.${y}.0`;
        const high = `${x}.${y + 1}.0`;
        const inside = cmp(v, low) >= 0 && cmp(v, high) < 0;
        const req = `${x}.${y}`;
        expect(compareSemver('exact', v, req)).toBe(inside);
        expect(compareSemver('gt', v, req)).toBe(cmp(v, high) >= 0);
        expect(compareSemver('lt', v, req)).toBe(cmp(v, low) < 0);
        expect(compareSemver('geq', v, req)).toBe(cmp(v, low) >= 0);
        expect(compareSemver('leq', v, req)).toBe(cmp(v, high) < 0);
      }),
    );
  });
});

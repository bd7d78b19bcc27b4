import fc from 'fast-check';
import { compareNumbers, NumberComparison, parseRustFloat } from '../../../../frontend/solver/builtins/number';

describe('parseRustFloat accepts what f64::from_str accepts', () => {
  const accepted: Array<[string, number]> = [
    ['0', 0],
    ['1', 1],
    ['+1', 1],
    ['-1', -1],
    ['007', 7],
    ['1.', 1],
    ['.5', 0.5],
    ['-.5', -0.5],
    ['+.5e-3', 0.0005],
    ['3.14', 3.14],
    ['1e5', 1e5],
    ['1E5', 1e5],
    ['1e+5', 1e5],
    ['1e-5', 1e-5],
    ['1.e2', 100],
    ['2.5E-1', 0.25],
    ['1e400', Infinity],
    ['-1e400', -Infinity],
    ['1e-400', 0],
    ['0.1', 0.1],
    ['9007199254740993', 9007199254740992],
    ['inf', Infinity],
    ['+inf', Infinity],
    ['-inf', -Infinity],
    ['INF', Infinity],
    ['infinity', Infinity],
    ['-Infinity', -Infinity],
    ['InFiNiTy', Infinity],
  ];
  it.each(accepted)('%j is %p', (text, value) => {
    expect(parseRustFloat(text)).toBe(value);
  });

  it('keeps the sign of zero', () => {
    expect(Object.is(parseRustFloat('-0'), -0)).toBe(true);
    expect(Object.is(parseRustFloat('-0.0e7'), -0)).toBe(true);
  });

  it.each(['nan', 'NaN', 'NAN', '+nan', '-NaN'])('%j is NaN', (text) => {
    expect(parseRustFloat(text)).toBeNaN();
  });
});

describe('parseRustFloat rejects what f64::from_str rejects (JS Number() accepts several)', () => {
  const rejected = [
    '',
    ' ',
    '.',
    '+',
    '-',
    '+-1',
    '--1',
    'e5',
    '.e5',
    '1e',
    '1e+',
    '1e-',
    '1e5.5',
    '1.5.2',
    '1..5',
    '1_000',
    '1,5',
    '0x10',
    '0X1a',
    '0b1',
    '0o7',
    ' 1',
    '1 ',
    '\t1',
    '1\n',
    '1f',
    '1d',
    'in',
    'infin',
    'infinityy',
    'nan1',
    'nana',
    'Infinity1',
    '１',
    '١',
    'null',
    'true',
  ];
  it.each(rejected)('%j', (text) => {
    expect(parseRustFloat(text)).toBeUndefined();
  });
});

describe('parseRustFloat agrees with the shortest round-trip text of any double', () => {
  it('property: String(x) reads back as x', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        // String(-0) is "0", so compare with === (which equates the zeros).
        expect(parseRustFloat(String(x)) === x).toBe(true);
      }),
    );
  });
  it('property: exponent form reads back as x', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(parseRustFloat(x.toExponential()) === x).toBe(true);
      }),
    );
  });
});

describe('compareNumbers truth table', () => {
  // [a, b, eq, gt, lt, geq, leq]
  const table: Array<[string, string, boolean, boolean, boolean, boolean, boolean]> = [
    ['1', '1', true, false, false, true, true],
    ['1', '1.0', true, false, false, true, true],
    ['1e3', '1000', true, false, false, true, true],
    ['.5', '0.5', true, false, false, true, true],
    ['1.', '1', true, false, false, true, true],
    ['-0', '0', true, false, false, true, true],
    ['0.1', '0.10000000000000001', true, false, false, true, true],
    ['3.15', '3.14', false, true, false, true, false],
    ['3.14', '3.15', false, false, true, false, true],
    ['10', '9', false, true, false, true, false],
    ['9', '10', false, false, true, false, true],
    ['-1', '-2', false, true, false, true, false],
    ['-2.5', '-2.4', false, false, true, false, true],
    ['1e-3', '0.01', false, false, true, false, true],
    ['inf', 'infinity', true, false, false, true, true],
    ['inf', '1e308', false, true, false, true, false],
    ['-inf', '-1e308', false, false, true, false, true],
    ['1e400', 'inf', true, false, false, true, true],
    ['1', '-inf', false, true, false, true, false],
    // NaN compares false every way, even with itself.
    ['NaN', 'NaN', false, false, false, false, false],
    ['nan', '1', false, false, false, false, false],
    ['1', 'nan', false, false, false, false, false],
    ['nan', 'inf', false, false, false, false, false],
    // Unparseable on either side: false every way.
    ['1', ' 1', false, false, false, false, false],
    [' 1', '1', false, false, false, false, false],
    ['0x10', '16', false, false, false, false, false],
    ['16', '0x10', false, false, false, false, false],
    ['', '0', false, false, false, false, false],
    ['0', '', false, false, false, false, false],
    ['1_000', '1000', false, false, false, false, false],
    ['abc', 'abc', false, false, false, false, false],
    ['3.14.1', '3', false, false, false, false, false],
  ];
  const ops: NumberComparison[] = ['eq', 'gt', 'lt', 'geq', 'leq'];
  for (const [a, b, ...expected] of table) {
    ops.forEach((op, i) => {
      it(`number_${op}(${JSON.stringify(a)}, ${JSON.stringify(b)}) is ${expected[i]}`, () => {
        expect(compareNumbers(op, a, b)).toBe(expected[i]);
      });
    });
  }

  it('number_gt(version, "3.14") picks 3.15 over 3.14', () => {
    expect(compareNumbers('gt', '3.15', '3.14')).toBe(true);
    expect(compareNumbers('gt', '3.14', '3.14')).toBe(false);
    expect(compareNumbers('gt', '3', '3.15')).toBe(false);
  });

  it('property: agrees with JS comparison on any two doubles written out', () => {
    fc.assert(
      fc.property(fc.double(), fc.double(), (x, y) => {
        const a = String(x);
        const b = String(y);
        expect(compareNumbers('eq', a, b)).toBe(x === y);
        expect(compareNumbers('gt', a, b)).toBe(x > y);
        expect(compareNumbers('lt', a, b)).toBe(x < y);
        expect(compareNumbers('geq', a, b)).toBe(x >= y);
        expect(compareNumbers('leq', a, b)).toBe(x <= y);
      }),
    );
  });
});

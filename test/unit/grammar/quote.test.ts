/** A quoted string value parses back to the same value, whatever characters it holds. */
import fc from 'fast-check';
import { parseModusfile } from '../../../grammar';
import { quoteModusString } from '../../../grammar/quote';
import { SourceFile } from '../../../grammar/source';

function parsedBack(value: string): unknown {
  const { ast, diagnostics } = parseModusfile(new SourceFile('Modusfile', `a(${quoteModusString(value)}).`));
  expect(diagnostics).toEqual([]);
  const arg = ast.clauses[0]!.head.args[0]!;
  return arg.kind === 'string' ? arg.value : arg;
}

describe('quoteModusString', () => {
  test.each(['', 'plain', 'a"b', 'back\\slash', 'line\nbreak', 'cr\rtab\tnul\0', 'é 😀 ${x}'])('%j', (value) => {
    expect(parsedBack(value)).toBe(value);
  });

  test('any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ab"\\\n\r\t\0$ {}é') }), (value) => {
        expect(parsedBack(value)).toBe(value);
      }),
      { numRuns: 1000 },
    );
  });
});

/**
 * The hand-written scanner gives exactly what Chevrotain's lexer over the same token types gives
 * (tokens, comments, lexing errors), on random text over the characters that matter.
 */
import fc from 'fast-check';
import { Lexer, type IToken } from 'chevrotain';
import { allTokens, scanTokens } from '../../../grammar/lexer';

const reference = new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true, skipValidations: true });

const shown = (tokens: IToken[]) => tokens.map((t) => ({ type: t.tokenType.name, image: t.image, startOffset: t.startOffset, tokenTypeIdx: t.tokenTypeIdx }));

function both(text: string) {
  const expected = reference.tokenize(text);
  const actual = scanTokens(text);
  return {
    actual: { tokens: shown(actual.tokens), comments: shown(actual.comments), errors: actual.errors },
    expected: {
      tokens: shown(expected.tokens),
      comments: shown(expected.groups.comments ?? []),
      errors: expected.errors.map((e) => ({ offset: e.offset, length: e.length })),
    },
  };
}

const CHARACTERS = [
  ...'af_Z-09 \t\n\r\f\v"\\${}#:!=,;.()[]*@`~',
  '\u00a0', '\ufeff', '\u00e9', '\u00ff', '\u0100', '\ufffd', '\uff01', '\ufffe', '\uffff', '\ud83d', '\ude00', '\u2028',
];

describe('scanTokens', () => {
  test.each([
    'a(X, "b") :- c::d(f"${Y} z"), !e, X != "1"; [g] = H. # note',
    'f"unterminated ${x',
    '"unterminated',
    'é :é 1é2 \uff01 \uffff x',
    '😀 a',
    ':- :: : !',
  ])('%j', (text) => {
    const { actual, expected } = both(text);
    expect(actual).toEqual(expected);
  });

  test('random text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CHARACTERS), { maxLength: 40 }), (chars) => {
        const { actual, expected } = both(chars.join(''));
        expect(actual).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });
});

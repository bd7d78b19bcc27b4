/**
 * Valid clauses and goals are parsed without Chevrotain (grammar/ast-builder.ts, DirectParser):
 * the direct parse must give exactly what the Chevrotain parser and its CST visitor give (the
 * AST, the string diagnostics), and give up on exactly the token sequences Chevrotain rejects.
 */
import fc from 'fast-check';
import { createAstBuilder } from '../../../grammar/ast-builder';
import { Dot, tokenize } from '../../../grammar/lexer';
import { parseTokens } from '../../../grammar/parser';
import { printExpression, printModusfile } from '../../../grammar/printer';
import { SourceFile } from '../../../grammar/source';
import { expressionArbitrary, modusfileArbitrary } from './arbitraries';

/** Each clause of the text both ways: [direct, via Chevrotain] (undefined where it does not parse). */
function clausesBothWays(text: string) {
  const file = new SourceFile('Modusfile', text);
  const { tokens } = tokenize(file);
  const direct = createAstBuilder(file);
  const chevrotain = createAstBuilder(file);
  const pairs: Array<[unknown, unknown]> = [];
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.tokenType !== Dot && i < tokens.length - 1) continue;
    const end = i + 1;
    const outcome = parseTokens(tokens.slice(start, end), 'clause', file);
    pairs.push([direct.parseClause(tokens, start, end), outcome.cst ? chevrotain.buildClause(outcome.cst) : undefined]);
    start = end;
  }
  return { pairs, diagnostics: [direct.diagnostics, chevrotain.diagnostics] };
}

function goalBothWays(text: string) {
  const file = new SourceFile('goal', text);
  const { tokens } = tokenize(file);
  const direct = createAstBuilder(file);
  const chevrotain = createAstBuilder(file);
  const outcome = parseTokens(tokens, 'goal', file);
  return {
    pair: [direct.parseGoal(tokens), outcome.cst ? chevrotain.buildGoal(outcome.cst) : undefined],
    diagnostics: [direct.diagnostics, chevrotain.diagnostics],
  };
}

function expectSameClauses(text: string): void {
  const { pairs, diagnostics } = clausesBothWays(text);
  for (const [direct, chevrotain] of pairs) expect(direct).toEqual(chevrotain);
  expect(diagnostics[0]).toEqual(diagnostics[1]);
}

const TOKEN_SOUP = ['a', 'X', '_', '"s"', 'f"${X}"', '"\\q"', '(', ')', '[', ']', ',', ';', '.', ':-', '::', '!', '=', '!=', ' '];

describe('direct parser', () => {
  test.each([
    'a.',
    'arc("n0", "n1").',
    'f("esc \\" \\\\ \\n \\$ bad", X, _, __, _Named).',
    'v(f"pre ${X} \\${Y} post", "multi\nline").',
    '!!a :- b.',
    'a(X) :- b(X), !c(X); (d, e)::in_env("K", "v")::no_cache, X = "1", [Y, "2"] != Z.',
    'app :- (from("alpine"), run("echo"))::set_env("A", "b"), !(x; y).',
    'e("unknown \\q escape") :- f(f"${ bad").',
    `deep :- ${'('.repeat(256)}a${')'.repeat(256)}.`,
    `too_deep :- ${'('.repeat(257)}a${')'.repeat(257)}.`,
  ])('%j', (text) => expectSameClauses(text));

  test.each(['a :- .', 'a() .', 'a("x",).', '"s" :- a.', 'a :- b = .', 'a :- !X = "1".', 'a :- [] .', 'a :- ::b.', 'a', 'a :- b'])(
    'gives up on %j as the Chevrotain parser does',
    (text) => {
      const { pairs } = clausesBothWays(text);
      expect(pairs.map(([direct]) => direct)).toEqual(pairs.map(() => undefined));
      expect(pairs.map(([, chevrotain]) => chevrotain)).toEqual(pairs.map(() => undefined));
    },
  );

  test('printed random programs', () => {
    fc.assert(fc.property(modusfileArbitrary, (ast) => expectSameClauses(printModusfile(ast))), { numRuns: 300 });
  });

  test('printed random goals', () => {
    fc.assert(
      fc.property(expressionArbitrary, (expression) => {
        const { pair, diagnostics } = goalBothWays(printExpression(expression));
        expect(pair[0]).toBeDefined();
        expect(pair[0]).toEqual(pair[1]);
        expect(diagnostics[0]).toEqual(diagnostics[1]);
      }),
      { numRuns: 300 },
    );
  });

  test('random token sequences: the same clauses and goals, or both give up', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKEN_SOUP), { maxLength: 14 }), (pieces) => {
        const text = pieces.join(' ');
        expectSameClauses(text);
        const { pair, diagnostics } = goalBothWays(text);
        expect(pair[0]).toEqual(pair[1]);
        expect(diagnostics[0]).toEqual(diagnostics[1]);
      }),
      { numRuns: 4000 },
    );
  });
});

import fc from 'fast-check';
import type { Expression, Term } from '../../../grammar/ast';
import { printClause, printExpression, printModusfile, printTerm } from '../../../grammar';
import { expressionArbitrary, modusfileArbitrary, termArbitrary } from './arbitraries';
import { goalOk, parseOk, stripSpans } from './helpers';

const NO_SPAN = { start: 0, end: 0 };

describe('printer', () => {
  test.each([
    'l1 :- (l2, l3).',
    'foo :- ((a, b))::merge.',
    'a(X, "y") :- b(X), c; d.',
    'a :- !b, !(c; d), X = Y, X != "z".',
    'a :- (b; c)::set_workdir("/w")::set_entrypoint(["/bin/sh", "-c"]).',
    'a(_, _x) :- b(f"x ${Y} \\${z} $ ${_}", [], ["\\n\\"", [A]]).',
    'a :- run("one \\\n    two").',
  ])('prints %s back unchanged', (text) => {
    expect(printModusfile(parseOk(text))).toBe(`${text}\n`);
  });

  test('normalises layout', () => {
    const ast = parseOk('a(X,Y):-\n  b( X ) ,c\n  ;d::op( "x" ) .');
    expect(printClause(ast.clauses[0]!)).toBe('a(X, Y) :- b(X), c; d::op("x").');
  });

  test('adds the parentheses a hand-built tree needs', () => {
    const lit = (name: string): Expression => ({ kind: 'literal', negated: false, name, nameSpan: NO_SPAN, args: [], span: NO_SPAN });
    const or: Expression = { kind: 'or', left: lit('b'), right: lit('c'), span: NO_SPAN };
    const and: Expression = { kind: 'and', left: lit('a'), right: or, span: NO_SPAN };
    expect(printExpression(and)).toBe('a, (b; c)');
    const andLeft: Expression = { kind: 'and', left: or, right: lit('a'), span: NO_SPAN };
    expect(printExpression(andLeft)).toBe('(b; c), a');
    const rightNested: Expression = { kind: 'and', left: lit('a'), right: { kind: 'and', left: lit('b'), right: lit('c'), span: NO_SPAN }, span: NO_SPAN };
    expect(printExpression(rightNested)).toBe('a, (b, c)');
    const opOnAnd: Expression = { kind: 'op', operand: rightNested, name: 'merge', nameSpan: NO_SPAN, args: [], span: NO_SPAN };
    expect(printExpression(opOnAnd)).toBe('(a, (b, c))::merge');
  });

  test('a string whose raw text does not spell its value is quoted from the value', () => {
    const term: Term = { kind: 'string', raw: 'stale', value: 'a"b\n', span: NO_SPAN };
    expect(printTerm(term)).toBe('"a\\"b\\n"');
    const fstring: Term = { kind: 'fstring', parts: [{ kind: 'text', raw: '', value: '${x}', span: NO_SPAN }], span: NO_SPAN };
    expect(printTerm(fstring)).toBe('f"\\${x}"');
  });

  test('round trip of generated Modusfiles', () => {
    fc.assert(
      fc.property(modusfileArbitrary, (ast) => {
        expect(stripSpans(parseOk(printModusfile(ast)))).toEqual(stripSpans(ast));
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  test('round trip of generated goals and terms', () => {
    fc.assert(
      fc.property(expressionArbitrary, (goal) => {
        expect(stripSpans(goalOk(printExpression(goal)))).toEqual(stripSpans(goal));
      }),
      { numRuns: 300, seed: 11 },
    );
    fc.assert(
      fc.property(termArbitrary, (term) => {
        const printed = printTerm(term);
        expect(stripSpans(parseOk(`a(${printed}).`).clauses[0]!.head.args[0])).toEqual(stripSpans(term));
      }),
      { numRuns: 300, seed: 13 },
    );
  });
});

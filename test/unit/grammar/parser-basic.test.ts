import { printModusfile } from '../../../grammar';
import { goalOk, parseErrors, parseOk, stripSpans } from './helpers';

describe('parser basics', () => {
  test('a fact and a rule', () => {
    const ast = stripSpans(parseOk('l1.\nl2 :- l3, l4.'));
    expect(ast.clauses).toEqual([
      { kind: 'clause', head: { kind: 'literal', negated: false, name: 'l1', args: [] } },
      {
        kind: 'clause',
        head: { kind: 'literal', negated: false, name: 'l2', args: [] },
        body: {
          kind: 'and',
          left: { kind: 'literal', negated: false, name: 'l3', args: [] },
          right: { kind: 'literal', negated: false, name: 'l4', args: [] },
        },
      },
    ]);
  });

  test('goal rejects trailing dot', () => {
    expect(goalOk('a("x"), b').kind).toBe('and');
    expect(() => goalOk('a("x"), b.')).toThrow(/expected/);
  });

  test('error in a rule body', () => {
    const errors = parseErrors('foo(X) :- bar(X), baz(X), .');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe('expected an expression but found `.`');
  });

  test('print round trip', () => {
    const text = 'l1 :- (l2, l3).\nfoo :- ((a, b))::merge.\n';
    expect(printModusfile(parseOk(text))).toBe(text);
  });
});

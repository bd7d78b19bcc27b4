import { solve } from '../../../frontend/solver/solve';
import type { SolveOptions } from '../../../frontend/solver/solve';
import { literalText } from '../../../frontend/language';
import type { ProofNode } from '../../../frontend/solver/proof';
import { at, c, fact, lit, list, neg, program, rule, texts } from './ir-helpers';

const layers: SolveOptions = { cost: 'layers' };

describe('SLD resolution', () => {
  test('simple solving: two facts give two solutions, in clause order', () => {
    const p = program(fact('a', 'x'), fact('a', 'y'));
    const r = solve(p, [lit('a', 'X')], layers);
    expect(texts(r.solutions)).toEqual(['a("x")', 'a("y")']);
    expect(r.diagnostics).toEqual([]);
  });

  test('constants with escape characters are kept verbatim', () => {
    const p = program(fact('a', 'line\n"q"'), rule(lit('b', 'X'), lit('a', 'X')));
    const r = solve(p, [lit('b', 'X')], layers);
    expect(r.solutions.map((s) => s.goal[0]!.args[0])).toEqual([c('line\n"q"')]);
  });

  test('negation as failure: a("c") :- !b("c") holds when b("c") has no proof', () => {
    const p = program(rule(lit('a', 'c'), neg('b', 'c')), fact('b', 'd'));
    expect(texts(solve(p, [lit('a', 'c')], layers).solutions)).toEqual(['a("c")']);
    const q = program(rule(lit('a', 'c'), neg('b', 'c')), fact('b', 'c'));
    const r = solve(q, [lit('a', 'c')], layers);
    expect(r.solutions).toEqual([]);
    expect(r.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
  });

  test('a fact with a variable accepts a ground call', () => {
    const p = program(fact('a', 'X'));
    expect(texts(solve(p, [lit('a', 'b')], layers).solutions)).toEqual(['a("b")']);
  });

  test('a fact with a variable called unbound is exactly one insufficient-groundness error', () => {
    const p = program(fact('a', 'X'));
    const goal = at(lit('a', 'X'));
    const r = solve(p, [goal], layers);
    expect(r.solutions).toEqual([]);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.severity).toBe('error');
    expect(r.diagnostics[0]!.message).toBe('insufficient groundness for 1 goal(s)');
    expect(r.diagnostics[0]!.span).toEqual(goal.span);
    expect(r.diagnostics[0]!.labels?.[0]?.message).toContain('a(X)');
  });

  test('a goal joining two relations', () => {
    const p = program(
      fact('parent', 'ann', 'bob'),
      fact('parent', 'bob', 'cid'),
      fact('parent', 'bob', 'dan'),
      rule(lit('grand', 'X', 'Z'), lit('parent', 'X', 'Y'), lit('parent', 'Y', 'Z')),
    );
    const r = solve(p, [lit('grand', 'ann', 'Z')], layers);
    expect(texts(r.solutions)).toEqual(['grand("ann", "cid")', 'grand("ann", "dan")']);
  });

  test('a complex goal: several literals, solution = the whole goal', () => {
    const p = program(fact('a', '1'), fact('a', '2'), fact('b', '2'), fact('b', '3'));
    const r = solve(p, [lit('a', 'X'), lit('b', 'X')], layers);
    expect(texts(r.solutions)).toEqual(['a("2"), b("2")']);
  });

  test('string_concat binds its result', () => {
    const r = solve(program(), [lit('string_concat', 'hello', 'world', 'X')], layers);
    expect(r.solutions[0]!.goal[0]!.args[2]).toEqual(c('helloworld'));
  });

  test('recursion through string_concat: a^n b^n', () => {
    // s("") . s(S) :- string_concat("a", T, S), string_concat(U, "b", T), s(U).
    const p = program(
      fact('s', ''),
      rule(lit('s', 'S'), lit('string_concat', 'a', 'T', 'S'), lit('string_concat', 'U', 'b', 'T'), lit('s', 'U')),
    );
    for (const yes of ['aabb', 'aaabbb', 'ab']) expect(solve(p, [lit('s', yes)], layers).solutions).toHaveLength(1);
    for (const no of ['aab', 'a', 'bb']) expect(solve(p, [lit('s', no)], layers).solutions).toHaveLength(0);
  });

  test('leaf height is zero; a fact beats a longer rule (proof minimality)', () => {
    const p = program(rule(lit('foo', 'X'), lit('bar', 'X')), fact('bar', 'test'), fact('foo', 'test'));
    const r = solve(p, [lit('foo', 'test')], { cost: 'height' });
    expect(r.solutions).toHaveLength(1);
    expect(r.solutions[0]!.height).toBe(1);
    expect(r.solutions[0]!.proof.children[0]!.via).toEqual({ kind: 'clause', clauseId: 2 });
    expect(r.solutions[0]!.proof.children[0]!.children).toEqual([]);
    // Under `layers` both proofs have 0 layers: the tie goes to the first clause.
    const byLayers = solve(p, [lit('foo', 'test')], layers).solutions[0]!;
    expect(byLayers.proof.children[0]!.via).toEqual({ kind: 'clause', clauseId: 0 });
    expect(byLayers.height).toBe(2);
  });

  test('a goal built like an f-string over facts', () => {
    const p = program(fact('ver', '3.15'), fact('ver', '3.16'), rule(lit('img', 'R'), lit('from', 'R')));
    const goal = [lit('ver', 'V'), lit('string_concat', 'alpine:', 'V', 'R'), lit('img', 'R')];
    expect(solve(p, goal, layers).solutions.map((s) => literalText(s.goal[2]!))).toEqual([
      'img("alpine:3.15")',
      'img("alpine:3.16")',
    ]);
  });

  test('negation and builtins: !is_alpine("notalpine3.15")', () => {
    const p = program(rule(lit('is_alpine', 'X'), lit('string_concat', 'alpine', '_v', 'X')));
    expect(solve(p, [neg('is_alpine', 'notalpine3.15')], layers).solutions).toHaveLength(1);
    expect(solve(p, [neg('is_alpine', 'alpine3.15')], layers).solutions).toHaveLength(0);
  });

  test('negation with an anonymous variable inside the helper', () => {
    // foo(X) :- !bar(X, _) becomes foo(X) :- !_negate_0(X). _negate_0(X) :- bar(X, _a).
    const p = program(
      fact('bar', 'a', '1'),
      rule(lit('_negate_0', 'X'), lit('bar', 'X', '_a')),
      rule(lit('foo', 'X'), neg('_negate_0', 'X')),
    );
    expect(solve(p, [lit('foo', 'b')], layers).solutions).toHaveLength(1);
    expect(solve(p, [lit('foo', 'a')], layers).solutions).toHaveLength(0);
  });

  test('negating an undefined predicate is a single unknown-predicate error at its span', () => {
    const missing = at(lit('missing'));
    const p = program(rule(lit('_negate_0'), missing), rule(lit('foo'), neg('_negate_0')));
    const r = solve(p, [lit('foo')], layers);
    expect(r.diagnostics).toEqual([{ severity: 'error', message: 'unknown predicate `missing/0`', span: missing.span }]);
  });

  test('a ground list argument is fine; a list with an unbound variable waits', () => {
    const p = program(rule(lit('d', 'X'), lit('_operator_set_cmd_begin', '0', 'X'), lit('_operator_set_cmd_end', '0', 'X')));
    expect(solve(p, [lit('d', list(c('a'), c('b')))], layers).solutions).toHaveLength(1);
    const r = solve(p, [lit('d', list(c('a'), { kind: 'var', name: 'Y' }))], layers);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.message).toMatch(/^insufficient groundness for \d goal\(s\)$/);
  });

  test('unknown predicate is positioned; wrong builtin arity waits instead', () => {
    const p = program();
    const r = solve(p, [at(lit('nope', 'x'))], layers);
    expect(r.diagnostics[0]!.message).toBe('unknown predicate `nope/1`');
    const s = solve(p, [lit('run', 'a', 'b')], layers);
    expect(s.diagnostics[0]!.message).toBe('insufficient groundness for 1 goal(s)');
  });

  test('delayed selection: a literal waits until a later one binds its variable', () => {
    const p = program(fact('v', '1'), rule(lit('a', 'X'), neg('b', 'X'), lit('run', 'X'), lit('v', 'X')), fact('b', '2'));
    const r = solve(p, [lit('a', 'X')], layers);
    expect(texts(r.solutions)).toEqual(['a("1")']);
    const order = (n: ProofNode): string[] => n.children.map((ch) => literalText(ch.literal));
    expect(order(r.solutions[0]!.proof.children[0]!)).toEqual(['!b("1")', 'run("1")', 'v("1")']);
  });

  test('solutions come in clause order: aa("1")..aa("20")', () => {
    const facts = Array.from({ length: 20 }, (_, i) => fact('aa', String(i + 1)));
    const p = program(...facts, rule(lit('a', 'X'), lit('aa', 'X'), lit('from', 'alpine')));
    const r = solve(p, [lit('a', 'X')], layers);
    expect(texts(r.solutions)).toEqual(Array.from({ length: 20 }, (_, i) => `a("${i + 1}")`));
  });
});

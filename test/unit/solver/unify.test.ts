import { applyLiteral, renameApart, unify, unifyLiterals } from '../../../frontend/solver/unify';
import { clausePositions, groundnessSignatures } from '../../../frontend/solver/groundness';
import { builtinSignature } from '../../../frontend/language';
import { builtinNamed, fittingMode, lookupBuiltin } from '../../../frontend/solver/builtins';
import { c, lit, list, program, rule, v } from './ir-helpers';

describe('unification', () => {
  test('simple unifier', () => {
    expect(unifyLiterals(lit('a', 'X'), lit('a', 'c'))).toEqual(new Map([['X', c('c')]]));
  });

  test('complex unifier: orientation and idempotence', () => {
    const s = unifyLiterals(lit('p', 'Y', 'Y', 'V', 'W'), lit('p', 'X', 'Z', 'a', 'U'))!;
    expect(Object.fromEntries(s)).toEqual({ Y: v('Z'), X: v('Z'), V: c('a'), W: v('U') });
  });

  test('lists: variable ↔ list binds, list ↔ list element-wise, list ↔ constant fails', () => {
    expect(unify(v('X'), list(c('a'), v('Y')))!.get('X')).toEqual(list(c('a'), v('Y')));
    expect(Object.fromEntries(unify(list(c('a'), v('Y')), list(v('Z'), c('b')))!)).toEqual({ Z: c('a'), Y: c('b') });
    expect(unify(list(c('a')), c('a'))).toBeUndefined();
    expect(unify(list(c('a')), list(c('a'), c('b')))).toBeUndefined();
  });

  test('non-unifiable: arity mismatch, conflicting constants (also through variables)', () => {
    expect(unifyLiterals(lit('p', 'a'), lit('p', 'a', 'b'))).toBeUndefined();
    expect(unifyLiterals(lit('p', 'a'), lit('p', 'b'))).toBeUndefined();
    expect(unifyLiterals(lit('p', 'X', 'X'), lit('p', 'a', 'b'))).toBeUndefined();
    expect(unifyLiterals(lit('p', 'a'), lit('q', 'a'))).toBeUndefined();
  });

  test('renaming apart keeps shared variables shared, inside lists too', () => {
    const clause = { id: 0, head: lit('h', 'X', list(v('X'), v('Y'))), body: [lit('b', 'Y', 'X')] };
    const renamed = renameApart(clause, 7);
    expect(renamed.head.args).toEqual([v('X#7'), list(v('X#7'), v('Y#7'))]);
    expect(renamed.body[0]!.args).toEqual([v('Y#7'), v('X#7')]);
    const s = unifyLiterals(renamed.head, lit('h', 'a', list(c('a'), c('b'))))!;
    expect(applyLiteral(renamed.body[0]!, s).args).toEqual([c('b'), c('a')]);
  });
});

describe('groundness signatures', () => {
  test('per position: constant or body variable may be unbound; head-only variable may not', () => {
    const clause = { id: 0, head: lit('f', 'c', 'X', 'Y', list(v('X'))), body: [lit('g', 'X')] };
    expect(clausePositions(clause)).toEqual([true, true, false, true]);
  });

  test('AND across clauses, e.g. foo(X) :- bar(X) ; baz.', () => {
    const p = program(rule(lit('foo', 'X'), lit('bar', 'X')), rule(lit('foo', 'X'), lit('baz')), rule(lit('other', 'X'), lit('bar', 'X')));
    const signatures = groundnessSignatures(p);
    expect(signatures.get('foo/1')).toEqual([false]);
    expect(signatures.get('other/1')).toEqual([true]);
  });
});

describe('builtin table', () => {
  test('kinds and lookups', () => {
    expect(builtinSignature('run')!.kind).toBe('Layer');
    expect(builtinSignature('from')!.kind).toBe('Image');
    expect(builtinSignature('string_concat')!.kind).toBe('Logic');
    expect(lookupBuiltin('run', 1)).toBeDefined();
    expect(lookupBuiltin('run', 2)).toBeUndefined();
    expect(builtinNamed('run')).toBeDefined();
    expect(lookupBuiltin('nonexistent', 1)).toBeUndefined();
    expect(lookupBuiltin('_operator_merge_begin', 1)).toBeDefined();
    expect(lookupBuiltin('_operator_copy_end', 3)).toBeDefined();
  });

  test('modes are tried in order', () => {
    const concat = lookupBuiltin('string_concat', 3)!;
    expect(fittingMode(concat, [true, true, false])).toBe(0);
    expect(fittingMode(concat, [false, true, true])).toBe(1);
    expect(fittingMode(concat, [true, false, true])).toBe(2);
    expect(fittingMode(concat, [true, true, true])).toBe(0);
    expect(fittingMode(concat, [true, false, false])).toBe(-1);
    const ctx = { buildArgs: [] };
    expect(concat.evaluate(['ab', undefined, 'abcd'], ctx)).toEqual([['ab', 'cd', 'abcd']]);
    expect(concat.evaluate([undefined, 'cd', 'abcd'], ctx)).toEqual([['ab', 'cd', 'abcd']]);
    expect(concat.evaluate([undefined, 'x', 'abcd'], ctx)).toBe(false);
    expect(concat.evaluate(['a', 'b', 'ab'], ctx)).toBe(true);
    const eq = lookupBuiltin('string_eq', 2)!;
    expect(eq.evaluate([undefined, 'z'], ctx)).toEqual([['z', 'z']]);
    expect(eq.evaluate(['y', 'z'], ctx)).toBe(false);
    expect(lookupBuiltin('number_eq', 2)!.evaluate(['NaN', 'NaN'], ctx)).toBe(false);
    expect(lookupBuiltin('number_lt', 2)!.evaluate(['1e2', '101'], ctx)).toBe(true);
    expect(lookupBuiltin('number_eq', 2)!.evaluate([' 1', '1'], ctx)).toBe(false);
    expect(lookupBuiltin('semver_gt', 2)!.evaluate(['0.1.0-beta', '0.1.0-alpha'], ctx)).toBe(true);
    expect(lookupBuiltin('semver_exact', 2)!.evaluate(['1.0.1', '1.0'], ctx)).toBe(true);
  });
});

import type { IRProgram } from '../../../frontend/language/ir';
import {
  namedVariables,
  printIRClause,
  printIRLiteral,
  printIRProgram,
  translateGoal,
  translateProgram,
} from '../../../frontend/translate/translate';
import { goal, program, spanText } from '../checks/parse-helper';

const translate = (...lines: string[]): IRProgram => translateProgram(program(...lines));
const printed = (...lines: string[]): string[] => translate(...lines).clauses.map(printIRClause);

describe('terms', () => {
  test('string constants are decoded', () => {
    const ir = translate('a("x\\ny\\t\\"q\\"").');
    expect(ir.clauses[0]!.head.args).toEqual([{ kind: 'const', value: 'x\ny\t"q"' }]);
  });

  test('an empty f-string is the empty constant, a text-only one its text', () => {
    expect(printed('a :- b(f""), c(f"plain").')).toEqual(['a :- b(""), c("plain").']);
  });

  test('an f-string becomes a string_concat chain right before its literal', () => {
    const src = 'a(X) :- b, c(f"foo ${X}").';
    const ir = translateProgram(program(src));
    expect(ir.clauses.map(printIRClause)).toEqual([
      'a(X) :- b, string_concat("", "foo ", $f0), string_concat($f0, X, $f1), c($f1).',
    ]);
    const body = ir.clauses[0]!.body;
    expect(body.map((l) => spanText(src, l.span))).toEqual(['b', 'foo ', '${X}', 'c(f"foo ${X}")']);
  });

  test('an f-string starting with a variable, with escapes and a continuation', () => {
    const src = 'a(X, Y) :- c(f"${X} \\"q\\" \\${Y} \\\n    end ${Y}").';
    expect(printed(src)).toEqual([
      'a(X, Y) :- string_concat("", X, $f0), string_concat($f0, " \\"q\\" ${Y} end ", $f1), ' +
        'string_concat($f1, Y, $f2), c($f2).',
    ]);
  });

  test('anonymous variables become distinct fresh variables; `_name` is an ordinary variable', () => {
    expect(printed('foo("bar", _).')).toEqual(['foo("bar", $_0).']);
    expect(printed('a :- b(_, _), c(_x, _x).')).toEqual(['a :- b($_0, $_1), c(_x, _x).']);
    expect(printed('a :- c(f"${_}").')).toEqual(['a :- string_concat("", $_0, $f1), c($f1).']);
  });

  test('literal with variables', () => {
    expect(printed('foo(X) :- bar(X), baz("c", X).')).toEqual(['foo(X) :- bar(X), baz("c", X).']);
  });

  test('lists are kept as lists, their f-string items chained', () => {
    expect(printed('a(p) :- from("x")::set_entrypoint(["sh", f"-${p}"]).')).toEqual([
      'a(p) :- string_concat("", "-", $f0), string_concat($f0, p, $f1), ' +
        '_operator_set_entrypoint_begin("0", ["sh", $f1]), from("x"), _operator_set_entrypoint_end("0", ["sh", $f1]).',
    ]);
  });
});

describe('negation', () => {
  test('a negated literal becomes a helper predicate', () => {
    expect(printed('foo :- !bar.')).toEqual(['foo :- !_negate_0.', '_negate_0 :- bar.']);
  });

  test('a negated conjunction', () => {
    expect(printed('foo :- !(a, b).')).toEqual(['foo :- !_negate_0.', '_negate_0 :- a, b.']);
  });

  test('a negated disjunction gives one helper clause per disjunct', () => {
    expect(printed('foo :- !(a; b; c).')).toEqual([
      'foo :- !_negate_0.',
      '_negate_0 :- a.',
      '_negate_0 :- b.',
      '_negate_0 :- c.',
    ]);
  });

  test('the helper exposes the named variables of the negated expression', () => {
    expect(printed('foo(X) :- a(X), !bar(X).')).toEqual(['foo(X) :- a(X), !_negate_0(X).', '_negate_0(X) :- bar(X).']);
    expect(printed('foo(X, Y) :- !(bar(Y, f"${X}"), baz(Y)).')).toEqual([
      'foo(X, Y) :- !_negate_0(Y, X).',
      '_negate_0(Y, X) :- string_concat("", X, $f0), bar(Y, $f0), baz(Y).',
    ]);
  });

  test('anonymous variables stay inside the helper', () => {
    expect(printed('foo(X) :- !bar(X, _).')).toEqual(['foo(X) :- !_negate_0(X).', '_negate_0(X) :- bar(X, $_0).']);
  });

  test('!= becomes a negated string_eq helper, even with an anonymous f-string part', () => {
    expect(printed('a(X) :- X != f"5.${_}".')).toEqual([
      'a(X) :- !_negate_0(X).',
      '_negate_0(X) :- string_concat("", "5.", $f0), string_concat($f0, $_1, $f2), string_eq(X, $f2).',
    ]);
    expect(printed('a(X, Y) :- X = Y.')).toEqual(['a(X, Y) :- string_eq(X, Y).']);
  });

  test('nested negations are numbered after the outer one; `_name` variables are exposed', () => {
    expect(printed('foo(X) :- !(a(X), !b(X, _y)), !c.')).toEqual([
      'foo(X) :- !_negate_0(X, _y), !_negate_2.',
      '_negate_0(X, _y) :- a(X), !_negate_1(X, _y).',
      '_negate_1(X, _y) :- b(X, _y).',
      '_negate_2 :- c.',
    ]);
  });

  test('double negation is a positive literal', () => {
    expect(printed('a :- !!b.')).toEqual(['a :- b.']);
  });
});

describe('disjunctive normal form', () => {
  test('an or gives two clauses with the same head', () => {
    expect(printed('foo :- l1; l2.')).toEqual(['foo :- l1.', 'foo :- l2.']);
  });

  test('a nested or inside conjunctions', () => {
    expect(printed('foo :- a, (b, (a; b)).')).toEqual(['foo :- a, b, a.', 'foo :- a, b, b.']);
  });

  test('conjunction of disjunctions is their cartesian product, in order', () => {
    expect(printed('f :- (a ; b), (c ; d).')).toEqual(['f :- a, c.', 'f :- a, d.', 'f :- b, c.', 'f :- b, d.']);
  });

  test('a long conjunction translates in linear time', () => {
    const body = Array.from({ length: 5000 }, (_, i) => `p${i}("${i}")`).join(', ');
    const started = Date.now();
    const ir = translate(`a :- ${body}.`);
    expect(ir.clauses[0]!.body).toHaveLength(5000);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('operators', () => {
  test('an operator becomes begin/end markers around its operand', () => {
    expect(printed('foo :- (a, b)::merge.')).toEqual(['foo :- _operator_merge_begin("0"), a, b, _operator_merge_end("0").']);
  });

  test('each DNF variant of an operand gets its own id', () => {
    expect(printed('foo :- (a; b)::merge.')).toEqual([
      'foo :- _operator_merge_begin("0"), a, _operator_merge_end("0").',
      'foo :- _operator_merge_begin("1"), b, _operator_merge_end("1").',
    ]);
  });

  test('ids are unique across the program', () => {
    expect(printed('x :- a::merge.', 'y :- b::merge.')).toEqual([
      'x :- _operator_merge_begin("0"), a, _operator_merge_end("0").',
      'y :- _operator_merge_begin("1"), b, _operator_merge_end("1").',
    ]);
  });

  test('in a chain the outer operator wraps the inner one', () => {
    expect(printed('e :- from("x")::set_env("A", "1")::set_workdir("/w").')).toEqual([
      'e :- _operator_set_workdir_begin("1", "/w"), _operator_set_env_begin("0", "A", "1"), from("x"), ' +
        '_operator_set_env_end("0", "A", "1"), _operator_set_workdir_end("1", "/w").',
    ]);
  });

  test('f-string constraints of operator arguments come before the begin marker', () => {
    expect(printed('e(V) :- from("x")::set_env("A", f"v${V}").')).toEqual([
      'e(V) :- string_concat("", "v", $f0), string_concat($f0, V, $f1), _operator_set_env_begin("0", "A", $f1), ' +
        'from("x"), _operator_set_env_end("0", "A", $f1).',
    ]);
  });

  test('cache operators translate like any other operator', () => {
    expect(printed('a :- run("x")::cache_key("v1")::no_cache.')).toEqual([
      'a :- _operator_no_cache_begin("1"), _operator_cache_key_begin("0", "v1"), run("x"), ' +
        '_operator_cache_key_end("0", "v1"), _operator_no_cache_end("1").',
    ]);
  });
});

describe('spans and ids', () => {
  test('clauses are numbered by position and keep their source clause span', () => {
    const src = 'a :- b ; c.\nd.';
    const ir = translateProgram(program(src));
    expect(ir.clauses.map((c) => c.id)).toEqual([0, 1, 2]);
    expect(ir.clauses.map((c) => spanText(src, c.span))).toEqual(['a :- b ; c.', 'a :- b ; c.', 'd.']);
  });

  test('markers carry the operator application span, unifications and negations theirs', () => {
    const src = 'a(X) :- from("x")::set_user("u"), X = "1", !b(X).';
    const ir = translateProgram(program(src));
    const body = ir.clauses[0]!.body;
    expect(body.map((l) => spanText(src, l.span))).toEqual([
      'from("x")::set_user("u")',
      'from("x")',
      'from("x")::set_user("u")',
      'X = "1"',
      '!b(X)',
    ]);
    const helper = ir.clauses[1]!;
    expect(spanText(src, helper.span)).toBe('!b(X)');
    expect(spanText(src, helper.body[0]!.span)).toBe('b(X)');
  });

  test('translation is deterministic', () => {
    const lines = ['a(X) :- (b(X) ; !c(X, _)), d(f"${X}-${_}")::merge.', 'b("1").'];
    expect(JSON.stringify(translate(...lines))).toBe(JSON.stringify(translate(...lines)));
  });
});

describe('goals', () => {
  const base = translate('a(X) :- !n(X), from(X).', 'n("bad").', 'x :- run("y")::merge.');

  test('a goal yields its literals and the origin of each', () => {
    const t = translateGoal(goal('X = "1", a(f"alpine:${X}")'), base);
    expect(t.goals.map((g) => g.map(printIRLiteral))).toEqual([
      ['string_eq(X, "1")', 'string_concat("", "alpine:", $f0)', 'string_concat($f0, X, $f1)', 'a($f1)'],
    ]);
    expect(t.origins).toEqual([['unification', 'fstring', 'fstring', 'literal']]);
    expect(t.program).toEqual(base);
  });

  test('a disjunctive goal yields every alternative', () => {
    const t = translateGoal(goal('a("1") ; a("2"), a("3")'), base);
    expect(t.goals.map((g) => g.map(printIRLiteral))).toEqual([['a("1")'], ['a("2")', 'a("3")']]);
  });

  test('negation helpers of the goal are appended with fresh numbers and ids, the input untouched', () => {
    const before = JSON.stringify(base);
    const t = translateGoal(goal('!n(X), a(X)'), base);
    expect(JSON.stringify(base)).toBe(before);
    expect(t.goals.map((g) => g.map(printIRLiteral))).toEqual([['!_negate_1(X)', 'a(X)']]);
    expect(t.origins).toEqual([['negation', 'literal']]);
    const added = t.program.clauses.slice(base.clauses.length);
    expect(added.map(printIRClause)).toEqual(['_negate_1(X) :- n(X).']);
    expect(added.map((c) => c.id)).toEqual([base.clauses.length]);
  });

  test('operator ids in a goal continue after the program', () => {
    const t = translateGoal(goal('x::merge'), base);
    expect(t.goals[0]!.map(printIRLiteral)[0]).toBe('_operator_merge_begin("1")');
  });
});

describe('printing and helpers', () => {
  test('printIRProgram joins clauses by lines', () => {
    expect(printIRProgram(translate('a.', 'b :- a.'))).toBe('a.\nb :- a.');
  });

  test('namedVariables lists named variables once, in source order', () => {
    expect(namedVariables(goal('b(Y, _), (X = f"${Z}" ; c(Y))::set_env(W, "v")'))).toEqual(['Y', 'X', 'Z', 'W']);
  });
});

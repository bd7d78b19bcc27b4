import { checkProgram } from '../../../frontend/checks/index';
import { analyseKinds } from '../../../frontend/checks/kinds';
import { checkNegation } from '../../../frontend/checks/negation';
import { checkTerms } from '../../../frontend/checks/terms';
import { program, spanText } from './parse-helper';

describe('term checks', () => {
  test('one error per format string in a head, facts and rules alike', () => {
    const src = ['fact_f(f"foo ${X}", f"${Y}").', 'fact_f(f"foo").', 'fact_f(f"foo ${X}") :- bar, lar.'].join('\n');
    const diagnostics = checkTerms(program(src).clauses);
    expect(diagnostics).toHaveLength(4);
    expect(diagnostics.every((d) => d.message === 'A format string was found in a head literal.')).toBe(true);
    expect(diagnostics.map((d) => spanText(src, d.span))).toEqual(['f"foo ${X}"', 'f"${Y}"', 'f"foo"', 'f"foo ${X}"']);
  });

  test('a list in a head: one list error plus the format strings inside and beside it', () => {
    const diagnostics = checkTerms(program('fact_f([X, f"foo ${X}"], f"${Y}").').clauses);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'A list was found here. This is not supported currently.',
      'A format string was found in a head literal.',
      'A format string was found in a head literal.',
    ]);
    expect(diagnostics.every((d) => d.severity === 'error')).toBe(true);
  });

  test('lists are accepted only as the argument of set_entrypoint and set_cmd', () => {
    expect(checkTerms(program('a(p) :- from("alpine")::set_entrypoint(["sh", "-c", p]).').clauses)).toEqual([]);
    expect(checkTerms(program('a :- from("alpine")::set_cmd([]).').clauses)).toEqual([]);
    const src = 'a :- b(["x"]), X = ["y"], from("a")::set_env("k", ["v"]), from("b")::set_cmd([["nested"]]).';
    const diagnostics = checkTerms(program(src).clauses);
    expect(diagnostics.map((d) => spanText(src, d.span))).toEqual(['["x"]', '["y"]', '["v"]', '["nested"]']);
    expect(new Set(diagnostics.map((d) => d.message))).toEqual(
      new Set(['A list was found here. This is not supported currently.']),
    );
  });

  test('format strings in bodies, operator args and unifications are fine', () => {
    expect(checkTerms(program('a(X) :- from(f"alpine:${X}")::set_env("V", f"${X}"), Y = f"a${X}".').clauses)).toEqual([]);
  });
});

describe('negation check', () => {
  const negationErrors = (...lines: string[]) => {
    const ast = program(...lines);
    return checkNegation(ast.clauses, analyseKinds(ast).kinds);
  };

  test('negating an image predicate is an error with a note naming its kind', () => {
    const src = 'img :- from("x").\na :- !img, from("y").';
    const ast = program(src);
    const diagnostics = checkNegation(ast.clauses, analyseKinds(ast).kinds);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.message).toBe('Negating a non-logical predicate is disallowed.');
    expect(diagnostics[0]!.notes).toEqual(['img was found to be of kind Image.']);
    expect(spanText(src, diagnostics[0]!.span)).toBe('!img');
  });

  test('negating a layer predicate inside a negated group is an error too', () => {
    const d = negationErrors('l :- run("x").', 'a :- from("y"), !("1" = "1", l).');
    expect(d).toHaveLength(1);
    expect(d[0]!.notes).toEqual(['l was found to be of kind Layer.']);
  });

  test('negating logic predicates, unifications and builtins is fine', () => {
    expect(negationErrors('v("1").', 'a(X) :- !v(X), X != "2", !string_eq(X, "3"), from(X).')).toEqual([]);
  });

  test('double negation is positive', () => {
    expect(negationErrors('img :- from("x").', 'a :- !!img.')).toEqual([]);
  });
});

describe('checkProgram', () => {
  test('a clean program has no diagnostics', () => {
    expect(
      checkProgram(
        program(
          'base(v) :- from(f"alpine:${v}").',
          'app(v) :- base(v), run("make")::in_workdir("/src"), !bad(v).',
          'bad("3.13").',
        ),
      ),
    ).toEqual([]);
  });

  test('diagnostics of every check come ordered by position', () => {
    const src = [
      'a(f"x") :- b.', // format string in head, b unknown
      'i :- from("x").',
      'c :- !i, from("y").', // negation of an image
      'd :- from("x")::copy("a").', // arity
      'p :- !q.',
      'q :- p.', // not stratifiable
    ].join('\n');
    const diagnostics = checkProgram(program(src));
    const starts = diagnostics.map((d) => d.span!.start);
    expect(starts).toEqual([...starts].sort((x, y) => x - y));
    expect(diagnostics.map((d) => d.message)).toEqual([
      'A format string was found in a head literal.',
      'Unknown predicate `b`: no clause defines it and it is not a builtin.',
      'Negating a non-logical predicate is disallowed.',
      'Operator `copy` expects 2 arguments (src, dst), but 1 was given.',
      'Program is not stratifiable. Recursive dependency on negation found.',
    ]);
  });
});

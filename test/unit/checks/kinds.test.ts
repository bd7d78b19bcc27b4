import { analyseKinds, kindOfExpression } from '../../../frontend/checks/kinds';
import { conjunctionKind, disjunctionKind } from '../../../frontend/language';
import { goal, program, spanText } from './parse-helper';

const kindsOf = (...lines: string[]) => analyseKinds(program(...lines));
const errors = (r: ReturnType<typeof analyseKinds>) => r.diagnostics.filter((d) => d.severity === 'error');

describe('predicate kinds', () => {
  test('a rule starting from an image and running a command is an Image predicate', () => {
    const r = kindsOf('a :- from("ubuntu"), run("apt-get update").');
    expect(r.diagnostics).toEqual([]);
    expect(r.kinds.get('a')).toBe('Image');
  });

  test('::copy out of an image gives a Layer predicate', () => {
    const r = kindsOf('a :- from("ubuntu"), run("apt-get update").', 'b :- a::copy(".", ".").');
    expect(r.diagnostics).toEqual([]);
    expect(r.kinds.get('b')).toBe('Layer');
  });

  test('a unification-only rule is Logic', () => {
    const r = kindsOf('b(X) :- X = "test".');
    expect(r.diagnostics).toEqual([]);
    expect(r.kinds.get('b')).toBe('Logic');
  });

  test('fact-only predicates are Logic, builtins have their fixed kinds', () => {
    const r = kindsOf('v("1").', 'v("2").');
    expect(r.kinds.get('v')).toBe('Logic');
    expect(r.kinds.get('from')).toBe('Image');
    expect(r.kinds.get('run')).toBe('Layer');
    expect(r.kinds.get('copy')).toBe('Layer');
    for (const name of ['string_concat', 'string_eq', 'string_length', 'number_geq', 'semver_lt', 'build_arg']) {
      expect(r.kinds.get(name)).toBe('Logic');
    }
  });

  test('kinds propagate through chains of rules in any order', () => {
    const r = kindsOf('c(X) :- b(X).', 'b(X) :- a(X).', 'a(X) :- from(X), run("apt-get update").');
    expect(r.diagnostics).toEqual([]);
    expect([r.kinds.get('a'), r.kinds.get('b'), r.kinds.get('c')]).toEqual(['Image', 'Image', 'Image']);
  });

  test('mutual recursion is resolved by a third clause', () => {
    const r = kindsOf('foo(X) :- bar(X).', 'bar(X) :- foo(X).', 'foo(X) :- from(X), run("apt-get update").');
    expect(r.diagnostics).toEqual([]);
    expect(r.kinds.get('foo')).toBe('Image');
    expect(r.kinds.get('bar')).toBe('Image');
  });

  test('recursion through an operator input is typed by presumption', () => {
    const r = kindsOf(
      'foo(mode) :- ( mode = "prod", from("alpine"), foo("dev")::copy(".", ".")',
      '             ; mode = "dev", from("gcc"), run("echo hello") ).',
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.kinds.get('foo')).toBe('Image');
  });

  test('recursion inside one disjunct is typed by the other disjunct', () => {
    const r = kindsOf(
      'foo(mode) :- ( mode = "prod", foo("dev"), run("make prod")',
      '             ; mode = "dev", copy(".", "/app"), run("echo hello") ).',
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.kinds.get('foo')).toBe('Layer');
  });

  test('a rule defined only by itself gives one warning and leaves the rest alone', () => {
    const r = kindsOf('recurse :- recurse.', 'a(X) :- from(X), run("apt-get update").');
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.severity).toBe('warning');
    expect(r.diagnostics[0]!.message).toBe('`recurse` not determined yet.');
    expect(r.diagnostics[0]!.notes).toEqual(["Therefore, couldn't evaluate clause with head recurse."]);
    expect(r.kinds.get('a')).toBe('Image');
    expect(r.kinds.has('recurse')).toBe(false);
  });

  test('two rules defined only by each other give two warnings', () => {
    const r = kindsOf('foo(X) :- bar(X).', 'bar(X) :- foo(X).');
    expect(r.diagnostics.map((d) => d.severity)).toEqual(['warning', 'warning']);
  });

  test('clauses of one name with different kinds are an error, whatever the arity', () => {
    const r = kindsOf('foo :- "1" = "1".', 'foo(X) :- from(X).');
    expect(errors(r)).toHaveLength(1);
  });

  test('a rule of a different kind than the facts of its name: different-kind error with labels', () => {
    const src = 'v("1").\nv(X) :- from(X).';
    const r = analyseKinds(program(src));
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect(d.message).toBe('A rule with matching head predicate has a different kind.');
    expect(spanText(src, d.span)).toBe('from(X)');
    expect(d.labels!.map((l) => [spanText(src, l.span), l.message])).toEqual([
      ['v("1").', 'previous kind was found to be Logic'],
      ['from(X)', 'but this was found to be a Image kind'],
    ]);
  });

  test('an unknown operator is an error naming it, at the operator name', () => {
    const src = 'head :- bar::foobar(X, Y), lar.\nlar.';
    const r = analyseKinds(program(src));
    const d = errors(r)[0]!;
    expect(d.message).toBe('Unknown operator: foobar');
    expect(spanText(src, d.span)).toBe('foobar');
  });

  test('an Image operator applied to a Layer predicate: "Expected kind: Image"', () => {
    const src = 'run_alias :- run("echo foobar").\nhead :- run_alias::set_entrypoint("bash").';
    const r = analyseKinds(program(src));
    const d = errors(r)[0]!;
    expect(d.message).toBe('Expected kind: Image');
    expect(d.labels).toEqual([{ span: d.span, message: 'expression found to be Layer' }]);
    expect(spanText(src, d.span)).toBe('run_alias');
  });

  test('two images in one conjunction cannot be combined', () => {
    const src = 'a :- from("x"), from("y").';
    const r = analyseKinds(program(src));
    const d = errors(r)[0]!;
    expect(d.message).toBe("Couldn't determine kind of `Expression`.");
    expect(d.labels!.map((l) => [spanText(src, l.span), l.message])).toEqual([
      ['from("x")', 'this is found to be a `Image` expression'],
      ['from("y")', 'this is found to be a `Image` expression'],
    ]);
  });

  test('a layer before an image is an error; a layer after it is fine', () => {
    expect(errors(kindsOf('a :- run("x"), from("y").'))).toHaveLength(1);
    expect(errors(kindsOf('a :- from("y"), run("x").'))).toHaveLength(0);
  });

  test('disjuncts of different kinds are an error', () => {
    expect(errors(kindsOf('a :- from("y") ; run("x").'))[0]!.message).toBe("Couldn't determine kind of `Expression`.");
  });

  test('negated literals and groups are Logic', () => {
    const r = kindsOf('l :- "a" = "a".', 'a :- !l, from("x"), !("b" = "c"), run("y").');
    expect(r.diagnostics).toEqual([]);
    expect(r.kinds.get('a')).toBe('Image');
  });

  test('operator output kinds', () => {
    const r = kindsOf(
      'i :- from("a").',
      'l :- run("x").',
      'e :- i::set_env("K", "V")::set_cmd(["a"])::set_workdir("/w")::set_label("k", "v")::set_user("u")::append_path("/p")::set_entrypoint("e").',
      'w :- l::in_workdir("/d")::in_env("K", "V")::merge.',
      'c :- i::copy("a", "b").',
    );
    expect(r.diagnostics).toEqual([]);
    expect([r.kinds.get('e'), r.kinds.get('w'), r.kinds.get('c')]).toEqual(['Image', 'Layer', 'Layer']);
  });

  test('a Layer operator applied to an image is an error', () => {
    expect(errors(kindsOf('a :- from("x")::merge.'))[0]!.message).toBe('Expected kind: Layer');
  });
});

describe('cache operators keep the kind of what they wrap', () => {
  test('on an image and on a layer', () => {
    const r = kindsOf(
      'img :- from("alpine")::no_cache::cache_key("v1").',
      'lay :- run("git clone x")::cache_probe("git ls-remote x HEAD")::cache_ttl("12h").',
      'app :- img, lay.',
    );
    expect(r.diagnostics).toEqual([]);
    expect([r.kinds.get('img'), r.kinds.get('lay'), r.kinds.get('app')]).toEqual(['Image', 'Layer', 'Image']);
  });

  test('on a logic expression they are an error', () => {
    const d = errors(kindsOf('a :- ("x" = "y")::no_cache.'))[0]!;
    expect(d.message).toBe('Expected kind: Image or Layer');
  });

  test('inside a larger expression the wrapped kind is used for checking', () => {
    expect(errors(kindsOf('a :- from("x"), run("y")::cache_key("k")::in_workdir("/w").'))).toEqual([]);
    expect(errors(kindsOf('a :- from("x")::cache_key("k")::set_env("A", "B").'))).toEqual([]);
    expect(errors(kindsOf('a :- from("x")::cache_key("k")::merge.'))).toHaveLength(1);
  });
});

describe('operator arity', () => {
  test('copy with one argument names the expected parameters', () => {
    const src = 'a :- from("x")::copy("a").';
    const r = analyseKinds(program(src));
    const d = errors(r)[0]!;
    expect(d.message).toBe('Operator `copy` expects 2 arguments (src, dst), but 1 was given.');
    expect(spanText(src, d.span)).toBe('copy("a")');
  });

  test('merge takes no arguments; set_workdir takes one', () => {
    expect(errors(kindsOf('a :- run("x")::merge("y").'))[0]!.message).toBe(
      'Operator `merge` takes no arguments, but 1 was given.',
    );
    expect(errors(kindsOf('a :- from("x")::set_workdir("a", "b").'))[0]!.message).toBe(
      'Operator `set_workdir` expects 1 argument (dir), but 2 were given.',
    );
    expect(errors(kindsOf('a :- from("x")::no_cache("y").'))).toHaveLength(1);
    expect(errors(kindsOf('a :- from("x")::cache_ttl.'))).toHaveLength(1);
  });
});

describe('kind tables and expressions', () => {
  test('conjunction and disjunction tables', () => {
    expect(conjunctionKind('Image', 'Layer')).toBe('Image');
    expect(conjunctionKind('Logic', 'Image')).toBe('Image');
    expect(conjunctionKind('Layer', 'Image')).toBeUndefined();
    expect(conjunctionKind('Image', 'Image')).toBeUndefined();
    expect(conjunctionKind('Layer', 'Logic')).toBe('Layer');
    expect(disjunctionKind('Layer', 'Layer')).toBe('Layer');
    expect(disjunctionKind('Layer', 'Logic')).toBeUndefined();
  });

  test('kindOfExpression evaluates a goal without presuming', () => {
    const { kinds } = kindsOf('app(X) :- from(X).', 'v("1").');
    expect(kindOfExpression(goal('v(X), app(X)'), kinds)).toBe('Image');
    expect(kindOfExpression(goal('v(X)'), kinds)).toBe('Logic');
    expect(kindOfExpression(goal('app("a"), app("b")'), kinds)).toBeUndefined();
  });

  test('the result is deterministic and sorted by name', () => {
    const lines = ['z :- y.', 'y :- from("a").', 'b :- y::copy("a", "b").'];
    const one = analyseKinds(program(...lines));
    const two = analyseKinds(program(...lines));
    expect([...one.kinds]).toEqual([...two.kinds]);
    const names = [...one.kinds.keys()];
    expect(names).toEqual([...names].sort());
  });

  test('verbose mode adds a note per rule', () => {
    const r = analyseKinds(program('a :- from("x").'), { verbose: true });
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ severity: 'note', message: '`a` is of kind `Image`' }),
    ]);
  });
});

describe('large programs', () => {
  test('a 5000-literal body does not overflow the stack', () => {
    const body = Array.from({ length: 5000 }, (_, i) => `p${i}("${i}")`).join(', ');
    const r = kindsOf(`a :- from("x"), ${body}, run("y").`);
    expect(r.diagnostics).toEqual([]);
    expect(r.kinds.get('a')).toBe('Image');
  });

  test('a chain of rules written in reverse dependency order is typed', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `r${i} :- r${i + 1}, v("1").`);
    lines.push('r500 :- from("x").', 'v("1").');
    const r = kindsOf(...lines);
    expect(r.diagnostics).toEqual([]);
    expect(r.kinds.get('r0')).toBe('Image');
  });

  test('undetermined conjuncts fixed by the rest of a chain are presumed', () => {
    // `u` can only be Logic here: a layer or an image before `from` would be a kind error.
    const r = kindsOf('u :- u.', 'a :- "1" = "1", u, from("x").');
    expect(r.kinds.get('a')).toBe('Image');
    expect(r.kinds.get('u')).toBe('Logic');
  });
});

import { analyseProgram, LINT_RULES, lintRuleUrl, parseCheckValue } from '../../../frontend/checks';
import { program, spanText } from './parse-helper';

function findings(...lines: string[]): { code?: string; severity: string; text: string; message: string }[] {
  const source = lines.join('\n');
  return analyseProgram(program(...lines)).diagnostics.map((d) => ({
    ...(d.code ? { code: d.code } : {}),
    severity: d.severity,
    text: spanText(source, d.span),
    message: d.message,
  }));
}

describe('SingletonVariable', () => {
  test('a named variable used once in a clause is a warning at that variable', () => {
    const found = findings('a(X, Y) :- from("x"), run(f"echo ${X}").');
    expect(found).toEqual([expect.objectContaining({ code: 'SingletonVariable', severity: 'warning', text: 'Y' })]);
  });

  test('variables starting with _, anonymous variables and variables used twice are fine', () => {
    expect(findings('a(X, _Y, _) :- from("x"), run(f"echo ${X}").', 'b(Z) :- Z = "1".')).toEqual([]);
  });

  test('occurrences in f-strings, unifications and operator arguments count', () => {
    expect(findings('a(X) :- from("x")::set_workdir(D), D = f"/${X}".')).toEqual([]);
  });
});

describe('calls that cannot succeed', () => {
  test('an undefined predicate is an error at its name', () => {
    const found = findings('a :- from("x"), nothere("1").');
    expect(found).toEqual([expect.objectContaining({ code: 'UnknownPredicate', severity: 'error', text: 'nothere' })]);
  });

  test('a builtin with the wrong number of arguments is an error at the call', () => {
    const found = findings('a :- from("x"), run("x", "y").');
    expect(found).toEqual([
      expect.objectContaining({ code: 'WrongArity', severity: 'error', text: 'run("x", "y")', message: 'Builtin `run` takes 1 argument, but 2 were given.' }),
    ]);
  });

  test('a user predicate called with an arity no clause has', () => {
    const found = findings('v("1").', 'v("1", "2").', 'a :- v("1", "2", "3").');
    expect(found).toEqual([expect.objectContaining({ code: 'WrongArity', message: 'Predicate `v` takes 1 or 2 arguments, but 3 were given.' })]);
  });
});

describe('every finding of the checks has a rule', () => {
  test('kind, term, negation and stratification errors carry their rule names', () => {
    const codes = findings(
      'a(f"x") :- b.',
      'b.',
      'i :- from("x").',
      'c :- !i, from("y").',
      'd :- from("x")::copy("a").',
      'e :- from("x")::nope.',
      'p :- !q.',
      'q :- p.',
      'k :- run("x").',
      'k :- from("x").',
    ).map((f) => f.code);
    expect(codes).toEqual(['TermPlacement', 'NegatedNonLogical', 'OperatorArity', 'UnknownOperator', 'NotStratifiable', 'InconsistentKind']);
    for (const code of codes) expect(LINT_RULES.map((r) => r.name)).toContain(code);
  });

  test('each rule links to its anchor in docs/lint.md', () => {
    expect(lintRuleUrl('SingletonVariable')).toBe('docs/lint.md#singletonvariable');
  });
});

describe('# check=', () => {
  test('skip= silences the rules it names', () => {
    expect(findings('# check=skip=SingletonVariable', 'a(X) :- from("x").')).toEqual([]);
    expect(findings('# check=skip=all', 'a(X) :- from("x"), nope.')).toEqual([]);
  });

  test('error=true makes warnings errors', () => {
    expect(findings('# check=error=true', 'a(X) :- from("x").')).toEqual([expect.objectContaining({ code: 'SingletonVariable', severity: 'error' })]);
  });

  test('only before the first clause', () => {
    expect(findings('a(X) :- from("x").', '# check=skip=SingletonVariable')).toHaveLength(1);
  });

  test('an unknown rule or setting is an error positioned at the directive', () => {
    const found = findings('# check=skip=Nope', 'a :- from("x").');
    expect(found).toEqual([expect.objectContaining({ severity: 'error', text: '# check=skip=Nope' })]);
    expect(found[0]!.message).toContain('unknown lint rule `Nope`');
    expect(parseCheckValue('color=red').diagnostics[0]!.message).toContain('unknown `check=` setting `color`');
  });

  test('errors the build cannot go past cannot be skipped', () => {
    expect(parseCheckValue('skip=KindMismatch').diagnostics[0]!.message).toContain('cannot be skipped');
  });
});

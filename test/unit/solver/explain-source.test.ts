/** The proof, --explain and --graph views, and the solver's warnings, read like the Modusfile. */
import { SourceFile } from '../../../grammar/source';
import { parseGoal, parseModusfile } from '../../../grammar/index';
import { translateGoal, translateProgram, type TranslatedGoal } from '../../../frontend/translate/translate';
import { solve } from '../../../frontend/solver/solve';
import { explainSearch, renderProofTree, searchGraphDot } from '../../../frontend/solver/explain';
import { SourceText } from '../../../frontend/solver/source-text';
import { isFormatChainStep } from '../../../frontend/language';
import { toDiagnostic, type SolverDiagnostic } from '../../../frontend/solver/diagnostics';
import { begin, c, end, lit, list, neg, program, v } from './ir-helpers';

function translated(modusfile: string, goalText: string): TranslatedGoal {
  const parsed = parseModusfile(new SourceFile('Modusfile', modusfile));
  expect(parsed.diagnostics).toEqual([]);
  const goal = parseGoal(new SourceFile('goal', goalText));
  expect(goal.diagnostics).toEqual([]);
  return translateGoal(goal.goal!, translateProgram(parsed.ast));
}

/** What no view may show: the translation's inventions. */
function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/string_concat|_negate_|_operator_|\$f\d|\$_\d|#\d/);
}

const APP = `
base("alpine:3.19").
app(mode) :-
    base(img), from(img),
    run(f"echo \${mode} > /mode"),
    (copy(".", "/src"))::in_workdir("/app").
app("dev") :- from("alpine:edge").
mode("prod"). mode("dev").
`;

const NEGATIONS = `
bad("prod").
ok(X) :- !bad(X), X != f"v\${X}", !(bad(X); X = "q").
app(m) :- ok(m), from("alpine"), run(f"echo \${m}").
`;

const OPERATORS = `
ver("1.2").
img(v) :- ver(v), from(f"alpine:\${v}"),
   (run(f"echo $HOME #1 \${v}"), run("b"))::merge::in_workdir(f"/app/\${v}"),
   X = f"x-\${v}", !has(_, v),
   (copy("a", "b"), !bad(f"q\${v}"))::in_env("K", "v").
has("z", "9").
bad("q0").
`;

describe('proof tree', () => {
  test('f-string steps are left out: the run shows the string they built', () => {
    const t = translated(APP, 'mode(M), app(M)');
    const solutions = solve(t.program, t.goals[0]!, { cost: 'layers' }).solutions;
    const tree = renderProofTree(solutions[0]!, t.program, { goals: t.goals });
    expect(tree).toBe(
      [
        'mode("prod")',
        'app("prod")',
        '├── base("alpine:3.19")',
        '├── from("alpine:3.19")',
        '├── run("echo prod > /mode")',
        '├── (',
        '│   └── copy(".", "/src")',
        '└── ) ::in_workdir("/app")',
      ].join('\n'),
    );
  });

  test('--compact: rule nodes go, f-string steps stay out, operators stay grouped', () => {
    const t = translated(OPERATORS, 'img(V)');
    const solution = solve(t.program, t.goals[0]!, { cost: 'layers' }).solutions[0]!;
    expect(renderProofTree(solution, t.program, { goals: t.goals, compact: true })).toBe(
      [
        'img("1.2")',
        '├── from("alpine:1.2")',
        '├── (',
        '│   ├── (',
        '│   │   ├── run("echo $HOME #1 1.2")',
        '│   │   └── run("b")',
        '│   └── ) ::merge',
        '├── ) ::in_workdir("/app/1.2")',
        '├── "x-1.2" = "x-1.2"',
        '├── (',
        '│   └── copy("a", "b")',
        '└── ) ::in_env("K", "v")',
      ].join('\n'),
    );
  });

  test("the goal's own f-string steps are left out when its alternatives are given", () => {
    const t = translated(APP, 'mode(M), X = f"image-${M}"');
    const solution = solve(t.program, t.goals[0]!, { cost: 'layers' }).solutions[0]!;
    expect(renderProofTree(solution, t.program, { goals: t.goals })).toBe('mode("prod")\n"image-prod" = "image-prod"');
    // Without them the goal's steps cannot be told from a user's string_concat.
    expect(renderProofTree(solution, t.program)).toContain('string_concat');
  });
});

describe('--explain', () => {
  test('bodies read as written: f-strings folded, operators as operand::op(args)', () => {
    const t = translated(APP, 'app("dev")');
    const text = explainSearch(t.program, t.goals[0]!);
    expect(text.split('\n')).toEqual([
      'We require app("dev")',
      '  app("dev") requires:',
      '  - base(img)',
      '  - from(img)',
      '  - run("echo dev > /mode")',
      '  - copy(".", "/src")::in_workdir("/app")',
      '    base("alpine:3.19") is a fact.',
      '      Success',
      '  app("dev") requires:',
      '  - from("alpine:edge")',
      '    Success',
    ]);
    expect(explainSearch(t.program, t.goals[0]!)).toBe(text);
  });

  test('an f-string with an unbound variable, chained operators with f-string arguments, `=`', () => {
    const t = translated(OPERATORS, 'img(V)');
    const text = explainSearch(t.program, t.goals[0]!);
    expectNoInternals(text.replace('#1', ''));
    expect(text.split('\n').slice(0, 8)).toEqual([
      'We require img(V)',
      '  img(v) requires:',
      '  - ver(v)',
      '  - from(f"alpine:${v}")',
      '  - (run(f"echo $HOME #1 ${v}"), run("b"))::merge::in_workdir(f"/app/${v}")',
      '  - X = f"x-${v}"',
      '  - !has(_, v)',
      '  - (copy("a", "b"), !bad(f"q${v}"))::in_env("K", "v")',
    ]);
    expect(text).toContain('has(_, "1.2") to have no proof');
    expect(text).toContain('bad("q1.2") to have no proof');
  });

  test('negations read as the negated expression, in requirements, checks and failures', () => {
    const t = translated(NEGATIONS, 'app("x")');
    const text = explainSearch(t.program, t.goals[0]!);
    expectNoInternals(text);
    expect(text.split('\n')).toEqual([
      'We require app("x")',
      '  app("x") requires:',
      '  - ok("x")',
      '  - from("alpine")',
      '  - run("echo x")',
      '    ok("x") requires:',
      '    - !bad("x")',
      '    - "x" != "vx"',
      '    - !(bad("x"); "x" = "q")',
      '      bad("x") to have no proof',
      '        "x" = "vx" to have no proof',
      '          (bad("x"); "x" = "q") to have no proof',
      '            Success',
    ]);
    expect(explainSearch(t.program, translated(NEGATIONS, 'app("prod")').goals[0]!)).toContain('a proof was found for bad("prod")');
  });

  test('an insufficient groundness leaf counts and shows the source expressions', () => {
    const t = translated('app(c) :- from("gcc"), run(f"gcc ${c} t.c").\n', 'app(X)');
    const text = explainSearch(t.program, t.goals[0]!);
    expect(text).toContain('insufficient groundness for 1 goal(s): run(f"gcc ${c} t.c")');
    expectNoInternals(text);
  });
});

describe('--graph', () => {
  test('labels read as written; f-string and marker steps are passed through; nodes numbered as drawn', () => {
    const t = translated(APP, 'app("dev")');
    const dot = searchGraphDot(t.program, t.goals[0]!);
    expectNoInternals(dot);
    expect(dot.split('\n')).toEqual([
      'digraph SLD_Tree {',
      '  node [shape=box];',
      '  n0 [label="app(\\"dev\\")"];',
      '  n0 -> n1 [label="app(\\"dev\\") :- base(img), from(img), run(\\"echo dev > /mode\\"), copy(\\".\\", \\"/src\\")::in_workdir(\\"/app\\")"];',
      '  n1 [label="base(img), from(img), run(\\"echo dev > /mode\\"), copy(\\".\\", \\"/src\\")::in_workdir(\\"/app\\")"];',
      '  n1 -> n2 [label="base(\\"alpine:3.19\\")"];',
      '  n2 [label="from(\\"alpine:3.19\\"), run(\\"echo dev > /mode\\"), copy(\\".\\", \\"/src\\")::in_workdir(\\"/app\\")"];',
      '  n2 -> n3 [label="from(\\"alpine:3.19\\")"];',
      '  n3 [label="run(\\"echo dev > /mode\\"), copy(\\".\\", \\"/src\\")::in_workdir(\\"/app\\")"];',
      '  n3 -> n4 [label="run(\\"echo dev > /mode\\")"];',
      '  n4 [label="copy(\\".\\", \\"/src\\")::in_workdir(\\"/app\\")"];',
      '  n4 -> n5 [label="copy(\\".\\", \\"/src\\")"];',
      '  n5 [label="true"];',
      '  n0 -> n6 [label="app(\\"dev\\") :- from(\\"alpine:edge\\")"];',
      '  n6 [label="from(\\"alpine:edge\\")"];',
      '  n6 -> n7 [label="from(\\"alpine:edge\\")"];',
      '  n7 [label="true"];',
      '}',
    ]);
  });

  test('negation checks and their failures name the expression', () => {
    const t = translated(NEGATIONS, 'app("prod")');
    const dot = searchGraphDot(t.program, t.goals[0]!);
    expectNoInternals(dot);
    expect(dot).toContain('[label="ok(\\"prod\\") :- !bad(\\"prod\\"), \\"prod\\" != \\"vprod\\", !(bad(\\"prod\\"); \\"prod\\" = \\"q\\")"]');
    expect(dot).toContain('[label="a proof was found for bad(\\"prod\\")"]');
    const passing = searchGraphDot(t.program, translated(NEGATIONS, 'app("x")').goals[0]!);
    expect(passing).toContain('[label="Check !(bad(\\"x\\"); \\"x\\" = \\"q\\")?"]');
  });
});

describe('solver warnings', () => {
  test('a proved negation names the negated expression, at its position', () => {
    const t = translated(NEGATIONS, 'app("prod")');
    const r = solve(t.program, t.goals[0]!, { cost: 'layers' });
    expect(r.solutions).toEqual([]);
    expect(r.diagnostics.map((d) => d.message)).toEqual(['a proof was found for bad("prod")']);
    const span = r.diagnostics[0]!.span!;
    expect(NEGATIONS.slice(span.start, span.end)).toBe('!bad(X)');
  });

  test('a `!=` whose sides are equal reads as the unification', () => {
    const t = translated('a(X) :- X != f"v${X}".\nb :- a("x"), from("scratch").\nc :- "v" != "v".\n', 'c');
    expect(solve(t.program, t.goals[0]!, { cost: 'layers' }).diagnostics.map((d) => d.message)).toEqual(['a proof was found for "v" = "v"']);
  });

  test("the solver's diagnostics show their literals as source", () => {
    const t = translated(NEGATIONS, 'app("x")');
    const text = new SourceText(t.program);
    const helper = t.program.clauses.find((cl) => cl.head.predicate.startsWith('_negate_'))!.head.predicate;
    const message = (d: SolverDiagnostic) => toDiagnostic(d, text).message;
    expect(message({ code: 'negation-proved', literal: lit(helper, c('a"b')) })).toBe('a proof was found for bad("a\\"b")');
    expect(message({ code: 'not-stratified', literal: neg(helper, c('y')) })).toBe('!bad("y") depends on itself through negation (the program is not stratified)');
    expect(message({ code: 'builtin-failed', literal: lit('string_eq', c('a'), c('b')) })).toBe('builtin string_eq failed to apply or unify: "a" = "b"');
    expect(message({ code: 'budget-exceeded', budget: 3 })).toBe('resolution budget of 3 steps exceeded (raise it with --budget or the MODUS_BUDGET build arg)');
  });
});

describe('SourceText', () => {
  const text = new SourceText();

  test('renamed and invented variables read as written; `#` inside strings is kept', () => {
    expect(text.literal(lit('run', c('echo #12')))).toBe('run("echo #12")');
    expect(text.literal(lit('p', v('X#3'), v('$_4#3'), v('$f9')))).toBe('p(X, _, _)');
    expect(text.literal(lit('cmd', list(c('sh'), v('Y#1'))))).toBe('cmd(["sh", Y])');
    expect(text.literal(neg('bad', 'X'))).toBe('!bad(X)');
  });

  test('an f-string keeps `$` text, escapes what would read as `${`, and shows unknown pieces', () => {
    const chain = [
      lit('string_concat', c(''), c('a${b} $c '), v('$f0')),
      lit('string_concat', v('$f0'), v('X#2'), v('$f1')),
      lit('string_concat', v('$f1'), v('$_5'), v('$f2')),
      lit('run', v('$f2')),
    ];
    expect(text.conjunction(chain)).toBe('run(f"a\\${b} $c ${X}${_}")');
    expect(chain.map(isFormatChainStep)).toEqual([true, true, true, false]);
    expect(isFormatChainStep(lit('string_concat', c('a'), v('X'), v('Y')))).toBe(false);
  });

  test('a chain nothing uses reads `f"…" = VALUE`; operators group, an end without its begin takes what precedes it', () => {
    expect(text.conjunction([lit('string_concat', c('a'), v('X'), c('ab'))])).toBe('string_concat("a", X, "ab")');
    // Bound from the other side (`f"a${X}" = "ab"` selected first), the last step keeps its value.
    expect(text.conjunction([lit('string_concat', c(''), c('a'), v('$f0')), lit('string_concat', v('$f0'), v('X'), c('ab'))])).toBe('f"a${X}" = "ab"');
    expect(text.conjunction([lit('string_concat', c('a'), v('X'), v('$f1'))])).toBe('f"a${X}" = _');
    expect(text.conjunction([begin('merge', '0'), lit('run', 'a'), lit('run', 'b'), end('merge', '0'), lit('x')])).toBe('(run("a"), run("b"))::merge, x');
    expect(text.conjunction([lit('run', 'b'), end('merge', '0'), lit('x')])).toBe('run("b")::merge, x');
    expect(text.conjunction([begin('in_workdir', '1', '/w'), begin('merge', '0'), lit('run', 'a'), end('merge', '0'), end('in_workdir', '1', '/w')])).toBe(
      'run("a")::merge::in_workdir("/w")',
    );
    expect(text.conjunction([begin('merge', '0'), lit('run', 'a')])).toBe('run("a")::merge');
  });

  test('negatedCall: the call a negation of one call stands for, its parameters put in; nothing for other negations', () => {
    const p = program(
      [lit('_negate_0', 'X'), lit('b', v('X'), c('k'))],
      [lit('_negate_1', 'X'), lit('b', 'X')],
      [lit('_negate_1', 'X'), lit('c', 'X')],
      [lit('_negate_2', 'X'), lit('string_eq', v('X'), c('a'))],
      [lit('_negate_3', 'X'), neg('_negate_0', 'X')],
      [lit('_negate_4', 'X'), lit('b', 'X'), lit('c', 'X')],
    );
    const source = new SourceText(p);
    expect(source.negatedCall(neg('_negate_0', c('1')))).toEqual(lit('b', c('1'), c('k')));
    expect(source.negatedCall(neg('_negate_0', v('Y')))).toEqual(lit('b', v('Y'), c('k')));
    for (const other of ['_negate_1', '_negate_2', '_negate_3', '_negate_4']) expect(source.negatedCall(neg(other, c('1')))).toBeUndefined();
    expect(source.negatedCall(lit('_negate_0', c('1')))).toBeUndefined();
    expect(text.negatedCall(neg('_negate_0', c('1')))).toBeUndefined();
  });

  test('negation helpers read back from their clauses, nested and disjunctive; without the program, as they are', () => {
    const p = program([lit('_negate_0', 'X'), lit('b', 'X')], [lit('_negate_0', 'X'), lit('c', 'X'), neg('_negate_1', 'X')], [lit('_negate_1', 'X'), lit('d', 'X')]);
    expect(new SourceText(p).literal(neg('_negate_0', c('1')))).toBe('!(b("1"); c("1"), !d("1"))');
    expect(text.literal(neg('_negate_0', c('1')))).toBe('!_negate_0("1")');
  });
});

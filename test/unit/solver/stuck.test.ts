/** Stuck calls: a callee waiting for an argument that only a later literal of its caller binds. */
import { SourceFile } from '../../../grammar/source';
import { parseGoal, parseModusfile } from '../../../grammar/index';
import { translateGoal, translateProgram } from '../../../frontend/translate/translate';
import { solve, type SolveResult } from '../../../frontend/solver/solve';
import { literalText } from '../../../frontend/language';
import type { ProofNode } from '../../../frontend/solver/proof';
import { at, fact, lit, program, rule, texts } from './ir-helpers';

function run(modusfile: string, goalText: string): SolveResult {
  const parsed = parseModusfile(new SourceFile('Modusfile', modusfile));
  expect(parsed.diagnostics).toEqual([]);
  const goal = parseGoal(new SourceFile('goal', goalText));
  expect(goal.diagnostics).toEqual([]);
  const translated = translateGoal(goal.goal!, translateProgram(parsed.ast));
  return solve(translated.program, translated.goals[0]!, { cost: 'layers' });
}

const gcc = 'app(c) :- from("gcc"), run(f"gcc ${c} t.c").\n';

describe('stuck calls', () => {
  test('the goal binds the argument after the call: app(X), X = "-g" (the issue example)', () => {
    const r = run(gcc, 'app(X), X = "-g"');
    expect(r.diagnostics).toEqual([]);
    expect(r.solutions.map((s) => literalText(s.goal[0]!))).toEqual(['app("-g")']);
    const app = r.solutions[0]!.proof.children[0]!;
    expect(app.via.kind).toBe('clause');
    const runs = flatten(app).filter((n) => n.via.kind === 'builtin' && n.literal.predicate === 'run');
    expect(runs.map((n) => literalText(n.literal))).toEqual(['run("gcc -g t.c")']);
  });

  test('a later literal of a calling rule binds it, through facts', () => {
    const src = `${gcc}flags("-g"). flags("-O2").\nwrap(X) :- app(X), flags(X).\n`;
    const r = run(src, 'wrap(X)');
    expect(r.diagnostics).toEqual([]);
    expect(r.solutions.map((s) => literalText(s.goal[0]!))).toEqual(['wrap("-g")', 'wrap("-O2")']);
    expect(r.solutions.every((s) => s.layers === 1)).toBe(true);
  });

  test('delayed through two levels of rules', () => {
    const src = `${gcc}mid(X) :- app(X).\nflags("-g").\ntop(X) :- mid(X), flags(X).\n`;
    expect(run(src, 'top(X)').solutions.map((s) => literalText(s.goal[0]!))).toEqual(['top("-g")']);
  });

  test('nothing ever binds the argument: still the callee\'s insufficient-groundness error, positioned', () => {
    for (const goal of ['app(X)', 'app(X), app(Y)']) {
      const r = run(gcc, goal);
      expect(r.solutions).toEqual([]);
      expect(r.diagnostics).toHaveLength(1);
      expect(r.diagnostics[0]!.severity).toBe('error');
      expect(r.diagnostics[0]!.message).toMatch(/^insufficient groundness for 3 goal\(s\)$/);
      // Translation's f-string chain shows as the f-string, not as its internal literals.
      expect(r.diagnostics[0]!.notes![0]).toBe('waiting: f"gcc ${…}…"');
      expect(r.diagnostics[0]!.labels![0]!.message).toBe('a variable of this f-string has no value here');
      expect(r.diagnostics[0]!.notes!.join('\n')).not.toMatch(/\$f\d/);
      expect(r.diagnostics[0]!.span).toBeDefined();
    }
  });

  test('an f-string variable nothing binds is named in the label; the operator using it reads as written', () => {
    const r = run('app(X) :- from("busybox"), run(f"echo ${X} ${Y}").\n', 'app("1")');
    expect(r.solutions).toEqual([]);
    const d = r.diagnostics[0]!;
    expect(d.labels!.map((l) => l.message)).toEqual(['`Y` has no value here', 'run(f"…") cannot be selected']);
    expect(d.notes).toEqual([
      'waiting: f"echo 1 ${Y}…"',
      'waiting: run(f"…")',
      'help: every variable of an f-string needs a value when the literal using it is reached',
    ]);
  });

  test('a clause leaving its head unbound: bound by the goal first it works, alone it stays an error', () => {
    const p = program(rule(lit('a', 'X'), lit('b')), fact('b'), fact('v', '1'));
    expect(texts(solve(p, [lit('a', 'X'), lit('v', 'X')], { cost: 'layers' }).solutions)).toEqual(['a("1"), v("1")']);
    const r = solve(p, [at(lit('a', 'X'))], { cost: 'layers' });
    expect(r.diagnostics.map((d) => d.message)).toEqual(['insufficient groundness for 1 goal(s)']);
  });

  test('a stuck call under negation is an error, not a proof of the negation', () => {
    // p("ab") gets stuck inside: string_concat needs two of its three arguments.
    const p = program(rule(lit('p', 'X'), lit('string_concat', 'A', 'B', 'X')), rule(lit('n', 'Y'), lit('v', 'Y'), { ...lit('p', 'ab'), positive: false }), fact('v', '1'));
    const r = solve(p, [lit('n', 'Y')], { cost: 'layers' });
    expect(r.solutions).toEqual([]);
    expect(r.diagnostics[0]!.severity).toBe('error');
  });

  test('the delayed call gives the same answers, order and proofs every time', () => {
    const src = `${gcc}flags("-g"). flags("-O2"). flags("-g").\nwrap(X) :- app(X), flags(X).\n`;
    const first = run(src, 'wrap(X)');
    const again = run(src, 'wrap(X)');
    expect(JSON.stringify(first.solutions.map((s) => [s.goal, s.proof]))).toBe(JSON.stringify(again.solutions.map((s) => [s.goal, s.proof])));
    expect(first.solutions).toHaveLength(2);
  });
});

function flatten(node: ProofNode): ProofNode[] {
  return [node, ...node.children.flatMap(flatten)];
}

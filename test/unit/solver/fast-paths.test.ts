/**
 * The engine's shortcuts give exactly what the plain resolution gives: a negated literal without
 * a helper table, strings made by builtins without interning, an f-string made in one go.
 */
import { SourceFile } from '../../../grammar/source';
import { loadProgramText, solveGoal, type SolvedGoal } from '../../../frontend/pipeline';
import { compileProgram } from '../../../frontend/solver/compile';
import { Interner } from '../../../frontend/solver/terms';
import { translateProgram } from '../../../frontend/translate';
import { parseModusfile } from '../../../grammar';
import { literalText } from '../../../frontend/language';

function solved(modusfile: string, goal: string, budget?: number): SolvedGoal {
  const loaded = loadProgramText(new SourceFile('Modusfile', modusfile));
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return solveGoal(loaded.program!, goal, { cost: 'layers', forBuild: false, ...(budget === undefined ? {} : { budget }) });
}

function texts(result: SolvedGoal): string[] {
  return result.solutions.map((s) => s.text);
}

function messages(result: SolvedGoal): string[] {
  return result.diagnostics.map((d) => d.message);
}

const VERSIONS = 'v("1").\nv("2").\nv("3").\nv("4").\nv("5").\n';

describe('a negated literal', () => {
  const program = `${VERSIONS}bad("2").\nbad("4").\nslow(X) :- bad(X).\n`;

  test('of facts, a rule predicate or a builtin: the same solutions as through its helper', () => {
    expect(texts(solved(`${program}ok(X) :- v(X), !bad(X).\n`, 'ok(X)'))).toEqual(['ok("1")', 'ok("3")', 'ok("5")']);
    expect(texts(solved(`${program}ok(X) :- v(X), !slow(X).\n`, 'ok(X)'))).toEqual(['ok("1")', 'ok("3")', 'ok("5")']);
    expect(texts(solved(`${program}ok(X) :- v(X), !number_gt(X, "3").\n`, 'ok(X)'))).toEqual(['ok("1")', 'ok("2")', 'ok("3")']);
    expect(texts(solved(`${program}ok(X) :- v(X), !bad(X), !slow("9").\n`, 'ok(X)'))).toEqual(['ok("1")', 'ok("3")', 'ok("5")']);
  });

  test('compiles to the literal itself when its helper stands for one literal, not for a group or a local variable', () => {
    const ir = translateProgram(parseModusfile(new SourceFile('M', `${program}a(X) :- v(X), !bad(X).\nb(X) :- v(X), !(bad(X), v(X)).\nc(X) :- v(X), !pair(X, _).\npair("1", "2").\n`)).ast);
    const compiled = compileProgram(ir, new Interner());
    const negated = (name: string) => compiled.predicates.get(`${name}/1`)!.clauses[0]!.body.find((l) => !l.positive)!.predicate;
    expect(negated('a')).toBe('bad');
    expect(negated('b')).toMatch(/^_negate_/);
    expect(negated('c')).toMatch(/^_negate_/);
  });
});

describe('strings made by builtins', () => {
  test('equal a constant of the program: they match facts (indexed or not) and table keys', () => {
    const facts = '"ab", "cd", "ef", "gh", "ij"'.split(', ').map((s) => `known(${s}).\n`).join('');
    const program = `${facts}made(X) :- string_concat("a", "b", X).\nmade("ab").\nfound(X) :- made(X), known(X).\n`;
    expect(texts(solved(program, 'made(X)'))).toEqual(['made("ab")']);
    expect(texts(solved(program, 'found(X)'))).toEqual(['found("ab")']);
    expect(texts(solved(`${program}twice(X) :- string_concat("a", "b", X), string_concat("a", "b", X).\n`, 'twice(X)'))).toEqual(['twice("ab")']);
  });

  test('made twice by different builtins: one answer, and a call with it reuses one table', () => {
    const program = 'p(X) :- string_concat("a", "b", X).\np(X) :- string_concat("", "ab", X).\nq(Y) :- p(X), r(X, Y).\nr(X, Y) :- string_concat(X, "!", Y).\n';
    expect(texts(solved(program, 'p(X)'))).toEqual(['p("ab")']);
    expect(texts(solved(program, 'q(Y)'))).toEqual(['q("ab!")']);
  });
});

describe('an f-string made in one go', () => {
  const byHand = 'v("1.2").\nimg(V) :- v(V), from("base"), string_concat("", "install ", A), string_concat(A, V, B), string_concat(B, " now, please, right away", C), run(C).\n';
  const fString = 'v("1.2").\nimg(V) :- v(V), from("base"), run(f"install ${V} now, please, right away").\n';

  test('is found at compile time: three steps, four pieces', () => {
    const compiled = compileProgram(translateProgram(parseModusfile(new SourceFile('M', fString)).ast), new Interner());
    const chains = compiled.predicates.get('img/1')!.clauses[0]!.chains!.filter((c) => c !== undefined);
    expect(chains.map((c) => [c.end - c.start + 1, c.pieces.length])).toEqual([[3, 4]]);
  });

  test("numbers its texts so far last, so that a derivation does not keep them", () => {
    const clause = compileProgram(translateProgram(parseModusfile(new SourceFile('M', fString)).ast), new Interner()).predicates.get('img/1')!.clauses[0]!;
    expect(clause.varNames.slice(0, clause.keptVars)).toEqual(['V', '$f2']);
    expect(clause.varNames.slice(clause.keptVars)).toEqual(['$f0', '$f1']);
  });

  test('takes as many resolution steps as its string_concat calls, so the budget stops at the same step', () => {
    const steps = solved(byHand, 'img(V)').steps;
    expect(solved(fString, 'img(V)').steps).toBe(steps);
    expect(messages(solved(fString, 'img(V)', steps - 1))).toEqual(messages(solved(byHand, 'img(V)', steps - 1)));
    expect(texts(solved(fString, 'img(V)', steps))).toEqual(['img("1.2")']);
  });

  test('checks a given text, and takes the steps in turn when a piece has no value yet', () => {
    const program = 'v("1.2").\nv("2.0").\nname(N) :- v(V), N = f"app-${V}".\nknown("app-2.0").\nsplit(V) :- known(N), N = f"app-${V}".\n';
    expect(texts(solved(program, 'name("app-1.2")'))).toEqual(['name("app-1.2")']);
    expect(solved(program, 'name("app-9")').solutions).toEqual([]);
    expect(texts(solved(program, 'split(V)'))).toEqual(['split("2.0")']);
  });
});

describe('a goal of one call', () => {
  const program = `${VERSIONS}base("alpine").\napp(V, M) :- v(V), base(B), from(B), run(f"install ${"${V}"}"), mode(M).\nmode("prod").\nmode("dev").\nyes.\n`;

  test('gives the solutions, figures and proofs of the same call inside a longer goal', () => {
    const alone = solved(program, 'app(V, "prod")');
    const inGoal = solved(program, 'app(V, "prod"), yes');
    expect(texts(alone)).toEqual(texts(inGoal));
    expect(alone.solutions).toHaveLength(5);
    alone.solutions.forEach((s, i) => {
      const other = inGoal.solutions[i]!.solution;
      expect([s.solution.layers, s.solution.height]).toEqual([other.layers, other.height]);
      const [node, otherNode] = [s.solution.proof.children[0]!, other.proof.children[0]!];
      expect([literalText(node.literal), node.via, node.children]).toEqual([literalText(otherNode.literal), otherNode.via, otherNode.children]);
    });
  });
});

describe('a solve that keeps no proofs (proof --json)', () => {
  const program = `${VERSIONS}base("alpine").\napp(V, M) :- v(V), base(B), from(B), run(f"install ${"${V}"}"), mode(M).\nmode("prod").\nmode("dev").\nprod(V) :- app(V, "prod").\n`;

  test('gives the same solutions, goals and figures, and no proof', () => {
    for (const goal of ['app(V, M)', 'prod(V)', 'app(V, "prod"), v(V)']) {
      const loaded = loadProgramText(new SourceFile('Modusfile', program));
      expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const withProofs = solveGoal(loaded.program!, goal, { cost: 'layers', forBuild: false });
      const without = solveGoal(loaded.program!, goal, { cost: 'layers', forBuild: false, proofs: false });
      expect(without.solutions.map((s) => [s.text, s.solution.layers, s.solution.height])).toEqual(
        withProofs.solutions.map((s) => [s.text, s.solution.layers, s.solution.height]),
      );
      expect(without.solutions.length).toBeGreaterThan(0);
      expect(() => without.solutions[0]!.solution.proof).toThrow('internal error: a proof was read from a solve that kept none');
    }
  });
});

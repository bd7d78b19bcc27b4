import { solve, groupByLiteral } from '../../../frontend/solver/solve';
import type { SolveOptions } from '../../../frontend/solver/solve';
import { literalText } from '../../../frontend/language';
import type { ProofNode } from '../../../frontend/solver/proof';
import { begin, end, fact, lit, neg, program, rule, texts } from './ir-helpers';

const layers: SolveOptions = { cost: 'layers' };

const edges = (pairs: [string, string][]) => pairs.map(([a, b]) => fact('edge', a, b));

describe('recursion and tabling', () => {
  const graph = edges([
    ['a', 'b'],
    ['b', 'c'],
    ['c', 'd'],
    ['d', 'b'], // a cycle b → c → d → b
    ['x', 'y'],
  ]);

  test('left recursion terminates with every answer', () => {
    const p = program(
      rule(lit('reach', 'X', 'Y'), lit('reach', 'X', 'Z'), lit('edge', 'Z', 'Y')),
      rule(lit('reach', 'X', 'Y'), lit('edge', 'X', 'Y')),
      ...graph,
    );
    const r = solve(p, [lit('reach', 'a', 'Y')], layers);
    expect(r.diagnostics).toEqual([]);
    expect(r.solutions.map((s) => literalText(s.goal[0]!)).sort()).toEqual([
      'reach("a", "b")',
      'reach("a", "c")',
      'reach("a", "d")',
    ]);
    const all = solve(p, [lit('reach', 'X', 'Y')], layers);
    expect(all.solutions).toHaveLength(3 + 3 * 3 + 1);
  });

  test('right recursion over a cycle terminates with every answer', () => {
    const p = program(
      rule(lit('reach', 'X', 'Y'), lit('edge', 'X', 'Y')),
      rule(lit('reach', 'X', 'Y'), lit('edge', 'X', 'Z'), lit('reach', 'Z', 'Y')),
      ...graph,
    );
    const r = solve(p, [lit('reach', 'b', 'Y')], layers);
    expect(r.solutions.map((s) => literalText(s.goal[0]!)).sort()).toEqual([
      'reach("b", "b")',
      'reach("b", "c")',
      'reach("b", "d")',
    ]);
  });

  test('simple recursion: 4 answers of a left-recursive relation', () => {
    const p = program(
      rule(lit('r', 'X', 'Y'), lit('r', 'X', 'Z'), lit('r', 'Z', 'Y')),
      fact('r', 'a', 'b'),
      fact('r', 'b', 'c'),
      fact('r', 'c', 'd'),
      fact('r', 'd', 'e'),
    );
    expect(solve(p, [lit('r', 'a', 'X')], layers).solutions).toHaveLength(4);
  });

  test('mutual recursion and negation of a completed recursive predicate', () => {
    const p = program(
      rule(lit('even', 'X'), lit('zero', 'X')),
      rule(lit('even', 'X'), lit('succ', 'Y', 'X'), lit('odd', 'Y')),
      rule(lit('odd', 'X'), lit('succ', 'Y', 'X'), lit('even', 'Y')),
      fact('zero', '0'),
      ...['0', '1', '2', '3', '4'].map((n, i, all) => (i + 1 < all.length ? fact('succ', n, all[i + 1]!) : fact('succ', n, '5'))),
      rule(lit('num', 'X'), lit('succ', 'X', '_y')),
      rule(lit('not_even', 'X'), lit('num', 'X'), neg('even', 'X')),
    );
    expect(texts(solve(p, [lit('even', 'X')], layers).solutions).sort()).toEqual(['even("0")', 'even("2")', 'even("4")']);
    expect(texts(solve(p, [lit('not_even', 'X')], layers).solutions).sort()).toEqual(['not_even("1")', 'not_even("3")']);
  });

  test('exponential proof enumeration is avoided: 30 chained predicates with 2 rules each', () => {
    const clauses = [];
    for (let i = 0; i < 30; i++) {
      clauses.push(rule(lit(`p${i}`, 'X'), lit(`p${i + 1}`, 'X'), lit('run', 'a')));
      clauses.push(rule(lit(`p${i}`, 'X'), lit(`p${i + 1}`, 'X')));
    }
    clauses.push(rule(lit('p30', 'X'), lit('base', 'X')), fact('base', '1'), fact('base', '2'));
    const started = Date.now();
    const r = solve(program(...clauses), [lit('p0', 'X')], layers);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(texts(r.solutions)).toEqual(['p0("1")', 'p0("2")']);
    expect(r.solutions[0]!.layers).toBe(0);
    expect(r.steps).toBeLessThan(2000);
  });
});

describe('cost functions', () => {
  // img("x") has two proofs: a tall one with 1 layer, a flat one with 3 layers.
  const p = program(
    rule(lit('img', 'X'), lit('from', 'alpine'), lit('deep1')),
    rule(lit('img', 'X'), lit('from', 'alpine'), lit('run', 'a'), lit('run', 'b'), lit('run', 'c')),
    rule(lit('deep1'), lit('deep2')),
    rule(lit('deep2'), lit('deep3')),
    rule(lit('deep3'), lit('run', 'one')),
  );

  test('layers picks the fewest layers, height the lowest tree', () => {
    const byLayers = solve(p, [lit('img', 'x')], { cost: 'layers' }).solutions[0]!;
    expect(byLayers.proof.children[0]!.via).toEqual({ kind: 'clause', clauseId: 0 });
    expect(byLayers.layers).toBe(1);
    expect(byLayers.height).toBe(5);
    const byHeight = solve(p, [lit('img', 'x')], { cost: 'height' }).solutions[0]!;
    expect(byHeight.proof.children[0]!.via).toEqual({ kind: 'clause', clauseId: 1 });
    expect(byHeight.layers).toBe(3);
    expect(byHeight.height).toBe(2);
  });

  test('first takes the first proof found, whatever it costs', () => {
    const q = program(
      rule(lit('img'), lit('from', 'alpine'), lit('run', 'a'), lit('run', 'b')),
      rule(lit('img'), lit('from', 'alpine')),
    );
    expect(solve(q, [lit('img')], { cost: 'first' }).solutions[0]!.layers).toBe(2);
    expect(solve(q, [lit('img')], { cost: 'layers' }).solutions[0]!.layers).toBe(0);
  });

  test('ties go to clause order', () => {
    const q = program(
      rule(lit('img'), lit('from', 'one'), lit('run', 'a')),
      rule(lit('img'), lit('from', 'two'), lit('run', 'b')),
    );
    const s = solve(q, [lit('img')], layers).solutions[0]!;
    expect(literalText(s.proof.children[0]!.children[0]!.literal)).toBe('from("one")');
  });

  test('a merge counts as one layer; ::copy adds one plus its source image', () => {
    const q = program(
      rule(
        lit('app'),
        lit('from', 'alpine'),
        begin('merge', '0'),
        lit('run', 'a'),
        lit('run', 'b'),
        lit('run', 'c'),
        end('merge', '0'),
        begin('copy', '1', '/src', '/dst'),
        lit('builder'),
        end('copy', '1', '/src', '/dst'),
      ),
      rule(lit('builder'), lit('from', 'gcc'), lit('run', 'make'), lit('run', 'strip')),
    );
    expect(solve(q, [lit('app')], layers).solutions[0]!.layers).toBe(1 + 1 + 2);
  });

  test('inside a merge the cheaper-when-merged proof of a layer predicate is chosen', () => {
    // steps has a 2-run proof (2 layers, 0 inside a merge) and a ::copy proof (1 + 1 layers; 1 inside a merge).
    const q = program(
      rule(lit('steps'), begin('copy', '0', 'a', 'b'), lit('src'), end('copy', '0', 'a', 'b')),
      rule(lit('steps'), lit('run', 'x'), lit('run', 'y'), lit('run', 'z')),
      rule(lit('src'), lit('from', 'busybox'), lit('run', 'mk')),
      rule(lit('plain'), lit('from', 'alpine'), lit('steps')),
      rule(lit('merged'), lit('from', 'alpine'), begin('merge', '1'), lit('steps'), end('merge', '1')),
    );
    const plain = solve(q, [lit('plain')], layers).solutions[0]!;
    expect(plain.layers).toBe(2);
    const merged = solve(q, [lit('merged')], layers).solutions[0]!;
    expect(merged.layers).toBe(1);
    const steps = merged.proof.children[0]!.children.find((n: ProofNode) => n.literal.predicate === 'steps')!;
    expect(steps.via).toEqual({ kind: 'clause', clauseId: 1 });
  });

  test('available: an unavailable base image rules its proof out', () => {
    const q = program(
      rule(lit('app'), lit('from', 'registry/app:cached')),
      rule(lit('app'), lit('from', 'alpine'), lit('run', 'build')),
    );
    const isAvailable = (ref: string) => (ref === 'registry/app:cached' ? false : undefined);
    const s = solve(q, [lit('app')], { cost: 'available', isAvailable }).solutions[0]!;
    expect(literalText(s.proof.children[0]!.children[0]!.literal)).toBe('from("alpine")');
    expect(solve(q, [lit('app')], { cost: 'available' }).solutions[0]!.layers).toBe(0);
    const none = solve(program(rule(lit('app'), lit('from', 'x'))), [lit('app')], { cost: 'available', isAvailable: () => false });
    expect(none.solutions).toEqual([]);
    expect(none.diagnostics[0]!.message).toContain('not available');
  });

  test('groupByLiteral keeps one entry per image literal, the cheapest', () => {
    const q = program(
      rule(lit('step', '1'), lit('run', 'a'), lit('run', 'b')),
      rule(lit('step', '2'), lit('run', 'a')),
      rule(lit('img', 'X'), lit('from', 'alpine')),
    );
    const r = solve(q, [lit('step', 'S'), lit('img', 'x')], layers);
    expect(r.solutions).toHaveLength(2);
    const groups = groupByLiteral(r.solutions, 1);
    expect(groups.map((g) => literalText(g.literal))).toEqual(['img("x")']);
    expect(groups[0]!.solution.layers).toBe(1);
    expect(literalText(groups[0]!.solution.goal[0]!)).toBe('step("2")');
  });
});

describe('budget and determinism', () => {
  test('exceeding the budget is an error that names itself', () => {
    const p = program(
      rule(lit('s', 'S'), lit('string_concat', 'S', 'a', 'T'), lit('s', 'T')),
      fact('s', 'never'),
    );
    const r = solve(p, [lit('s', '')], { cost: 'layers', budget: 500 });
    expect(r.solutions).toEqual([]);
    expect(r.diagnostics).toEqual([
      {
        severity: 'error',
        message: 'resolution budget of 500 steps exceeded (raise it with --budget or the MODUS_BUDGET build arg)',
      },
    ]);
  });

  test('the same program and goal give identical results', () => {
    const p = program(
      rule(lit('reach', 'X', 'Y'), lit('reach', 'X', 'Z'), lit('edge', 'Z', 'Y')),
      rule(lit('reach', 'X', 'Y'), lit('edge', 'X', 'Y')),
      ...edges([
        ['a', 'b'],
        ['b', 'c'],
        ['a', 'c'],
        ['c', 'a'],
      ]),
    );
    const one = solve(p, [lit('reach', 'X', 'Y')], layers);
    const two = solve(p, [lit('reach', 'X', 'Y')], layers);
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
  });
});

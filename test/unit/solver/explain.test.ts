import { solve } from '../../../frontend/solver/solve';
import { explainSearch, proofTreeRenderer, renderProofTree, searchGraphDot } from '../../../frontend/solver/explain';
import { begin, end, fact, lit, neg, program, rule } from './ir-helpers';

const p = program(
  rule(
    lit('app', 'X'),
    lit('from', 'alpine'),
    neg('bad', 'X'),
    begin('merge', '0'),
    lit('run', 'a'),
    lit('run', 'b'),
    end('merge', '0'),
    begin('copy', '1', '/out', '/app'),
    lit('builder'),
    end('copy', '1', '/out', '/app'),
  ),
  rule(lit('builder'), lit('from', 'gcc'), lit('run', 'make')),
  fact('bad', 'no'),
);

describe('explanations', () => {
  test('the tree of many solutions reads the program once, not once per solution', () => {
    const facts = Array.from({ length: 200 }, (_, i) => fact('v', `${i}`));
    const q = program(...facts, rule(lit('app', 'X'), lit('v', 'X'), lit('from', 'alpine'), neg('bad', 'X')), fact('bad', 'no'));
    const solutions = solve(q, [lit('app', 'X')], { cost: 'layers' }).solutions;
    let scans = 0;
    const clauses = new Proxy(q.clauses, {
      get(target, key, receiver) {
        if (key === Symbol.iterator) scans++;
        return Reflect.get(target, key, receiver);
      },
    });
    const render = proofTreeRenderer({ clauses });
    const trees = solutions.map((s) => render(s));
    expect(trees).toHaveLength(200);
    expect(trees[7]).toBe('app("7")\n├── v("7")\n└── from("alpine")');
    expect(scans).toBeLessThanOrEqual(1);
  });

  test('the proof tree shows rule heads, builtins and operator groups, not negation checks', () => {
    const s = solve(p, [lit('app', 'x')], { cost: 'layers' }).solutions[0]!;
    expect(renderProofTree(s, p)).toBe(
      [
        'app("x")',
        '├── from("alpine")',
        '├── (',
        '│   ├── run("a")',
        '│   └── run("b")',
        '├── ) ::merge',
        '├── (',
        '│   └── builder',
        '│       ├── from("gcc")',
        '│       └── run("make")',
        '└── ) ::copy("/out", "/app")',
      ].join('\n'),
    );
  });

  test('--explain text: requirements, facts, negation checks, success and failure', () => {
    const q = program(fact('v', '1'), fact('v', '2'), rule(lit('a', 'X'), lit('v', 'X'), neg('b', 'X')), fact('b', '2'));
    const text = explainSearch(q, [lit('a', 'X')]);
    expect(text.split('\n')).toEqual([
      'We require a(X)',
      '  a(X) requires:',
      '  - v(X)',
      '  - !b(X)',
      '    v("1") is a fact.',
      '      b("1") to have no proof',
      '        Success',
      '    v("2") is a fact.',
      '      a proof was found for b("2")',
    ]);
    expect(explainSearch(q, [lit('a', 'X')])).toBe(text);
  });

  test('--explain reports insufficient groundness and caps its size', () => {
    expect(explainSearch(program(fact('a', 'X')), [lit('a', 'X')])).toContain('insufficient groundness for 1 goal(s): a(X)');
    const loop = program(rule(lit('l', 'X'), lit('l', 'X')), fact('l', 'z'));
    expect(explainSearch(loop, [lit('l', 'y')], { maxNodes: 20 })).toContain('capped');
  });

  test('--graph is a DOT digraph SLD_Tree with FAIL nodes', () => {
    const q = program(fact('v', '1'), rule(lit('a', 'X'), lit('v', 'X'), neg('b', 'X')), fact('b', '1'));
    const dot = searchGraphDot(q, [lit('a', 'X')]);
    expect(dot.startsWith('digraph SLD_Tree {')).toBe(true);
    expect(dot).toContain('label="FAIL"');
    expect(dot).toContain('a proof was found for b(\\"1\\")');
    expect(dot.trim().endsWith('}')).toBe(true);
  });
});

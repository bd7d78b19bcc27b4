import { checkStratification, dependencyGraph, stronglyConnectedComponents } from '../../../frontend/checks/stratification';
import { program, spanText } from './parse-helper';

const edgesOf = (...lines: string[]) =>
  dependencyGraph(program(...lines).clauses).edges.map((e) => `${e.from}${e.negative ? ' -!-> ' : ' -> '}${e.to}`);

const hasCycle = (...lines: string[]) => {
  const graph = dependencyGraph(program(...lines).clauses);
  const component = stronglyConnectedComponents(graph);
  return graph.edges.some((e) => component.get(e.from) === component.get(e.to));
};

describe('dependency graph', () => {
  test('an acyclic chain', () => {
    const lines = ['foo(X) :- bar(X).', 'bar(X) :- baz(X).'];
    expect(edgesOf(...lines)).toEqual(['foo -> bar', 'bar -> baz']);
    expect(dependencyGraph(program(...lines).clauses).nodes).toEqual(['foo', 'bar', 'baz']);
    expect(hasCycle(...lines)).toBe(false);
  });

  test('a cycle through two rules', () => {
    const lines = ['foo(X) :- from("ubuntu"), run("apt-get update"), bar(X).', 'bar(X) :- foo(X).'];
    expect(edgesOf(...lines)).toEqual(['foo -> from', 'foo -> run', 'foo -> bar', 'bar -> foo']);
    expect(hasCycle(...lines)).toBe(true);
  });

  test('literals under a negated group are negative edges at any depth; != is one to string_eq', () => {
    expect(edgesOf('a :- !(b, (c ; !d), e::merge), f, X != "1".')).toEqual([
      'a -!-> b',
      'a -!-> c',
      'a -!-> d',
      'a -!-> e',
      'a -> f',
      'a -!-> string_eq',
    ]);
  });
});

describe('stratification', () => {
  test('positive recursion is stratifiable', () => {
    expect(checkStratification(program('foo(X) :- from("ubuntu"), run("apt-get update"), bar(X).', 'bar(X) :- foo(X).').clauses)).toEqual([]);
  });

  test('recursion through a negated literal is not', () => {
    const src = 'foo(X) :- from("ubuntu"), run("apt-get update"), bar(X).\nbar(X) :- !foo(X).';
    const diagnostics = checkStratification(program(src).clauses);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.message).toBe('Program is not stratifiable. Recursive dependency on negation found.');
    expect(diagnostics[0]!.notes).toEqual(['Cycle: bar -> foo -> bar']);
    expect(spanText(src, diagnostics[0]!.span)).toBe('!foo(X)');
  });

  test('recursion through a negated group is not stratifiable either (not only through a negated literal)', () => {
    const src = 'p :- !(q, r).\nq :- p.';
    const diagnostics = checkStratification(program(src).clauses);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.notes).toEqual(['Cycle: p -> q -> p']);
    expect(spanText(src, diagnostics[0]!.span)).toBe('q');
  });

  test('a negated self-dependency', () => {
    const diagnostics = checkStratification(program('p(X) :- v(X), !p(X).', 'v("1").').clauses);
    expect(diagnostics.map((d) => d.notes)).toEqual([['Cycle: p -> p']]);
  });

  test('negation of a lower stratum is fine', () => {
    expect(checkStratification(program('a :- !b.', 'b :- c.', 'c :- !d.', 'd.').clauses)).toEqual([]);
  });

  test('one error per strongly connected component, deterministic', () => {
    const lines = ['a :- !b.', 'b :- a.', 'b :- !a.', 'x :- !y.', 'y :- x.'];
    const one = checkStratification(program(...lines).clauses);
    expect(one.map((d) => d.notes)).toEqual([['Cycle: a -> b -> a'], ['Cycle: x -> y -> x']]);
    expect(checkStratification(program(...lines).clauses)).toEqual(one);
  });

  test('a long dependency chain does not overflow the stack', () => {
    const lines = Array.from({ length: 10000 }, (_, i) => `p${i} :- p${i + 1}.`);
    lines.push('p10000 :- !p0.');
    const diagnostics = checkStratification(program(...lines).clauses);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.notes![0]!.startsWith('Cycle: p10000 -> p0 -> p1 -> ')).toBe(true);
  });
});

/** What makes the solver fast: tuple sets, clause indexes on every bound position, few steps. */
import { solve } from '../../../frontend/solver/solve';
import { TupleSet } from '../../../frontend/solver/tuples';
import { fact, lit, program, rule, texts } from './ir-helpers';

describe('TupleSet', () => {
  test('numbers distinct tuples in insertion order and finds them again', () => {
    const set = new TupleSet(2);
    expect(set.intern([1, 2])).toBe(~0);
    expect(set.intern([2, 1])).toBe(~1);
    expect(set.intern([1, 2])).toBe(0);
    expect(set.intern([2, 1])).toBe(1);
    expect(set.size).toBe(2);
    expect(Array.from(set.data.subarray(0, 4))).toEqual([1, 2, 2, 1]);
  });

  test('keeps every tuple across growth (10,000 tuples, many sharing a hash bucket)', () => {
    const set = new TupleSet(3);
    const wrong: number[] = [];
    for (let i = 0; i < 10_000; i++) if (set.intern([i % 7, i, -1]) !== ~i) wrong.push(i);
    for (let i = 0; i < 10_000; i++) if (set.intern([i % 7, i, -1]) !== i) wrong.push(i);
    expect(wrong).toEqual([]);
    expect(set.intern([0, 10_000, -1])).toBe(~10_000);
  });

  test('width 0 holds the empty tuple once', () => {
    const set = new TupleSet(0);
    expect(set.intern([])).toBe(~0);
    expect(set.intern([])).toBe(0);
    expect(set.size).toBe(1);
  });
});

describe('indexing and step counts', () => {
  const arcs = (n: number) => Array.from({ length: n }, (_, i) => fact('arc', `n${i}`, `n${(i + 1) % n}`));

  test('facts are looked up by a bound second argument, not scanned', () => {
    const r = solve(program(...arcs(2000)), [lit('arc', 'X', 'n7')], { cost: 'layers' });
    expect(texts(r.solutions)).toEqual(['arc("n6", "n7")']);
    expect(r.steps).toBeLessThan(10);
  });

  test('the shortest index list among the bound arguments is used, in clause order', () => {
    const p = program(
      fact('t', 'a', 'x', '1'),
      fact('t', 'a', 'y', '2'),
      fact('t', 'a', 'x', '3'),
      fact('t', 'b', 'x', '4'),
      ...Array.from({ length: 50 }, (_, i) => fact('t', 'a', `z${i}`, `${i}`)),
    );
    const r = solve(p, [lit('t', 'a', 'x', 'N')], { cost: 'layers' });
    expect(texts(r.solutions)).toEqual(['t("a", "x", "1")', 't("a", "x", "3")']);
    expect(r.steps).toBeLessThan(6);
  });

  test('rule clauses are indexed on any constant head argument of the call', () => {
    const rules = Array.from({ length: 100 }, (_, i) => rule(lit('p', 'X', `k${i}`), lit('q', 'X')));
    const p = program(fact('q', 'v'), ...rules, rule(lit('p', 'X', 'Y'), lit('q', 'X'), lit('q', 'Y')));
    const r = solve(p, [lit('p', 'v', 'k42')], { cost: 'layers' });
    expect(r.solutions).toHaveLength(1);
    expect(r.steps).toBeLessThan(10);
  });

  test('left recursion over 10,000 arcs: one pass over the answers (steps grow linearly)', () => {
    const p = program(
      rule(lit('reach', 'X', 'Y'), lit('arc', 'X', 'Y')),
      rule(lit('reach', 'X', 'Y'), lit('reach', 'X', 'Z'), lit('arc', 'Z', 'Y')),
      ...arcs(10_000),
    );
    const r = solve(p, [lit('reach', 'n0', 'Y')], { cost: 'layers' });
    expect(r.solutions).toHaveLength(10_000);
    expect(r.steps).toBeLessThan(4 * 10_000);
    expect(texts(r.solutions.slice(0, 2))).toEqual(['reach("n0", "n1")', 'reach("n0", "n2")']);
  });

  test('a lazily built proof is the same object on every read; it and the goal are not own properties', () => {
    const p = program(rule(lit('a', 'X'), lit('b', 'X')), fact('b', '1'));
    const [s] = solve(p, [lit('a', 'X')], { cost: 'layers' }).solutions;
    expect(s!.proof).toBe(s!.proof);
    expect(s!.proof.children[0]!.via).toEqual({ kind: 'clause', clauseId: 0 });
    expect(Object.keys(s!)).toEqual(['layers', 'height']);
    // The goal is made at each read (nothing kept per solution): equal every time.
    expect(texts([s!])).toEqual(['a("1")']);
    expect(s!.goal).toEqual(s!.goal);
  });
});

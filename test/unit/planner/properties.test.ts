import fc from 'fast-check';
import { planBuild, LITERAL_LABEL, type PlanNode } from '../../../frontend/planner';
import type { ProofNode } from '../../../frontend/solver/proof';
import { copy, from, op, rule, run, solution } from './proofs';

/** Random well-kinded image proofs over a small vocabulary (so sharing actually happens). */
const word = fc.constantFrom('a', 'b', 'c');
const { image } = fc.letrec<{ image: ProofNode; layers: ProofNode[]; layer: ProofNode[] }>((tie) => ({
  image: fc.oneof(
    { depthSize: 'small' },
    fc.tuple(word, fc.constantFrom('alpine', 'busybox', 'scratch'), tie('layers')).map(([name, ref, layers]) =>
      rule(`img_${name}`, [], [from(ref), ...layers]),
    ),
    fc.tuple(word, tie('image'), tie('layers')).map(([name, base, layers]) => rule(`img_${name}`, [], [base, ...layers])),
  ),
  layers: fc.array(tie('layer'), { maxLength: 3 }).map((ls) => ls.flat()),
  layer: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    word.map((w) => [run(w)]),
    fc.tuple(word, word).map(([s, d]) => [copy(s, d)]),
    fc.tuple(word, tie('layers')).map(([p, ls]) => op('in_workdir', [p], ls)),
    fc.tuple(word, tie('layers')).map(([v, ls]) => op('in_env', ['K', v], ls)),
    fc.tuple(word, word, tie('image')).map(([s, d, img]) => op('copy', [s, d], [img])),
    tie('layers').map((ls) => op('merge', [], ls)),
    tie('layers').map((ls) => op('no_cache', [], ls)),
    fc.tuple(word, tie('layers')).map(([w, ls]) => [rule(`layer_${w}`, [], ls)]),
  ),
}));

function dependencies(node: PlanNode): number[] {
  const deps: number[] = [];
  if ('parent' in node) deps.push(node.parent);
  if (node.kind === 'copyImage') deps.push(node.image);
  if (node.kind === 'merge') for (const o of node.operations) if (o.kind === 'copyImage') deps.push(o.image);
  return deps;
}

const withoutOrigins = (key: string, value: unknown) => (key === 'origin' ? undefined : value);

test('plans of random proofs: topological, hash-consed, labelled outputs, deterministic', () => {
  fc.assert(
    fc.property(fc.array(image, { minLength: 1, maxLength: 4 }), (images) => {
      const solutions = images.map((img) => solution(img));
      const { plan, diagnostics } = planBuild(solutions);
      // layered predicates may start with a layer inside a fresh image: those are reported, never thrown
      for (const d of diagnostics) expect(d.severity).toBe('error');
      plan.nodes.forEach((node, id) => {
        for (const dep of dependencies(node)) expect(dep).toBeLessThan(id);
      });
      const contents = plan.nodes.map((n) => JSON.stringify(n, withoutOrigins));
      expect(new Set(contents).size).toBe(contents.length);
      const literals = plan.outputs.map((o) => o.literal);
      expect(new Set(literals).size).toBe(literals.length);
      for (const output of plan.outputs) {
        const node = plan.nodes[output.node]!;
        expect(node).toMatchObject({ kind: 'setLabel', key: LITERAL_LABEL, value: output.literal });
      }
      expect(JSON.stringify(planBuild(solutions))).toBe(JSON.stringify({ plan, diagnostics }));
    }),
    { numRuns: 200, seed: 42 },
  );
});

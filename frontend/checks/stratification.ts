/**
 * Stratification: the predicate dependency graph (head name → names used in its body) must have
 * no cycle through a negative edge. An edge is negative when the body literal is negated or sits
 * inside a negated group at any depth (counting only directly negated literals would miss
 * recursion through `!(a, b)`);
 * `X != Y` is a negative edge to `string_eq`.
 */
import type { Clause } from '../../grammar/ast';
import type { Diagnostic, Span } from '../../grammar/source';
import { forEachNode } from './ast-util';

interface DependencyEdge {
  from: string;
  to: string;
  negative: boolean;
  /** The body literal (or unification) that creates the edge. */
  span: Span;
}

interface DependencyGraph {
  /** Predicate names in order of first appearance. */
  nodes: string[];
  /** Edges in source order. */
  edges: DependencyEdge[];
}

export function dependencyGraph(clauses: readonly Clause[]): DependencyGraph {
  const nodes: string[] = [];
  const seen = new Set<string>();
  const addNode = (name: string): void => {
    if (!seen.has(name)) {
      seen.add(name);
      nodes.push(name);
    }
  };
  const edges: DependencyEdge[] = [];
  for (const clause of clauses) {
    const from = clause.head.name;
    addNode(from);
    if (!clause.body) continue;
    forEachNode(clause.body, (node, underNegation) => {
      if (node.kind !== 'literal' && node.kind !== 'unify') return;
      const to = node.kind === 'literal' ? node.name : 'string_eq';
      addNode(to);
      edges.push({ from, to, negative: underNegation || node.negated, span: node.span });
    });
  }
  return { nodes, edges };
}

/** One error per strongly connected component that contains a negative edge. */
export function checkStratification(clauses: readonly Clause[]): Diagnostic[] {
  const graph = dependencyGraph(clauses);
  const component = stronglyConnectedComponents(graph);
  const reported = new Set<number>();
  const diagnostics: Diagnostic[] = [];
  for (const edge of graph.edges) {
    if (!edge.negative) continue;
    const c = component.get(edge.from)!;
    if (c !== component.get(edge.to) || reported.has(c)) continue;
    reported.add(c);
    const back = shortestPath(graph, edge.to, edge.from, (name) => component.get(name) === c);
    const cycle = [edge.from, ...back];
    diagnostics.push({
      severity: 'error',
      message: 'Program is not stratifiable. Recursive dependency on negation found.',
      span: edge.span,
      notes: [`Cycle: ${cycle.join(' -> ')}`],
    });
  }
  return diagnostics;
}

/** Component id per node (iterative Tarjan, so long dependency chains cannot overflow the stack). */
export function stronglyConnectedComponents(graph: DependencyGraph): Map<string, number> {
  const successors = adjacency(graph);
  const index = new Map<string, number>();
  const lowlink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let nextIndex = 0;
  let nextComponent = 0;

  for (const root of graph.nodes) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: root, next: 0 }];
    index.set(root, nextIndex);
    lowlink.set(root, nextIndex++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const succ = successors.get(frame.node)!;
      if (frame.next < succ.length) {
        const w = succ[frame.next++]!;
        if (!index.has(w)) {
          index.set(w, nextIndex);
          lowlink.set(w, nextIndex++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, next: 0 });
        } else if (onStack.has(w)) {
          lowlink.set(frame.node, Math.min(lowlink.get(frame.node)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!.node;
        lowlink.set(parent, Math.min(lowlink.get(parent)!, lowlink.get(frame.node)!));
      }
      if (lowlink.get(frame.node) === index.get(frame.node)) {
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.set(member, nextComponent);
        } while (member !== frame.node);
        nextComponent++;
      }
    }
  }
  return component;
}

/** Distinct successors per node, in edge (source) order. */
function adjacency(graph: DependencyGraph): Map<string, string[]> {
  const successors = new Map<string, string[]>(graph.nodes.map((n) => [n, []]));
  const seen = new Set<string>();
  for (const edge of graph.edges) {
    const key = JSON.stringify([edge.from, edge.to]);
    if (seen.has(key)) continue;
    seen.add(key);
    successors.get(edge.from)!.push(edge.to);
  }
  return successors;
}

/** Breadth-first path `from ... to` (inclusive) through nodes accepted by `within`. */
function shortestPath(graph: DependencyGraph, from: string, to: string, within: (n: string) => boolean): string[] {
  const successors = adjacency(graph);
  const previous = new Map<string, string | undefined>([[from, undefined]]);
  const queue = [from];
  for (let i = 0; i < queue.length && !previous.has(to === from ? '\0' : to); i++) {
    for (const next of successors.get(queue[i]!)!) {
      if (!within(next) || previous.has(next)) continue;
      previous.set(next, queue[i]);
      queue.push(next);
    }
  }
  const path: string[] = [];
  for (let n: string | undefined = to; n !== undefined; n = previous.get(n)) {
    path.unshift(n);
    if (n === from) break;
  }
  return path;
}

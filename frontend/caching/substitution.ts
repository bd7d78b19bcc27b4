/**
 * Substitution from a cache repository (build arg MODUS_CACHE_REPO), the pure part: which
 * literals of the plan may be taken from the repository at all (no `no_cache` inside), and which
 * nodes the outputs still need once some are substituted. The frontend computes the content keys
 * and looks the images up through the gateway (buildkit/find-substitutes.ts).
 */
import type { BuildPlan, NodeId } from '../planner/plan';
import type { NoCacheRequest } from './keys';
import { subgraph, type LiteralNode } from './content-keys';

export interface KeyedLiteral extends LiteralNode {
  key: string;
}

/** Nodes the outputs still need once the substituted ones are cut off. */
export function neededNodes(plan: BuildPlan, substituted: ReadonlyMap<NodeId, unknown>): Set<NodeId> {
  const needed = new Set<NodeId>();
  const pending = plan.outputs.map((o) => o.node);
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (needed.has(id)) continue;
    needed.add(id);
    if (substituted.has(id)) continue;
    pending.push(...subgraph(plan, id).filter((n) => n !== id && isDirectInput(plan, id, n)));
  }
  return needed;
}

function isDirectInput(plan: BuildPlan, id: NodeId, candidate: NodeId): boolean {
  const node = plan.nodes[id]!;
  if ('parent' in node && node.parent === candidate) return true;
  if (node.kind === 'copyImage' && node.image === candidate) return true;
  if (node.kind === 'merge' && node.operations.some((op) => op.kind === 'copyImage' && op.image === candidate)) return true;
  return 'cache' in node && node.cache.probes.some((p) => p.base === candidate);
}

export function cacheable(plan: BuildPlan, root: NodeId, noCache: NoCacheRequest): boolean {
  if (noCache.all) return false;
  return subgraph(plan, root).every((id) => {
    const node = plan.nodes[id]!;
    if ('cache' in node && node.cache.noCache) return false;
    return !node.origin.predicates.some((p) => noCache.predicates.includes(p));
  });
}

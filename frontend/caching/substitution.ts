/**
 * Substitution from a cache repository (build arg MODUS_CACHE_REPO), the pure part: which
 * literals of the plan may be taken from the repository at all (no `no_cache` inside), and which
 * nodes the outputs still need once some are substituted. The frontend computes the content keys
 * and looks the images up through the gateway (buildkit/find-substitutes.ts).
 */
import type { BaseImage, GenerateOptions } from '../imagegen/generate';
import { local } from '../llb';
import type { BuildPlan, NodeId } from '../planner/plan';
import { sha256Text, subgraph, type LiteralNode } from './content-keys';

export interface KeyedLiteral extends LiteralNode {
  key: string;
}

/**
 * Bases as content keys see them: pinned by the digest of their configuration instead of the
 * digest the daemon resolved. Docker 20.10 reports a local image's id, the containerd image store
 * (current Docker) its manifest digest; the configuration, with its layers' diff ids, is the same
 * on both, so machines with different image stores share one cache repository. A directory named
 * context becomes a placeholder source without the build's session (its files enter the key apart).
 */
export function portableBases(bases: ReadonlyMap<string, BaseImage>): Map<string, BaseImage> {
  const out = new Map<string, BaseImage>();
  for (const [written, base] of bases) {
    const name = base.ref.split('@')[0]!;
    const portable = { ...base, ref: `${name}@${sha256Text(Buffer.from(JSON.stringify(base.config), 'utf8'))}` };
    out.set(written, base.fs ? { ...portable, fs: local(base.ref) } : portable);
  }
  return out;
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

export function cacheable(plan: BuildPlan, root: NodeId, generate: GenerateOptions): boolean {
  if (generate.noCache.all) return false;
  return subgraph(plan, root).every((id) => {
    const node = plan.nodes[id]!;
    if ('cache' in node && node.cache.noCache) return false;
    return !node.origin.predicates.some((p) => generate.noCache.predicates.includes(p));
  });
}

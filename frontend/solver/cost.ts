/**
 * Cost figures of a proof tree. `layers` counts run/copy leaves plus each `::copy` and each
 * outermost `::merge` application; everything inside a merge is that one layer, except the
 * images built as `::copy` sources, whose layers always count. `height` is the tree height
 * (leaves 0). The engine computes the same figures incrementally while searching.
 */
import { parseOperatorMarker } from '../translate/ir';
import type { ProofNode } from './proof';
import { scopeTree, type Scope } from './compile';

const LAYER_BUILTINS = new Set(['run', 'copy']);

export function proofHeight(node: ProofNode, memo = new Map<ProofNode, number>()): number {
  const known = memo.get(node);
  if (known !== undefined) return known;
  let h = 0;
  if (node.children.length > 0) {
    for (const child of node.children) h = Math.max(h, proofHeight(child, memo));
    h += 1;
  }
  memo.set(node, h);
  return h;
}

export function proofLayers(node: ProofNode): number {
  return layersOf(node, false, [new Map(), new Map()]);
}

function layersOf(node: ProofNode, insideMerge: boolean, memo: [Map<ProofNode, number>, Map<ProofNode, number>]): number {
  const table = memo[insideMerge ? 1 : 0];
  const known = table.get(node);
  if (known !== undefined) return known;
  let result = 0;
  if (node.via.kind === 'builtin') {
    result = !insideMerge && LAYER_BUILTINS.has(node.via.name) ? 1 : 0;
  } else if (node.children.length > 0) {
    const scopes = hasOperators(node) ? scopeTree(node.children.map((c) => c.literal)) : undefined;
    if (scopes === undefined) {
      for (const child of node.children) result += layersOf(child, insideMerge, memo);
    } else {
      result = scopeLayers(scopes, insideMerge, node.children, memo);
    }
  }
  table.set(node, result);
  return result;
}

function hasOperators(node: ProofNode): boolean {
  return node.children.some((c) => parseOperatorMarker(c.literal.predicate) !== undefined);
}

function scopeLayers(
  scope: Scope,
  insideMerge: boolean,
  children: ProofNode[],
  memo: [Map<ProofNode, number>, Map<ProofNode, number>],
): number {
  const item = (x: number | Scope, inside: boolean): number =>
    typeof x === 'number' ? layersOf(children[x]!, inside, memo) : scopeLayers(x, inside, children, memo);
  if (scope.op === 'copy') {
    let source = 0;
    for (const x of scope.items) source += item(x, false);
    return source + (insideMerge ? 0 : 1);
  }
  const inside = insideMerge || scope.op === 'merge';
  let sum = 0;
  for (const x of scope.items) sum += item(x, inside);
  return scope.op === 'merge' && !insideMerge ? sum + 1 : sum;
}

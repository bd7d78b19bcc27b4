import type { Expression } from './ast';

/** The operands of a chain of `and` (or `or`) nodes, left to right, without recursion. */
export function flattenChain(expr: Expression, kind: 'and' | 'or'): Expression[] {
  const rights: Expression[] = [];
  let node = expr;
  while (node.kind === kind) {
    rights.push(node.right);
    node = node.left;
  }
  return [node, ...rights.reverse()];
}

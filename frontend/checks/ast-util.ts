/**
 * Small helpers over the AST shared by the static checks: flattening, literal enumeration with
 * negation context, and a compact text form of a head literal for notes.
 */
import type { Clause, Expression, Literal } from '../../grammar/ast';

/** A literal of an expression together with whether it sits under a negation (`!lit`, `!( ... )`). */
interface LiteralOccurrence {
  literal: Literal;
  /** True when the literal itself is negated or it is inside a negated group (any depth). */
  underNegation: boolean;
}

/**
 * Visits every node of an expression in source order (pre-order). Iterative, so very long
 * conjunction chains (left-nested `and` nodes) cannot overflow the stack.
 */
export function forEachNode(
  expr: Expression,
  visit: (node: Expression, underNegation: boolean) => void,
  startNegated = false,
): void {
  const stack: Array<{ node: Expression; negated: boolean }> = [{ node: expr, negated: startNegated }];
  while (stack.length > 0) {
    const { node, negated } = stack.pop()!;
    visit(node, negated);
    switch (node.kind) {
      case 'and':
      case 'or':
        stack.push({ node: node.right, negated }, { node: node.left, negated });
        break;
      case 'group':
        stack.push({ node: node.body, negated: negated || node.negated });
        break;
      case 'op':
        stack.push({ node: node.operand, negated });
        break;
      case 'literal':
      case 'unify':
        break;
    }
  }
}

/** Every literal of an expression in source order, with its negation context. */
export function literalOccurrences(expr: Expression): LiteralOccurrence[] {
  const out: LiteralOccurrence[] = [];
  forEachNode(expr, (node, underNegation) => {
    if (node.kind === 'literal') out.push({ literal: node, underNegation: underNegation || node.negated });
  });
  return out;
}

/** The rules of a program (clauses with a body). */
export function rulesOf(clauses: readonly Clause[]): Array<Clause & { body: Expression }> {
  return clauses.filter((c): c is Clause & { body: Expression } => c.body !== undefined);
}


/**
 * Negation check: only Logic predicates may be negated, whether written `!p(...)` or inside a
 * negated group `!( ... p(...) ... )`. Negation as failure asks "is there no proof?", which makes
 * no sense for something that builds an image or a layer.
 */
import type { Clause, Expression } from '../../grammar/ast';
import type { Diagnostic } from '../../grammar/source';
import { literalOccurrences } from './ast-util';
import type { Kind } from '../language';

export function checkNegation(clauses: readonly Clause[], kinds: ReadonlyMap<string, Kind>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const clause of clauses) {
    if (clause.body) diagnostics.push(...checkExpressionNegation(clause.body, kinds));
  }
  return diagnostics;
}

export function checkExpressionNegation(expr: Expression, kinds: ReadonlyMap<string, Kind>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const { literal, underNegation } of literalOccurrences(expr)) {
    if (!underNegation) continue;
    const kind = kinds.get(literal.name);
    if (kind === undefined || kind === 'Logic') continue;
    diagnostics.push({
      severity: 'error',
      message: 'Negating a non-logical predicate is disallowed.',
      span: literal.span,
      notes: [`${literal.name} was found to be of kind ${kind}.`],
    });
  }
  return diagnostics;
}

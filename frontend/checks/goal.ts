/**
 * Goal validation. Every goal, whatever the command: lists only where allowed (the term rules of
 * a clause body). Builds also, since each image is the goal's one Image literal: no operators, no negated image/layer predicates,
 * exactly one Image literal in every alternative of the goal (a disjunctive goal is solved in
 * full, so each disjunct must name one image), no Layer literal.
 */
import type { Expression, Literal } from '../../grammar/ast';
import type { Diagnostic, SourceFile } from '../../grammar/source';
import type { IRLiteral } from '../language/ir';
import type { GoalLiteralOrigin } from '../translate/translate';
import { forEachNode } from './ast-util';
import type { Kind } from '../language';
import { checkExpressionNegation } from './negation';
import { checkExpressionTerms } from './terms';

/** The rules every goal follows (`modus proof` as well as builds). */
export function validateGoal(goal: Expression, goalFile?: SourceFile): Diagnostic[] {
  const diagnostics = checkExpressionTerms(goal);
  return goalFile ? diagnostics.map((d) => ({ ...d, file: goalFile })) : diagnostics;
}

export function validateBuildGoal(
  goal: Expression,
  kinds: ReadonlyMap<string, Kind>,
  goalFile?: SourceFile,
): Diagnostic[] {
  const diagnostics = [
    ...operatorErrors(goal),
    ...checkExpressionTerms(goal),
    ...checkExpressionNegation(goal, kinds),
    ...imageCountErrors(goal, kinds),
    ...layerErrors(goal, kinds),
  ];
  return goalFile ? diagnostics.map((d) => ({ ...d, file: goalFile })) : diagnostics;
}

/**
 * Which goal literals (after translation) are image literals: user-written positive literals of
 * an Image predicate. For a validated goal each alternative has exactly one.
 */
export function imageLiteralIndexes(
  goal: readonly IRLiteral[],
  origins: readonly GoalLiteralOrigin[],
  kinds: ReadonlyMap<string, Kind>,
): number[] {
  const indexes: number[] = [];
  goal.forEach((literal, i) => {
    if (origins[i] === 'literal' && literal.positive && kinds.get(literal.predicate) === 'Image') indexes.push(i);
  });
  return indexes;
}

function operatorErrors(goal: Expression): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  forEachNode(goal, (node) => {
    if (node.kind === 'op') {
      diagnostics.push({ severity: 'error', message: 'Operators in queries are currently unsupported.', span: node.span });
    }
  });
  return diagnostics;
}

function imageCountErrors(goal: Expression, kinds: ReadonlyMap<string, Kind>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const alternative of positiveLiteralAlternatives(goal)) {
    const images = alternative.filter((lit) => kinds.get(lit.name) === 'Image');
    if (images.length === 1) continue;
    const key = images.map((l) => `${l.span.start}:${l.span.end}`).join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push({
      severity: 'error',
      message: `There must be exactly one image predicate in the query, but ${images.length} were found.`,
      span: goal.span,
      labels: images.map((l) => ({ span: l.span, message: `\`${l.name}\` is an image predicate` })),
    });
  }
  return diagnostics;
}

function layerErrors(goal: Expression, kinds: ReadonlyMap<string, Kind>): Diagnostic[] {
  const layers: Literal[] = [];
  forEachNode(goal, (node, underNegation) => {
    if (node.kind === 'literal' && !node.negated && !underNegation && kinds.get(node.name) === 'Layer') {
      layers.push(node);
    }
  });
  if (layers.length === 0) return [];
  return [
    {
      severity: 'error',
      message: `Layer predicates in queries are currently unsupported, but we found ${layers.length}`,
      span: layers[0]!.span,
      labels: layers.slice(1).map((l) => ({ span: l.span, message: `\`${l.name}\` is a layer predicate` })),
    },
  ];
}

/** Per DNF alternative of the goal, its positive literals outside any negation. */
function positiveLiteralAlternatives(expr: Expression): Literal[][] {
  switch (expr.kind) {
    case 'literal':
      return [expr.negated ? [] : [expr]];
    case 'unify':
      return [[]];
    case 'group':
      return expr.negated ? [[]] : positiveLiteralAlternatives(expr.body);
    case 'op':
      return positiveLiteralAlternatives(expr.operand);
    case 'or':
      return [...positiveLiteralAlternatives(expr.left), ...positiveLiteralAlternatives(expr.right)];
    case 'and': {
      const left = positiveLiteralAlternatives(expr.left);
      const right = positiveLiteralAlternatives(expr.right);
      return left.flatMap((l) => right.map((r) => [...l, ...r]));
    }
  }
}

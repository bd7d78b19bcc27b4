/**
 * The static checks run on a parsed Modusfile before translation: kinds (with operator arity),
 * term rules, negation of non-logical predicates, stratification.
 */
import type { Modusfile } from '../../grammar/ast';
import type { Diagnostic } from '../../grammar/source';
import { analyseKinds, type Kind, type KindOptions } from './kinds';
import { checkNegation } from './negation';
import { checkStratification } from './stratification';
import { checkTerms } from './terms';

export interface ProgramAnalysis {
  kinds: Map<string, Kind>;
  diagnostics: Diagnostic[];
}

/** Every check, diagnostics ordered by position (stable; those without a span last). */
export function analyseProgram(ast: Modusfile, options: KindOptions = {}): ProgramAnalysis {
  const kindAnalysis = analyseKinds(ast, options);
  const diagnostics = [
    ...kindAnalysis.diagnostics,
    ...checkTerms(ast.clauses),
    ...checkNegation(ast.clauses, kindAnalysis.kinds),
    ...checkStratification(ast.clauses),
  ];
  return { kinds: kindAnalysis.kinds, diagnostics: sortByPosition(diagnostics) };
}

export function checkProgram(ast: Modusfile): Diagnostic[] {
  return analyseProgram(ast).diagnostics;
}

export function sortByPosition(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const position = (d: Diagnostic): number => d.span?.start ?? Number.MAX_SAFE_INTEGER;
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => position(a.d) - position(b.d) || a.i - b.i)
    .map(({ d }) => d);
}

export {
  analyseKinds,
  kindOfExpression,
  kindOfPredicate,
  conjunctionKind,
  disjunctionKind,
  arityDiagnostic,
  operatorArityDiagnostics,
  BUILTIN_KINDS,
  OPERATORS,
  CONJUNCTION_TABLE,
  DISJUNCTION_TABLE,
  type Kind,
  type KindAnalysis,
  type KindOptions,
  type OperatorSignature,
} from './kinds';
export { checkTerms, checkExpressionTerms, LIST_OPERATORS } from './terms';
export { checkNegation, checkExpressionNegation } from './negation';
export { checkStratification, dependencyGraph, stronglyConnectedComponents, type DependencyGraph, type DependencyEdge } from './stratification';
export { validateBuildGoal, imageLiteralIndexes } from './goal';

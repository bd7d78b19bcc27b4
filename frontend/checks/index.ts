/**
 * The static checks run on a parsed Modusfile before translation: kinds (with operator arity),
 * term rules, negation of non-logical predicates, stratification.
 */
import type { Modusfile } from '../../grammar/ast';
import { MAX_REPORTED_ERRORS } from '../../grammar/index';
import type { Diagnostic, Severity } from '../../grammar/source';
import type { Kind } from '../language';
import { analyseKinds, type KindOptions } from './kinds';
import { checkNegation } from './negation';
import { checkPredicateCalls } from './predicates';
import { applyCheckDirective, readCheckDirective, type CheckDirective } from './rules';
import { checkSingletons } from './singletons';
import { checkStratification } from './stratification';
import { checkTerms } from './terms';

interface ProgramAnalysis {
  kinds: Map<string, Kind>;
  /** At most MAX_REPORTED_ERRORS errors and as many warnings, then a note of how many more. */
  diagnostics: Diagnostic[];
  /** Every warning, shown or not. */
  warningCount: number;
  /** The `# check=` directive in force. */
  check: CheckDirective;
}

/**
 * Every check, diagnostics ordered by position (stable; those without a span last). Like syntax
 * errors, only the first errors and warnings are kept: a generated file with 100,000 mistakes
 * gets a screenful, not 40 MB.
 */
export function analyseProgram(ast: Modusfile, options: KindOptions = {}): ProgramAnalysis {
  const kindAnalysis = analyseKinds(ast, options);
  const check = readCheckDirective(ast.comments, ast.clauses[0]?.span.start ?? Number.MAX_SAFE_INTEGER);
  const diagnostics = [
    ...kindAnalysis.diagnostics,
    ...withCode(checkTerms(ast.clauses), 'TermPlacement'),
    ...withCode(checkNegation(ast.clauses, kindAnalysis.kinds), 'NegatedNonLogical'),
    ...withCode(checkStratification(ast.clauses), 'NotStratifiable'),
    ...checkPredicateCalls(ast.clauses),
    ...checkSingletons(ast.clauses),
  ];
  const sorted = sortByPosition([...check.diagnostics, ...applyCheckDirective(diagnostics, check.directive)]);
  const warningCount = sorted.filter((d) => d.severity === 'warning').length;
  return { kinds: kindAnalysis.kinds, diagnostics: capBySeverity(sorted), warningCount, check: check.directive };
}

const CAPPED: readonly Severity[] = ['error', 'warning'];

function capBySeverity(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Map<Severity, number>();
  const kept = diagnostics.filter((d) => {
    const count = (seen.get(d.severity) ?? 0) + 1;
    seen.set(d.severity, count);
    return !CAPPED.includes(d.severity) || count <= MAX_REPORTED_ERRORS;
  });
  for (const severity of CAPPED) {
    const hidden = (seen.get(severity) ?? 0) - MAX_REPORTED_ERRORS;
    if (hidden > 0) kept.push({ severity: 'note', message: `${hidden} more ${severity}${hidden === 1 ? '' : 's'} not shown` });
  }
  return kept;
}

function withCode(diagnostics: readonly Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.map((d) => ({ ...d, code }));
}

export function checkProgram(ast: Modusfile): Diagnostic[] {
  return analyseProgram(ast).diagnostics;
}

function sortByPosition(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const position = (d: Diagnostic): number => d.span?.start ?? Number.MAX_SAFE_INTEGER;
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => position(a.d) - position(b.d) || a.i - b.i)
    .map(({ d }) => d);
}

export { validateGoal, validateBuildGoal, imageLiteralIndexes } from './goal';
export { LINT_RULES, lintRule, lintRuleUrl, parseCheckValue } from './rules';

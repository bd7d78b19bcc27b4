/**
 * Calls that can never succeed: a predicate no clause defines and no builtin provides
 * (`UnknownPredicate`), and a call whose number of arguments fits neither the builtin nor any
 * clause of that name (`WrongArity`).
 */
import type { Clause, Literal } from '../../grammar/ast';
import type { Diagnostic } from '../../grammar/source';
import { builtinSignature } from '../language';
import { literalOccurrences } from './ast-util';

export function checkPredicateCalls(clauses: readonly Clause[]): Diagnostic[] {
  const arities = definedArities(clauses);
  const diagnostics: Diagnostic[] = [];
  for (const clause of clauses) {
    if (!clause.body) continue;
    for (const { literal } of literalOccurrences(clause.body)) {
      const diagnostic = callDiagnostic(literal, arities);
      if (diagnostic) diagnostics.push(diagnostic);
    }
  }
  return diagnostics;
}

/** For each predicate a clause head defines, the numbers of arguments it is defined with. */
function definedArities(clauses: readonly Clause[]): Map<string, Set<number>> {
  const arities = new Map<string, Set<number>>();
  for (const { head } of clauses) {
    const set = arities.get(head.name) ?? new Set<number>();
    set.add(head.args.length);
    arities.set(head.name, set);
  }
  return arities;
}

function callDiagnostic(literal: Literal, arities: ReadonlyMap<string, ReadonlySet<number>>): Diagnostic | undefined {
  const defined = arities.get(literal.name);
  const builtin = builtinSignature(literal.name);
  const given = literal.args.length;
  if (defined?.has(given)) return undefined;
  if (builtin?.arity === given) return undefined;
  if (!defined && !builtin) {
    return {
      severity: 'error',
      code: 'UnknownPredicate',
      message: `Unknown predicate \`${literal.name}\`: no clause defines it and it is not a builtin.`,
      span: literal.nameSpan,
    };
  }
  const expected = [...(defined ?? []), ...(builtin ? [builtin.arity] : [])].sort((a, b) => a - b);
  const what = builtin ? `Builtin \`${literal.name}\`` : `Predicate \`${literal.name}\``;
  return {
    severity: 'error',
    code: 'WrongArity',
    message: `${what} takes ${expected.map(String).join(' or ')} argument${expected.length === 1 && expected[0] === 1 ? '' : 's'}, but ${given} ${given === 1 ? 'was' : 'were'} given.`,
    span: literal.span,
  };
}

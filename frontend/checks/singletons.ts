/**
 * `SingletonVariable`: a named variable that occurs once in its clause binds nothing and is
 * usually a typo. Names starting with `_` say "deliberately unused" and are left alone.
 */
import type { Clause, Expression, Term, Variable } from '../../grammar/ast';
import type { Diagnostic } from '../../grammar/source';
import { forEachNode } from './ast-util';

export function checkSingletons(clauses: readonly Clause[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const clause of clauses) {
    const variables = clauseVariables(clause);
    if (variables.length === 0) continue;
    const byName = new Map<string, Variable[]>();
    for (const variable of variables) {
      const list = byName.get(variable.name) ?? [];
      list.push(variable);
      byName.set(variable.name, list);
    }
    for (const [name, occurrences] of byName) {
      if (occurrences.length !== 1 || name.startsWith('_')) continue;
      diagnostics.push({
        severity: 'warning',
        code: 'SingletonVariable',
        message: `Variable \`${name}\` occurs only once in this clause; name it \`_${name}\` (or \`_\`) if that is meant.`,
        span: occurrences[0]!.span,
      });
    }
  }
  return diagnostics;
}

function clauseVariables(clause: Clause): Variable[] {
  const out: Variable[] = [];
  for (const arg of clause.head.args) termVariables(arg, out);
  if (clause.body) expressionVariables(clause.body, out);
  return out;
}

function expressionVariables(expr: Expression, out: Variable[]): void {
  forEachNode(expr, (node) => {
    if (node.kind === 'literal' || node.kind === 'op') for (const arg of node.args) termVariables(arg, out);
    else if (node.kind === 'unify') {
      termVariables(node.left, out);
      termVariables(node.right, out);
    }
  });
}

function termVariables(term: Term, out: Variable[]): void {
  if (term.kind === 'var') out.push(term);
  else if (term.kind === 'list') for (const item of term.items) termVariables(item, out);
  else if (term.kind === 'fstring') for (const part of term.parts) if (part.kind === 'interp' && part.variable.kind === 'var') out.push(part.variable);
}

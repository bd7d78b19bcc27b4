/**
 * Term checks: no format strings in clause heads, and lists only as the
 * argument of `::set_entrypoint` / `::set_cmd` (whose list items must not be lists themselves).
 */
import type { Clause, Expression, Term } from '../../grammar/ast';
import type { Diagnostic, Span } from '../../grammar/source';
import { takesListArgument } from '../language';
import { forEachNode } from './ast-util';

const FSTRING_IN_HEAD = 'A format string was found in a head literal.';
const LIST_NOT_SUPPORTED = 'A list was found here. This is not supported currently.';

export function checkTerms(clauses: readonly Clause[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const clause of clauses) {
    for (const arg of clause.head.args) headTermErrors(arg, diagnostics);
    if (clause.body) diagnostics.push(...checkExpressionTerms(clause.body));
  }
  return diagnostics;
}

/** The list rules for a body expression or a goal. */
export function checkExpressionTerms(expr: Expression): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  forEachNode(expr, (node) => {
    switch (node.kind) {
      case 'literal':
        for (const arg of node.args) noListIn(arg, diagnostics);
        break;
      case 'unify':
        noListIn(node.left, diagnostics);
        noListIn(node.right, diagnostics);
        break;
      case 'op':
        for (const arg of node.args) {
          if (arg.kind === 'list' && takesListArgument(node.name)) {
            for (const item of arg.items) noListIn(item, diagnostics);
          } else {
            noListIn(arg, diagnostics);
          }
        }
        break;
      default:
        break;
    }
  });
  return diagnostics;
}

function headTermErrors(term: Term, out: Diagnostic[]): void {
  if (term.kind === 'fstring') out.push(error(FSTRING_IN_HEAD, term.span));
  if (term.kind === 'list') {
    out.push(error(LIST_NOT_SUPPORTED, term.span));
    for (const item of term.items) headTermErrors(item, out);
  }
}

/** A list anywhere in this term is an error (one per outermost list). */
function noListIn(term: Term, out: Diagnostic[]): void {
  if (term.kind === 'list') out.push(error(LIST_NOT_SUPPORTED, term.span));
}

function error(message: string, span: Span): Diagnostic {
  return { severity: 'error', message, span };
}

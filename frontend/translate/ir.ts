/**
 * The flat intermediate representation the solver works on: Horn clauses over string constants,
 * variables and (only as set_entrypoint/set_cmd arguments) lists. Produced by the translation
 * stage from the AST (DNF, negation helpers, f-string chains, operator markers).
 */
import type { Span } from '../../grammar/source';

export type IRTerm =
  | { kind: 'const'; value: string }
  | { kind: 'var'; name: string }
  | { kind: 'list'; items: IRTerm[] };

export interface IRLiteral {
  positive: boolean;
  predicate: string;
  args: IRTerm[];
  /** Where the literal (or the construct it was translated from) is written in the Modusfile. */
  span?: Span;
}

export interface IRClause {
  /** Index in IRProgram.clauses: clause order, used to break ties deterministically. */
  id: number;
  head: IRLiteral;
  body: IRLiteral[];
  /** The source clause this came from (a clause with `;` gives several IR clauses). */
  span?: Span;
}

export interface IRProgram {
  clauses: IRClause[];
}

/**
 * Names the translation invents. User identifiers match [A-Za-z_][A-Za-z0-9_-]*, so names
 * containing `$` can never clash with them.
 */
export const QUERY_PREDICATE = '_query';
export const NEGATE_PREFIX = '_negate_';
export const OPERATOR_PREFIX = '_operator_';

export function operatorBegin(op: string): string {
  return `${OPERATOR_PREFIX}${op}_begin`;
}
export function operatorEnd(op: string): string {
  return `${OPERATOR_PREFIX}${op}_end`;
}

/** `{op, edge}` for an operator marker predicate, undefined for anything else. */
export function parseOperatorMarker(predicate: string): { op: string; edge: 'begin' | 'end' } | undefined {
  const m = /^_operator_(.+)_(begin|end)$/.exec(predicate);
  return m ? { op: m[1]!, edge: m[2] as 'begin' | 'end' } : undefined;
}

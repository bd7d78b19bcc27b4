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

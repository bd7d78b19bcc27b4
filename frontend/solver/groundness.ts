/**
 * Groundness signatures: for each predicate name/arity, which argument positions
 * may be unbound when the predicate is called. A position may be unbound in a clause iff its head
 * argument is a constant, a variable that occurs in the clause body, or a list of such; across
 * the clauses of a predicate the answers are AND-ed.
 */
import type { IRClause, IRProgram, IRTerm } from '../language/ir';
import { termVariables } from './unify';

/** `name/arity`, the identity of a predicate during resolution. */
export function signatureKey(predicate: string, arity: number): string {
  return `${predicate}/${arity}`;
}

/** For each defined `name/arity`: one flag per position, true when it may be called unbound. */
type GroundnessSignatures = Map<string, boolean[]>;

export function groundnessSignatures(program: IRProgram): GroundnessSignatures {
  const signatures: GroundnessSignatures = new Map();
  for (const clause of program.clauses) {
    const key = signatureKey(clause.head.predicate, clause.head.args.length);
    const flags = clausePositions(clause);
    const previous = signatures.get(key);
    signatures.set(key, previous ? previous.map((ok, i) => ok && flags[i]!) : flags);
  }
  return signatures;
}

/** The per-position flags of one clause. */
export function clausePositions(clause: IRClause): boolean[] {
  const bodyVariables = new Set<string>();
  for (const literal of clause.body) {
    for (const arg of literal.args) for (const name of termVariables(arg)) bodyVariables.add(name);
  }
  return clause.head.args.map((arg) => mayBeUnbound(arg, bodyVariables));
}

function mayBeUnbound(term: IRTerm, bodyVariables: ReadonlySet<string>): boolean {
  switch (term.kind) {
    case 'const':
      return true;
    case 'var':
      return bodyVariables.has(term.name);
    case 'list':
      return term.items.every((item) => mayBeUnbound(item, bodyVariables));
  }
}

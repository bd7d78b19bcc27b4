/**
 * What the solver hands to the planner and the CLI: the distinct ground solutions of a goal and,
 * for each, the one proof chosen by the cost function.
 */
import type { IRLiteral } from '../language/ir';

export type CostFunction = 'layers' | 'height' | 'first' | 'available';

export interface ProofNode {
  /** The literal with the solution's valuation applied (ground, except anonymous leftovers). */
  literal: IRLiteral;
  /**
   * How it was proved: by a program clause (children = that clause's body, in body order, each
   * proved), by a builtin (leaf), by negation as failure (leaf; `!L` had no proof), or an
   * operator marker (leaf; the planner pairs begin/end markers among siblings).
   */
  via:
    | { kind: 'clause'; clauseId: number }
    | { kind: 'builtin'; name: string }
    | { kind: 'negation' }
    | { kind: 'marker' };
  children: ProofNode[];
}

export interface Solution {
  /** The ground goal literals of this solution (the query's literals under its valuation). */
  goal: IRLiteral[];
  /** The proof of the whole goal: one child per goal literal, in goal order. */
  proof: ProofNode;
  /** Cost figures of the chosen proof (layers: run/copy/::copy/merge nodes; height: tree height). */
  layers: number;
  height: number;
}

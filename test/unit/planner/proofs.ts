/** Builders for proof trees as the solver would produce them, for planner tests. */
import type { ProofNode } from '../../../frontend/solver/proof';
import type { IRLiteral, IRTerm } from '../../../frontend/language/ir';
import { operatorBegin, operatorEnd, QUERY_PREDICATE } from '../../../frontend/language';
import type { PlannedSolution } from '../../../frontend/planner/planner';
import type { Span } from '../../../grammar/source';

export type Arg = string | string[];

function term(arg: Arg): IRTerm {
  return typeof arg === 'string'
    ? { kind: 'const', value: arg }
    : { kind: 'list', items: arg.map((value) => ({ kind: 'const', value })) };
}

export function literal(predicate: string, args: Arg[] = [], span?: Span): IRLiteral {
  const lit: IRLiteral = { positive: true, predicate, args: args.map(term) };
  if (span) lit.span = span;
  return lit;
}

let nextClauseId = 0;

/** A user literal proved by a clause whose body proofs are `body`. */
export function rule(predicate: string, args: Arg[], body: ProofNode[], span?: Span): ProofNode {
  return { literal: literal(predicate, args, span), via: { kind: 'clause', clauseId: nextClauseId++ }, children: body };
}

export function fact(predicate: string, ...args: Arg[]): ProofNode {
  return rule(predicate, args, []);
}

function builtin(predicate: string, args: Arg[], span?: Span): ProofNode {
  return { literal: literal(predicate, args, span), via: { kind: 'builtin', name: predicate }, children: [] };
}

export const from = (ref: string, span?: Span) => builtin('from', [ref], span);
export const run = (command: string, span?: Span) => builtin('run', [command], span);
export const copy = (src: string, dst: string, span?: Span) => builtin('copy', [src, dst], span);
export const logic = (predicate: string, ...args: string[]) => builtin(predicate, args);

export function negation(predicate: string, ...args: string[]): ProofNode {
  const lit = literal(predicate, args);
  lit.positive = false;
  return { literal: lit, via: { kind: 'negation' }, children: [] };
}

let nextOperatorId = 0;

/** `operand::op(args)` as the marker sibling sequence. */
export function op(name: string, args: Arg[], operand: ProofNode[], span?: Span): ProofNode[] {
  const id = String(nextOperatorId++);
  const marker = (predicate: string): ProofNode => ({
    literal: literal(predicate, [id, ...args], span),
    via: { kind: 'marker' },
    children: [],
  });
  return [marker(operatorBegin(name)), ...operand, marker(operatorEnd(name))];
}

/** A solution whose goal is `before..., image, after...` (logic literals around the image literal). */
export function solution(image: ProofNode, before: ProofNode[] = [], after: ProofNode[] = []): PlannedSolution {
  const proof: ProofNode = {
    literal: literal(QUERY_PREDICATE),
    via: { kind: 'clause', clauseId: -1 },
    children: [...before, image, ...after],
  };
  return { proof, imageIndex: before.length };
}

export function span(start: number, end: number): Span {
  return { start, end };
}

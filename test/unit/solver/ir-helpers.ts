/** Small builders for IR programs in solver tests. */
import type { IRClause, IRLiteral, IRProgram, IRTerm } from '../../../frontend/language/ir';
import { literalText } from '../../../frontend/language';
import type { Solution } from '../../../frontend/solver/proof';

export const c = (value: string): IRTerm => ({ kind: 'const', value });
export const v = (name: string): IRTerm => ({ kind: 'var', name });
export const list = (...items: IRTerm[]): IRTerm => ({ kind: 'list', items });

type Arg = IRTerm | string;
const term = (a: Arg): IRTerm => (typeof a === 'string' ? (/^[A-Z_]/.test(a) ? v(a) : c(a)) : a);

/** `lit('a', 'X', 'b')`: strings starting with an upper-case letter or `_` are variables. */
export const lit = (predicate: string, ...args: Arg[]): IRLiteral => ({ positive: true, predicate, args: args.map(term) });
export const neg = (predicate: string, ...args: Arg[]): IRLiteral => ({ ...lit(predicate, ...args), positive: false });

let spanCounter = 0;
/** A literal with a made-up span, to check positioned diagnostics. */
export const at = (literal: IRLiteral): IRLiteral => {
  spanCounter += 10;
  return { ...literal, span: { start: spanCounter, end: spanCounter + 5 } };
};

export function program(...clauses: [IRLiteral, ...IRLiteral[]][]): IRProgram {
  return {
    clauses: clauses.map(([head, ...body], id): IRClause => ({ id, head, body })),
  };
}

export const fact = (predicate: string, ...args: Arg[]): [IRLiteral] => [lit(predicate, ...args)];
export const rule = (head: IRLiteral, ...body: IRLiteral[]): [IRLiteral, ...IRLiteral[]] => [head, ...body];

/** The goal literals of each solution as text, e.g. `a("1")`. */
export function texts(solutions: readonly Solution[]): string[] {
  return solutions.map((s) => s.goal.map(literalText).join(', '));
}

export const begin = (op: string, id: string, ...args: Arg[]): IRLiteral => lit(`_operator_${op}_begin`, id, ...args);
export const end = (op: string, id: string, ...args: Arg[]): IRLiteral => lit(`_operator_${op}_end`, id, ...args);

/** IR literals and terms as Modus source text, the way every stage names them to the user. */
import { quoteModusString } from '../../grammar/quote';
import type { IRLiteral, IRTerm } from './ir';

/** A literal as Modus source text: `b("0")`, `app("x", ["sh", "-c"])`, `a`, `!p(X)`. */
export function literalText(literal: IRLiteral): string {
  const sign = literal.positive ? '' : '!';
  if (literal.args.length === 0) return sign + literal.predicate;
  return `${sign}${literal.predicate}(${literal.args.map(termText).join(', ')})`;
}

export function termText(term: IRTerm): string {
  switch (term.kind) {
    case 'const':
      return quoteModusString(term.value);
    case 'var':
      return term.name;
    case 'list':
      return `[${term.items.map(termText).join(', ')}]`;
  }
}

/** An operator application without its operand: `::in_env("K", "v")`, `::no_cache`. */
export function operatorText(op: string, args: readonly IRTerm[]): string {
  return args.length === 0 ? `::${op}` : `::${op}(${args.map(termText).join(', ')})`;
}

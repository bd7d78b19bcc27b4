/**
 * Prints the AST back as Modus source. The output parses to the same AST (spans aside):
 * parentheses are added only where the tree could not be read back otherwise, and strings keep
 * their raw text.
 */
import type { Clause, Expression, FStringTerm, Literal, Modusfile, StringTerm, Term } from './ast';
import { quoteModusString } from './quote';
import { decodeFormatText, decodePlainString } from './strings';

export function printModusfile(ast: Modusfile): string {
  return ast.clauses.map((c) => `${printClause(c)}\n`).join('');
}

export function printClause(clause: Clause): string {
  const head = printLiteral(clause.head);
  return clause.body ? `${head} :- ${printExpression(clause.body)}.` : `${head}.`;
}

/** Binding strength: `;` < `,` < everything else. */
function precedence(expression: Expression): number {
  if (expression.kind === 'or') return 0;
  if (expression.kind === 'and') return 1;
  return 2;
}

function printOperand(expression: Expression, minimum: number): string {
  const text = printExpression(expression);
  return precedence(expression) < minimum ? `(${text})` : text;
}

export function printExpression(expression: Expression): string {
  switch (expression.kind) {
    case 'or':
      return `${printOperand(expression.left, 0)}; ${printOperand(expression.right, 1)}`;
    case 'and':
      return `${printOperand(expression.left, 1)}, ${printOperand(expression.right, 2)}`;
    case 'literal':
      return printLiteral(expression);
    case 'unify':
      return `${printTerm(expression.left)} ${expression.negated ? '!=' : '='} ${printTerm(expression.right)}`;
    case 'group':
      return `${expression.negated ? '!' : ''}(${printExpression(expression.body)})`;
    case 'op': {
      // Only a literal, a group or another application can carry `::`.
      const operand = expression.operand;
      const base =
        operand.kind === 'literal' || operand.kind === 'group' || operand.kind === 'op'
          ? printExpression(operand)
          : `(${printExpression(operand)})`;
      return `${base}::${printCall(expression.name, expression.args)}`;
    }
  }
}

export function printLiteral(literal: Literal): string {
  return `${literal.negated ? '!' : ''}${printCall(literal.name, literal.args)}`;
}

function printCall(name: string, args: Term[]): string {
  return args.length === 0 ? name : `${name}(${args.map(printTerm).join(', ')})`;
}

export function printTerm(term: Term): string {
  switch (term.kind) {
    case 'string':
      return printString(term);
    case 'fstring':
      return printFormatString(term);
    case 'list':
      return `[${term.items.map(printTerm).join(', ')}]`;
    case 'var':
      return term.name;
    case 'anon':
      return '_';
  }
}

/** The raw text when it still spells the value, else a freshly quoted value. */
function printString(term: StringTerm): string {
  return decodePlainString(term.raw) === term.value ? `"${term.raw}"` : quoteModusString(term.value);
}

function printFormatString(term: FStringTerm): string {
  let out = 'f"';
  for (const part of term.parts) {
    if (part.kind === 'interp') {
      out += `\${${part.variable.kind === 'var' ? part.variable.name : '_'}}`;
    } else {
      out += decodeFormatText(part.raw) === part.value ? part.raw : quoteFormatText(part.value);
    }
  }
  return `${out}"`;
}

/** Like quoteModusString's body, plus `$` escaped so that no text reads as `${`. */
function quoteFormatText(value: string): string {
  return quoteModusString(value).slice(1, -1).replace(/\$/g, '\\$');
}

/**
 * Names the translation invents, and how later stages recognise them. User identifiers match
 * [A-Za-z_][A-Za-z0-9_-]*, so names containing `$` can never clash with them; the other invented
 * predicate names start with `_` and a word a user would not pick.
 */
import type { IRLiteral, IRTerm } from './ir';

/** The head of the clause a goal is translated into. */
export const QUERY_PREDICATE = '_query';
/** `_negate_N`: the helper predicate standing for the Nth negated expression. */
const NEGATE_PREFIX = '_negate_';
/** `_operator_OP_begin` / `_operator_OP_end`: the markers around an operator's operand. */
const OPERATOR_PREFIX = '_operator_';
/** `$_N`: an anonymous variable `_`, made distinct. */
export const ANONYMOUS_VARIABLE_PREFIX = '$_';
/** `$fN`: the text of an f-string built so far. */
export const FORMAT_VARIABLE_PREFIX = '$f';
/** `X#N`: variable `X` of a clause renamed apart for the Nth use. */
const RENAMED_APART_SEPARATOR = '#';

export function negationHelperName(index: number): string {
  return `${NEGATE_PREFIX}${index}`;
}

/** N of a negation helper `_negate_N`, or undefined for any other predicate. */
export function negationHelperIndex(predicate: string): number | undefined {
  if (!predicate.startsWith(NEGATE_PREFIX)) return undefined;
  const rest = predicate.slice(NEGATE_PREFIX.length);
  return /^\d+$/.test(rest) ? Number(rest) : undefined;
}

export function isNegationHelper(predicate: string): boolean {
  return negationHelperIndex(predicate) !== undefined;
}

export function operatorBegin(op: string): string {
  return `${OPERATOR_PREFIX}${op}_begin`;
}

export function operatorEnd(op: string): string {
  return `${OPERATOR_PREFIX}${op}_end`;
}

/** `{op, edge}` for an operator marker predicate, undefined for anything else. */
export function parseOperatorMarker(predicate: string): { op: string; edge: 'begin' | 'end' } | undefined {
  if (!predicate.startsWith(OPERATOR_PREFIX)) return undefined;
  const m = /^(.+)_(begin|end)$/.exec(predicate.slice(OPERATOR_PREFIX.length));
  return m ? { op: m[1]!, edge: m[2] as 'begin' | 'end' } : undefined;
}

/** A predicate the user wrote (not the query, a negation helper or an operator marker). */
export function isUserPredicate(predicate: string): boolean {
  return (
    predicate !== QUERY_PREDICATE &&
    !predicate.startsWith(NEGATE_PREFIX) &&
    !predicate.startsWith(OPERATOR_PREFIX) &&
    !predicate.includes('$')
  );
}

export function renamedApart(name: string, use: number): string {
  return `${name}${RENAMED_APART_SEPARATOR}${use}`;
}

/** A variable's name as written in the clause, without the renamed-apart suffix. */
export function writtenName(name: string): string {
  const at = name.indexOf(RENAMED_APART_SEPARATOR);
  return at < 0 ? name : name.slice(0, at);
}

/** A variable the translation made up (`$_N`, `$fN`), not one the user named. */
export function isInventedVariable(name: string): boolean {
  return name.startsWith('$');
}

/** The variable holding an f-string built so far (`$fN`, renamed apart or not). */
function isFormatVariable(name: string): boolean {
  return name.startsWith(FORMAT_VARIABLE_PREFIX);
}

/**
 * A step of the chain the translation makes for an f-string: `string_concat(SOFAR, PIECE, $fN)`,
 * recognised by its output or, once the output has a value, by its input `SOFAR` (a `$fN` but for
 * the first step). The one test every stage uses.
 */
export function isFormatChainStep(literal: IRLiteral): boolean {
  if (literal.predicate !== 'string_concat' || literal.args.length !== 3 || !literal.positive) return false;
  return isFormatTerm(literal.args[2]!) || isFormatTerm(literal.args[0]!);
}

function isFormatTerm(term: IRTerm): boolean {
  return term.kind === 'var' && isFormatVariable(term.name);
}

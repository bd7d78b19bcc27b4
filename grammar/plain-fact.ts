/**
 * A fast path for the commonest clause of large generated programs, a fact of plain strings
 * (`arc("n1", "n2").`): read straight from the text, with no tokens, into the same AST the
 * scanner and the direct parser give. Anything else (a comment, an escape, a carriage return in a
 * string, another token, no argument) is left to them: the answer is then undefined.
 */
import type { Clause, StringTerm, Term } from './ast';
import { CH_BACKSLASH, CH_DOT, CH_QUOTE, isIdentPart, isIdentStart, isSpace } from './lexer';

const CH_LPAREN = 40;
const CH_RPAREN = 41;
const CH_COMMA = 44;
const CH_CR = 13;

/** The fact that starts at `from` (after any whitespace) and the offset just after its `.`. */
export function readPlainFact(text: string, from: number): { clause: Clause; next: number } | undefined {
  let i = skipSpaces(text, from);
  const nameStart = i;
  if (!isIdentStart(text.charCodeAt(i))) return undefined;
  i++;
  while (i < text.length && isIdentPart(text.charCodeAt(i))) i++;
  const nameEnd = i;
  i = skipSpaces(text, i);
  if (text.charCodeAt(i) !== CH_LPAREN) return undefined;
  const args: Term[] = [];
  for (;;) {
    i = skipSpaces(text, i + 1);
    const string = plainString(text, i);
    if (string === undefined) return undefined;
    args.push(string);
    i = skipSpaces(text, string.span.end);
    const c = text.charCodeAt(i);
    if (c === CH_RPAREN) break;
    if (c !== CH_COMMA) return undefined;
  }
  const close = i;
  i = skipSpaces(text, i + 1);
  if (text.charCodeAt(i) !== CH_DOT) return undefined;
  const name = text.slice(nameStart, nameEnd);
  // A copy of exactly its length: the array pushed to holds room for 16 more, kept as long as the AST.
  const exactArgs = args.slice();
  const head = { kind: 'literal' as const, negated: false, name, nameSpan: { start: nameStart, end: nameEnd }, args: exactArgs, span: { start: nameStart, end: close + 1 } };
  return { clause: { kind: 'clause', head, span: { start: nameStart, end: i + 1 } }, next: i + 1 };
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** A string at `at` with nothing to decode (no escape, no carriage return), else undefined. */
function plainString(text: string, at: number): StringTerm | undefined {
  if (text.charCodeAt(at) !== CH_QUOTE) return undefined;
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === CH_QUOTE) {
      const raw = text.slice(at + 1, i);
      return { kind: 'string', raw, value: raw, span: { start: at, end: i + 1 } };
    }
    if (c === CH_BACKSLASH || c === CH_CR) return undefined;
  }
  return undefined;
}

/**
 * The Modusfile abstract syntax tree, as the parser produces it. Every node keeps its exact
 * source span (offsets into the SourceFile text). Strings keep both their raw text (escapes
 * as written) and their decoded value.
 */
import type { Span } from './source';

export interface StringTerm {
  kind: 'string';
  /** The text between the quotes, escapes as written. */
  raw: string;
  /** The decoded value (escapes and line continuations applied). */
  value: string;
  span: Span;
}

/** One piece of an f-string: literal text (decoded) or an interpolated variable. */
export type FStringPart =
  | { kind: 'text'; raw: string; value: string; span: Span }
  | { kind: 'interp'; variable: Variable | Anonymous; span: Span };

export interface FStringTerm {
  kind: 'fstring';
  parts: FStringPart[];
  span: Span;
}

interface ListTerm {
  kind: 'list';
  items: Term[];
  span: Span;
}

/** A named variable; `_name` is a variable too (named `_name`). */
export interface Variable {
  kind: 'var';
  name: string;
  span: Span;
}

/** `_`, `__`, ...: a fresh variable at each occurrence. */
export interface Anonymous {
  kind: 'anon';
  span: Span;
}

export type Term = StringTerm | FStringTerm | ListTerm | Variable | Anonymous;

export interface Literal {
  kind: 'literal';
  /** Parity of the leading `!`s: true when negated. */
  negated: boolean;
  name: string;
  nameSpan: Span;
  args: Term[];
  span: Span;
}

/** `A = B` or `A != B`. */
export interface Unification {
  kind: 'unify';
  negated: boolean;
  left: Term;
  right: Term;
  span: Span;
}

interface Conjunction {
  kind: 'and';
  left: Expression;
  right: Expression;
  span: Span;
}

interface Disjunction {
  kind: 'or';
  left: Expression;
  right: Expression;
  span: Span;
}

/** A parenthesised expression, possibly negated: `!( ... )`. */
export interface Group {
  kind: 'group';
  negated: boolean;
  body: Expression;
  span: Span;
}

/** `operand::name(args)`. Chains nest: `e::a::b` is op b applied to (op a applied to e). */
export interface OperatorApplication {
  kind: 'op';
  operand: Expression;
  name: string;
  nameSpan: Span;
  args: Term[];
  span: Span;
}

export type Expression = Literal | Unification | Conjunction | Disjunction | Group | OperatorApplication;

export interface Clause {
  kind: 'clause';
  head: Literal;
  /** Absent for a fact. */
  body?: Expression;
  span: Span;
}

/** A `#` comment: not part of any clause, kept so that a formatter and descriptions can use it. */
export interface Comment {
  kind: 'comment';
  /** The text after `#`, as written (up to the end of the line, without the line break). */
  text: string;
  span: Span;
  /** Only whitespace precedes it on its line (else it trails code). */
  ownLine: boolean;
}

export interface Modusfile {
  clauses: Clause[];
  /** Every comment in source order, including those inside clauses and after the last one. */
  comments: Comment[];
}

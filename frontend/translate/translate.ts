/**
 * Translation of the AST to the flat IR:
 *
 *  - Negation elimination: every `!E` (negated literal, negated group, `X != Y`) becomes
 *    `!_negate_N(V1, ..., Vk)` plus helper clause(s) `_negate_N(V1, ..., Vk) :- E`, where the Vi are
 *    the distinct named variables of E in source order (anonymous ones stay inside). N is a
 *    counter over the whole translation, allocated depth-first (outer before inner).
 *  - Disjunctive normal form: `;` gives alternative bodies, `,` their cartesian product.
 *  - Terms: strings are already decoded by the parser; each anonymous variable becomes a fresh
 *    variable `$_N`; an f-string with interpolations becomes a `string_concat` chain over fresh
 *    variables `$fN`, placed immediately before the literal that uses it (a text-only f-string is
 *    just its constant).
 *  - Operators: `E::op(args)` becomes `_operator_op_begin(ID, args), E..., _operator_op_end(ID,
 *    args)` with an ID unique per DNF variant; f-string chains of the args go before the begin.
 *  - `X = Y` is `string_eq(X, Y)`.
 *
 * Spans: a literal keeps its own span; f-string chain literals carry the span of the f-string
 * fragment they consume; `string_eq` the unification's; operator markers the whole operator
 * application's span (operand start to the end of `::op(...)`); a negation `!_negate_N(...)` the
 * span of the negated construct, and so does each helper clause (head and clause span).
 * Program clauses carry the span of their source clause.
 *
 * Fresh names contain `$`, so they can never clash with user identifiers.
 */
import { flattenChain } from '../../grammar/ast-walk';
import type { Expression, FStringPart, Literal, Modusfile, Term, Unification } from '../../grammar/ast';
import type { Span } from '../../grammar/source';
import {
  ANONYMOUS_VARIABLE_PREFIX,
  FORMAT_VARIABLE_PREFIX,
  literalText,
  negationHelperIndex,
  negationHelperName,
  operatorBegin,
  operatorEnd,
  parseOperatorMarker,
} from '../language';
import type { IRClause, IRLiteral, IRProgram, IRTerm } from '../language/ir';

/** Where a goal literal came from, so later stages can tell the user's literals from helpers. */
export type GoalLiteralOrigin =
  /** A literal the user wrote (positive, outside any negation). */
  | 'literal'
  /** `X = Y` → string_eq. */
  | 'unification'
  /** A string_concat of an f-string chain. */
  | 'fstring'
  /** `!_negate_N(...)` standing for a negated literal, group or `!=`. */
  | 'negation'
  /** An operator begin/end marker. */
  | 'operator';

export interface TranslatedGoal {
  /** The program with the goal's negation helpers appended (ids continue). */
  program: IRProgram;
  /** One body per DNF alternative of the goal; all of them are to be solved. */
  goals: IRLiteral[][];
  /** Parallel to `goals`: the origin of each goal literal. */
  origins: GoalLiteralOrigin[][];
}

export function translateProgram(ast: Modusfile): IRProgram {
  const translator = new Translator({ negation: 0, operator: 0, fresh: 0 });
  const clauses: IRClause[] = [];
  for (const clause of ast.clauses) {
    const headChain: Piece[] = [];
    const head = translator.headLiteral(clause.head, headChain);
    if (clause.body === undefined && headChain.length === 0) {
      // A fact (programs can hold tens of thousands): no alternatives, no helpers, no copies.
      clauses.push({ id: clauses.length, head, body: [], span: clause.span });
      continue;
    }
    for (const c of numbered(translator.clauses(head, headChain, clause.body, clause.span), clauses.length)) clauses.push(c);
  }
  return { clauses };
}

export function translateGoal(goal: Expression, program: IRProgram): TranslatedGoal {
  const translator = new Translator(countersAfter(program));
  const { alternatives, helpers } = translator.goal(goal);
  return {
    program: { clauses: [...program.clauses, ...numbered(helpers, program.clauses.length)] },
    goals: alternatives.map((alt) => alt.map((p) => p.literal)),
    origins: alternatives.map((alt) => alt.map((p) => p.origin)),
  };
}

export function printIRLiteral(literal: IRLiteral): string {
  return literalText(literal);
}

export function printIRClause(clause: IRClause): string {
  const head = literalText(clause.head);
  return clause.body.length === 0 ? `${head}.` : `${head} :- ${clause.body.map(literalText).join(', ')}.`;
}

export function printIRProgram(program: IRProgram): string {
  return program.clauses.map(printIRClause).join('\n');
}

// ---------------------------------------------------------------------------------------------

interface Piece {
  literal: IRLiteral;
  origin: GoalLiteralOrigin;
}

interface Counters {
  negation: number;
  operator: number;
  fresh: number;
}

function numbered(clauses: readonly Omit<IRClause, 'id'>[], firstId: number): IRClause[] {
  const out = new Array<IRClause>(clauses.length);
  // Fields written out, not spread: a spread copy costs several times more, per clause of the program.
  for (let i = 0; i < clauses.length; i++) {
    const { head, body, span } = clauses[i]!;
    out[i] = span ? { id: firstId + i, head, body, span } : { id: firstId + i, head, body };
  }
  return out;
}

/** Counters that continue after what a translated program already uses (for the goal). */
function countersAfter(program: IRProgram): Counters {
  let negation = 0;
  let operator = 0;
  for (const clause of program.clauses) {
    const helper = negationHelperIndex(clause.head.predicate);
    if (helper !== undefined) negation = Math.max(negation, helper + 1);
    for (const lit of clause.body) {
      const id = lit.args[0];
      if (parseOperatorMarker(lit.predicate) && id?.kind === 'const' && /^\d+$/.test(id.value)) {
        operator = Math.max(operator, Number(id.value) + 1);
      }
    }
  }
  return { negation, operator, fresh: 0 };
}

class Translator {
  /** Helper clauses produced while translating the current clause. */
  private helpers: Omit<IRClause, 'id'>[] = [];

  constructor(private readonly counters: Counters) {}

  headLiteral(head: Literal, chain: Piece[]): IRLiteral {
    return { positive: true, predicate: head.name, args: head.args.map((t) => this.term(t, chain)), span: head.span };
  }

  /**
   * The IR clauses of `head :- body` (one per DNF alternative) followed by the helper clauses
   * its negations produced. `headChain` holds f-string constraints of head arguments (only
   * possible in programs the term check rejects); they open the body.
   */
  clauses(head: IRLiteral, headChain: Piece[], body: Expression | undefined, span: Span): Omit<IRClause, 'id'>[] {
    const outer = this.helpers;
    this.helpers = [];
    const alternatives = body ? this.alternatives(body) : [[]];
    const own = alternatives.map((alt) => ({
      head,
      body: [...headChain, ...alt].map((p) => p.literal),
      span,
    }));
    const result = [...own, ...this.helpers];
    this.helpers = outer;
    return result;
  }

  goal(goal: Expression): { alternatives: Piece[][]; helpers: Omit<IRClause, 'id'>[] } {
    this.helpers = [];
    const alternatives = this.alternatives(goal);
    return { alternatives, helpers: this.helpers };
  }

  private alternatives(expr: Expression): Piece[][] {
    switch (expr.kind) {
      case 'literal':
        return expr.negated ? this.negation(withoutNegation(expr), expr.span) : [this.literal(expr)];
      case 'unify':
        return expr.negated ? this.negation({ ...expr, negated: false }, expr.span) : [this.unification(expr)];
      case 'group':
        return expr.negated ? this.negation(expr.body, expr.span) : this.alternatives(expr.body);
      case 'and':
        return this.conjunction(flattenChain(expr, 'and'));
      case 'or':
        return flattenChain(expr, 'or').flatMap((e) => this.alternatives(e));
      case 'op':
        return this.operator(expr);
    }
  }

  private conjunction(conjuncts: Expression[]): Piece[][] {
    let result: Piece[][] = [[]];
    for (const conjunct of conjuncts) {
      const alts = this.alternatives(conjunct);
      if (alts.length === 1) {
        for (const body of result) body.push(...alts[0]!);
      } else {
        result = result.flatMap((body) => alts.map((alt) => [...body, ...alt]));
      }
    }
    return result;
  }

  private literal(lit: Literal): Piece[] {
    const pieces: Piece[] = [];
    const args = lit.args.map((t) => this.term(t, pieces));
    pieces.push({ literal: { positive: true, predicate: lit.name, args, span: lit.span }, origin: 'literal' });
    return pieces;
  }

  private unification(u: Unification): Piece[] {
    const pieces: Piece[] = [];
    const args = [this.term(u.left, pieces), this.term(u.right, pieces)];
    pieces.push({ literal: { positive: true, predicate: 'string_eq', args, span: u.span }, origin: 'unification' });
    return pieces;
  }

  private negation(expr: Expression, span: Span): Piece[][] {
    const predicate = negationHelperName(this.counters.negation++);
    const args: IRTerm[] = namedVariables(expr).map((name) => ({ kind: 'var', name }));
    const head: IRLiteral = { positive: true, predicate, args, span };
    this.helpers.push(...this.clauses(head, [], expr, span));
    return [[{ literal: { ...head, positive: false }, origin: 'negation' }]];
  }

  /**
   * `E::a::b` nests E in operator applications (the last is outermost). Walked with loops, so a
   * chain of any length cannot overflow the stack: the arguments' f-string chains outermost
   * first, then E, then the markers; the ids are numbered innermost first, per alternative.
   */
  private operator(outer: Expression & { kind: 'op' }): Piece[][] {
    const levels: { op: Expression & { kind: 'op' }; argChain: Piece[]; args: IRTerm[] }[] = [];
    let node: Expression = outer;
    while (node.kind === 'op') {
      const argChain: Piece[] = [];
      const args = node.args.map((t) => this.term(t, argChain));
      levels.push({ op: node, argChain, args });
      node = node.operand;
    }
    const operands = this.alternatives(node);
    const ids = operands.map(() => new Array<IRTerm>(levels.length));
    for (let l = levels.length - 1; l >= 0; l--) {
      for (const alternative of ids) alternative[l] = { kind: 'const', value: String(this.counters.operator++) };
    }
    const marker = (l: number, id: IRTerm, predicate: string): Piece => ({
      literal: { positive: true, predicate, args: [id, ...levels[l]!.args], span: levels[l]!.op.span },
      origin: 'operator',
    });
    return operands.map((operand, a) => {
      const pieces: Piece[] = [];
      for (let l = 0; l < levels.length; l++) {
        for (const piece of levels[l]!.argChain) pieces.push(piece);
        pieces.push(marker(l, ids[a]![l]!, operatorBegin(levels[l]!.op.name)));
      }
      for (const piece of operand) pieces.push(piece);
      for (let l = levels.length - 1; l >= 0; l--) pieces.push(marker(l, ids[a]![l]!, operatorEnd(levels[l]!.op.name)));
      return pieces;
    });
  }

  /** The IR term; f-string constraints are appended to `chain`. */
  private term(term: Term, chain: Piece[]): IRTerm {
    switch (term.kind) {
      case 'string':
        return { kind: 'const', value: term.value };
      case 'var':
        return { kind: 'var', name: term.name };
      case 'anon':
        return this.freshVariable(ANONYMOUS_VARIABLE_PREFIX);
      case 'list':
        return { kind: 'list', items: term.items.map((t) => this.term(t, chain)) };
      case 'fstring':
        return this.formatString(term.parts, chain);
    }
  }

  private formatString(parts: FStringPart[], chain: Piece[]): IRTerm {
    const fragments = mergeTextParts(parts);
    if (fragments.every((f) => f.kind === 'text')) {
      return { kind: 'const', value: fragments.map((f) => (f.kind === 'text' ? f.value : '')).join('') };
    }
    let sofar: IRTerm = { kind: 'const', value: '' };
    for (const fragment of fragments) {
      const piece: IRTerm =
        fragment.kind === 'text'
          ? { kind: 'const', value: fragment.value }
          : fragment.variable.kind === 'var'
            ? { kind: 'var', name: fragment.variable.name }
            : this.freshVariable(ANONYMOUS_VARIABLE_PREFIX);
      const next = this.freshVariable(FORMAT_VARIABLE_PREFIX);
      chain.push({
        literal: { positive: true, predicate: 'string_concat', args: [sofar, piece, next], span: fragment.span },
        origin: 'fstring',
      });
      sofar = next;
    }
    return sofar;
  }

  private freshVariable(prefix: string): IRTerm {
    return { kind: 'var', name: `${prefix}${this.counters.fresh++}` };
  }
}

/** The literal `!p(...)` as `p(...)`, its span starting at the name. */
function withoutNegation(lit: Literal): Literal {
  return { ...lit, negated: false, span: { start: lit.nameSpan.start, end: lit.span.end } };
}

/** Adjacent text parts as one (the parser may split text around escapes). */
function mergeTextParts(parts: FStringPart[]): FStringPart[] {
  const merged: FStringPart[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (part.kind === 'text' && last?.kind === 'text') {
      merged[merged.length - 1] = {
        kind: 'text',
        raw: last.raw + part.raw,
        value: last.value + part.value,
        span: { start: last.span.start, end: part.span.end },
      };
    } else {
      merged.push(part);
    }
  }
  return merged;
}

/** Distinct named variables of an expression in source order (f-string interpolations included). */
export function namedVariables(expr: Expression): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  const addTerm = (term: Term): void => {
    switch (term.kind) {
      case 'var':
        if (!seen.has(term.name)) {
          seen.add(term.name);
          names.push(term.name);
        }
        break;
      case 'list':
        term.items.forEach(addTerm);
        break;
      case 'fstring':
        for (const part of term.parts) if (part.kind === 'interp') addTerm(part.variable);
        break;
      default:
        break;
    }
  };
  // Explicit stack of pending work in source order: an expression, or terms to record.
  const stack: Array<Expression | Term[]> = [expr];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (Array.isArray(item)) {
      item.forEach(addTerm);
      continue;
    }
    switch (item.kind) {
      case 'literal':
        item.args.forEach(addTerm);
        break;
      case 'unify':
        addTerm(item.left);
        addTerm(item.right);
        break;
      case 'group':
        stack.push(item.body);
        break;
      case 'and':
      case 'or':
        stack.push(item.right, item.left);
        break;
      case 'op':
        stack.push(item.args, item.operand);
        break;
    }
  }
  return names;
}

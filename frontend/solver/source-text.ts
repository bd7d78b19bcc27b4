/**
 * IR literals shown as the Modus source they were translated from, for the proof views and the
 * solver's messages. The translation's inventions are read back:
 *
 *  - an f-string `string_concat` chain is folded into the term that uses it (`run(f"echo ${X}")`,
 *    or the plain string once every piece is known); a chain nothing uses any more reads
 *    `f"…" = VALUE`;
 *  - operator markers `_operator_op_begin/end` become `operand::op(args)`, the operand in
 *    parentheses unless it is one literal or operator application;
 *  - a negation helper `_negate_N(args)` becomes the expression its clauses were made from, with
 *    the call's arguments put in for the helper's parameters (`!bad("x")`, `X != "a"`,
 *    `!(a; b)`); the helper clauses of the program are the map from helper name to source;
 *  - `string_eq(A, B)` is `A = B`;
 *  - invented variables (`$_N`, `$fN`) print as `_` and renamed-apart suffixes (`X#12`) are
 *    dropped, so variables read as written.
 */
import { quoteModusString } from '../../grammar/quote';
import { isFormatChainStep, isInventedVariable, isNegationHelper, parseOperatorMarker, writtenName } from '../language';
import type { IRClause, IRLiteral, IRProgram, IRTerm } from '../language/ir';

type Shape = 'call' | 'operator' | 'group' | 'unification' | 'other';

/** One source expression standing for one or more IR literals. */
interface Piece {
  text: string;
  shape: Shape;
  /** For a unification: the `!=` form. */
  negated?: string;
}

/** Helper bodies nest no deeper than the source's negations; this only guards odd programs. */
const MAX_HELPER_DEPTH = 64;

export class SourceText {
  private readonly helpers = new Map<string, IRClause[]>();

  constructor(program?: IRProgram) {
    for (const clause of program?.clauses ?? []) {
      if (!isNegationHelper(clause.head.predicate)) continue;
      const key = `${clause.head.predicate}/${clause.head.args.length}`;
      const list = this.helpers.get(key);
      if (list) list.push(clause);
      else this.helpers.set(key, [clause]);
    }
  }

  /** The literals of one goal or clause body as source expressions, in order. */
  items(literals: readonly IRLiteral[]): string[] {
    return this.pieces(literals, 0).map((p) => p.text);
  }

  /** The literals as one conjunction: `a(X), run(f"echo ${X}")`. */
  conjunction(literals: readonly IRLiteral[]): string {
    return this.items(literals).join(', ');
  }

  /** One literal on its own (a negation helper call reads as its expression). */
  literal(literal: IRLiteral): string {
    return this.conjunction([literal]);
  }

  /**
   * The call a negated helper literal stands for, when the negation was of one call
   * (`!mode("x")` → `mode("x")`, with the literal's arguments put in); undefined otherwise.
   */
  negatedCall(literal: IRLiteral): IRLiteral | undefined {
    const clauses = literal.positive ? undefined : this.helpers.get(`${literal.predicate}/${literal.args.length}`);
    if (clauses?.length !== 1 || clauses[0]!.body.length !== 1) return undefined;
    const call = clauses[0]!.body[0]!;
    const plainCall = call.positive && call.predicate !== 'string_eq' && !isNegationHelper(call.predicate) && !parseOperatorMarker(call.predicate) && !isFormatChainStep(call);
    if (!plainCall) return undefined;
    const parameters = helperParameters(clauses[0]!, literal);
    return { positive: true, predicate: call.predicate, args: call.args.map((a) => substitute(a, parameters)) };
  }

  /** A term on its own (no f-string chain to fold). */
  term(term: IRTerm): string {
    return new FormatChains([]).termText(term);
  }

  private pieces(literals: readonly IRLiteral[], depth: number): Piece[] {
    const chains = new FormatChains(literals);
    const frames: OperatorFrame[] = [{ pieces: [] }];
    literals.forEach((literal, i) => {
      if (chains.isFolded(i)) return;
      const marker = parseOperatorMarker(literal.predicate);
      if (marker?.edge === 'begin') frames.push({ pieces: [], marker: { literal, op: marker.op } });
      else if (marker?.edge === 'end') closeOperator(frames, { literal, op: marker.op }, chains);
      else frames[frames.length - 1]!.pieces.push(this.piece(literal, i, chains, depth));
    });
    while (frames.length > 1) closeFrame(frames, frames[frames.length - 1]!.marker!, chains);
    return frames[0]!.pieces;
  }

  private piece(literal: IRLiteral, index: number, chains: FormatChains, depth: number): Piece {
    if (chains.isChain(index)) {
      const [value, output] = chains.unusedChain(index);
      return unification(value, output);
    }
    if (literal.predicate === 'string_eq' && literal.args.length === 2) {
      const piece = unification(chains.termText(literal.args[0]!), chains.termText(literal.args[1]!));
      return literal.positive ? piece : negate(piece);
    }
    const helper = this.helpers.get(`${literal.predicate}/${literal.args.length}`);
    if (helper && depth < MAX_HELPER_DEPTH) {
      const expression = this.helperExpression(helper, literal, depth + 1);
      return literal.positive ? expression : negate(expression);
    }
    const call = callText(literal.predicate, literal.args.map((a) => chains.termText(a)));
    return literal.positive ? { text: call, shape: 'call' } : { text: `!${call}`, shape: 'other' };
  }

  /** The expression a negation helper was made from, its parameters replaced by the call's arguments. */
  private helperExpression(clauses: readonly IRClause[], call: IRLiteral, depth: number): Piece {
    const alternatives = clauses.map((clause) => {
      const parameters = helperParameters(clause, call);
      const body = clause.body.map((l) => ({ ...l, args: l.args.map((a) => substitute(a, parameters)) }));
      return this.pieces(body, depth);
    });
    if (alternatives.length === 1 && alternatives[0]!.length === 1) return alternatives[0]![0]!;
    const text = alternatives.map((alt) => alt.map((p) => p.text).join(', ')).join('; ');
    return { text: `(${text})`, shape: 'group' };
  }
}

// ---- operators ----------------------------------------------------------------------------------

interface MarkerAt {
  literal: IRLiteral;
  op: string;
}

interface OperatorFrame {
  pieces: Piece[];
  /** The begin marker; absent for the outermost frame. */
  marker?: MarkerAt;
}

/**
 * An end marker closes the operator its begin opened. With no open begin of the same ID (it was
 * resolved already, or lies outside the literals shown), everything before it is its operand.
 */
function closeOperator(frames: OperatorFrame[], end: MarkerAt, chains: FormatChains): void {
  const id = operatorId(end.literal);
  let open = frames.length - 1;
  while (open > 0 && operatorId(frames[open]!.marker!.literal) !== id) open--;
  if (open > 0) {
    while (frames.length - 1 > open) closeFrame(frames, frames[frames.length - 1]!.marker!, chains);
    closeFrame(frames, end, chains);
    return;
  }
  while (frames.length > 1) closeFrame(frames, frames[frames.length - 1]!.marker!, chains);
  const outer = frames[0]!;
  outer.pieces = [operatorPiece(outer.pieces, end, chains)];
}

function closeFrame(frames: OperatorFrame[], marker: MarkerAt, chains: FormatChains): void {
  const frame = frames.pop()!;
  frames[frames.length - 1]!.pieces.push(operatorPiece(frame.pieces, marker, chains));
}

function operatorPiece(operand: readonly Piece[], marker: MarkerAt, chains: FormatChains): Piece {
  const single = operand.length === 1 && (operand[0]!.shape === 'call' || operand[0]!.shape === 'operator');
  const operandText = single ? operand[0]!.text : `(${operand.map((p) => p.text).join(', ')})`;
  const args = marker.literal.args.slice(1).map((a) => chains.termText(a));
  return { text: `${operandText}::${callText(marker.op, args)}`, shape: 'operator' };
}

function operatorId(marker: IRLiteral): string | undefined {
  const id = marker.args[0];
  return id?.kind === 'const' ? id.value : undefined;
}

// ---- f-string chains ----------------------------------------------------------------------------

type FormatPart = { text: string } | { variable: string };

/**
 * The f-string chains among a list of literals: `string_concat(SOFAR, PIECE, $fN)` steps, each
 * defining `$fN`. A step is folded when its `$fN` is used by another literal of the list.
 */
class FormatChains {
  private readonly definitions = new Map<string, number>();
  private readonly chain: boolean[];
  private readonly used = new Set<string>();

  constructor(private readonly literals: readonly IRLiteral[]) {
    this.chain = literals.map(isFormatChainStep);
    literals.forEach((literal, i) => {
      const output = literal.args[2];
      if (this.chain[i] && output?.kind === 'var') this.definitions.set(output.name, i);
      const inputs = this.chain[i] ? literal.args.slice(0, 2) : literal.args;
      for (const term of inputs) collectVariables(term, this.used);
    });
  }

  isChain(index: number): boolean {
    return this.chain[index]!;
  }

  isFolded(index: number): boolean {
    const output = this.literals[index]!.args[2];
    return this.chain[index]! && output?.kind === 'var' && this.used.has(output.name);
  }

  /** A chain step nothing uses: its f-string and its output, for `f"…" = OUTPUT`. */
  unusedChain(index: number): [string, string] {
    const [sofar, piece, output] = this.literals[index]!.args;
    const value = formatText([...this.parts(sofar!, new Set()), ...this.parts(piece!, new Set())]);
    return [value, output!.kind === 'var' ? variableText(output!.name) : this.termText(output!)];
  }

  termText(term: IRTerm): string {
    switch (term.kind) {
      case 'const':
        return quoteModusString(term.value);
      case 'list':
        return `[${term.items.map((t) => this.termText(t)).join(', ')}]`;
      case 'var':
        return this.definitions.has(term.name) ? formatText(this.parts(term, new Set())) : variableText(term.name);
    }
  }

  private parts(term: IRTerm, seen: Set<string>): FormatPart[] {
    if (term.kind === 'const') return [{ text: term.value }];
    if (term.kind === 'list') return [{ text: this.termText(term) }];
    const definition = this.definitions.get(term.name);
    if (definition === undefined || seen.has(term.name)) return [{ variable: variableText(term.name) }];
    seen.add(term.name);
    const [sofar, piece] = this.literals[definition]!.args;
    return [...this.parts(sofar!, seen), ...this.parts(piece!, seen)];
  }
}

/** `"text"` when every part is known, else `f"text${X}text"`. */
function formatText(parts: readonly FormatPart[]): string {
  if (parts.every((p) => 'text' in p)) return quoteModusString(parts.map((p) => ('text' in p ? p.text : '')).join(''));
  let out = '';
  let text = '';
  const flush = (): void => {
    // The text as in a plain string, plus `${` escaped so that it cannot read as an interpolation.
    out += quoteModusString(text).slice(1, -1).replace(/\$(?=\{)/g, '\\$');
    text = '';
  };
  for (const part of parts) {
    if ('text' in part) {
      text += part.text;
    } else {
      flush();
      out += `\${${part.variable}}`;
    }
  }
  flush();
  return `f"${out}"`;
}

// ---- terms and names ----------------------------------------------------------------------------

/** A variable as written: renamed-apart suffixes dropped, invented variables as `_`. */
function variableText(name: string): string {
  const written = writtenName(name);
  return isInventedVariable(written) ? '_' : written;
}

function collectVariables(term: IRTerm, into: Set<string>): void {
  if (term.kind === 'var') into.add(term.name);
  else if (term.kind === 'list') for (const item of term.items) collectVariables(item, into);
}

function substitute(term: IRTerm, parameters: ReadonlyMap<string, IRTerm>): IRTerm {
  if (term.kind === 'var') return parameters.get(term.name) ?? term;
  if (term.kind === 'list') return { kind: 'list', items: term.items.map((t) => substitute(t, parameters)) };
  return term;
}

/** A helper clause's parameters, each bound to the call's argument in its place. */
function helperParameters(clause: IRClause, call: IRLiteral): Map<string, IRTerm> {
  const parameters = new Map<string, IRTerm>();
  clause.head.args.forEach((parameter, i) => {
    if (parameter.kind === 'var') parameters.set(parameter.name, call.args[i]!);
  });
  return parameters;
}

function callText(name: string, args: readonly string[]): string {
  return args.length === 0 ? name : `${name}(${args.join(', ')})`;
}

function unification(left: string, right: string): Piece {
  return { text: `${left} = ${right}`, negated: `${left} != ${right}`, shape: 'unification' };
}

function negate(piece: Piece): Piece {
  if (piece.shape === 'unification' && piece.negated !== undefined) return { text: piece.negated, shape: 'other' };
  const text = piece.shape === 'call' || piece.shape === 'group' ? `!${piece.text}` : `!(${piece.text})`;
  return { text, shape: 'other' };
}

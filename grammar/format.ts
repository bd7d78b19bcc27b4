/**
 * The canonical layout of a Modusfile (`modus fmt`). A clause that fits in WIDTH columns is one
 * line; otherwise its body has one item per line, indented by INDENT, a disjunction puts `; ` in
 * front of each alternative after the first, a group opens with `(` on its line and closes with
 * `)` under it, and `::` operators that do not fit go on their own lines under the `)`.
 *
 * Comments stay between the same two tokens: each is written just before the token that followed
 * it in the source, separators (`,` `;` `.` `)` `::` ...) included; a comment that shared a line
 * with code stays at the end of a line, one on its own line stays on its own line, and code after
 * a comment starts a new line. A unit (clause, group, literal, list) with a comment between two
 * of its tokens is laid out broken, so the comment keeps its place. Every decision
 * depends only on the code, the order of code and comments and their kinds: formatting the output
 * again gives the same output. Strings are copied as written.
 */
import { flattenChain } from './ast-walk';
import type { Clause, Comment, Expression, Group, Literal, Modusfile, OperatorApplication, Term } from './ast';
import { tokenize } from './lexer';
import type { SourceFile } from './source';

const WIDTH = 80;
const INDENT = 2;
/** Extra indentation of a line that continues a literal or list broken by a comment. */
const CONTINUATION = 4;

/** A token of the source to write, and its offset there (the comments before it go first). */
interface SourceToken {
  text: string;
  offset: number;
}

/** The output lines; a line ending in a comment is closed: code after it starts a new line. */
class Lines {
  readonly lines: string[] = [];
  private closed = true;

  private get last(): string {
    return this.lines[this.lines.length - 1] ?? '';
  }

  private set last(text: string) {
    this.lines[this.lines.length - 1] = text;
  }

  /** Starts a line at `indent`, in place of a started line that has nothing on it yet. */
  newLine(indent: number): void {
    if (!this.closed && this.last.trim() === '') this.last = ' '.repeat(indent);
    else this.lines.push(' '.repeat(indent));
    this.closed = false;
  }

  /** Appends to the current line, or to a new one at `indent` when that line is closed. */
  append(text: string, indent: number): void {
    if (this.closed) this.newLine(indent);
    this.last += this.last.trim() === '' ? text.trimStart() : text;
  }

  /** At the end of the current line when the comment trailed code and that line has code. */
  comment(comment: Comment, indent: number): void {
    const text = `#${comment.text.trimEnd()}`;
    if (!comment.ownLine && !this.closed && this.last.trim() !== '') {
      this.last = `${this.last.trimEnd()} ${text}`;
    } else {
      this.newLine(indent);
      this.last += text;
    }
    this.closed = true;
  }

  blank(): void {
    this.lines.push('');
    this.closed = true;
  }

  /** Where the next text goes when appended at `indent`. */
  column(indent: number): number {
    return this.closed ? indent : Math.max(indent, this.last.length);
  }

  /** The current line holds only a separator (`,` or `;`) that a comment pushed to its start. */
  onlySeparator(): boolean {
    return !this.closed && /^\s*[,;]\s*$/.test(this.last);
  }

  text(): string {
    return this.lines.map((l) => l.trimEnd()).join('\n');
  }
}

/** Offset of a group's `(`: after its `!`s, skipping the whitespace and comments among them. */
function openingParenthesis(group: Group, text: string): number {
  let i = group.span.start;
  while (i < group.span.end && text[i] !== '(') {
    if (text[i] === '#') while (i < group.span.end && text[i] !== '\n') i++;
    else i++;
  }
  return i;
}

/** The base of an operator chain and its operators, innermost first. */
function operatorChain(op: OperatorApplication): { base: Expression; operators: OperatorApplication[] } {
  const operators: OperatorApplication[] = [];
  let node: Expression = op;
  while (node.kind === 'op') {
    operators.unshift(node);
    node = node.operand;
  }
  return { base: node, operators };
}

/** Index of the first number in the sorted `values` that is greater than (or equal to) `bound`. */
function firstAbove(values: readonly number[], bound: number, orEqual: boolean): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < bound || (!orEqual && values[mid] === bound)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class Formatter {
  private readonly out = new Lines();
  private nextComment = 0;
  /** Start offsets of the code tokens (comments aside), to find where a separator stood. */
  private readonly tokenStarts: number[];
  private readonly commentStarts: number[];

  constructor(
    private readonly file: SourceFile,
    private readonly comments: readonly Comment[],
  ) {
    this.tokenStarts = tokenize(file).tokens.map((t) => t.startOffset);
    this.commentStarts = comments.map((c) => c.span.start);
  }

  format(ast: Modusfile): string {
    let previousEnd = -1;
    for (const element of this.topLevel(ast.clauses)) {
      this.emitCommentsBefore(element.span.start, 0);
      if (previousEnd >= 0 && this.blankLineBetween(previousEnd, element.span.start) && (element.kind === 'clause' || element.ownLine)) {
        this.out.blank();
      }
      if (element.kind === 'clause') this.clause(element);
      else this.emitCommentsBefore(element.span.end, 0);
      previousEnd = element.span.end;
    }
    this.emitCommentsBefore(Infinity, 0);
    const text = this.out.text();
    return text.length === 0 ? '' : `${text}\n`;
  }

  /** Clauses and the comments outside them, in source order. */
  private topLevel(clauses: readonly Clause[]): (Clause | Comment)[] {
    const elements: (Clause | Comment)[] = [];
    let c = 0;
    for (const clause of clauses) {
      for (; c < this.comments.length && this.comments[c]!.span.start < clause.span.start; c++) elements.push(this.comments[c]!);
      elements.push(clause);
      while (c < this.comments.length && this.comments[c]!.span.start < clause.span.end) c++;
    }
    for (; c < this.comments.length; c++) elements.push(this.comments[c]!);
    return elements;
  }

  private blankLineBetween(from: number, to: number): boolean {
    const between = this.file.text.slice(from, to);
    return /\n[ \t\r\f\v]*\n/.test(between);
  }

  /** True when a comment lies between two tokens of the node. */
  private hasInnerComment(node: Expression | Term | Clause): boolean {
    return this.commentBetween(node.span.start, node.span.end);
  }

  /** Is there a comment starting strictly between the two offsets? */
  private commentBetween(from: number, to: number): boolean {
    const next = this.commentStarts[firstAbove(this.commentStarts, from, false)];
    return next !== undefined && next < to;
  }

  /** Offset of the first code token at or after `offset`: the separator after a node ending there. */
  private tokenAfter(offset: number): number {
    return this.tokenStarts[firstAbove(this.tokenStarts, offset, true)] ?? this.file.text.length;
  }

  private emitCommentsBefore(offset: number, indent: number): void {
    while (this.nextComment < this.comments.length && this.comments[this.nextComment]!.span.start < offset) {
      this.out.comment(this.comments[this.nextComment]!, indent);
      this.nextComment++;
    }
  }

  /** Writes code that stood at `offset`, after the comments that came before it there. */
  private token(text: string, offset: number, indent: number): void {
    this.emitCommentsBefore(offset, indent);
    this.out.append(text, indent);
  }

  private tokenIf(token: SourceToken | undefined, indent: number): void {
    if (token) this.token(token.text, token.offset, indent);
  }

  private clause(clause: Clause): void {
    this.out.newLine(0);
    const oneLine = `${this.inline(clause.head)}${clause.body ? ` :- ${this.inline(clause.body)}` : ''}.`;
    if (!this.hasInnerComment(clause) && oneLine.length <= WIDTH && !oneLine.includes('\n')) {
      this.out.append(oneLine, 0);
      return;
    }
    this.literal(clause.head, 0);
    const dot = { text: '.', offset: clause.span.end - 1 };
    if (!clause.body) {
      this.tokenIf(dot, INDENT);
      return;
    }
    this.token(' :-', this.tokenAfter(clause.head.span.end), INDENT);
    this.body(clause.body, INDENT, dot);
  }

  /** A body in the broken layout: one item per line. */
  private body(body: Expression, indent: number, suffix?: SourceToken): void {
    const alternatives = flattenChain(body, 'or');
    const itemIndent = alternatives.length > 1 ? indent + INDENT : indent;
    alternatives.forEach((alternative, a) => {
      if (a > 0) {
        this.emitCommentsBefore(this.tokenAfter(alternatives[a - 1]!.span.end), itemIndent);
        this.out.newLine(indent);
        this.out.append(';', indent);
      }
      const items = flattenChain(alternative, 'and');
      items.forEach((item, i) => {
        const last = i === items.length - 1;
        const separator = !last ? { text: ',', offset: this.tokenAfter(item.span.end) } : a === alternatives.length - 1 ? suffix : undefined;
        this.emitCommentsBefore(item.span.start, itemIndent);
        if (this.out.onlySeparator()) this.out.append(' ', itemIndent);
        else this.out.newLine(itemIndent);
        this.item(item, itemIndent, separator);
      });
    });
  }

  /** One item of a body, from the current line on. */
  private item(negatable: Expression, indent: number, suffix: SourceToken | undefined): void {
    const item = negatable.kind === 'literal' || negatable.kind === 'group' ? this.negation(negatable, indent) : negatable;
    const text = this.inline(item);
    const fits = this.out.column(indent) + text.length + (suffix?.text.length ?? 0) <= WIDTH && !text.includes('\n');
    if (!this.hasInnerComment(item) && fits) {
      this.token(text, item.span.start, indent);
      this.tokenIf(suffix, indent);
      return;
    }
    switch (item.kind) {
      case 'group':
        this.group(item, indent, suffix);
        return;
      case 'op':
        this.operators(item, indent, suffix);
        return;
      case 'literal':
        this.literal(item, indent);
        break;
      case 'unify':
        this.term(item.left, indent + CONTINUATION);
        this.token(item.negated ? ' != ' : ' = ', this.tokenAfter(item.left.span.end), indent + CONTINUATION);
        this.term(item.right, indent + CONTINUATION);
        break;
      default:
        // An `and`/`or` stands as an item only inside a group, which the parser makes a node.
        this.token(text, item.span.start, indent);
    }
    this.tokenIf(suffix, indent);
  }

  /**
   * Writes the `!` of a node when comments stand between its `!`s and the rest, and returns the
   * rest (not negated, spanning from after the comments), so that it can still be one unit.
   */
  private negation<T extends Literal | Group>(node: T, indent: number): T {
    const start = node.kind === 'literal' ? node.nameSpan.start : openingParenthesis(node, this.file.text);
    if (!this.commentBetween(node.span.start, start)) return node;
    if (node.negated) this.token('!', node.span.start, indent);
    return { ...node, negated: false, span: { start, end: node.span.end } };
  }

  /** `(` on the first line, the body indented, `)` + `closing` under the `(`. */
  private group(negatable: Group, indent: number, closing?: SourceToken): void {
    const group = this.negation(negatable, indent);
    if (group.negated) this.token('!', group.span.start, indent);
    this.token('(', openingParenthesis(group, this.file.text), indent);
    this.body(group.body, indent + INDENT);
    this.emitCommentsBefore(group.span.end - 1, indent + INDENT);
    this.out.newLine(indent);
    this.out.append(')', indent);
    this.tokenIf(closing, indent);
  }

  /** The base, then each `::operator` on the current line when it fits, else on a line of its own. */
  private operators(op: OperatorApplication, indent: number, suffix: SourceToken | undefined): void {
    const { base, operators } = operatorChain(op);
    if (base.kind === 'group' && (this.hasInnerComment(base) || this.out.column(indent) + this.inline(base).length > WIDTH)) {
      this.group(base, indent);
    } else if (base.kind === 'group') {
      this.token(this.inline(base), base.span.start, indent);
    } else {
      this.literal(base as Literal, indent);
    }
    const operatorIndent = indent + 1;
    operators.forEach((operator, k) => {
      const colons = this.tokenAfter(operator.operand.span.end);
      this.emitCommentsBefore(colons, operatorIndent);
      const tail = k === operators.length - 1 ? suffix : undefined;
      const text = `::${this.call(operator.name, operator.args)}`;
      const broken = this.commentBetween(colons, operator.span.end);
      if (!broken && k === 0 && this.out.column(operatorIndent) + text.length + (tail?.text.length ?? 0) <= WIDTH) {
        this.out.append(text, operatorIndent);
      } else {
        this.out.newLine(operatorIndent);
        this.out.append('::', operatorIndent);
        this.callPieces(operator, operatorIndent);
      }
      this.tokenIf(tail, operatorIndent);
    });
  }

  /** A literal from the current line on; broken into pieces only around comments. */
  private literal(negatable: Literal, indent: number): void {
    const literal = this.negation(negatable, indent);
    if (!this.hasInnerComment(literal)) {
      this.token(this.inline(literal), literal.span.start, indent);
      return;
    }
    if (literal.negated) this.token('!', literal.span.start, indent + CONTINUATION);
    this.callPieces(literal, indent);
  }

  /** `name(arg, ...)` appended token by token, with the comments between the tokens. */
  private callPieces(call: Literal | OperatorApplication, indent: number): void {
    const continuation = indent + CONTINUATION;
    this.token(call.name, call.nameSpan.start, indent);
    if (call.args.length === 0) return;
    this.token('(', this.tokenAfter(call.nameSpan.end), continuation);
    call.args.forEach((arg, i) => {
      this.term(arg, continuation);
      if (i < call.args.length - 1) this.token(', ', this.tokenAfter(arg.span.end), continuation);
    });
    this.token(')', call.span.end - 1, continuation);
  }

  private term(term: Term, indent: number): void {
    if (term.kind !== 'list' || !this.hasInnerComment(term)) {
      this.token(this.inlineTerm(term), term.span.start, indent);
      return;
    }
    this.token('[', term.span.start, indent);
    term.items.forEach((item, i) => {
      this.term(item, indent);
      if (i < term.items.length - 1) this.token(', ', this.tokenAfter(item.span.end), indent);
    });
    this.token(']', term.span.end - 1, indent);
  }

  private inline(node: Expression): string {
    switch (node.kind) {
      case 'or':
        return flattenChain(node, 'or').map((n) => this.inline(n)).join('; ');
      case 'and':
        return flattenChain(node, 'and').map((n) => this.inline(n)).join(', ');
      case 'literal':
        return `${node.negated ? '!' : ''}${this.call(node.name, node.args)}`;
      case 'unify':
        return `${this.inlineTerm(node.left)} ${node.negated ? '!=' : '='} ${this.inlineTerm(node.right)}`;
      case 'group':
        return `${node.negated ? '!' : ''}(${this.inline(node.body)})`;
      case 'op':
        return `${this.inline(node.operand)}::${this.call(node.name, node.args)}`;
    }
  }

  private call(name: string, args: readonly Term[]): string {
    return args.length === 0 ? name : `${name}(${args.map((a) => this.inlineTerm(a)).join(', ')})`;
  }

  private inlineTerm(term: Term): string {
    switch (term.kind) {
      case 'string':
      case 'fstring':
        return this.file.text.slice(term.span.start, term.span.end);
      case 'list':
        return `[${term.items.map((t) => this.inlineTerm(t)).join(', ')}]`;
      case 'var':
        return term.name;
      case 'anon':
        return '_';
    }
  }
}

/** The canonical text of a parsed Modusfile (`ast` must come from `file` without errors). */
export function formatModusfile(file: SourceFile, ast: Modusfile): string {
  return new Formatter(file, ast.comments).format(ast);
}

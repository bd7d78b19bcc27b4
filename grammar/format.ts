/**
 * The canonical layout of a Modusfile (`modus fmt`). A clause that fits in WIDTH columns is one
 * line; otherwise its body has one item per line, indented by INDENT, a disjunction puts `; ` in
 * front of each alternative after the first, a group opens with `(` on its line and closes with
 * `)` under it, and `::` operators that do not fit go on their own lines under the `)`.
 *
 * Comments stay where they are relative to the code: each is written just before the next piece
 * of code that followed it (a comment that shared a line with code stays at the end of a line,
 * one on its own line stays on its own line). A unit (clause, group, literal, list) with a comment
 * between two of its pieces is laid out broken, so the comment keeps its place. Every decision
 * depends only on the code, the order of code and comments and their kinds: formatting the output
 * again gives the same output. Strings are copied as written.
 */
import { flattenChain } from './ast-walk';
import type { Clause, Comment, Expression, Group, Literal, Modusfile, OperatorApplication, Term } from './ast';
import type { SourceFile } from './source';

const WIDTH = 80;
const INDENT = 2;
/** Extra indentation of a line that continues a literal or list broken by a comment. */
const CONTINUATION = 4;

type Item = Expression;

/** The output lines; a line ending in a comment is closed: code after it starts a new line. */
class Lines {
  readonly lines: string[] = [];
  private closed = false;

  start(text: string): void {
    this.lines.push(text);
    this.closed = false;
  }

  /** Appends to the current line, or starts a new one at `indent` when that line is closed. */
  append(text: string, indent: number): void {
    if (this.closed || this.lines.length === 0) this.start(' '.repeat(indent) + text.trimStart());
    else this.lines[this.lines.length - 1] += text;
  }

  /** At the end of the current line when the comment trailed code and that line has code. */
  comment(comment: Comment, indent: number, ownLine = comment.ownLine): void {
    const text = `#${comment.text.trimEnd()}`;
    if (!ownLine && !this.closed && this.lines.length > 0 && this.lines[this.lines.length - 1]!.trim() !== '') {
      this.lines[this.lines.length - 1] = `${this.lines[this.lines.length - 1]!.trimEnd()} ${text}`;
    } else {
      this.start(' '.repeat(indent) + text);
    }
    this.closed = true;
  }

  blank(): void {
    this.start('');
  }

  currentLength(): number {
    return this.closed ? Infinity : (this.lines[this.lines.length - 1]?.length ?? 0);
  }

  text(): string {
    return this.lines.map((l) => l.trimEnd()).join('\n');
  }
}

/** Start offset of the last piece of code in a node: comments before it are inside the node. */
function lastPieceStart(node: Expression | Term | Clause): number {
  switch (node.kind) {
    case 'clause':
      return node.body ? lastPieceStart(node.body) : lastPieceStart(node.head);
    case 'literal':
      return node.args.length > 0 ? lastPieceStart(node.args[node.args.length - 1]!) : node.nameSpan.start;
    case 'op':
      return node.args.length > 0 ? lastPieceStart(node.args[node.args.length - 1]!) : node.nameSpan.start;
    case 'and':
    case 'or':
      return lastPieceStart(node.right);
    case 'unify':
      return lastPieceStart(node.right);
    case 'group':
      return lastPieceStart(node.body);
    case 'list':
      return node.items.length > 0 ? lastPieceStart(node.items[node.items.length - 1]!) : node.span.start;
    default:
      return node.span.start;
  }
}

/**
 * Start offset of the first piece of code in a node. A `!` belongs to the piece it negates:
 * comments between them are written before the `!`.
 */
function firstPieceStart(node: Expression | Term | Clause, text: string): number {
  switch (node.kind) {
    case 'clause':
      return firstPieceStart(node.head, text);
    case 'literal':
      return node.nameSpan.start;
    case 'op':
      return firstPieceStart(node.operand, text);
    case 'and':
    case 'or':
      return firstPieceStart(node.left, text);
    case 'unify':
      return firstPieceStart(node.left, text);
    case 'group':
      return openingParenthesis(node, text);
    default:
      return node.span.start;
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

class Formatter {
  private readonly out = new Lines();
  private nextComment = 0;

  constructor(
    private readonly file: SourceFile,
    private readonly comments: readonly Comment[],
  ) {}

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

  /** True when a comment lies between two pieces of the node's code. */
  private hasInnerComment(node: Expression | Term | Clause): boolean {
    return this.commentBetween(this.firstPiece(node), lastPieceStart(node));
  }

  private firstPiece(node: Expression | Term | Clause): number {
    return firstPieceStart(node, this.file.text);
  }

  /** Is there a comment starting strictly between the two offsets? (binary search) */
  private commentBetween(from: number, to: number): boolean {
    let lo = 0;
    let hi = this.comments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.comments[mid]!.span.start <= from) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.comments.length && this.comments[lo]!.span.start < to;
  }

  private emitCommentsBefore(offset: number, indent: number, ownLine?: boolean): void {
    while (this.nextComment < this.comments.length && this.comments[this.nextComment]!.span.start < offset) {
      this.out.comment(this.comments[this.nextComment]!, indent, ownLine);
      this.nextComment++;
    }
  }

  private clause(clause: Clause): void {
    // Comments between a head's `!` and its name go on lines of their own above the clause.
    this.emitCommentsBefore(this.firstPiece(clause), 0, true);
    const oneLine = `${this.inline(clause.head)}${clause.body ? ` :- ${this.inline(clause.body)}` : ''}.`;
    if (!this.hasInnerComment(clause) && oneLine.length <= WIDTH && !oneLine.includes('\n')) {
      this.out.start(oneLine);
      return;
    }
    this.literal(clause.head, '', 0);
    if (!clause.body) {
      this.out.append('.', 0);
      return;
    }
    this.out.append(' :-', 0);
    this.body(clause.body, INDENT, '.');
  }

  /** A body in the broken layout: one item per line. */
  private body(body: Expression, indent: number, suffix: string): void {
    const alternatives = flattenChain(body, 'or');
    const itemIndent = alternatives.length > 1 ? indent + INDENT : indent;
    alternatives.forEach((alternative, a) => {
      const items = flattenChain(alternative, 'and');
      items.forEach((item, i) => {
        const last = i === items.length - 1;
        const separator = last ? (a === alternatives.length - 1 ? suffix : '') : ',';
        const lead = a > 0 && i === 0 ? `${' '.repeat(indent)}; ` : ' '.repeat(itemIndent);
        this.item(item, lead, itemIndent, separator);
      });
    });
  }

  /** One item of a body on lines of its own; the first line begins with `lead`. */
  private item(item: Item, lead: string, indent: number, suffix: string): void {
    this.emitCommentsBefore(this.firstPiece(item), indent);
    const text = this.inline(item);
    if (!this.hasInnerComment(item) && lead.length + text.length + suffix.length <= WIDTH && !text.includes('\n')) {
      this.out.start(lead + text + suffix);
      return;
    }
    switch (item.kind) {
      case 'group':
        this.group(item, lead, indent, suffix);
        return;
      case 'op':
        this.operators(item, lead, indent, suffix);
        return;
      case 'literal':
        this.literal(item, lead, indent);
        this.out.append(suffix, indent);
        return;
      case 'unify':
        this.out.start(lead);
        this.term(item.left, indent + CONTINUATION);
        this.out.append(item.negated ? ' != ' : ' = ', indent + CONTINUATION);
        this.term(item.right, indent + CONTINUATION);
        this.out.append(suffix, indent);
        return;
      default:
        // An `and`/`or` only stands as an item inside a group, which prints its parentheses.
        this.group({ kind: 'group', negated: false, body: item, span: item.span }, lead, indent, suffix);
    }
  }

  /** `(` on the first line, the body indented, `)` + `closing` under the `(`. */
  private group(group: Group, lead: string, indent: number, closing: string): void {
    this.emitCommentsBefore(this.firstPiece(group), indent);
    this.out.start(`${lead}${group.negated ? '!' : ''}(`);
    this.body(group.body, indent + INDENT, '');
    this.emitCommentsBefore(group.span.end, indent + INDENT);
    this.out.start(`${' '.repeat(indent)})${closing}`);
  }

  /** The base, then each `::operator` on the current line when it fits, else on a line of its own. */
  private operators(op: OperatorApplication, lead: string, indent: number, suffix: string): void {
    const { base, operators } = operatorChain(op);
    if (base.kind === 'group' && (this.hasInnerComment(base) || lead.length + this.inline(base).length > WIDTH)) {
      this.group(base, lead, indent, '');
    } else if (base.kind === 'group') {
      this.out.start(lead + this.inline(base));
    } else {
      this.literal(base as Literal, lead, indent);
    }
    const operatorIndent = indent + 1;
    operators.forEach((operator, k) => {
      this.emitCommentsBefore(operator.nameSpan.start, operatorIndent);
      const tail = k === operators.length - 1 ? suffix : '';
      const text = `::${this.call(operator.name, operator.args)}`;
      const broken = operator.args.length > 0 && this.commentBetween(operator.nameSpan.start, lastPieceStart(operator.args[operator.args.length - 1]!));
      if (!broken && k === 0 && this.out.currentLength() + text.length + tail.length <= WIDTH) {
        this.out.append(text, operatorIndent);
      } else {
        this.out.start(' '.repeat(operatorIndent));
        this.callPieces(`::${operator.name}`, operator.args, operatorIndent);
      }
      this.out.append(tail, operatorIndent);
    });
  }

  /** A literal starting a line with `lead`; broken into pieces only around comments. */
  private literal(literal: Literal, lead: string, indent: number): void {
    this.emitCommentsBefore(literal.nameSpan.start, indent);
    if (!this.hasInnerComment(literal)) {
      this.out.start(lead + this.inline(literal));
      return;
    }
    this.out.start(lead);
    this.callPieces(`${literal.negated ? '!' : ''}${literal.name}`, literal.args, indent);
  }

  /** `name(arg, ...)` appended piece by piece, with the comments between the pieces. */
  private callPieces(name: string, args: readonly Term[], indent: number): void {
    this.out.append(name, indent);
    if (args.length === 0) return;
    this.out.append('(', indent);
    args.forEach((arg, i) => {
      this.term(arg, indent + CONTINUATION);
      this.out.append(i === args.length - 1 ? ')' : ', ', indent + CONTINUATION);
    });
  }

  private term(term: Term, indent: number): void {
    this.emitCommentsBefore(term.span.start, indent);
    if (term.kind !== 'list' || !this.hasInnerComment(term)) {
      this.out.append(this.inlineTerm(term), indent);
      return;
    }
    this.out.append('[', indent);
    term.items.forEach((item, i) => {
      this.term(item, indent);
      this.out.append(i === term.items.length - 1 ? ']' : ', ', indent);
    });
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

/**
 * Builds the AST of grammar/ast.ts from an error-free CST (a CST visitor). String contents are
 * analysed here, so bad escapes and malformed `${ }` are reported with their exact position.
 */
import type { CstNode, IToken } from 'chevrotain';
import type { Clause, Expression, Group, Literal, Term, Unification } from './ast';
import { Comma, Dot, FString, Ident, LParen, RParen, StringLit, tokenEnd } from './lexer';
import { modusParser } from './parser';
import type { Diagnostic, SourceFile, Span } from './source';
import { append } from './source-util';
import { analyseFormatString, analysePlainString } from './strings';

type Children = Record<string, (CstNode | IToken)[] | undefined>;

const BaseVisitor = modusParser.getBaseCstVisitorConstructor();

function nodes(ctx: Children, key: string): CstNode[] {
  return (ctx[key] ?? []) as CstNode[];
}

function tokens(ctx: Children, key: string): IToken[] {
  return (ctx[key] ?? []) as IToken[];
}

/** End offset of an argument list: just after its `)`. */
function argumentListEnd(node: CstNode): number {
  return tokenEnd(tokens(node.children as Children, 'RParen')[0]!);
}

function tokenSpan(token: IToken): Span {
  return { start: token.startOffset, end: tokenEnd(token) };
}

function isAnonymousName(name: string): boolean {
  return /^_+$/.test(name);
}

class AstBuilder extends BaseVisitor {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly file: SourceFile) {
    super();
    this.validateVisitor();
  }

  clause(ctx: Children): Clause {
    const bangs = tokens(ctx, 'Bang');
    const head = this.negatable(this.visit(nodes(ctx, 'literal')[0]!) as Literal, bangs) as Literal;
    const bodyNode = nodes(ctx, 'body')[0];
    const dot = tokens(ctx, 'Dot')[0]!;
    const span = { start: head.span.start, end: tokenEnd(dot) };
    if (!bodyNode) return { kind: 'clause', head, span };
    return { kind: 'clause', head, body: this.visit(bodyNode) as Expression, span };
  }

  goal(ctx: Children): Expression {
    return this.visit(nodes(ctx, 'body')[0]!) as Expression;
  }

  body(ctx: Children): Expression {
    const parts = nodes(ctx, 'conjunction').map((n) => this.visit(n) as Expression);
    return parts.reduce((left, right) => ({ kind: 'or', left, right, span: { start: left.span.start, end: right.span.end } }));
  }

  conjunction(ctx: Children): Expression {
    const parts = nodes(ctx, 'item').map((n) => this.visit(n) as Expression);
    return parts.reduce((left, right) => ({ kind: 'and', left, right, span: { start: left.span.start, end: right.span.end } }));
  }

  item(ctx: Children): Expression {
    const unification = nodes(ctx, 'unification')[0];
    return this.visit(unification ?? nodes(ctx, 'operand')[0]!) as Expression;
  }

  unification(ctx: Children): Unification {
    const [left, right] = nodes(ctx, 'term').map((n) => this.visit(n) as Term) as [Term, Term];
    return {
      kind: 'unify',
      negated: tokens(ctx, 'NotEquals').length > 0,
      left,
      right,
      span: { start: left.span.start, end: right.span.end },
    };
  }

  operand(ctx: Children): Expression {
    const inner = nodes(ctx, 'literal')[0] ?? nodes(ctx, 'group')[0]!;
    let expression: Expression = this.negatable(this.visit(inner) as Literal | Group, tokens(ctx, 'Bang'));
    for (const operatorNode of nodes(ctx, 'operator')) {
      const { name, nameSpan, args, span } = this.visit(operatorNode) as Literal;
      expression = { kind: 'op', operand: expression, name, nameSpan, args, span: { start: expression.span.start, end: span.end } };
    }
    return expression;
  }

  group(ctx: Children): Group {
    const span = { start: tokens(ctx, 'LParen')[0]!.startOffset, end: tokenEnd(tokens(ctx, 'RParen')[0]!) };
    return { kind: 'group', negated: false, body: this.visit(nodes(ctx, 'body')[0]!) as Expression, span };
  }

  literal(ctx: Children): Literal {
    const name = tokens(ctx, 'Ident')[0]!;
    const argumentList = nodes(ctx, 'argumentList')[0];
    const args = argumentList ? (this.visit(argumentList) as Term[]) : [];
    const end = argumentList ? argumentListEnd(argumentList) : tokenEnd(name);
    return { kind: 'literal', negated: false, name: name.image, nameSpan: tokenSpan(name), args, span: { start: name.startOffset, end } };
  }

  operator(ctx: Children): Literal {
    return this.literal(ctx);
  }

  argumentList(ctx: Children): Term[] {
    return nodes(ctx, 'term').map((n) => this.visit(n) as Term);
  }

  list(ctx: Children): Term {
    const span = { start: tokens(ctx, 'LBracket')[0]!.startOffset, end: tokenEnd(tokens(ctx, 'RBracket')[0]!) };
    return { kind: 'list', items: nodes(ctx, 'term').map((n) => this.visit(n) as Term), span };
  }

  term(ctx: Children): Term {
    const list = nodes(ctx, 'list')[0];
    if (list) return this.visit(list) as Term;
    const plain = tokens(ctx, 'StringLit')[0];
    if (plain) return this.plainString(plain);
    const format = tokens(ctx, 'FString')[0];
    if (format) return this.formatString(format);
    const ident = tokens(ctx, 'Ident')[0]!;
    if (isAnonymousName(ident.image)) return { kind: 'anon', span: tokenSpan(ident) };
    return { kind: 'var', name: ident.image, span: tokenSpan(ident) };
  }

  private plainString(token: IToken): Term {
    const raw = token.image.slice(1, -1);
    const { value, diagnostics } = analysePlainString(raw, token.startOffset + 1, this.file);
    append(this.diagnostics, diagnostics);
    return { kind: 'string', raw, value, span: tokenSpan(token) };
  }

  private formatString(token: IToken): Term {
    const raw = token.image.slice(2, -1);
    const { parts, diagnostics } = analyseFormatString(raw, token.startOffset + 2, this.file);
    append(this.diagnostics, diagnostics);
    return { kind: 'fstring', parts, span: tokenSpan(token) };
  }

  /**
   * The clause of a fact (tokens[start, end)) written `name.` or `name(t1, ..., tn).` with string, f-string or
   * variable terms, built straight from its tokens (the same AST the parser and `clause` give);
   * undefined for any other token sequence. Generated programs are mostly such facts.
   */
  flatFact(tokens: readonly IToken[], start: number, end: number): Clause | undefined {
    const n = end - start;
    const name = tokens[start]!;
    const dot = tokens[end - 1]!;
    if (name.tokenType !== Ident || dot.tokenType !== Dot) return undefined;
    if (n === 2) return this.fact(name, [], tokenEnd(name), dot);
    if (n < 5 || n % 2 === 0 || tokens[start + 1]!.tokenType !== LParen || tokens[end - 2]!.tokenType !== RParen) return undefined;
    const args: Term[] = [];
    for (let i = start + 2; i < end - 2; i += 2) {
      if (i > start + 2 && tokens[i - 1]!.tokenType !== Comma) return undefined;
      const token = tokens[i]!;
      const type = token.tokenType;
      if (type === StringLit) args.push(this.plainString(token));
      else if (type === FString) args.push(this.formatString(token));
      else if (type === Ident) args.push(isAnonymousName(token.image) ? { kind: 'anon', span: tokenSpan(token) } : { kind: 'var', name: token.image, span: tokenSpan(token) });
      else return undefined;
    }
    return this.fact(name, args, tokenEnd(tokens[end - 2]!), dot);
  }

  private fact(name: IToken, args: Term[], end: number, dot: IToken): Clause {
    const head: Literal = { kind: 'literal', negated: false, name: name.image, nameSpan: tokenSpan(name), args, span: { start: name.startOffset, end } };
    return { kind: 'clause', head, span: { start: name.startOffset, end: tokenEnd(dot) } };
  }

  /** Applies the parity of leading `!`s and widens the span over them. */
  private negatable(node: Literal | Group, bangs: IToken[]): Literal | Group {
    if (bangs.length === 0) return node;
    return { ...node, negated: bangs.length % 2 === 1, span: { start: bangs[0]!.startOffset, end: node.span.end } };
  }
}

/** One builder per source file; `diagnostics` collects string-content errors of everything built. */
export function createAstBuilder(file: SourceFile): {
  buildClause(cst: CstNode): Clause;
  /** The clause tokens[start, end) when it is a fact of plain terms (see `flatFact`). */
  buildFlatFact(tokens: readonly IToken[], start?: number, end?: number): Clause | undefined;
  buildGoal(cst: CstNode): Expression;
  diagnostics: Diagnostic[];
} {
  const builder = new AstBuilder(file);
  return {
    buildClause: (cst) => builder.visit(cst) as Clause,
    buildFlatFact: (tokens, start = 0, end = tokens.length) => builder.flatFact(tokens, start, end),
    buildGoal: (cst) => builder.visit(cst) as Expression,
    diagnostics: builder.diagnostics,
  };
}

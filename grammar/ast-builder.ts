/**
 * Builds the AST of grammar/ast.ts: straight from the tokens of a valid clause or goal
 * (`DirectParser`), or, when the tokens are not valid, from the CST of the Chevrotain parser,
 * which reports the error. String contents are analysed here, so bad escapes and malformed
 * `${ }` are reported with their exact position.
 */
import type { CstNode, IToken, TokenType } from 'chevrotain';
import type { Clause, Expression, Group, Literal, Term, Unification } from './ast';
import { Bang, ColonColon, Comma, Dot, Equals, FString, Ident, Implies, LBracket, LParen, NotEquals, RBracket, RParen, Semicolon, StringLit, tokenEnd } from './lexer';
import { MAX_NESTING, modusParser } from './parser';
import type { Diagnostic, SourceFile, Span } from './source';
import { append } from './source-util';
import { analyseFormatString, analysePlainString } from './strings';

type Children = Record<string, (CstNode | IToken)[] | undefined>;

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

/** The pieces both builders make the same way. */
class Terms {
  constructor(
    private readonly file: SourceFile,
    readonly diagnostics: Diagnostic[],
  ) {}

  plainString(token: IToken): Term {
    const raw = token.image.slice(1, -1);
    const { value, diagnostics } = analysePlainString(raw, token.startOffset + 1, this.file);
    append(this.diagnostics, diagnostics);
    return { kind: 'string', raw, value, span: tokenSpan(token) };
  }

  formatString(token: IToken): Term {
    const raw = token.image.slice(2, -1);
    const { parts, diagnostics } = analyseFormatString(raw, token.startOffset + 2, this.file);
    append(this.diagnostics, diagnostics);
    return { kind: 'fstring', parts, span: tokenSpan(token) };
  }

  name(token: IToken): Term {
    if (isAnonymousName(token.image)) return { kind: 'anon', span: tokenSpan(token) };
    return { kind: 'var', name: token.image, span: tokenSpan(token) };
  }

  literal(name: IToken, args: Term[], end: number): Literal {
    return { kind: 'literal', negated: false, name: name.image, nameSpan: tokenSpan(name), args, span: { start: name.startOffset, end } };
  }

  /** Applies the parity of leading `!`s and widens the span over them. */
  negatable(node: Literal | Group, bangs: IToken[]): Literal | Group {
    if (bangs.length === 0) return node;
    return { ...node, negated: bangs.length % 2 === 1, span: { start: bangs[0]!.startOffset, end: node.span.end } };
  }

  clause(head: Literal, body: Expression | undefined, dot: IToken): Clause {
    const span = { start: head.span.start, end: tokenEnd(dot) };
    if (!body) return { kind: 'clause', head, span };
    return { kind: 'clause', head, body, span };
  }

  joined(kind: 'and' | 'or', parts: Expression[]): Expression {
    return parts.reduce((left, right) => ({ kind, left, right, span: { start: left.span.start, end: right.span.end } }));
  }

  unification(left: Term, negated: boolean, right: Term): Unification {
    return { kind: 'unify', negated, left, right, span: { start: left.span.start, end: right.span.end } };
  }

  operator(expression: Expression, { name, nameSpan, args, span }: Literal): Expression {
    return { kind: 'op', operand: expression, name, nameSpan, args, span: { start: expression.span.start, end: span.end } };
  }
}

/** Not valid here: the Chevrotain parser takes over (and reports why). */
const NOT_VALID = Symbol('not valid');

/**
 * A recursive-descent parser of the grammar of grammar/parser.ts for valid input: it builds the
 * AST the parser and the CST visitor would build, and gives up (undefined) at the first token
 * that does not fit, or past the nesting limit, without reporting anything. Valid programs are
 * thus parsed without building Chevrotain's parser (a few milliseconds of every start) or a CST.
 * A unit test holds it to the Chevrotain parser's answers.
 */
class DirectParser {
  private pos = 0;
  private end = 0;
  private depth = 0;
  private tokens: readonly IToken[] = [];
  private readonly pending: Diagnostic[] = [];
  private readonly terms: Terms;

  constructor(
    file: SourceFile,
    private readonly diagnostics: Diagnostic[],
  ) {
    this.terms = new Terms(file, this.pending);
  }

  clause(tokens: readonly IToken[], start: number, end: number): Clause | undefined {
    return this.run(tokens, start, end, () => {
      const bangs = this.bangs();
      const head = this.terms.negatable(this.literal(), bangs) as Literal;
      const body = this.accept(Implies) ? this.body() : undefined;
      return this.terms.clause(head, body, this.expect(Dot));
    });
  }

  goal(tokens: readonly IToken[]): Expression | undefined {
    return this.run(tokens, 0, tokens.length, () => this.body());
  }

  private run<T>(tokens: readonly IToken[], start: number, end: number, parse: () => T): T | undefined {
    this.tokens = tokens;
    this.pos = start;
    this.end = end;
    this.depth = 0;
    this.pending.length = 0;
    try {
      const result = parse();
      if (this.pos !== end) return undefined;
      append(this.diagnostics, this.pending);
      return result;
    } catch (error) {
      if (error === NOT_VALID) return undefined;
      throw error;
    }
  }

  private peek(ahead = 0): TokenType | undefined {
    const at = this.pos + ahead;
    return at < this.end ? this.tokens[at]!.tokenType : undefined;
  }

  private accept(type: TokenType): IToken | undefined {
    return this.peek() === type ? this.tokens[this.pos++] : undefined;
  }

  private expect(type: TokenType): IToken {
    const token = this.accept(type);
    if (!token) throw NOT_VALID;
    return token;
  }

  private bangs(): IToken[] {
    const bangs: IToken[] = [];
    for (let bang = this.accept(Bang); bang; bang = this.accept(Bang)) bangs.push(bang);
    return bangs;
  }

  private nest(): void {
    if (++this.depth > MAX_NESTING) throw NOT_VALID;
  }

  private body(): Expression {
    const parts = [this.conjunction()];
    while (this.accept(Semicolon)) parts.push(this.conjunction());
    return this.terms.joined('or', parts);
  }

  private conjunction(): Expression {
    const parts = [this.item()];
    while (this.accept(Comma)) parts.push(this.item());
    return this.terms.joined('and', parts);
  }

  private item(): Expression {
    const first = this.peek();
    const second = this.peek(1);
    const isUnification =
      first === StringLit || first === FString || first === LBracket || (first === Ident && (second === Equals || second === NotEquals));
    return isUnification ? this.unification() : this.operand();
  }

  private unification(): Unification {
    const left = this.term();
    const negated = this.accept(NotEquals) !== undefined;
    if (!negated) this.expect(Equals);
    return this.terms.unification(left, negated, this.term());
  }

  private operand(): Expression {
    const bangs = this.bangs();
    const inner = this.peek() === LParen ? this.group() : this.literal();
    let expression: Expression = this.terms.negatable(inner, bangs);
    while (this.accept(ColonColon)) expression = this.terms.operator(expression, this.literal());
    return expression;
  }

  private group(): Group {
    this.nest();
    const open = this.expect(LParen);
    const body = this.body();
    const close = this.expect(RParen);
    this.depth--;
    return { kind: 'group', negated: false, body, span: { start: open.startOffset, end: tokenEnd(close) } };
  }

  private literal(): Literal {
    const name = this.expect(Ident);
    if (this.peek() !== LParen) return this.terms.literal(name, [], tokenEnd(name));
    this.nest();
    this.pos++;
    const args = [this.term()];
    while (this.accept(Comma)) args.push(this.term());
    const close = this.expect(RParen);
    this.depth--;
    return this.terms.literal(name, args, tokenEnd(close));
  }

  private term(): Term {
    const token = this.tokens[this.pos];
    const type = this.peek();
    if (type === StringLit) return this.pos++, this.terms.plainString(token!);
    if (type === FString) return this.pos++, this.terms.formatString(token!);
    if (type === Ident) return this.pos++, this.terms.name(token!);
    if (type === LBracket) return this.list();
    throw NOT_VALID;
  }

  private list(): Term {
    this.nest();
    const open = this.expect(LBracket);
    const items: Term[] = [];
    if (this.peek() !== RBracket) {
      items.push(this.term());
      while (this.accept(Comma)) items.push(this.term());
    }
    const close = this.expect(RBracket);
    this.depth--;
    return { kind: 'list', items, span: { start: open.startOffset, end: tokenEnd(close) } };
  }
}

/** The CST visitor, defined when first needed: its base class comes from the Chevrotain parser. */
function defineCstBuilder() {
  const BaseVisitor = modusParser().getBaseCstVisitorConstructor();

  return class CstBuilder extends BaseVisitor {
    constructor(private readonly terms: Terms) {
      super();
      this.validateVisitor();
    }

    clause(ctx: Children): Clause {
      const head = this.terms.negatable(this.visit(nodes(ctx, 'literal')[0]!) as Literal, tokens(ctx, 'Bang')) as Literal;
      const bodyNode = nodes(ctx, 'body')[0];
      return this.terms.clause(head, bodyNode ? (this.visit(bodyNode) as Expression) : undefined, tokens(ctx, 'Dot')[0]!);
    }

    goal(ctx: Children): Expression {
      return this.visit(nodes(ctx, 'body')[0]!) as Expression;
    }

    body(ctx: Children): Expression {
      return this.terms.joined('or', nodes(ctx, 'conjunction').map((n) => this.visit(n) as Expression));
    }

    conjunction(ctx: Children): Expression {
      return this.terms.joined('and', nodes(ctx, 'item').map((n) => this.visit(n) as Expression));
    }

    item(ctx: Children): Expression {
      const unification = nodes(ctx, 'unification')[0];
      return this.visit(unification ?? nodes(ctx, 'operand')[0]!) as Expression;
    }

    unification(ctx: Children): Unification {
      const [left, right] = nodes(ctx, 'term').map((n) => this.visit(n) as Term) as [Term, Term];
      return this.terms.unification(left, tokens(ctx, 'NotEquals').length > 0, right);
    }

    operand(ctx: Children): Expression {
      const inner = nodes(ctx, 'literal')[0] ?? nodes(ctx, 'group')[0]!;
      let expression: Expression = this.terms.negatable(this.visit(inner) as Literal | Group, tokens(ctx, 'Bang'));
      for (const operatorNode of nodes(ctx, 'operator')) expression = this.terms.operator(expression, this.visit(operatorNode) as Literal);
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
      return this.terms.literal(name, args, argumentList ? argumentListEnd(argumentList) : tokenEnd(name));
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
      if (plain) return this.terms.plainString(plain);
      const format = tokens(ctx, 'FString')[0];
      if (format) return this.terms.formatString(format);
      return this.terms.name(tokens(ctx, 'Ident')[0]!);
    }
  };
}

let CstBuilder: ReturnType<typeof defineCstBuilder> | undefined;

/** One builder per source file; `diagnostics` collects string-content errors of everything built. */
export function createAstBuilder(file: SourceFile): {
  /** The clause tokens[start, end) when they are valid, else undefined (nothing reported). */
  parseClause(tokens: readonly IToken[], start?: number, end?: number): Clause | undefined;
  /** The goal when the tokens are valid, else undefined (nothing reported). */
  parseGoal(tokens: readonly IToken[]): Expression | undefined;
  buildClause(cst: CstNode): Clause;
  buildGoal(cst: CstNode): Expression;
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  const direct = new DirectParser(file, diagnostics);
  let visitor: InstanceType<ReturnType<typeof defineCstBuilder>> | undefined;
  const cstBuilder = () => (visitor ??= new (CstBuilder ??= defineCstBuilder())(new Terms(file, diagnostics)));
  return {
    parseClause: (tokens, start = 0, end = tokens.length) => direct.clause(tokens, start, end),
    parseGoal: (tokens) => direct.goal(tokens),
    buildClause: (cst) => cstBuilder().visit(cst) as Clause,
    buildGoal: (cst) => cstBuilder().visit(cst) as Expression,
    diagnostics,
  };
}

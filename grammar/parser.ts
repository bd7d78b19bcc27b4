/**
 * The Modus grammar as a Chevrotain CST parser, and the error handling around it: clause-level
 * re-synchronisation (every clause ends at the next `.`), a nesting-depth guard that keeps
 * recursion off the JavaScript stack limit, and "expected ... but found ..." messages computed
 * from the grammar itself.
 */
import { CstParser, EOF, type CstNode, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import {
  allTokens,
  Bang,
  ColonColon,
  Comma,
  Dot,
  Equals,
  FString,
  Ident,
  Implies,
  LBracket,
  LParen,
  NotEquals,
  RBracket,
  RParen,
  Semicolon,
  StringLit,
  tokenEnd,
} from './lexer';
import type { Diagnostic, Label, SourceFile } from './source';

export class ModusParser extends CstParser {
  /**
   * `validate`: run Chevrotain's grammar validations (ambiguities, left recursion). They cost most
   * of the parser's construction time, so the process-wide parser skips them and a unit test
   * builds one with them (test/unit/grammar/parser-validation.test.ts).
   */
  constructor(options: { validate?: boolean } = {}) {
    super(allTokens, { maxLookahead: 3, recoveryEnabled: false, nodeLocationTracking: 'none', skipValidations: !options.validate });
    this.performSelfAnalysis();
  }

  /** `head.` or `head :- body.` */
  public clause = this.RULE('clause', () => {
    this.MANY(() => this.CONSUME(Bang));
    this.SUBRULE(this.literal);
    this.OPTION(() => {
      this.CONSUME(Implies);
      this.SUBRULE(this.body);
    });
    this.CONSUME(Dot);
  });

  /** A goal: one body expression and nothing after it. */
  public goal = this.RULE('goal', () => {
    this.SUBRULE(this.body);
  });

  /** `;`-separated conjunctions (lowest precedence). */
  public body = this.RULE('body', () => {
    this.SUBRULE(this.conjunction);
    this.MANY(() => {
      this.CONSUME(Semicolon);
      this.SUBRULE2(this.conjunction);
    });
  });

  public conjunction = this.RULE('conjunction', () => {
    this.SUBRULE(this.item);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.item);
    });
  });

  public item = this.RULE('item', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.unification) }, { ALT: () => this.SUBRULE(this.operand) }]);
  });

  public unification = this.RULE('unification', () => {
    this.SUBRULE(this.term);
    this.OR([{ ALT: () => this.CONSUME(Equals) }, { ALT: () => this.CONSUME(NotEquals) }]);
    this.SUBRULE2(this.term);
  });

  /** `!`s, then a literal or a parenthesised body, then `::operator`s. */
  public operand = this.RULE('operand', () => {
    this.MANY(() => this.CONSUME(Bang));
    this.OR([{ ALT: () => this.SUBRULE(this.literal) }, { ALT: () => this.SUBRULE(this.group) }]);
    this.MANY2(() => {
      this.CONSUME(ColonColon);
      this.SUBRULE(this.operator);
    });
  });

  public group = this.RULE('group', () => {
    this.CONSUME(LParen);
    this.SUBRULE(this.body);
    this.CONSUME(RParen);
  });

  public literal = this.RULE('literal', () => {
    this.CONSUME(Ident);
    this.OPTION(() => this.SUBRULE(this.argumentList));
  });

  public operator = this.RULE('operator', () => {
    this.CONSUME(Ident);
    this.OPTION(() => this.SUBRULE(this.argumentList));
  });

  /** `( term, ... )` with at least one term. */
  public argumentList = this.RULE('argumentList', () => {
    this.CONSUME(LParen);
    this.SUBRULE(this.term);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.term);
    });
    this.CONSUME(RParen);
  });

  public term = this.RULE('term', () => {
    this.OR([
      { ALT: () => this.CONSUME(StringLit) },
      { ALT: () => this.CONSUME(FString) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.CONSUME(Ident) },
    ]);
  });

  public list = this.RULE('list', () => {
    this.CONSUME(LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.term);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.term);
      });
    });
    this.CONSUME(RBracket);
  });
}

let sharedParser: ModusParser | undefined;

/**
 * One parser for the process, built when first needed: Chevrotain's self-analysis is the
 * expensive part, and valid input is parsed without it (grammar/ast-builder.ts, `DirectParser`).
 */
export function modusParser(): ModusParser {
  return (sharedParser ??= new ModusParser({ validate: false }));
}

type StartRule = 'clause' | 'goal';

/** Deepest `(`/`[` nesting accepted: deeper input is rejected before it reaches the parser. */
export const MAX_NESTING = 256;

interface ParseOutcome {
  cst?: CstNode;
  diagnostics: Diagnostic[];
}

/** Parses one clause (tokens up to and including its `.`) or one goal. */
export function parseTokens(tokens: IToken[], rule: StartRule, file: SourceFile, detailed = true): ParseOutcome {
  const tooDeep = findExcessiveNesting(tokens);
  if (tooDeep) {
    return {
      diagnostics: [
        {
          severity: 'error',
          message: `expression nested too deeply (limit ${MAX_NESTING})`,
          span: { start: tooDeep.startOffset, end: tokenEnd(tooDeep) },
          file,
        },
      ],
    };
  }
  let cst: CstNode;
  try {
    const parser = modusParser();
    parser.input = tokens;
    cst = rule === 'clause' ? parser.clause() : parser.goal();
  } catch (error) {
    if (error instanceof RangeError) {
      const at = tokens[0];
      return {
        diagnostics: [
          {
            severity: 'error',
            message: 'expression too complex to parse (nested too deeply)',
            ...(at ? { span: { start: at.startOffset, end: tokenEnd(at) } } : {}),
            file,
          },
        ],
      };
    }
    throw error;
  }
  const first = modusParser().errors[0];
  if (first) return { diagnostics: [syntaxErrorDiagnostic(first, tokens, rule, file, detailed)] };
  return { cst, diagnostics: [] };
}

function findExcessiveNesting(tokens: IToken[]): IToken | undefined {
  let depth = 0;
  for (const token of tokens) {
    const type = token.tokenType;
    if (type === LParen || type === LBracket) {
      depth++;
      if (depth > MAX_NESTING) return token;
    } else if ((type === RParen || type === RBracket) && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

const DESCRIPTION_ORDER: TokenType[] = [
  Implies,
  LParen,
  ColonColon,
  Equals,
  NotEquals,
  Comma,
  Semicolon,
  Dot,
  RParen,
  RBracket,
  Bang,
  Ident,
  StringLit,
  FString,
  LBracket,
];

function tokenLabel(type: TokenType): string {
  return type.LABEL ?? type.name;
}

/** Names the expected token kinds, folding the ones that make up "a term" or "an expression". */
function describeExpected(types: TokenType[], endAllowed: boolean): string {
  const set = new Set(types);
  const names: string[] = [];
  const termStarters = [StringLit, FString, LBracket, Ident];
  const expressionStarters = [...termStarters, Bang, LParen];
  let consumed: TokenType[] = [];
  if (expressionStarters.every((t) => set.has(t))) {
    names.push('an expression');
    consumed = expressionStarters;
  } else if (termStarters.every((t) => set.has(t))) {
    names.push('a term');
    consumed = termStarters;
  } else if (set.has(Ident) && !set.has(StringLit) && set.size <= 2) {
    names.push(set.has(Bang) ? 'a predicate name' : 'a name');
    consumed = [Ident, Bang];
  }
  for (const type of DESCRIPTION_ORDER) {
    if (set.has(type) && !consumed.includes(type)) names.push(tokenLabel(type));
  }
  if (endAllowed) names.push('end of input');
  if (names.length <= 1) return names[0] ?? 'nothing';
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function describeFound(token: IToken | undefined): string {
  if (!token || token.tokenType === EOF) return 'end of input';
  if (token.tokenType === StringLit) return 'a string';
  if (token.tokenType === FString) return 'a format string';
  const image = token.image.length > 30 ? `${token.image.slice(0, 30)}...` : token.image;
  return `\`${image}\``;
}

function expectedAfter(tokens: IToken[], index: number, rule: StartRule): TokenType[] {
  try {
    const paths = modusParser().computeContentAssist(rule, tokens.slice(0, index));
    return paths.map((p) => p.nextTokenType);
  } catch {
    return [];
  }
}

/** `detailed` false skips the grammar analysis (used once enough errors have been reported). */
function syntaxErrorDiagnostic(error: IRecognitionException, tokens: IToken[], rule: StartRule, file: SourceFile, detailed: boolean): Diagnostic {
  const offending = error.token;
  const atEnd = !offending || offending.tokenType === EOF || Number.isNaN(offending.startOffset);
  let index = atEnd ? tokens.length : tokens.findIndex((t) => t.startOffset === offending.startOffset);
  if (index < 0) index = tokens.length;
  const expectedTypes = detailed ? expectedAfter(tokens, index, rule) : [];
  const endAllowed = rule === 'goal' && error.name === 'NotAllInputParsedException';
  const last = tokens[tokens.length - 1];
  const span = atEnd
    ? { start: last ? tokenEnd(last) : file.text.length, end: (last ? tokenEnd(last) : file.text.length) }
    : { start: offending.startOffset, end: tokenEnd(offending) };
  const found = describeFound(atEnd ? undefined : offending);
  const message =
    expectedTypes.length > 0 || endAllowed
      ? `expected ${describeExpected(expectedTypes, endAllowed)} but found ${found}`
      : `unexpected ${found}`;
  const diagnostic: Diagnostic = { severity: 'error', message, span, file };
  const notes: string[] = [];
  const previous = tokens[index - 1];
  if (!atEnd && offending.tokenType === RParen && previous?.tokenType === LParen && tokens[index - 2]?.tokenType === Ident) {
    notes.push(`an empty argument list is not allowed: write \`${tokens[index - 2]!.image}\` instead of \`${tokens[index - 2]!.image}()\``);
  }
  if (rule === 'goal' && offending?.tokenType === Dot) notes.push('a goal has no final `.`');
  if (notes.length > 0) diagnostic.notes = notes;
  const labels = contextLabels(tokens, index, rule);
  if (labels.length > 0) diagnostic.labels = labels;
  return diagnostic;
}

/** Secondary labels showing where the clause (and its body) that contains the error began. */
function contextLabels(tokens: IToken[], index: number, rule: StartRule): Label[] {
  if (rule !== 'clause' || index === 0) return [];
  const first = tokens[0]!;
  const impliesIndex = tokens.findIndex((t, i) => i < index && t.tokenType === Implies);
  if (impliesIndex < 0) {
    return [{ span: { start: first.startOffset, end: tokenEnd(tokens[index - 1]!) }, message: 'in this clause' }];
  }
  const labels: Label[] = [{ span: { start: first.startOffset, end: tokenEnd(tokens[impliesIndex]!) }, message: 'in this rule' }];
  if (impliesIndex + 1 < index) {
    labels.push({
      span: { start: tokens[impliesIndex + 1]!.startOffset, end: tokenEnd(tokens[index - 1]!) },
      message: 'in the body of the rule',
    });
  }
  return labels;
}

/**
 * Entry points of the grammar: source bytes → text, Modusfile text → AST, goal text → expression.
 * Every problem in the input is a Diagnostic; nothing here throws on user input.
 */
import type { Clause, Comment, Expression, Modusfile } from './ast';
import { createAstBuilder } from './ast-builder';
import { commentsFromTokens } from './comments';
import { tokenize, tokenizeClause } from './lexer';
import { readPlainFact } from './plain-fact';
import { parseTokens } from './parser';
import { SourceFile, type Diagnostic } from './source';
import { append } from './source-util';

export { printClause, printExpression, printModusfile, printTerm } from './printer';
export { MAX_NESTING } from './parser';
export { clauseDescription } from './comments';

/** Errors reported in full for one input; the rest are summarised in one note. */
export const MAX_REPORTED_ERRORS = 20;

/** Tokens the detailed "expected ..." analysis may re-read per file (it re-parses the clause). */
const DETAIL_TOKEN_BUDGET = 50_000;

function internalError(file: SourceFile, error: unknown): Diagnostic {
  const reason = error instanceof Error ? error.message : String(error);
  return { severity: 'error', message: `internal error in the parser: ${reason}`, file };
}

/** Sorts by position (stable) and keeps the first MAX_REPORTED_ERRORS errors. */
function capDiagnostics(diagnostics: Diagnostic[], file: SourceFile): Diagnostic[] {
  const sorted = diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.span?.start ?? -1) - (b.d.span?.start ?? -1) || a.i - b.i)
    .map((x) => x.d);
  if (sorted.length <= MAX_REPORTED_ERRORS) return sorted;
  const hidden = sorted.length - MAX_REPORTED_ERRORS;
  return [
    ...sorted.slice(0, MAX_REPORTED_ERRORS),
    { severity: 'note', message: `${hidden} more error${hidden === 1 ? '' : 's'} not shown`, file },
  ];
}

export function parseModusfile(file: SourceFile): { ast: Modusfile; diagnostics: Diagnostic[] } {
  const clauses: Clause[] = [];
  const comments: Comment[] = [];
  const diagnostics: Diagnostic[] = [];
  try {
    const builder = createAstBuilder(file);
    let syntaxErrors = 0;
    let detailTokensLeft = DETAIL_TOKEN_BUDGET;
    for (let from = 0; from < file.text.length; ) {
      const fact = readPlainFact(file.text, from);
      if (fact) {
        clauses.push(fact.clause);
        from = fact.next;
        continue;
      }
      const lexed = tokenizeClause(file, from);
      from = lexed.next;
      if (lexed.comments.length > 0) append(comments, commentsFromTokens(lexed.comments, file));
      if (lexed.diagnostics.length > 0) append(diagnostics, lexed.diagnostics);
      // A clause with a lexing error is not parsed: its syntax errors would only repeat it.
      if (lexed.tokens.length === 0 || lexed.diagnostics.length > 0) continue;
      const clause = builder.parseClause(lexed.tokens);
      if (clause) {
        clauses.push(clause);
        continue;
      }
      // Only the first errors are shown, so only they get the (costlier) detailed message.
      const detailed = syntaxErrors < MAX_REPORTED_ERRORS && lexed.tokens.length <= detailTokensLeft;
      const outcome = parseTokens(lexed.tokens, 'clause', file, detailed);
      if (outcome.diagnostics.length > 0) {
        syntaxErrors += outcome.diagnostics.length;
        if (detailed) detailTokensLeft -= lexed.tokens.length;
      }
      append(diagnostics, outcome.diagnostics);
      if (outcome.cst) clauses.push(builder.buildClause(outcome.cst));
    }
    append(diagnostics, builder.diagnostics);
  } catch (error) {
    diagnostics.push(internalError(file, error));
  }
  return { ast: { clauses, comments }, diagnostics: capDiagnostics(diagnostics, file) };
}

/** A goal is one body expression; any trailing input (even a `.`) is a syntax error. */
export function parseGoal(file: SourceFile): { goal?: Expression; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let goal: Expression | undefined;
  try {
    const lexed = tokenize(file);
    append(diagnostics, lexed.diagnostics);
    if (lexed.diagnostics.length === 0) {
      const builder = createAstBuilder(file);
      goal = builder.parseGoal(lexed.tokens);
      if (!goal) {
        const outcome = parseTokens(lexed.tokens, 'goal', file, lexed.tokens.length <= DETAIL_TOKEN_BUDGET);
        append(diagnostics, outcome.diagnostics);
        if (outcome.cst) goal = builder.buildGoal(outcome.cst);
      }
      append(diagnostics, builder.diagnostics);
    }
  } catch (error) {
    diagnostics.push(internalError(file, error));
  }
  const capped = capDiagnostics(diagnostics, file);
  return capped.some((d) => d.severity === 'error') || !goal ? { diagnostics: capped } : { goal, diagnostics: capped };
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let length: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      length = 2;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      min = 0x10000;
    } else {
      return i;
    }
    let code = b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += length;
  }
  return -1;
}

/**
 * Decodes a Modusfile's bytes as UTF-8 (a leading byte-order mark is dropped). Invalid UTF-8 is
 * reported at the line and column of its first bad byte.
 */
export function decodeSource(bytes: Uint8Array, name: string): { file?: SourceFile; diagnostics: Diagnostic[] } {
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  const bad = firstInvalidUtf8(body);
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  if (bad < 0) return { file: new SourceFile(name, decoder.decode(body)), diagnostics: [] };
  const prefixLength = decoder.decode(body.subarray(0, bad)).length;
  const shown = new SourceFile(name, decoder.decode(body));
  return {
    diagnostics: [
      {
        severity: 'error',
        message: `${name} is not valid UTF-8 (byte 0x${body[bad]!.toString(16).padStart(2, '0')})`,
        span: { start: prefixLength, end: prefixLength + 1 },
        file: shown,
      },
    ],
  };
}

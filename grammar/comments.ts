/**
 * Comments as the parser keeps them: built from the lexer's comment tokens, and the comment block
 * that documents a clause (the one directly above it, as `--call=targets` shows it).
 */
import type { IToken } from 'chevrotain';
import type { Clause, Comment, Modusfile } from './ast';
import type { SourceFile } from './source';

/** True when only spaces or tabs come between the start of the line and `offset`. */
function startsLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text[i];
    if (c === '\n') return true;
    if (c !== ' ' && c !== '\t' && c !== '\r' && c !== '\ufeff') return false;
  }
  return true;
}

export function commentsFromTokens(tokens: readonly IToken[], file: SourceFile): Comment[] {
  return tokens.map((token) => {
    const start = token.startOffset;
    const end = start + token.image.length;
    const text = token.image.slice(1).replace(/\r$/, '');
    return { kind: 'comment', text, span: { start, end }, ownLine: startsLine(file.text, start) };
  });
}

/** `# syntax=…`, `# check=…`, `# escape=…`: directives, never part of a description. */
const DIRECTIVE = /^\s*(syntax|check|escape)\s*=/i;

/**
 * The own-line comments on the lines directly above `clause` (no blank line, no code between),
 * directives left out; empty when there are none.
 */
function commentBlockAbove(ast: Modusfile, clause: Clause, file: SourceFile): Comment[] {
  let line = file.position(clause.span.start).line;
  const block: Comment[] = [];
  const before = ast.comments.filter((c) => c.span.end <= clause.span.start);
  for (let i = before.length - 1; i >= 0; i--) {
    const comment = before[i]!;
    if (!comment.ownLine || file.position(comment.span.start).line !== line - 1) break;
    block.unshift(comment);
    line--;
  }
  const previous = ast.clauses.filter((c) => c.span.end <= clause.span.start).pop();
  return block.filter((c) => !DIRECTIVE.test(c.text) && (!previous || c.span.start >= previous.span.end));
}

/** The description of a clause: its comment block's lines without `#` and one following space. */
export function clauseDescription(ast: Modusfile, clause: Clause, file: SourceFile): string | undefined {
  const block = commentBlockAbove(ast, clause, file);
  if (block.length === 0) return undefined;
  return block.map((c) => c.text.replace(/^ /, '').trimEnd()).join('\n');
}

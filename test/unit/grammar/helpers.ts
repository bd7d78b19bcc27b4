import type { Expression, Modusfile } from '../../../grammar/ast';
import { parseGoal, parseModusfile } from '../../../grammar';
import { formatModusfile } from '../../../grammar/format';
import { tokenize } from '../../../grammar/lexer';
import { SourceFile, type Diagnostic } from '../../../grammar/source';

/** Parses a Modusfile that must be free of errors. */
export function parseOk(text: string): Modusfile {
  const { ast, diagnostics } = parseModusfile(new SourceFile('Modusfile', text));
  if (diagnostics.length > 0) throw new Error(`unexpected diagnostics for ${JSON.stringify(text)}: ${diagnostics.map((d) => d.message).join('; ')}`);
  return ast;
}

export function parseErrors(text: string): Diagnostic[] {
  return parseModusfile(new SourceFile('Modusfile', text)).diagnostics;
}

export function goalOk(text: string): Expression {
  const { goal, diagnostics } = parseGoal(new SourceFile('goal', text));
  if (!goal || diagnostics.length > 0) throw new Error(`goal ${JSON.stringify(text)} failed: ${diagnostics.map((d) => d.message).join('; ')}`);
  return goal;
}

/** A deep copy without `span`/`nameSpan` fields: ASTs compared modulo positions. */
export function stripSpans<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v) => (key === 'span' || key === 'nameSpan' ? undefined : v))) as T;
}

/** `modus fmt` of a text that must parse. */
export function fmt(text: string): string {
  const file = new SourceFile('Modusfile', text);
  const { ast, diagnostics } = parseModusfile(file);
  if (diagnostics.length > 0) throw new Error(`does not parse: ${diagnostics.map((d) => d.message).join('; ')}\n${text}`);
  return formatModusfile(file, ast);
}

/**
 * The code tokens and comments of a text in source order: every comment between the same tokens.
 * A run of `!`s is one `!` or none (its parity, as the AST keeps it), before the comments among them;
 * `__`, `___`, ... are `_` (each is the anonymous variable).
 */
function tokensAndComments(text: string): string[] {
  const { tokens, comments } = tokenize(new SourceFile('Modusfile', text));
  const images = [...tokens, ...comments].sort((a, b) => a.startOffset - b.startOffset).map((t) => t.image.trimEnd().replace(/^_+$/, '_'));
  const result: string[] = [];
  for (let i = 0; i < images.length; ) {
    if (images[i] !== '!') {
      result.push(images[i++]!);
      continue;
    }
    let bangs = 0;
    const between: string[] = [];
    for (; i < images.length && (images[i] === '!' || images[i]!.startsWith('#')); i++) {
      if (images[i] === '!') bangs++;
      else between.push(images[i]!);
    }
    result.push(...(bangs % 2 === 1 ? ['!'] : []), ...between);
  }
  return result;
}

/** What formatting must keep: the clauses (positions aside), and each comment between the same tokens. */
function meaning(text: string): unknown {
  const { ast } = parseModusfile(new SourceFile('Modusfile', text));
  return { clauses: stripSpans(ast.clauses), tokens: tokensAndComments(text) };
}

/** Formats `text`, checks that the meaning is kept and that formatting again changes nothing. */
export function expectCanonical(text: string): string {
  const once = fmt(text);
  expect(meaning(once)).toEqual(meaning(text));
  expect(fmt(once)).toBe(once);
  return once;
}

/** Test helpers: parse Modusfile / goal text, failing the test on syntax errors. */
import type { Expression, Modusfile } from '../../../grammar/ast';
import { parseGoal, parseModusfile } from '../../../grammar/index';
import { SourceFile } from '../../../grammar/source';

export function program(...lines: string[]): Modusfile {
  const { ast, diagnostics } = parseModusfile(new SourceFile('Modusfile', lines.join('\n')));
  if (diagnostics.length > 0) throw new Error(`syntax errors: ${JSON.stringify(diagnostics)}`);
  return ast;
}

export function goal(text: string): Expression {
  const { goal: expr, diagnostics } = parseGoal(new SourceFile('goal', text));
  if (!expr || diagnostics.length > 0) throw new Error(`goal syntax errors: ${JSON.stringify(diagnostics)}`);
  return expr;
}

/** The source text a span covers. */
export function spanText(source: string, span: { start: number; end: number } | undefined): string {
  return span ? source.slice(span.start, span.end) : '<no span>';
}

import type { Expression, Modusfile } from '../../../grammar/ast';
import { parseGoal, parseModusfile } from '../../../grammar';
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

/**
 * Diagnostics as JSON for editors and CI (`modus check --json`): one object per finding with its
 * file, 1-based start and end (the end is the position just after the last character), severity,
 * code (the lint rule, or the stage that found it) and message (notes on following lines).
 */
import type { Diagnostic, SourceFile } from '../../grammar/source';

interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Diagnostic['severity'];
  code: string;
  message: string;
}

/** The code of a finding without a lint rule: the stage that reported it. */
export type FallbackCode = 'SyntaxError' | 'ReadError' | 'StaticCheck';

function withNotes(d: Diagnostic): string {
  const notes = (d.notes ?? []).map((n) => (/^(note|help|hint):/.test(n) ? n : `note: ${n}`));
  return [d.message, ...notes].join('\n');
}

function jsonDiagnostic(d: Diagnostic, defaultFile: SourceFile | undefined, fileName: string, fallbackCode: FallbackCode): JsonDiagnostic {
  const file = d.file ?? d.span?.file ?? defaultFile;
  const start = file && d.span ? file.position(d.span.start) : { line: 1, column: 1 };
  const end = file && d.span ? file.position(Math.max(d.span.end, d.span.start)) : start;
  return {
    file: file?.name ?? fileName,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    severity: d.severity,
    code: d.code ?? fallbackCode,
    message: withNotes(d),
  };
}

/** `{"diagnostics": [...]}` in the order the text output shows them (by position, stable). */
export function diagnosticsJson(list: readonly { diagnostic: Diagnostic; code: FallbackCode }[], file: SourceFile | undefined, fileName: string): string {
  const sorted = list
    .map((x, index) => ({ ...x, index, key: x.diagnostic.span ? x.diagnostic.span.start : Number.POSITIVE_INFINITY }))
    .sort((a, b) => (a.key === b.key ? a.index - b.index : a.key < b.key ? -1 : 1));
  const diagnostics = sorted.map((x) => jsonDiagnostic(x.diagnostic, file, fileName, x.code));
  return `${JSON.stringify({ diagnostics })}\n`;
}

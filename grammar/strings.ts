/**
 * The insides of string and f-string literals: escapes, line continuations and `${ }`
 * interpolations. Offsets passed in are where the raw text starts in the source file, so that
 * every diagnostic and f-string part keeps its exact span.
 */
import type { Anonymous, FStringPart, Variable } from './ast';
import { append } from './source-util';
import type { Diagnostic, SourceFile, Span } from './source';

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', r: '\r', t: '\t', '0': '\0' };

function isContinuationWhitespace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

interface DecodeResult {
  value: string;
  /** Offsets (relative to the raw text) of unknown escapes. */
  badEscapes: number[];
}

/**
 * Decodes escapes and continuations. A raw CRLF inside a string counts as one newline, so a
 * Modusfile saved with Windows line endings means the same as one saved with LF.
 */
function decode(raw: string, allowDollarEscape: boolean): DecodeResult {
  // The common case, and no string built a character at a time (a chain of one-character pieces).
  if (!raw.includes('\\') && !raw.includes('\r')) return { value: raw, badEscapes: [] };
  let value = '';
  const badEscapes: number[] = [];
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i]!;
    if (ch === '\r' && raw[i + 1] === '\n') {
      i++;
      continue;
    }
    if (ch !== '\\') {
      value += ch;
      i++;
      continue;
    }
    const next = raw[i + 1];
    if (next === '\n' || (next === '\r' && raw[i + 2] === '\n')) {
      i += 1;
      while (isContinuationWhitespace(raw[i])) i++;
      continue;
    }
    if (next !== undefined && Object.prototype.hasOwnProperty.call(SIMPLE_ESCAPES, next)) {
      value += SIMPLE_ESCAPES[next];
    } else if (next === '$' && allowDollarEscape) {
      value += '$';
    } else {
      badEscapes.push(i);
      if (next !== undefined) value += next;
    }
    i += next === undefined ? 1 : 2;
  }
  return { value, badEscapes };
}

/** The value of a plain string's raw text, or undefined when it holds an invalid escape. */
export function decodePlainString(raw: string): string | undefined {
  const result = decode(raw, false);
  return result.badEscapes.length === 0 ? result.value : undefined;
}

/** The value of an f-string text fragment's raw text, or undefined when it holds an invalid escape. */
export function decodeFormatText(raw: string): string | undefined {
  const result = decode(raw, true);
  return result.badEscapes.length === 0 ? result.value : undefined;
}

function escapeDiagnostics(raw: string, rawStart: number, badEscapes: number[], file: SourceFile, inFormat: boolean): Diagnostic[] {
  return badEscapes.map((at) => {
    const escaped = raw[at + 1];
    const shown = escaped === undefined ? '\\' : `\\${escaped}`;
    const allowed = inFormat ? '`\\"`, `\\\\`, `\\n`, `\\r`, `\\t`, `\\0`, `\\$`' : '`\\"`, `\\\\`, `\\n`, `\\r`, `\\t`, `\\0`';
    return {
      severity: 'error' as const,
      message: `unknown escape \`${shown}\` in ${inFormat ? 'format string' : 'string'}`,
      span: { start: rawStart + at, end: rawStart + at + shown.length },
      file,
      notes: [`the escapes are ${allowed} and a backslash at the end of a line`],
    };
  });
}

export function analysePlainString(raw: string, rawStart: number, file: SourceFile): { value: string; diagnostics: Diagnostic[] } {
  const { value, badEscapes } = decode(raw, false);
  return { value, diagnostics: escapeDiagnostics(raw, rawStart, badEscapes, file, false) };
}

const IDENT_AT = /[A-Za-z_][A-Za-z0-9_-]*/y;

/** Skips whitespace and `#` comments inside `${ }`; returns the next offset. */
function skipSeparators(raw: string, i: number): number {
  while (i < raw.length) {
    const ch = raw[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') i++;
    else if (ch === '#') {
      while (i < raw.length && raw[i] !== '\n') i++;
    } else break;
  }
  return i;
}

interface InterpolationResult {
  part?: FStringPart;
  /** Offset (relative to raw) just after the interpolation. */
  next: number;
  diagnostics: Diagnostic[];
}

/** Parses `${ NAME }` starting at the `$` (offset `at` of raw). */
function parseInterpolation(raw: string, rawStart: number, at: number, file: SourceFile): InterpolationResult {
  const close = findInterpolationEnd(raw, at + 2);
  const next = close < 0 ? raw.length : close + 1;
  const whole: Span = { start: rawStart + at, end: rawStart + next };
  const error = (message: string, start: number, end: number): InterpolationResult => ({
    next,
    diagnostics: [{ severity: 'error', message, span: { start: rawStart + start, end: rawStart + Math.max(end, start + 1) }, file }],
  });
  if (close < 0) return error('unclosed `${` in format string: expected `}`', at, at + 2);
  let i = skipSeparators(raw, at + 2);
  IDENT_AT.lastIndex = i;
  const match = IDENT_AT.exec(raw);
  if (!match) {
    const found = i === close ? '`}`' : `\`${raw[i]}\``;
    return error(`expected a variable name in \`\${ }\` but found ${found}`, i, i + 1);
  }
  const name = match[0];
  const nameSpan: Span = { start: rawStart + i, end: rawStart + i + name.length };
  i = skipSeparators(raw, i + name.length);
  if (i !== close) return error(`expected \`}\` after the variable \`${name}\` in \`\${ }\``, i, i + 1);
  const variable: Variable | Anonymous = /^_+$/.test(name)
    ? { kind: 'anon', span: nameSpan }
    : { kind: 'var', name, span: nameSpan };
  return { part: { kind: 'interp', variable, span: whole }, next, diagnostics: [] };
}

/** Offset of the `}` closing an interpolation whose contents start at `from`, or -1. */
function findInterpolationEnd(raw: string, from: number): number {
  let i = from;
  while (i < raw.length) {
    const ch = raw[i];
    if (ch === '}') return i;
    if (ch === '#') {
      while (i < raw.length && raw[i] !== '\n') i++;
    } else i++;
  }
  return -1;
}

/** Splits the raw text of an f-string (between `f"` and `"`) into text and interpolation parts. */
export function analyseFormatString(raw: string, rawStart: number, file: SourceFile): { parts: FStringPart[]; diagnostics: Diagnostic[] } {
  const parts: FStringPart[] = [];
  const diagnostics: Diagnostic[] = [];
  let textStart = 0;
  const flushText = (end: number): void => {
    if (end <= textStart) return;
    const text = raw.slice(textStart, end);
    const decoded = decode(text, true);
    append(diagnostics, escapeDiagnostics(text, rawStart + textStart, decoded.badEscapes, file, true));
    parts.push({ kind: 'text', raw: text, value: decoded.value, span: { start: rawStart + textStart, end: rawStart + end } });
  };
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i];
    if (ch === '\\') {
      i += 2;
    } else if (ch === '$' && raw[i + 1] === '{') {
      flushText(i);
      const result = parseInterpolation(raw, rawStart, i, file);
      append(diagnostics, result.diagnostics);
      if (result.part) parts.push(result.part);
      i = result.next;
      textStart = i;
    } else {
      i++;
    }
  }
  flushText(Math.min(i, raw.length));
  return { parts, diagnostics };
}

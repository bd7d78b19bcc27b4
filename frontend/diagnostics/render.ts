/**
 * Renders diagnostics as text for a terminal or a log:
 *
 *   Modusfile:3:12: error: expected `)` but found `.`
 *      3 | app :- from("alpine"), run("x".
 *        |                                ^
 *      = note: ...
 *
 * The first line is always `FILE:LINE:COL: SEVERITY: MESSAGE` (tools match on it); colour
 * codes appear only when asked for.
 */
import type { Diagnostic, Severity, SourceFile, Span } from '../../grammar/source';

interface RenderOptions {
  color?: boolean;
}

const TAB_WIDTH = 4;

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
  blue: '\u001b[34m',
};

const SEVERITY_COLOR: Record<Severity, string> = { error: ANSI.red, warning: ANSI.yellow, note: ANSI.cyan };

function paint(text: string, codes: string, options: RenderOptions): string {
  return options.color ? `${codes}${text}${ANSI.reset}` : text;
}

/**
 * Control characters of the source never reach the terminal raw (an ESC would restyle it): C0
 * and DEL as their Unicode control pictures (␀, ␛, ␡), C1 as U+FFFD.
 */
function printable(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  if (code >= 0x80 && code < 0xa0) return '\ufffd';
  return ch;
}

/** The source line with tabs expanded, and a map from column index to display column. */
function expandTabs(line: string): { text: string; columns: number[] } {
  let text = '';
  const columns: number[] = [];
  for (const ch of line) {
    for (let k = 0; k < ch.length; k++) columns.push(text.length);
    text += ch === '\t' ? ' '.repeat(TAB_WIDTH) : printable(ch);
  }
  columns.push(text.length);
  return { text, columns };
}

interface Excerpt {
  lineNumber: number;
  text: string;
  /** Display columns (0-based) where the underline starts and how long it is. */
  underlineStart: number;
  underlineLength: number;
}

/** Longer source lines (minified or garbage input) are shown as a window around the marker. */
const MAX_SHOWN_LINE = 160;
const WINDOW_LEAD = 40;

/** The part of a line that is shown, and where line index `i` lands in it: `clamp(i) - shift`. */
function lineWindow(rawLine: string, anchorIndex: number): { shown: string; from: number; to: number; shift: number } {
  if (rawLine.length <= MAX_SHOWN_LINE) return { shown: rawLine, from: 0, to: rawLine.length, shift: 0 };
  const from = Math.max(0, Math.min(anchorIndex - WINDOW_LEAD, rawLine.length - MAX_SHOWN_LINE));
  const to = from + MAX_SHOWN_LINE;
  const shown = `${from > 0 ? '…' : ''}${rawLine.slice(from, to)}${to < rawLine.length ? '…' : ''}`;
  return { shown, from, to, shift: from > 0 ? from - 1 : 0 };
}

/**
 * The first line of a span, with the part of the span on that line located in display columns.
 * `anchor` (an offset) centres the window of a long line, so markers on one line share it.
 */
function excerpt(file: SourceFile, span: Span, anchor: number = span.start): Excerpt {
  const start = file.position(span.start);
  const rawLine = file.lineText(start.line);
  const anchorPosition = file.position(anchor);
  const window = lineWindow(rawLine, anchorPosition.line === start.line ? anchorPosition.column - 1 : start.column - 1);
  const { text, columns } = expandTabs(window.shown);
  const toShown = (index: number): number => Math.min(Math.max(index, window.from), window.to) - window.shift;
  const startIndex = toShown(Math.min(start.column - 1, rawLine.length));
  const end = file.position(Math.max(span.end, span.start));
  const endIndex = toShown(end.line === start.line ? Math.min(end.column - 1, rawLine.length) : rawLine.length);
  const underlineStart = columns[startIndex] ?? text.length;
  const underlineEnd = columns[endIndex] ?? text.length;
  return { lineNumber: start.line, text, underlineStart, underlineLength: Math.max(1, underlineEnd - underlineStart) };
}

function gutterWidth(lineNumbers: number[]): number {
  return Math.max(4, ...lineNumbers.map((n) => String(n).length + 1));
}

interface Marker {
  ex: Excerpt;
  mark: string;
  message: string;
  codes: string;
}

/**
 * Each source line once, followed by the underlines of the markers on it: the primary marker's
 * line first (the line right after the header is always the offending source line), then the
 * others in line order.
 */
function markerLines(markers: Marker[], width: number, options: RenderOptions): string[] {
  const bar = paint('|', ANSI.blue, options);
  const first = markers[0]?.ex.lineNumber;
  const others = markers.map((m) => m.ex.lineNumber).filter((n) => n !== first).sort((a, b) => a - b);
  const lineNumbers = [...new Set([...(first === undefined ? [] : [first]), ...others])];
  const lines: string[] = [];
  for (const lineNumber of lineNumbers) {
    const onLine = markers.filter((m) => m.ex.lineNumber === lineNumber);
    lines.push(`${paint(String(lineNumber).padStart(width), ANSI.blue, options)} ${bar} ${onLine[0]!.ex.text}`.trimEnd());
    for (const { ex, mark, message, codes } of onLine) {
      const underline = mark.repeat(ex.underlineLength) + (message ? ` ${message}` : '');
      lines.push(`${' '.repeat(width)} ${bar} ${' '.repeat(ex.underlineStart)}${paint(underline, codes, options)}`);
    }
  }
  return lines;
}

function noteLine(note: string, width: number): string {
  const labelled = /^(note|help|hint):/.test(note) ? note : `note: ${note}`;
  return `${' '.repeat(width - 1)}= ${labelled}`;
}

export function renderDiagnostic(d: Diagnostic, defaultFile: SourceFile | undefined, options: RenderOptions = {}): string {
  const file = d.file ?? d.span?.file ?? defaultFile;
  const severity = paint(d.severity, ANSI.bold + SEVERITY_COLOR[d.severity], options);
  const message = paint(d.message, ANSI.bold, options);
  const lines: string[] = [];
  if (file && d.span) {
    lines.push(`${file.location(d.span.start)}: ${severity}: ${message}`);
  } else if (file) {
    lines.push(`${file.name}: ${severity}: ${message}`);
  } else {
    lines.push(`${severity}: ${message}`);
  }
  const markers: Marker[] = [];
  if (file && d.span) markers.push({ ex: excerpt(file, d.span), mark: '^', message: '', codes: SEVERITY_COLOR[d.severity] });
  for (const label of file ? d.labels ?? [] : []) {
    const labelFile = label.span.file ?? file!;
    markers.push({ ex: excerpt(labelFile, label.span, labelFile === file ? d.span?.start : undefined), mark: '-', message: label.message, codes: ANSI.blue });
  }
  const width = gutterWidth(markers.map((m) => m.ex.lineNumber));
  lines.push(...markerLines(markers, width, options));
  for (const note of d.notes ?? []) {
    for (const [i, noteText] of note.split('\n').entries()) {
      lines.push(i === 0 ? noteLine(noteText, width) : `${' '.repeat(width + 1)}${noteText}`);
    }
  }
  return lines.join('\n');
}

/** Renders a list sorted by position (stable; diagnostics without a position last), one after another. */
export function renderDiagnostics(list: readonly Diagnostic[], file: SourceFile | undefined, options: RenderOptions = {}): string {
  const sorted = list
    .map((d, index) => ({ d, index, key: d.span ? d.span.start : Number.POSITIVE_INFINITY }))
    .sort((a, b) => (a.key === b.key ? a.index - b.index : a.key < b.key ? -1 : 1))
    .map((x) => x.d);
  return sorted.map((d) => renderDiagnostic(d, file, options)).join('\n');
}

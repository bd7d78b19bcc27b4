/**
 * Source text, positions and diagnostics: shared by every stage of the pipeline.
 * Offsets are UTF-16 code unit offsets into `SourceFile.text`; lines and columns are 1-based.
 */

export interface Span {
  /** Offset of the first character. */
  start: number;
  /** Offset one past the last character. */
  end: number;
  /** The source the offsets refer to, when it is not the Modusfile (e.g. the goal text). */
  file?: SourceFile;
}

export type Severity = 'error' | 'warning' | 'note';

export interface Label {
  span: Span;
  message: string;
}

export interface Diagnostic {
  severity: Severity;
  message: string;
  /** Primary location; absent for diagnostics about a goal or the whole program. */
  span?: Span;
  /** Which source the span refers to; defaults to the Modusfile being processed. */
  file?: SourceFile;
  /** Secondary locations ("in rule", "previous kind was found to be ..."). */
  labels?: Label[];
  /** Free text shown after the source excerpt, one per line ("= note: ..."). */
  notes?: string[];
  /** The lint rule that found it (`SingletonVariable`, …; see docs/lint.md), when it has one. */
  code?: string;
}

export class SourceFile {
  private lineStarts: number[] | undefined;

  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  /** 1-based line and column of an offset (columns count UTF-16 code units, plus one). */
  position(offset: number): { line: number; column: number } {
    const starts = this.getLineStarts();
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - starts[lo]! + 1 };
  }

  /** The text of a 1-based line, without its line terminator. */
  lineText(line: number): string {
    const starts = this.getLineStarts();
    const start = starts[line - 1];
    if (start === undefined) return '';
    const next = starts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }

  /** `FILE:LINE:COL` of an offset. */
  location(offset: number): string {
    const { line, column } = this.position(offset);
    return `${this.name}:${line}:${column}`;
  }

  private getLineStarts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      for (let i = 0; i < this.text.length; i++) {
        if (this.text.charCodeAt(i) === 10) starts.push(i + 1);
      }
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

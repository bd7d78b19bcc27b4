/**
 * Writing values into Dockerfile instructions so that the Dockerfile frontend reads back exactly
 * the value: its word lexer treats `\`, `$` and quotes specially (tried against Docker 20.10's
 * built-in frontend: `\'` stays as is inside double quotes, everything else behaves like sh).
 */

/** A double-quoted word for ENV, LABEL, WORKDIR and USER (they expand `$VAR`). */
export function quoteWord(value: string): string {
  return `"${value.replace(/[\\$"]/g, (c) => `\\${c}`)}"`;
}

/** An element of a JSON-form instruction that expands variables (COPY). */
export function expandingJsonElement(value: string): string {
  return value.replace(/[\\$"']/g, (c) => `\\${c}`);
}

/** A JSON array as the exec and copy forms want it (no variable expansion for RUN/CMD/ENTRYPOINT). */
export function jsonArray(values: readonly string[]): string {
  return JSON.stringify(values);
}

/** A value that cannot be written on one Dockerfile line (the parser ends an instruction at a newline). */
export function breaksLine(value: string): boolean {
  return /[\n\r]/.test(value);
}

/** Characters the Dockerfile COPY treats as a wildcard pattern in a source path (no escape works). */
export function hasWildcard(path: string): boolean {
  return /[*?[\\]/.test(path);
}

/** Single-quoted for sh, safe for any value. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The number_* builtins: strings compared as 64-bit floats, read with exactly the grammar of
 * Rust's `f64::from_str` (one documented grammar, the same on every platform), not JavaScript's `Number()`, which also
 * accepts "", " 1", "0x10", "1_0"-like oddities and "Infinity" spellings Rust rejects.
 *
 *   float    ::= sign? ( "inf" | "infinity" | "nan" | decimal )     (words case-insensitive)
 *   decimal  ::= ( digits ( "." digits? )? | "." digits ) exponent?
 *   exponent ::= ( "e" | "E" ) sign? digits
 *   sign     ::= "+" | "-"
 */

export type NumberComparison = 'eq' | 'gt' | 'lt' | 'geq' | 'leq';

const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/** The value of `text` read as Rust's `f64::from_str` would, or undefined if Rust rejects it. */
export function parseRustFloat(text: string): number | undefined {
  if (DECIMAL.test(text)) {
    // The grammar above is a subset of what Number() accepts, and both round correctly
    // (round-half-to-even, overflow to ±Infinity), so Number() gives Rust's value.
    return Number(text);
  }
  const special = SPECIAL.exec(text);
  if (special === null) return undefined;
  if (special[2]!.toLowerCase() === 'nan') return NaN;
  return special[1] === '-' ? -Infinity : Infinity;
}

/** `a OP b` over the parsed floats; false when either side is unparseable or NaN. */
export function compareNumbers(op: NumberComparison, a: string, b: string): boolean {
  const x = parseRustFloat(a);
  const y = parseRustFloat(b);
  if (x === undefined || y === undefined) return false;
  switch (op) {
    case 'eq':
      return x === y;
    case 'gt':
      return x > y;
    case 'lt':
      return x < y;
    case 'geq':
      return x >= y;
    case 'leq':
      return x <= y;
  }
}

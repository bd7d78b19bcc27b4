/**
 * The semver_* builtins: a version (SemVer 2.0, with "1" and "1.2" padded to "1.0.0"/"1.2.0")
 * checked against one Cargo comparator made by prefixing `=`, `>`, `<`, `>=` or `<=` to the
 * requirement, with the semantics of the Rust `semver` crate 1.x (so that Modusfiles written against
 * Cargo's version rules keep their meaning):
 *
 * * A partial comparator only constrains the components it names: `=1.2` is `>=1.2.0, <1.3.0`;
 *   `>1.1` is `>=1.2.0`; `<=1` is `<2.0.0`; `<1.1` is `<1.1.0`.
 * * A version with a pre-release only matches a comparator that has a pre-release on the same
 *   major.minor.patch (so `1.0.0-rc.1` does not satisfy `>0.9`).
 * * Build metadata is parsed and then ignored.
 */

export type SemverComparison = 'exact' | 'gt' | 'lt' | 'geq' | 'leq';

interface SemverVersion {
  major: bigint;
  minor: bigint;
  patch: bigint;
  /** Dot-separated pre-release identifiers; empty when there is none. */
  pre: string[];
}

type ComparatorOp = '=' | '>' | '<' | '>=' | '<=';

interface SemverComparator {
  op: ComparatorOp;
  major: bigint;
  minor: bigint | undefined;
  /** Only present when minor is. */
  patch: bigint | undefined;
  /** Only non-empty when patch is present. */
  pre: string[];
}

const PREFIX: Record<SemverComparison, ComparatorOp> = {
  exact: '=',
  gt: '>',
  lt: '<',
  geq: '>=',
  leq: '<=',
};

/** Whether `version` satisfies the comparator `<op><requirement>`; false when either is unparseable. */
export function compareSemver(op: SemverComparison, version: string, requirement: string): boolean {
  const parsedVersion = parseLenientVersion(version);
  if (parsedVersion === undefined) return false;
  const comparator = parseComparator(PREFIX[op] + requirement);
  if (comparator === undefined) return false;
  return matchesComparator(comparator, parsedVersion);
}

/** The version as written, else with ".0" appended, else with ".0.0" appended. */
export function parseLenientVersion(text: string): SemverVersion | undefined {
  return parseVersion(text) ?? parseVersion(text + '.0') ?? parseVersion(text + '.0.0');
}

// ---------------------------------------------------------------------------------------------
// Parsing: a tiny cursor-based reader, strict like the crate (no surrounding whitespace in a
// version; spaces allowed after the operator and at either end of a comparator).

const U64_MAX = (1n << 64n) - 1n;

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text.charAt(this.pos);
  }
  eat(char: string): boolean {
    if (this.text.startsWith(char, this.pos)) {
      this.pos += char.length;
      return true;
    }
    return false;
  }
  skipSpaces(): void {
    while (this.text.charAt(this.pos) === ' ') this.pos++;
  }

  /** A numeric component: digits, no leading zero, at most u64::MAX. */
  number(): bigint | undefined {
    const start = this.pos;
    while (isDigit(this.text.charCodeAt(this.pos))) this.pos++;
    const digits = this.text.slice(start, this.pos);
    if (digits.length === 0) return undefined;
    if (digits.length > 1 && digits.charAt(0) === '0') return undefined;
    const value = BigInt(digits);
    return value > U64_MAX ? undefined : value;
  }

  /**
   * Dot-separated identifiers of [0-9A-Za-z-]. Each must be non-empty; in a pre-release a
   * purely numeric identifier may not have a leading zero (build metadata may).
   */
  identifiers(forPrerelease: boolean): string[] | undefined {
    const parts: string[] = [];
    for (;;) {
      const start = this.pos;
      while (isIdentifierChar(this.text.charCodeAt(this.pos))) this.pos++;
      const part = this.text.slice(start, this.pos);
      if (part.length === 0) return undefined;
      if (forPrerelease && part.length > 1 && part.charAt(0) === '0' && isNumeric(part)) return undefined;
      parts.push(part);
      if (!this.eat('.')) return parts;
    }
  }
}

export function parseVersion(text: string): SemverVersion | undefined {
  const r = new Reader(text);
  const major = r.number();
  if (major === undefined || !r.eat('.')) return undefined;
  const minor = r.number();
  if (minor === undefined || !r.eat('.')) return undefined;
  const patch = r.number();
  if (patch === undefined) return undefined;
  const pre = preReleaseAndBuild(r);
  if (pre === undefined) return undefined;
  return r.done ? { major, minor, patch, pre } : undefined;
}

/** After `MAJOR.MINOR.PATCH`: `-PRE` (its identifiers) and `+BUILD` (read and dropped); undefined when malformed. */
function preReleaseAndBuild(r: Reader): string[] | undefined {
  const pre = r.eat('-') ? r.identifiers(true) : [];
  if (pre === undefined) return undefined;
  if (r.eat('+') && r.identifiers(false) === undefined) return undefined;
  return pre;
}

export function parseComparator(text: string): SemverComparator | undefined {
  const r = new Reader(text);
  r.skipSpaces();
  const op = readOp(r);
  if (op === undefined) return undefined;
  r.skipSpaces();
  const major = r.number();
  if (major === undefined) return undefined;
  let minor: bigint | undefined;
  let patch: bigint | undefined;
  let pre: string[] = [];
  if (r.eat('.')) {
    if (eatWildcard(r)) {
      // `1.*` and `1.*.*` only: a number after a wildcard is an error.
      if (r.eat('.') && !eatWildcard(r)) return undefined;
    } else {
      minor = r.number();
      if (minor === undefined) return undefined;
      if (r.eat('.')) {
        if (!eatWildcard(r)) {
          patch = r.number();
          if (patch === undefined) return undefined;
        }
      }
    }
  }
  if (patch !== undefined) {
    const parts = preReleaseAndBuild(r);
    if (parts === undefined) return undefined;
    pre = parts;
  }
  r.skipSpaces();
  return r.done ? { op, major, minor, patch, pre } : undefined;
}

function readOp(r: Reader): ComparatorOp | undefined {
  if (r.eat('>=')) return '>=';
  if (r.eat('<=')) return '<=';
  if (r.eat('=')) return '=';
  if (r.eat('>')) return '>';
  if (r.eat('<')) return '<';
  return undefined;
}

function eatWildcard(r: Reader): boolean {
  return r.eat('*') || r.eat('x') || r.eat('X');
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isIdentifierChar(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45;
}

function isNumeric(identifier: string): boolean {
  for (let i = 0; i < identifier.length; i++) if (!isDigit(identifier.charCodeAt(i))) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Matching.

function matchesComparator(c: SemverComparator, v: SemverVersion): boolean {
  if (!matchesIgnoringPrerelease(c, v)) return false;
  return v.pre.length === 0 || prereleaseAllowed(c, v);
}

function matchesIgnoringPrerelease(c: SemverComparator, v: SemverVersion): boolean {
  switch (c.op) {
    case '=':
      return isExact(c, v);
    case '>':
      return isGreater(c, v);
    case '<':
      return isLess(c, v);
    case '>=':
      return isExact(c, v) || isGreater(c, v);
    case '<=':
      return isExact(c, v) || isLess(c, v);
  }
}

function isExact(c: SemverComparator, v: SemverVersion): boolean {
  if (v.major !== c.major) return false;
  if (c.minor !== undefined && v.minor !== c.minor) return false;
  if (c.patch !== undefined && v.patch !== c.patch) return false;
  return comparePrerelease(v.pre, c.pre) === 0;
}

/** Strictly above everything the comparator's named components allow. */
function isGreater(c: SemverComparator, v: SemverVersion): boolean {
  if (v.major !== c.major) return v.major > c.major;
  if (c.minor === undefined) return false;
  if (v.minor !== c.minor) return v.minor > c.minor;
  if (c.patch === undefined) return false;
  if (v.patch !== c.patch) return v.patch > c.patch;
  return comparePrerelease(v.pre, c.pre) > 0;
}

/** Strictly below everything the comparator's named components allow. */
function isLess(c: SemverComparator, v: SemverVersion): boolean {
  if (v.major !== c.major) return v.major < c.major;
  if (c.minor === undefined) return false;
  if (v.minor !== c.minor) return v.minor < c.minor;
  if (c.patch === undefined) return false;
  if (v.patch !== c.patch) return v.patch < c.patch;
  return comparePrerelease(v.pre, c.pre) < 0;
}

function prereleaseAllowed(c: SemverComparator, v: SemverVersion): boolean {
  return c.pre.length > 0 && c.major === v.major && c.minor === v.minor && c.patch === v.patch;
}

/**
 * SemVer 2.0 precedence of pre-releases: none ranks above any; otherwise identifier by
 * identifier, numeric ones numerically and below alphanumeric ones, alphanumeric ones in ASCII
 * order, and a prefix ranks below the longer list.
 */
export function comparePrerelease(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return b.length - a.length;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const order = compareIdentifier(a[i]!, b[i]!);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

function compareIdentifier(a: string, b: string): number {
  const aNumeric = isNumeric(a);
  const bNumeric = isNumeric(b);
  if (aNumeric && bNumeric) {
    // No leading zeros, so the longer number is the bigger one.
    if (a.length !== b.length) return a.length - b.length;
  } else if (aNumeric !== bNumeric) {
    return aNumeric ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * How the builtin predicates evaluate; their signatures (arity, kind, modes,
 * layers) are the language's (`language/builtins.ts`). Evaluation sees string values
 * (undefined = unbound) and returns the ground argument tuples that make the literal true.
 */
import { BUILTINS, parseOperatorMarker, type BuiltinSignature } from '../language';
import { compareNumbers, type NumberComparison } from './builtins/number';
import { compareSemver, type SemverComparison } from './builtins/semver';

export type BuiltinValue = string | undefined;

/** What a builtin gives back: false (fails), true (holds as called, all ground), or tuples. */
type BuiltinOutcome = boolean | string[][];

export interface BuiltinContext {
  /** `build_arg` facts, sorted by key. */
  buildArgs: ReadonlyArray<readonly [string, string]>;
}

export interface Builtin {
  name: string;
  /** Number of arguments; undefined for the operator markers (any arity). */
  arity: number | undefined;
  /** Each mode: one flag per argument, true = must be ground. Undefined = all must be ground. */
  modes: boolean[][] | undefined;
  /** Layers a proof gets from this builtin (run/copy: 1). */
  layers: number;
  /** Whether a ground list may be an argument (only the markers of set_entrypoint/set_cmd). */
  acceptsLists: boolean;
  evaluate(args: readonly BuiltinValue[], context: BuiltinContext): BuiltinOutcome;
}

const succeeds = (): BuiltinOutcome => true;

function comparison(test: (a: string, b: string) => boolean) {
  return ([a, b]: readonly BuiltinValue[]): BuiltinOutcome => test(a!, b!);
}

function stringConcat([a, b, c]: readonly BuiltinValue[]): BuiltinOutcome {
  if (a !== undefined && b !== undefined) {
    if (c === undefined) return [[a, b, a + b]];
    return a + b === c;
  }
  if (b !== undefined && c !== undefined) {
    return c.endsWith(b) ? [[c.slice(0, c.length - b.length), b, c]] : false;
  }
  if (a !== undefined && c !== undefined) {
    return c.startsWith(a) ? [[a, c.slice(a.length), c]] : false;
  }
  return false;
}

function stringEq([a, b]: readonly BuiltinValue[]): BuiltinOutcome {
  if (a !== undefined && b !== undefined) return a === b;
  const value = a ?? b;
  return value === undefined ? false : [[value, value]];
}

/** Length in Unicode code points, as a decimal string; a given length is checked as a string. */
function stringLength([s, l]: readonly BuiltinValue[]): BuiltinOutcome {
  let count = 0;
  for (const _ of s!) count++;
  const text = String(count);
  if (l !== undefined) return l === text;
  return [[s!, text]];
}

function buildArg([k, v]: readonly BuiltinValue[], context: BuiltinContext): BuiltinOutcome {
  const out: string[][] = [];
  for (const [key, value] of context.buildArgs) {
    if ((k === undefined || k === key) && (v === undefined || v === value)) out.push([key, value]);
  }
  return out;
}

const EVALUATIONS: Record<string, Builtin['evaluate']> = {
  from: succeeds,
  run: succeeds,
  copy: succeeds,
  string_concat: stringConcat,
  string_eq: stringEq,
  string_length: stringLength,
  build_arg: buildArg,
  ...Object.fromEntries(
    (['eq', 'gt', 'lt', 'geq', 'leq'] as NumberComparison[]).map((op) => [
      `number_${op}`,
      comparison((a, b) => compareNumbers(op, a, b)),
    ]),
  ),
  ...Object.fromEntries(
    (['exact', 'gt', 'lt', 'geq', 'leq'] as SemverComparison[]).map((op) => [
      `semver_${op}`,
      comparison((a, b) => compareSemver(op, a, b)),
    ]),
  ),
};

function evaluated(signature: BuiltinSignature): Builtin {
  const evaluate = EVALUATIONS[signature.name];
  if (!evaluate) throw new Error(`builtin ${signature.name} has no evaluation`);
  const { name, arity, modes, layers } = signature;
  return { name, arity, modes, layers, acceptsLists: false, evaluate };
}

const TABLE: Builtin[] = BUILTINS.map(evaluated);

const BY_NAME = new Map<string, Builtin>(TABLE.map((b) => [b.name, b]));

const markers = new Map<string, Builtin>();

function markerBuiltin(name: string): Builtin {
  let b = markers.get(name);
  if (!b) {
    b = { name, arity: undefined, modes: undefined, layers: 0, acceptsLists: true, evaluate: succeeds };
    markers.set(name, b);
  }
  return b;
}

/** The builtin called `name`, whatever the arity (operator markers included), or undefined. */
export function builtinNamed(name: string): Builtin | undefined {
  const b = BY_NAME.get(name);
  if (b) return b;
  return parseOperatorMarker(name) ? markerBuiltin(name) : undefined;
}

/** The builtin for `name` with `arity` arguments; a wrong arity gives undefined. */
export function lookupBuiltin(name: string, arity: number): Builtin | undefined {
  const b = builtinNamed(name);
  return b && (b.arity === undefined || b.arity === arity) ? b : undefined;
}

/** Index of the first mode whose ground positions are all ground, or -1 (the literal waits). */
export function fittingMode(builtin: Builtin, ground: readonly boolean[]): number {
  if (builtin.modes === undefined) return ground.every((g) => g) ? 0 : -1;
  for (let m = 0; m < builtin.modes.length; m++) {
    const mode = builtin.modes[m]!;
    let fits = true;
    for (let i = 0; i < mode.length; i++) {
      if (mode[i] && !ground[i]) {
        fits = false;
        break;
      }
    }
    if (fits) return m;
  }
  return -1;
}

/**
 * `fittingMode` for a literal whose ground arguments are given as bits (bit j = argument j is
 * ground), so the engine needs no array per check. Arity must stay below 31.
 */
export function fittingModeBits(builtin: Builtin, ground: number, arity: number): number {
  const modes = builtin.modes;
  if (modes === undefined) return ground === (1 << arity) - 1 ? 0 : -1;
  for (let m = 0; m < modes.length; m++) {
    const mode = modes[m]!;
    let fits = true;
    for (let i = 0; i < mode.length; i++) {
      if (mode[i] && (ground & (1 << i)) === 0) {
        fits = false;
        break;
      }
    }
    if (fits) return m;
  }
  return -1;
}

/**
 * The builtin predicates: name, arity, kind, modes and the layers a proof gets
 * from each. Their evaluation lives in the solver (`solver/builtins.ts`); everything else any
 * stage needs to know about a builtin is here.
 */
import type { Kind } from './kinds';

export interface BuiltinSignature {
  name: string;
  arity: number;
  kind: Kind;
  /**
   * Each mode: one flag per argument, true = must be ground when the literal is selected. Modes
   * are tried in order and the first that fits is used.
   */
  modes: boolean[][];
  /** Layers a proof gets from this builtin (run/copy: 1). */
  layers: number;
}

const G = true;
const U = false;

function comparison(name: string): BuiltinSignature {
  return { name, arity: 2, kind: 'Logic', modes: [[G, G]], layers: 0 };
}

export const BUILTINS: readonly BuiltinSignature[] = [
  { name: 'from', arity: 1, kind: 'Image', modes: [[G]], layers: 0 },
  { name: 'run', arity: 1, kind: 'Layer', modes: [[G]], layers: 1 },
  { name: 'copy', arity: 2, kind: 'Layer', modes: [[G, G]], layers: 1 },
  {
    name: 'string_concat',
    arity: 3,
    kind: 'Logic',
    modes: [
      [G, G, U],
      [U, G, G],
      [G, U, G],
    ],
    layers: 0,
  },
  {
    name: 'string_eq',
    arity: 2,
    kind: 'Logic',
    modes: [
      [G, U],
      [U, G],
    ],
    layers: 0,
  },
  { name: 'string_length', arity: 2, kind: 'Logic', modes: [[G, U]], layers: 0 },
  { name: 'build_arg', arity: 2, kind: 'Logic', modes: [[U, U]], layers: 0 },
  ...['eq', 'gt', 'lt', 'geq', 'leq'].map((op) => comparison(`number_${op}`)),
  ...['exact', 'gt', 'lt', 'geq', 'leq'].map((op) => comparison(`semver_${op}`)),
];

const BY_NAME = new Map<string, BuiltinSignature>(BUILTINS.map((b) => [b.name, b]));

export function builtinSignature(name: string): BuiltinSignature | undefined {
  return BY_NAME.get(name);
}

/** Builtin predicate kinds, by name. */
export const BUILTIN_KINDS: ReadonlyMap<string, Kind> = new Map<string, Kind>(BUILTINS.map((b) => [b.name, b.kind]));

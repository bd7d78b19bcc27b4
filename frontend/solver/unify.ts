/**
 * Unification over IR terms: constants, variables and lists (no function symbols, so no occurs
 * check is needed). This is the readable, IR-level version used by the explanation views and
 * tests; the solver's hot loop works on interned terms (engine.ts) with the same rules.
 */
import { renamedApart } from '../language';
import type { IRClause, IRLiteral, IRTerm } from '../language/ir';

/** Variable name → term. Kept idempotent by `unify` (no bound variable occurs in a value). */
export type Substitution = Map<string, IRTerm>;

/** Follows variable bindings until an unbound variable or a non-variable term. */
function deref(term: IRTerm, s: Substitution): IRTerm {
  let t = term;
  while (t.kind === 'var') {
    const bound = s.get(t.name);
    if (bound === undefined) return t;
    t = bound;
  }
  return t;
}

/**
 * The most general unifier of `a` and `b` extending `s` (a new map; `s` is not changed), or
 * undefined. A variable on the left is bound to the term on the right, so `p(Y, Y)` against
 * `p(X, Z)` gives Y→Z, X→Z.
 */
export function unify(a: IRTerm, b: IRTerm, s: Substitution = new Map()): Substitution | undefined {
  const out = new Map(s);
  return unifyInto(a, b, out) ? normalize(out) : undefined;
}

/** Unifies two literals: same predicate, same arity, arguments pairwise (sign is ignored). */
export function unifyLiterals(a: IRLiteral, b: IRLiteral, s: Substitution = new Map()): Substitution | undefined {
  if (a.predicate !== b.predicate || a.args.length !== b.args.length) return undefined;
  const out = new Map(s);
  for (let i = 0; i < a.args.length; i++) {
    if (!unifyInto(a.args[i]!, b.args[i]!, out)) return undefined;
  }
  return normalize(out);
}

function unifyInto(a: IRTerm, b: IRTerm, s: Substitution): boolean {
  const x = deref(a, s);
  const y = deref(b, s);
  if (x.kind === 'var') {
    if (y.kind === 'var' && y.name === x.name) return true;
    s.set(x.name, y);
    return true;
  }
  if (y.kind === 'var') {
    s.set(y.name, x);
    return true;
  }
  if (x.kind === 'const') return y.kind === 'const' && x.value === y.value;
  if (y.kind !== 'list' || y.items.length !== x.items.length) return false;
  for (let i = 0; i < x.items.length; i++) {
    if (!unifyInto(x.items[i]!, y.items[i]!, s)) return false;
  }
  return true;
}

/** Rewrites every value fully (so the map is idempotent), keeping insertion order. */
function normalize(s: Substitution): Substitution {
  for (const [name, value] of s) s.set(name, applyTerm(value, s));
  return s;
}

function applyTerm(term: IRTerm, s: Substitution): IRTerm {
  const t = deref(term, s);
  if (t.kind === 'list') return { kind: 'list', items: t.items.map((item) => applyTerm(item, s)) };
  return t;
}

export function applyLiteral(literal: IRLiteral, s: Substitution): IRLiteral {
  return { ...literal, args: literal.args.map((arg) => applyTerm(arg, s)) };
}

export function isGround(term: IRTerm): boolean {
  if (term.kind === 'var') return false;
  if (term.kind === 'list') return term.items.every(isGround);
  return true;
}

export function termVariables(term: IRTerm, into: string[] = []): string[] {
  if (term.kind === 'var') {
    if (!into.includes(term.name)) into.push(term.name);
  } else if (term.kind === 'list') {
    for (const item of term.items) termVariables(item, into);
  }
  return into;
}

/**
 * The clause with every variable renamed by `rename` (the same name always gets the same new
 * name, so variables shared between head and body, or inside lists, stay shared).
 */
function renameClause(clause: IRClause, rename: (name: string) => string): IRClause {
  const renamed = new Map<string, string>();
  const fresh = (name: string): string => {
    let n = renamed.get(name);
    if (n === undefined) {
      n = rename(name);
      renamed.set(name, n);
    }
    return n;
  };
  const term = (t: IRTerm): IRTerm => {
    if (t.kind === 'var') return { kind: 'var', name: fresh(t.name) };
    if (t.kind === 'list') return { kind: 'list', items: t.items.map(term) };
    return t;
  };
  const literal = (l: IRLiteral): IRLiteral => ({ ...l, args: l.args.map(term) });
  return { ...clause, head: literal(clause.head), body: clause.body.map(literal) };
}

/** Renames a clause apart from everything else by suffixing its variables with `#<n>`. */
export function renameApart(clause: IRClause, n: number): IRClause {
  return renameClause(clause, (name) => renamedApart(name, n));
}

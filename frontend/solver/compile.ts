/**
 * Compiles an IR program into the solver's indexed form: interned constants, variables numbered
 * per clause, clauses grouped by predicate name/arity and indexed by a constant first argument,
 * builtins looked up once, and each clause's operator scopes (for the layer count).
 */
import type { IRClause, IRLiteral, IRProgram, IRTerm } from '../translate/ir';
import { parseOperatorMarker } from '../translate/ir';
import { builtinNamed, lookupBuiltin, type Builtin } from './builtins';
import { clausePositions, signatureKey } from './groundness';
import { Interner, variableAt, type Term } from './terms';
import type { Table } from './engine';

export interface CLiteral {
  positive: boolean;
  predicate: string;
  args: Term[];
  /** User clauses for this name/arity, if any. */
  pred: Predicate | undefined;
  /** The builtin of this name and arity, if any. */
  builtin: Builtin | undefined;
  /** The name is a builtin's, whatever the arity (a wrong arity waits instead of being unknown). */
  builtinName: boolean;
  source: IRLiteral;
}

/** A body position, or an operator scope around some of them (what the layer count needs). */
export interface Scope {
  op: string;
  items: (number | Scope)[];
}

export interface CClause {
  id: number;
  head: Term[];
  body: CLiteral[];
  nVars: number;
  varNames: string[];
  /** Set when the body has a `::merge` or `::copy` scope; undefined means every position counts plainly. */
  scopes: Scope | undefined;
  /** For each body position, whether it counts as inside a merge: when the clause itself is counted
   * plainly (index 0) and when it is itself inside a merge (index 1). */
  insideMerge: [boolean[], boolean[]] | undefined;
  source: IRClause | undefined;
}

export interface Predicate {
  name: string;
  arity: number;
  key: string;
  clauses: CClause[];
  /** Per position: true when it may be called unbound (reference 1.8). */
  signature: boolean[];
  /** Every clause is a fact: resolved by direct lookup instead of a table. */
  factsOnly: boolean;
  /** Clauses by constant first argument (each list also holds the non-constant-first clauses, in order). */
  byFirst: Map<number, CClause[]> | undefined;
  nonConstFirst: CClause[];
  tables: Map<string | number, Table>;
}

export interface CompiledProgram {
  interner: Interner;
  predicates: Map<string, Predicate>;
}

const INDEX_THRESHOLD = 4;

export function compileProgram(program: IRProgram, interner: Interner): CompiledProgram {
  const predicates = new Map<string, Predicate>();
  const compiled: { clause: IRClause; pred: Predicate }[] = [];
  for (const clause of program.clauses) {
    const arity = clause.head.args.length;
    const key = signatureKey(clause.head.predicate, arity);
    let pred = predicates.get(key);
    if (!pred) {
      pred = {
        name: clause.head.predicate,
        arity,
        key,
        clauses: [],
        signature: new Array<boolean>(arity).fill(true),
        factsOnly: true,
        byFirst: undefined,
        nonConstFirst: [],
        tables: new Map(),
      };
      predicates.set(key, pred);
    }
    if (clause.body.length === 0) {
      // A fact: only constants (and lists of them) may be called unbound.
      clause.head.args.forEach((arg, i) => {
        if (arg.kind !== 'const' && !(arg.kind === 'list' && isConstList(arg))) pred.signature[i] = false;
      });
    } else {
      const positions = clausePositions(clause);
      for (let i = 0; i < arity; i++) pred.signature[i] = pred.signature[i]! && positions[i]!;
    }
    if (clause.body.length > 0) pred.factsOnly = false;
    compiled.push({ clause, pred });
  }
  const program_: CompiledProgram = { interner, predicates };
  for (const { clause, pred } of compiled) pred.clauses.push(compileClause(clause, program_));
  for (const pred of predicates.values()) buildIndex(pred);
  return program_;
}

function buildIndex(pred: Predicate): void {
  if (pred.arity === 0) return;
  const firsts = pred.clauses.map((c) => c.head[0]!);
  pred.nonConstFirst = pred.clauses.filter((_, i) => !isConst(firsts[i]!));
  if (pred.clauses.length < INDEX_THRESHOLD) return;
  const byFirst = new Map<number, CClause[]>();
  for (const first of firsts) if (isConst(first) && !byFirst.has(first as number)) byFirst.set(first as number, []);
  // Each list keeps clause order: its own constant's clauses interleaved with the non-constant ones.
  pred.clauses.forEach((clause, i) => {
    const first = firsts[i]!;
    if (isConst(first)) byFirst.get(first as number)!.push(clause);
    else for (const list of byFirst.values()) list.push(clause);
  });
  pred.byFirst = byFirst;
}

function isConstList(term: IRTerm): boolean {
  return term.kind === 'const' || (term.kind === 'list' && term.items.every(isConstList));
}

function isConst(term: Term): boolean {
  return typeof term === 'number' && term >= 0;
}

/** The clauses worth trying for a call whose first argument is `first` (-1 when unbound). */
export function candidateClauses(pred: Predicate, first: number): CClause[] {
  if (first < 0 || pred.byFirst === undefined) return pred.clauses;
  return pred.byFirst.get(first) ?? pred.nonConstFirst;
}

class VariableNumbering {
  readonly names: string[] = [];

  slot(name: string): number {
    // Clauses have few variables: a linear scan beats allocating a Map per clause.
    let s = this.names.indexOf(name);
    if (s < 0) {
      s = this.names.length;
      this.names.push(name);
    }
    return s;
  }
}

export function compileTerm(term: IRTerm, vars: VariableNumbering, interner: Interner): Term {
  switch (term.kind) {
    case 'const':
      return interner.string(term.value);
    case 'var':
      return variableAt(vars.slot(term.name));
    case 'list': {
      const items = term.items.map((item) => compileTerm(item, vars, interner));
      if (items.every(isConst)) return interner.list(items as number[]);
      return { items };
    }
  }
}

export function compileLiteral(literal: IRLiteral, vars: VariableNumbering, program: CompiledProgram): CLiteral {
  const arity = literal.args.length;
  return {
    positive: literal.positive,
    predicate: literal.predicate,
    args: literal.args.map((arg) => compileTerm(arg, vars, program.interner)),
    pred: program.predicates.get(signatureKey(literal.predicate, arity)),
    builtin: lookupBuiltin(literal.predicate, arity),
    builtinName: builtinNamed(literal.predicate) !== undefined,
    source: literal,
  };
}

export function compileClause(clause: IRClause, program: CompiledProgram): CClause {
  const vars = new VariableNumbering();
  const head = clause.head.args.map((arg) => compileTerm(arg, vars, program.interner));
  return compileBody(clause.id, head, clause.body, vars, program, clause);
}

/** The goal as a clause of its own (id -1) whose body is the goal's literals. */
export function compileGoal(goal: IRLiteral[], program: CompiledProgram): CClause {
  return compileBody(-1, [], goal, new VariableNumbering(), program, undefined);
}

function compileBody(
  id: number,
  head: Term[],
  literals: IRLiteral[],
  vars: VariableNumbering,
  program: CompiledProgram,
  source: IRClause | undefined,
): CClause {
  const body = literals.map((literal) => compileLiteral(literal, vars, program));
  const scopes = literals.length === 0 ? undefined : scopeTree(literals);
  const layered = scopes !== undefined && hasLayerScope(scopes);
  return {
    id,
    head,
    body,
    nVars: vars.names.length,
    varNames: vars.names,
    scopes: layered ? scopes : undefined,
    insideMerge: layered ? [mergeFlags(scopes, literals.length, false), mergeFlags(scopes, literals.length, true)] : undefined,
    source,
  };
}

/** Nests body positions inside the operator scopes their begin/end markers delimit. */
export function scopeTree(literals: readonly IRLiteral[]): Scope | undefined {
  const root: Scope = { op: '', items: [] };
  const open: Scope[] = [root];
  let any = false;
  literals.forEach((literal, i) => {
    const marker = parseOperatorMarker(literal.predicate);
    const top = open[open.length - 1]!;
    if (marker?.edge === 'begin') {
      any = true;
      const scope: Scope = { op: marker.op, items: [i] };
      top.items.push(scope);
      open.push(scope);
    } else if (marker?.edge === 'end' && open.length > 1 && top.op === marker.op) {
      top.items.push(i);
      open.pop();
    } else {
      top.items.push(i);
    }
  });
  return any ? root : undefined;
}

function hasLayerScope(scope: Scope): boolean {
  if (scope.op === 'merge' || scope.op === 'copy') return true;
  return scope.items.some((item) => typeof item !== 'number' && hasLayerScope(item));
}

/** Which positions are inside a merge (a `::copy` operand is its own image: never inside). */
function mergeFlags(root: Scope, length: number, startInside: boolean): boolean[] {
  const flags = new Array<boolean>(length).fill(false);
  const walk = (scope: Scope, inside: boolean): void => {
    const here = scope.op === 'copy' ? false : inside || scope.op === 'merge';
    for (const item of scope.items) {
      if (typeof item === 'number') flags[item] = here;
      else walk(item, here);
    }
  };
  walk(root, startInside);
  return flags;
}

/**
 * Compiles an IR program into the solver's indexed form: interned constants, variables numbered
 * per clause, clauses grouped by predicate name/arity and indexed by a constant first argument,
 * builtins looked up once, and each clause's operator scopes (for the layer count).
 */
import type { IRClause, IRLiteral, IRProgram, IRTerm } from '../language/ir';
import { isFormatChainStep, isNegationHelper, parseOperatorMarker } from '../language';
import { builtinNamed, lookupBuiltin, type Builtin } from './builtins';
import { clausePositions, signatureKey } from './groundness';
import { Interner, variableAt, type Term } from './terms';

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
interface Scope {
  op: string;
  items: (number | Scope)[];
}

export interface CClause {
  id: number;
  head: Term[];
  body: CLiteral[];
  nVars: number;
  varNames: string[];
  /** The head is all ground ids (every fact of constants): matched without renaming. */
  groundHead: boolean;
  /** For each body position, whether it counts as inside a merge: when the clause itself is counted
   * plainly (index 0) and when it is itself inside a merge (index 1). Undefined when the body has
   * no `::merge` or `::copy` scope: then every position counts as the clause does. */
  insideMerge: [boolean[], boolean[]] | undefined;
  /** With `insideMerge`: the layers the body's own `::merge` and `::copy` scopes add, counted
   * plainly (index 0) and inside a merge (index 1). */
  scopeLayers: [number, number] | undefined;
  /**
   * The body positions whose child a derivation keeps (see engine `Derivation`): those a user
   * predicate may resolve. Any other position's child follows from its literal.
   */
  kept: number[];
  /** Per body position, its index in `kept`, or -1. */
  keptIndex: number[];
  /**
   * How many variable slots a derivation keeps: a clause's, all but the texts so far of its
   * f-strings, which are numbered last; the goal's, all of them.
   */
  keptVars: number;
  /** Per body position where an f-string's chain of `string_concat` steps starts: the chain. */
  chains: (FormatChain | undefined)[] | undefined;
  source: IRClause | undefined;
}

/**
 * Consecutive steps `string_concat(P0, P1, $f1), string_concat($f1, P2, $f2), ...` of one f-string,
 * whose intermediate texts are used nowhere else: the engine makes the whole text at once when
 * every piece has a value, instead of one builtin call per piece.
 */
export interface FormatChain {
  /** Body positions `start .. end` (inclusive). */
  start: number;
  end: number;
  /** P0, P1, ...: the texts joined. */
  pieces: Term[];
  /** Each step's output (the last is the f-string's text). */
  outputs: Term[];
}

export interface Predicate {
  /** Position in creation order: the engine keeps its per-predicate tables by it. */
  id: number;
  name: string;
  arity: number;
  key: string;
  clauses: CClause[];
  /** Per position: true when it may be called unbound (its groundness signature). */
  signature: boolean[];
  /** Every clause is a fact: resolved by direct lookup instead of a table. */
  factsOnly: boolean;
  /** Per argument position, built on first use: clauses by the constant at that position (each
   * list also holds the clauses with a non-constant there, in clause order). */
  indexes: (Map<number, CClause[]> | undefined)[];
  /** Per argument position, built with its index: the clauses with a non-constant there. */
  nonConstant: (CClause[] | undefined)[];
}

export interface CompiledProgram {
  interner: Interner;
  predicates: Map<string, Predicate>;
  /**
   * Negation helpers that stand for one plain literal (`_negate_N(X, Y) :- p(X, "c", Y).`), by name:
   * a call `!_negate_N(a, b)` is compiled as `!p(a, "c", b)`, so a negated literal costs no table per
   * call (the answer is the same: the helper has exactly one proof when the literal has one).
   */
  negatedLiterals: Map<string, IRClause>;
}

const INDEX_THRESHOLD = 4;

export function compileProgram(program: IRProgram, interner: Interner): CompiledProgram {
  const predicates = new Map<string, Predicate>();
  const owners: Predicate[] = [];
  let pred: Predicate | undefined;
  for (const clause of program.clauses) {
    const arity = clause.head.args.length;
    // Clauses of one predicate usually come together: skip the key and the lookup then.
    if (pred === undefined || pred.name !== clause.head.predicate || pred.arity !== arity) {
      pred = predicates.get(signatureKey(clause.head.predicate, arity));
    }
    if (!pred) {
      const key = signatureKey(clause.head.predicate, arity);
      pred = {
        id: predicates.size,
        name: clause.head.predicate,
        arity,
        key,
        clauses: [],
        signature: new Array<boolean>(arity).fill(true),
        factsOnly: true,
        indexes: new Array(arity).fill(undefined),
        nonConstant: new Array(arity).fill(undefined),
      };
      predicates.set(key, pred);
    }
    if (clause.body.length === 0) {
      // A fact: only constants (and lists of them) may be called unbound.
      const args = clause.head.args;
      for (let i = 0; i < args.length; i++) {
        const arg = args[i]!;
        if (arg.kind !== 'const' && !(arg.kind === 'list' && isConstList(arg))) pred.signature[i] = false;
      }
    } else {
      const positions = clausePositions(clause);
      for (let i = 0; i < arity; i++) pred.signature[i] = pred.signature[i]! && positions[i]!;
    }
    if (clause.body.length > 0) pred.factsOnly = false;
    owners.push(pred);
  }
  const compiled: CompiledProgram = { interner, predicates, negatedLiterals: negatedLiterals(program) };
  program.clauses.forEach((clause, i) => owners[i]!.clauses.push(compileClause(clause, compiled)));
  return compiled;
}

function buildIndex(pred: Predicate, position: number): Map<number, CClause[]> {
  const index = new Map<number, CClause[]>();
  const nonConstant: CClause[] = [];
  // Each list keeps clause order: its own constant's clauses interleaved with the non-constant ones.
  for (const clause of pred.clauses) {
    const value = clause.head[position]!;
    if (isConst(value)) {
      let list = index.get(value as number);
      if (list === undefined) {
        list = nonConstant.slice();
        index.set(value as number, list);
      }
      list.push(clause);
    } else {
      nonConstant.push(clause);
      for (const list of index.values()) list.push(clause);
    }
  }
  pred.indexes[position] = index;
  pred.nonConstant[position] = nonConstant;
  return index;
}

function isConstList(term: IRTerm): boolean {
  return term.kind === 'const' || (term.kind === 'list' && term.items.every(isConstList));
}

function isConst(term: Term): boolean {
  return typeof term === 'number' && term >= 0;
}

/**
 * The clauses worth trying for a call with the constant `id` at argument `position`: those with
 * that constant or a non-constant there, in clause order (small predicates are not indexed).
 */
export function clausesWith(pred: Predicate, position: number, id: number): CClause[] {
  if (pred.clauses.length < INDEX_THRESHOLD) return pred.clauses;
  const index = pred.indexes[position] ?? buildIndex(pred, position);
  return index.get(id) ?? pred.nonConstant[position]!;
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

function compileTerm(term: IRTerm, vars: VariableNumbering, interner: Interner): Term {
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

function compileLiteral(written: IRLiteral, vars: VariableNumbering, program: CompiledProgram): CLiteral {
  const literal = written.positive ? written : negatedLiteral(written, program);
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

/** `!_negate_N(args)` as the negated literal its helper stands for, or the call itself. */
function negatedLiteral(call: IRLiteral, program: CompiledProgram): IRLiteral {
  const helper = program.negatedLiterals.get(call.predicate);
  if (helper === undefined || helper.head.args.length !== call.args.length) return call;
  const argumentOf = new Map<string, IRTerm>();
  helper.head.args.forEach((param, i) => argumentOf.set((param as { name: string }).name, call.args[i]!));
  const literal = helper.body[0]!;
  const arity = literal.args.length;
  // An unknown predicate is reported inside the helper, at the literal's own position.
  if (!program.predicates.has(signatureKey(literal.predicate, arity)) && !lookupBuiltin(literal.predicate, arity)) return call;
  const args = literal.args.map((arg) => (arg.kind === 'var' ? argumentOf.get(arg.name)! : arg));
  return { ...call, predicate: literal.predicate, args };
}

/**
 * The negation helpers with one clause whose body is one positive plain literal using every head
 * variable and nothing else but constants (the translation of `!p(X, "c", Y)`).
 */
function negatedLiterals(program: IRProgram): Map<string, IRClause> {
  const single = new Map<string, IRClause | null>();
  for (const clause of program.clauses) {
    const name = clause.head.predicate;
    if (!isNegationHelper(name)) continue;
    single.set(name, single.has(name) ? null : clause);
  }
  const found = new Map<string, IRClause>();
  for (const [name, clause] of single) {
    if (clause !== null && standsForOneLiteral(clause)) found.set(name, clause);
  }
  return found;
}

function standsForOneLiteral(clause: IRClause): boolean {
  if (clause.body.length !== 1) return false;
  const literal = clause.body[0]!;
  if (!literal.positive || isNegationHelper(literal.predicate) || parseOperatorMarker(literal.predicate)) return false;
  const params = new Set<string>();
  for (const param of clause.head.args) {
    if (param.kind !== 'var' || params.has(param.name)) return false;
    params.add(param.name);
  }
  const used = new Set<string>();
  for (const arg of literal.args) {
    if (arg.kind === 'var') {
      if (!params.has(arg.name)) return false;
      used.add(arg.name);
    } else if (!isConstList(arg)) {
      return false;
    }
  }
  return used.size === params.size;
}

const NO_LITERALS: CLiteral[] = [];
const NO_POSITIONS: number[] = [];
const NO_NAMES: string[] = [];

function compileClause(clause: IRClause, program: CompiledProgram): CClause {
  if (clause.body.length === 0 && allConstants(clause.head.args)) return compileConstantFact(clause, program);
  const vars = new VariableNumbering();
  const firstTextSoFar = numberTextsSoFarLast(clause.head.args, clause.body, vars);
  const head = clause.head.args.map((arg) => compileTerm(arg, vars, program.interner));
  // A clause's derivation keeps no texts so far: no proof shows a clause's f-string steps.
  return compileBody(clause.id, head, clause.body, vars, program, clause, firstTextSoFar, firstTextSoFar);
}

/**
 * Numbers a clause's variables so that the texts so far of its f-strings (`$fN` made by one
 * `string_concat` step and read only by the next) come last, and returns the first of their slots.
 */
function numberTextsSoFarLast(head: readonly IRTerm[], body: readonly IRLiteral[], vars: VariableNumbering): number {
  const uses = new Map<string, number>();
  const count = (term: IRTerm): void => {
    if (term.kind === 'var') uses.set(term.name, (uses.get(term.name) ?? 0) + 1);
    else if (term.kind === 'list') term.items.forEach(count);
  };
  head.forEach(count);
  for (const literal of body) literal.args.forEach(count);
  const made = new Set<string>();
  const read = new Set<string>();
  for (const literal of body) {
    if (!isFormatChainStep(literal)) continue;
    const [input, , output] = literal.args;
    if (output?.kind === 'var') made.add(output.name);
    if (input?.kind === 'var') read.add(input.name);
  }
  const soFar = [...made].filter((name) => read.has(name) && uses.get(name) === 2);
  for (const name of uses.keys()) if (!soFar.includes(name)) vars.slot(name);
  const kept = vars.names.length;
  for (const name of soFar) vars.slot(name);
  return kept;
}

function allConstants(args: readonly IRTerm[]): boolean {
  for (let i = 0; i < args.length; i++) if (args[i]!.kind !== 'const') return false;
  return true;
}

/** A fact of string constants: the common case of large programs, compiled without extra allocation. */
function compileConstantFact(clause: IRClause, program: CompiledProgram): CClause {
  const args = clause.head.args;
  const head = new Array<Term>(args.length);
  for (let i = 0; i < args.length; i++) head[i] = program.interner.string((args[i] as { value: string }).value);
  return {
    id: clause.id,
    head,
    body: NO_LITERALS,
    nVars: 0,
    keptVars: 0,
    varNames: NO_NAMES,
    groundHead: true,
    insideMerge: undefined,
    scopeLayers: undefined,
    chains: undefined,
    kept: NO_POSITIONS,
    keptIndex: NO_POSITIONS,
    source: clause,
  };
}

/** The goal as a clause of its own (id -1) whose body is the goal's literals. */
export function compileGoal(goal: IRLiteral[], program: CompiledProgram): CClause {
  const vars = new VariableNumbering();
  const firstTextSoFar = numberTextsSoFarLast([], goal, vars);
  // The goal's derivation keeps every variable: a proof shown without the goal's f-strings prints its steps.
  return compileBody(-1, [], goal, vars, program, undefined, firstTextSoFar, vars.names.length);
}

function compileBody(
  id: number,
  head: Term[],
  literals: IRLiteral[],
  vars: VariableNumbering,
  program: CompiledProgram,
  source: IRClause | undefined,
  firstTextSoFar: number,
  keptVars: number,
): CClause {
  const body = literals.map((literal) => compileLiteral(literal, vars, program));
  const scopes = literals.length === 0 ? undefined : scopeTree(literals);
  const plain = scopes === undefined ? undefined : layerScopes(scopes, literals.length, false);
  const merged = scopes === undefined ? undefined : layerScopes(scopes, literals.length, true);
  const layered = plain !== undefined && merged !== undefined && plain.scopes > 0;
  return {
    id,
    head,
    body,
    nVars: vars.names.length,
    keptVars,
    varNames: vars.names,
    groundHead: vars.names.length === 0 && head.every(isConst),
    insideMerge: layered ? [plain.flags, merged.flags] : undefined,
    scopeLayers: layered ? [plain.layers, merged.layers] : undefined,
    chains: formatChains(body, firstTextSoFar),
    ...keptChildren(body),
    source,
  };
}

function keptChildren(body: CLiteral[]): { kept: number[]; keptIndex: number[] } {
  const kept: number[] = [];
  const keptIndex = body.map((lit, i) => (lit.positive && lit.pred !== undefined ? kept.push(i) - 1 : -1));
  return { kept, keptIndex };
}

function formatChains(body: CLiteral[], firstTextSoFar: number): (FormatChain | undefined)[] | undefined {
  let chains: (FormatChain | undefined)[] | undefined;
  for (let start = 0; start < body.length; start++) {
    if (!isChainStep(body[start]!)) continue;
    let end = start;
    while (end + 1 < body.length && continuesChain(body[end]!, body[end + 1]!, firstTextSoFar)) end++;
    if (end === start) continue;
    const steps = body.slice(start, end + 1);
    chains ??= new Array(body.length).fill(undefined);
    chains[start] = { start, end, pieces: [steps[0]!.args[0]!, ...steps.map((step) => step.args[1]!)], outputs: steps.map((step) => step.args[2]!) };
    start = end;
  }
  return chains;
}

function isChainStep(lit: CLiteral): boolean {
  return lit.positive && lit.builtin?.name === 'string_concat' && lit.pred === undefined && isFormatChainStep(lit.source);
}

/** `next` reads `step`'s output, a text so far (see numberTextsSoFarLast), as its first argument. */
function continuesChain(step: CLiteral, next: CLiteral, firstTextSoFar: number): boolean {
  const output = step.args[2]!;
  return isChainStep(next) && typeof output === 'number' && output < 0 && -1 - output >= firstTextSoFar && next.args[0] === output;
}

/** Nests body positions inside the operator scopes their begin/end markers delimit. */
function scopeTree(literals: readonly IRLiteral[]): Scope | undefined {
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

/**
 * Which positions are inside a merge (a `::copy` operand is its own image: never inside), and the
 * layers the scopes add: a `::merge` or a `::copy` adds one unless it is itself inside a merge.
 * `scopes` counts every `::merge` and `::copy` scope. A loop: scopes nest as deeply as operators.
 */
function layerScopes(root: Scope, length: number, startInside: boolean): { flags: boolean[]; layers: number; scopes: number } {
  const flags = new Array<boolean>(length).fill(false);
  let layers = 0;
  let scopes = 0;
  const pending: [Scope, boolean][] = [[root, startInside]];
  while (pending.length > 0) {
    const [scope, inside] = pending.pop()!;
    if (scope.op === 'merge' || scope.op === 'copy') {
      scopes++;
      if (!inside) layers++;
    }
    const here = scope.op === 'copy' ? false : inside || scope.op === 'merge';
    for (const item of scope.items) {
      if (typeof item === 'number') flags[item] = here;
      else pending.push([item, here]);
    }
  }
  return { flags, layers, scopes };
}

/**
 * The resolution engine: SLDNF with the delayed (leftmost selectable) selection rule inside each
 * clause body, and tabling of user predicate calls by call variant.
 *
 * A table holds the distinct answers of one call pattern (e.g. `reach("a", _0)`), each with its
 * cheapest derivation so far. Tables are evaluated depth first; recursive calls read the answers
 * found so far, and the leader of each strongly connected group of tables re-runs the group's
 * clauses until no answer that some consumer had already read was added or improved (a
 * fixpoint), so left recursion terminates with every answer, and a sub-goal's best proof is
 * computed once and shared by every caller. Predicates made only of facts are looked up
 * directly (indexed on any bound argument) without a table. Answers are kept as flat tuples of
 * interned ids; proofs are snapshots of the chosen derivations, turned into trees only on demand.
 *
 * A call whose clause gets stuck (a literal waiting for an argument nobody in the callee binds)
 * is delayed in its caller, which selects its other literals first and calls again once more is
 * bound; the groundness error is reported only when the caller cannot go on either.
 */
import type { IRLiteral, IRTerm } from '../translate/ir';
import type { CostFunction } from './proof';
import { diagnosticKey, type SolverDiagnostic } from './diagnostics';
import { fittingMode, fittingModeBits, type Builtin, type BuiltinContext, type BuiltinValue } from './builtins';
import { clausesWith, type CClause, type CLiteral, type CompiledProgram, type Predicate, type Scope } from './compile';
import { deref, groundId, isGroundTerm, shiftTerm, Trail, undo, unify, unifyGround, type Bindings, type Term } from './terms';
import { TupleSet } from './tuples';
import { isUserPredicate } from '../language';
import { closestMatch } from '../diagnostics/suggest';

const enum TableState {
  New,
  Evaluating,
  Complete,
}

/** One way an answer (or a goal solution) was proved: a clause and what proved each body literal. */
export interface Derivation {
  clause: CClause;
  /** Per body position: the callee's answer, the fact used, the builtin, or null (negation). */
  children: Child[];
  bind: Bindings;
}

type Child = Answer | CClause | Builtin | null;

export class Answer {
  /** Figures of the best derivations: L = layers, M = layers when inside a merge, H = height. */
  L = Infinity;
  M = Infinity;
  H = Infinity;
  /** Height of `bestM`. */
  HM = Infinity;
  best!: Derivation;
  /** The derivation with the fewest layers when used inside a `::merge` (layer costs only). */
  bestM!: Derivation;
  constructor(
    readonly table: Table,
    /** Its number in the table: its open arguments are tuple `index` of `table.tuples`. */
    readonly index: number,
  ) {}
}

interface Table {
  pred: Predicate;
  /** Call pattern: ground ids, or pattern variables -1-k numbered by first occurrence. */
  pattern: Term[];
  nPatternVars: number;
  /** Positions holding a variable (or a list with variables): what distinguishes answers. */
  openPositions: number[];
  state: TableState;
  dfn: number;
  low: number;
  stackPos: number;
  answers: Answer[];
  /** The answers' values at the open positions, answer k being tuple k. */
  tuples: TupleSet;
  /** Highest answer index a consumer has read during the current pass (incomplete tables). */
  consumedMax: number;
  /** Some consumer finished reading this table during the current pass. */
  consumerFinished: boolean;
  /** An answer was added or improved after a consumer had read past it: the group must re-run. */
  dirty: boolean;
  /**
   * Set when a clause of this call got stuck (no selectable literal, or a head left not ground)
   * before anyone read the table: callers then delay the call until more of its arguments are
   * bound, and report this only if they cannot (see `select`).
   */
  stuck: SolverDiagnostic | undefined;
  /** Some caller has read (or negated) this table: getting stuck now is an error at once. */
  read: boolean;
  /** The first call site, for messages. */
  site: IRLiteral;
}

export interface RootSolution {
  best: Derivation;
  L: number;
  M: number;
  H: number;
}

interface Run {
  clause: CClause;
  bind: Bindings;
  trail: Trail;
  done: Uint8Array;
  children: Child[];
  /** The table whose clause this is, or undefined for the goal itself. */
  owner: Table | undefined;
}

interface EngineOptions {
  cost: CostFunction;
  budget: number;
  buildArgs: ReadonlyArray<readonly [string, string]>;
  isAvailable?: (imageRef: string) => boolean | undefined;
  collectWarnings: boolean;
}

export class BudgetExceeded extends Error {
  constructor(readonly budget: number) {
    super(`resolution budget of ${budget} steps exceeded`);
  }
}

const MAX_DIAGNOSTICS = 100;

/**
 * A string a builtin makes costs a step per this many characters on top of the call: storing and
 * interning it takes time and memory in proportion to its length, so an endless derivation of
 * ever longer strings (`s(Y) :- s(X), string_concat(X, "a", Y)`) meets the budget in seconds
 * instead of after gigabytes.
 */
const CHARS_PER_STEP = 16;

export class Engine {
  steps = 0;
  readonly errors: SolverDiagnostic[] = [];
  readonly warnings: SolverDiagnostic[] = [];
  private readonly seen = new Set<string>();
  private readonly stack: Table[] = [];
  /** Per predicate id, its tables by call key: owned here so a compiled program can be solved again. */
  private readonly tables: (Map<string, Table> | undefined)[] = [];
  private dfnCounter = 0;
  private readonly builtinContext: BuiltinContext;
  private readonly availability = new Map<string, boolean | undefined>();
  private readonly roots: RootSolution[] = [];
  /** Per root, the ids of every goal argument (the goal's distinct ground instances). */
  private rootTuples: TupleSet | undefined;
  /** Scratch space for one tuple of ids (answers, roots): grown when needed, never shrunk. */
  private scratch = new Int32Array(16);
  /** Scratch value arrays for builtin calls, by arity (a builtin does not keep its arguments). */
  private readonly valueArrays: BuiltinValue[][] = [];
  /** The table of the call `select` just chose (already evaluated), for `resolvePositive`. */
  private selectedTable: Table | undefined;
  /** Figures of the derivation just completed (kept here to avoid allocating per success). */
  private fL = 0;
  private fM = 0;
  private fH = 0;
  private fHM = 0;

  constructor(
    readonly program: CompiledProgram,
    readonly options: EngineOptions,
  ) {
    this.builtinContext = { buildArgs: options.buildArgs };
  }

  /** All distinct solutions of the goal clause (its body), in order of discovery. */
  solveGoal(goal: CClause): RootSolution[] {
    const n = goal.body.length;
    const run: Run = {
      clause: goal,
      bind: new Array(goal.nVars),
      trail: new Trail(),
      done: new Uint8Array(n),
      children: new Array(n),
      owner: undefined,
    };
    this.step(run, n);
    return this.roots;
  }

  // ---- selection ----------------------------------------------------------------------------

  private step(run: Run, remaining: number): void {
    if (remaining === 0) {
      if (run.owner) this.addAnswer(run.owner, run);
      else this.addRoot(run);
      return;
    }
    const i = this.select(run);
    if (i < 0) return;
    const table = this.selectedTable;
    this.selectedTable = undefined;
    run.done[i] = 1;
    if (run.clause.body[i]!.positive) this.resolvePositive(run, i, remaining - 1, table);
    else this.resolveNegative(run, i, remaining - 1);
    run.done[i] = 0;
  }

  /**
   * Index of the leftmost selectable literal, or -1 after recording why there is none. A call of
   * a rule predicate is evaluated here (its table is left in `selectedTable`); if that call got
   * stuck waiting for an argument, it is passed over for now, as plain SLD resolution would
   * carry the callee's waiting literals into this body: a later literal may bind the argument,
   * and the call is then selected again as a new, more bound variant.
   */
  private select(run: Run): number {
    const body = run.clause.body;
    let delayed: Table | undefined;
    for (let i = 0; i < body.length; i++) {
      if (run.done[i]) continue;
      const lit = body[i]!;
      if (lit.pred === undefined && lit.builtin === undefined) {
        if (lit.builtinName) continue; // a builtin's name with the wrong arity never fits a mode
        this.unknownPredicate(lit);
        return -1;
      }
      if (!this.selectable(lit, run.bind)) continue;
      const pred = lit.pred;
      if (lit.positive && pred !== undefined && !pred.factsOnly && lit.builtin === undefined) {
        const table = this.tableFor(pred, lit, run.bind);
        if (table.state === TableState.New) this.evaluate(table);
        if (table.stuck !== undefined) {
          delayed ??= table;
          continue;
        }
        this.selectedTable = table;
      }
      return i;
    }
    this.stuck(run, delayed?.stuck);
    return -1;
  }

  private selectable(lit: CLiteral, bind: Bindings): boolean {
    if (!lit.positive) {
      for (const arg of lit.args) if (!isGroundTerm(arg, bind)) return false;
      return true;
    }
    if (lit.builtin !== undefined && this.modeFits(lit.builtin, lit.args, bind)) return true;
    return lit.pred !== undefined && this.signatureHolds(lit.pred, lit.args, bind);
  }

  private modeFits(builtin: Builtin, args: Term[], bind: Bindings): boolean {
    if (args.length > 30) return fittingMode(builtin, args.map((arg) => isGroundTerm(arg, bind))) >= 0;
    let ground = 0;
    for (let j = 0; j < args.length; j++) if (isGroundTerm(args[j]!, bind)) ground |= 1 << j;
    return fittingModeBits(builtin, ground, args.length) >= 0;
  }

  private signatureHolds(pred: Predicate, args: Term[], bind: Bindings): boolean {
    const signature = pred.signature;
    for (let j = 0; j < args.length; j++) {
      if (!signature[j] && !isGroundTerm(args[j]!, bind)) return false;
    }
    return true;
  }

  // ---- resolution ---------------------------------------------------------------------------

  private resolvePositive(run: Run, i: number, rest: number, table: Table | undefined): void {
    const lit = run.clause.body[i]!;
    if (lit.builtin !== undefined && this.modeFits(lit.builtin, lit.args, run.bind)) {
      this.callBuiltin(run, i, rest);
    }
    if (lit.pred !== undefined && this.signatureHolds(lit.pred, lit.args, run.bind)) {
      if (lit.pred.factsOnly) this.matchFacts(run, i, rest);
      else this.consumeTable(run, i, rest, table ?? this.tableFor(lit.pred, lit, run.bind));
    }
  }

  private callBuiltin(run: Run, i: number, rest: number): void {
    this.tick();
    const lit = run.clause.body[i]!;
    const builtin = lit.builtin!;
    const values = this.builtinValues(builtin, lit.args, run.bind);
    if (values === undefined) return this.builtinFailed(lit, run);
    if (builtin.name === 'from' && this.options.cost === 'available' && !this.isAvailable(values[0]!)) {
      if (this.options.collectWarnings) {
        this.warn({ code: 'image-unavailable', image: values[0]!, span: lit.source.span });
      }
      return;
    }
    const outcome = builtin.evaluate(values, this.builtinContext);
    if (outcome === true) {
      run.children[i] = builtin;
      this.step(run, rest);
      return;
    }
    if (outcome === false || outcome.length === 0) return this.builtinFailed(lit, run);
    // A builtin gives back the values it was given: only the other positions need unifying.
    let given = 0;
    for (let j = 0; j < values.length; j++) if (values[j] !== undefined) given |= 1 << j;
    const { bind, trail } = run;
    const interner = this.program.interner;
    for (const tuple of outcome) {
      const mark = trail.top;
      let ok = true;
      for (let j = 0; j < tuple.length && ok; j++) {
        if (j < 31 && (given & (1 << j)) !== 0) continue;
        const value = tuple[j]!;
        if (value.length >= CHARS_PER_STEP) this.charge(Math.floor(value.length / CHARS_PER_STEP));
        ok = unifyGround(lit.args[j]!, interner.string(value), bind, trail, interner);
      }
      if (ok) {
        run.children[i] = builtin;
        this.step(run, rest);
      }
      undo(bind, trail, mark);
    }
  }

  /** String values of the arguments (undefined = unbound), or undefined if a list is not accepted. */
  private builtinValues(builtin: Builtin, args: Term[], bind: Bindings): BuiltinValue[] | undefined {
    const values = (this.valueArrays[args.length] ??= new Array<BuiltinValue>(args.length));
    for (let j = 0; j < args.length; j++) {
      const t = deref(args[j]!, bind);
      if (typeof t === 'number') {
        if (t < 0) {
          values[j] = undefined;
          continue;
        }
        const text = this.program.interner.text(t);
        if (text === undefined && !builtin.acceptsLists) return undefined;
        values[j] = text;
      } else {
        if (!builtin.acceptsLists) return undefined;
        values[j] = undefined;
      }
    }
    return values;
  }

  private isAvailable(ref: string): boolean {
    if (!this.availability.has(ref)) this.availability.set(ref, this.options.isAvailable?.(ref));
    return this.availability.get(ref) !== false;
  }

  private matchFacts(run: Run, i: number, rest: number): void {
    const lit = run.clause.body[i]!;
    const pred = lit.pred!;
    const { bind, trail } = run;
    const args = lit.args;
    const candidates = candidatesFor(pred, args, bind);
    let matched = false;
    for (let c = 0; c < candidates.length; c++) {
      const fact = candidates[c]!;
      this.tick();
      const mark = trail.top;
      let ok = true;
      if (fact.groundHead) {
        const interner = this.program.interner;
        for (let j = 0; j < args.length && ok; j++) ok = unifyGround(args[j]!, fact.head[j] as number, bind, trail, interner);
        if (ok) {
          matched = true;
          run.children[i] = fact;
          this.step(run, rest);
        }
        undo(bind, trail, mark);
        continue;
      }
      const offset = bind.length;
      for (let k = 0; k < fact.nVars; k++) bind.push(undefined);
      for (let j = 0; j < fact.head.length && ok; j++) {
        const h = fact.head[j]!;
        ok = unify(fact.nVars === 0 ? h : shiftTerm(h, offset), args[j]!, bind, trail);
      }
      if (ok) {
        matched = true;
        run.children[i] = fact;
        this.step(run, rest);
      }
      undo(bind, trail, mark);
      bind.length = offset;
    }
    if (!matched && this.options.collectWarnings) this.noRule(this.instantiate(lit, run.bind, run.clause));
  }

  private consumeTable(run: Run, i: number, rest: number, table: Table): void {
    const lit = run.clause.body[i]!;
    if (table.state === TableState.New) this.evaluate(table);
    table.read = true;
    const incomplete = table.state !== TableState.Complete;
    const owner = run.owner;
    if (incomplete && owner !== undefined && table.low < owner.low) owner.low = table.low;
    const { bind, trail } = run;
    const interner = this.program.interner;
    const answers = table.answers;
    const open = table.openPositions;
    const width = open.length;
    for (let a = 0; a < answers.length; a++) {
      this.tick();
      if (incomplete && a > table.consumedMax) table.consumedMax = a;
      const answer = answers[a]!;
      const mark = trail.top;
      // Read after each step: the table may have grown (and moved its storage) meanwhile.
      const values = table.tuples.data;
      let ok = true;
      for (let j = 0; j < width && ok; j++) {
        ok = unifyGround(lit.args[open[j]!]!, values[a * width + j]!, bind, trail, interner);
      }
      if (ok) {
        run.children[i] = answer;
        this.step(run, rest);
      }
      undo(bind, trail, mark);
    }
    if (incomplete) table.consumerFinished = true;
  }

  private resolveNegative(run: Run, i: number, rest: number): void {
    this.tick();
    const lit = run.clause.body[i]!;
    const { bind, trail } = run;
    let proven = false;
    if (lit.builtin !== undefined && this.modeFits(lit.builtin, lit.args, bind)) {
      const values = this.builtinValues(lit.builtin, lit.args, bind);
      const outcome = values === undefined ? false : lit.builtin.evaluate(values, this.builtinContext);
      proven = outcome === true || (Array.isArray(outcome) && outcome.length > 0);
    }
    const pred = lit.pred;
    if (!proven && pred !== undefined) {
      if (pred.factsOnly) {
        for (const fact of candidatesFor(pred, lit.args, bind)) {
          const mark = trail.top;
          const offset = bind.length;
          for (let k = 0; k < fact.nVars; k++) bind.push(undefined);
          let ok = true;
          for (let j = 0; j < fact.head.length && ok; j++) {
            ok = unify(shiftTerm(fact.head[j]!, offset), lit.args[j]!, bind, trail);
          }
          undo(bind, trail, mark);
          bind.length = offset;
          if (ok) {
            proven = true;
            break;
          }
        }
      } else {
        const table = this.tableFor(pred, lit, bind);
        if (table.state === TableState.New) this.evaluate(table);
        table.read = true;
        if (table.stuck !== undefined) return this.error(table.stuck);
        if (table.state !== TableState.Complete) {
          this.error({ code: 'not-stratified', literal: this.instantiate(lit, bind, run.clause), span: lit.source.span });
          return;
        }
        proven = table.answers.length > 0;
      }
    }
    if (proven) {
      if (this.options.collectWarnings) {
        const positive = { ...this.instantiate(lit, bind, run.clause), positive: true };
        this.warn({ code: 'negation-proved', literal: positive, span: lit.source.span });
      }
      return;
    }
    run.children[i] = null;
    this.step(run, rest);
  }

  // ---- tables -------------------------------------------------------------------------------

  private tableFor(pred: Predicate, lit: CLiteral, bind: Bindings): Table {
    const slots: number[] = [];
    let key = '';
    for (const arg of lit.args) key += callKeyPart(arg, bind, slots) + ',';
    let tables = this.tables[pred.id];
    if (tables === undefined) this.tables[pred.id] = tables = new Map();
    let table = tables.get(key);
    if (table !== undefined) return table;
    const canonical: number[] = [];
    const pattern = lit.args.map((arg) => patternTerm(arg, bind, canonical, this.program));
    const openPositions: number[] = [];
    pattern.forEach((p, j) => {
      if (typeof p !== 'number' || p < 0) openPositions.push(j);
    });
    table = {
      pred,
      pattern,
      nPatternVars: canonical.length,
      openPositions,
      state: TableState.New,
      dfn: 0,
      low: 0,
      stackPos: 0,
      answers: [],
      tuples: new TupleSet(openPositions.length),
      consumedMax: -1,
      consumerFinished: false,
      dirty: false,
      stuck: undefined,
      read: false,
      site: this.instantiate(lit, bind, undefined),
    };
    tables.set(key, table);
    return table;
  }

  private evaluate(table: Table): void {
    table.state = TableState.Evaluating;
    table.dfn = table.low = ++this.dfnCounter;
    table.stackPos = this.stack.length;
    this.stack.push(table);
    this.runClauses(table);
    if (table.low < table.dfn) return; // part of a group whose leader is below on the stack
    const stack = this.stack;
    const base = table.stackPos;
    for (;;) {
      let dirty = false;
      for (let s = base; s < stack.length; s++) if (stack[s]!.dirty) dirty = true;
      if (!dirty) break;
      for (let s = base; s < stack.length; s++) {
        const member = stack[s]!;
        member.dirty = false;
        member.consumedMax = -1;
        member.consumerFinished = false;
      }
      for (let s = base; s < stack.length; s++) this.runClauses(stack[s]!);
      let low = table.dfn;
      for (let s = base; s < stack.length; s++) low = Math.min(low, stack[s]!.low);
      if (low < table.dfn) {
        table.low = low; // a new dependency on an older table: its leader takes over
        return;
      }
    }
    for (let s = base; s < stack.length; s++) stack[s]!.state = TableState.Complete;
    stack.length = base;
  }

  private runClauses(table: Table): void {
    const pred = table.pred;
    const candidates = candidatesFor(pred, table.pattern, NO_BINDINGS);
    let matched = false;
    for (const clause of candidates) {
      this.tick();
      const bind: Bindings = new Array(clause.nVars + table.nPatternVars);
      const trail = new Trail();
      let ok = true;
      for (let j = 0; j < clause.head.length && ok; j++) {
        ok = unify(clause.head[j]!, shiftTerm(table.pattern[j]!, clause.nVars), bind, trail);
      }
      if (!ok) continue;
      matched = true;
      const n = clause.body.length;
      const run: Run = { clause, bind, trail, done: new Uint8Array(n), children: new Array(n), owner: table };
      this.step(run, n);
    }
    if (!matched && this.options.collectWarnings) this.noRule(table.site);
  }

  private addAnswer(table: Table, run: Run): void {
    const { clause, bind } = run;
    const interner = this.program.interner;
    const pattern = table.pattern;
    const open = table.openPositions;
    const key = this.scratchFor(open.length);
    for (let j = 0; j < open.length; j++) {
      const p = pattern[open[j]!]!;
      const id = typeof p === 'number' ? groundId(p - clause.nVars, bind, interner) : groundId(shiftTerm(p, clause.nVars), bind, interner);
      if (id < 0) return this.nonGroundAnswer(run);
      key[j] = id;
    }
    const mode = this.options.cost;
    const number = table.tuples.intern(key);
    const existing = number >= 0 ? table.answers[number]! : undefined;
    if (existing === undefined) {
      this.figures(run);
      const answer = new Answer(table, table.answers.length);
      const derivation = snapshot(run);
      answer.best = derivation;
      answer.L = this.fL;
      answer.H = this.fH;
      answer.bestM = derivation;
      answer.M = this.fM;
      answer.HM = mode === 'layers' || mode === 'available' ? this.fHM : this.fH;
      table.answers.push(answer);
      if (table.consumerFinished) table.dirty = true;
      return;
    }
    if (mode === 'first') return;
    this.figures(run);
    let improved = false;
    if (mode === 'height') {
      if (this.fH < existing.H) {
        existing.best = existing.bestM = snapshot(run);
        existing.H = existing.HM = this.fH;
        existing.L = this.fL;
        existing.M = this.fM;
        improved = true;
      }
    } else {
      let derivation: Derivation | undefined;
      if (this.fL < existing.L) {
        derivation = snapshot(run);
        existing.best = derivation;
        existing.L = this.fL;
        existing.H = this.fH;
        improved = true;
      }
      if (this.fM < existing.M) {
        existing.bestM = derivation ?? snapshot(run);
        existing.M = this.fM;
        existing.HM = this.fHM;
        improved = true;
      }
    }
    if (improved && existing.index <= table.consumedMax) table.dirty = true;
  }

  private addRoot(run: Run): void {
    const interner = this.program.interner;
    const body = run.clause.body;
    let width = 0;
    for (const lit of body) width += lit.args.length;
    const key = this.scratchFor(width);
    let k = 0;
    for (const lit of body) for (const arg of lit.args) key[k++] = groundId(arg, run.bind, interner);
    const mode = this.options.cost;
    this.figures(run);
    this.rootTuples ??= new TupleSet(width);
    const number = this.rootTuples.intern(key);
    if (number < 0) {
      this.roots.push({ best: snapshot(run), L: this.fL, M: this.fM, H: this.fH });
      return;
    }
    const existing = this.roots[number]!;
    if (mode === 'first') return;
    const better = mode === 'height' ? this.fH < existing.H : this.fL < existing.L;
    if (better) {
      existing.best = snapshot(run);
      existing.L = this.fL;
      existing.M = this.fM;
      existing.H = this.fH;
    }
  }

  private scratchFor(width: number): Int32Array {
    if (this.scratch.length < width) this.scratch = new Int32Array(width * 2);
    return this.scratch;
  }

  // ---- cost figures -------------------------------------------------------------------------

  /**
   * Sets the figures of the derivation `run` has just completed: fL/fH when it is counted plainly,
   * fM/fHM when it sits inside a merge (then its children are chosen by their merged cost).
   */
  private figures(run: Run): void {
    const children = run.children;
    const n = children.length;
    const clause = run.clause;
    const mergeAware = this.options.cost === 'layers' || this.options.cost === 'available';
    const flags = clause.insideMerge;
    let h = 0;
    let hm = 0;
    for (let i = 0; i < n; i++) {
      const child = children[i];
      if (!(child instanceof Answer)) continue;
      const plain = mergeAware && flags !== undefined && flags[0][i] ? child.HM : child.H;
      const merged = mergeAware && (flags === undefined || flags[1][i]) ? child.HM : child.H;
      if (plain > h) h = plain;
      if (merged > hm) hm = merged;
    }
    this.fH = n === 0 ? 0 : 1 + h;
    this.fHM = n === 0 ? 0 : 1 + hm;
    const scopes = clause.scopes;
    if (scopes === undefined) {
      let l = 0;
      let m = 0;
      for (let i = 0; i < n; i++) {
        l += childLayers(children[i]!, false);
        m += childLayers(children[i]!, true);
      }
      this.fL = l;
      this.fM = m;
    } else {
      this.fL = scopeLayers(scopes, false, children);
      this.fM = scopeLayers(scopes, true, children);
    }
  }

  // ---- budget and diagnostics ---------------------------------------------------------------

  private tick(): void {
    if (++this.steps > this.options.budget) throw new BudgetExceeded(this.options.budget);
  }

  private charge(steps: number): void {
    this.steps += steps;
    if (this.steps > this.options.budget) throw new BudgetExceeded(this.options.budget);
  }

  instantiate(lit: CLiteral, bind: Bindings, clause: CClause | undefined): IRLiteral {
    const names = clause?.varNames ?? NO_NAMES;
    const args = new Array<IRTerm>(lit.args.length);
    for (let j = 0; j < args.length; j++) args[j] = this.instantiateTerm(lit.args[j]!, bind, names);
    const span = lit.source.span;
    if (span) return { positive: lit.positive, predicate: lit.predicate, args, span };
    return { positive: lit.positive, predicate: lit.predicate, args };
  }

  private instantiateTerm(t: Term, bind: Bindings, names: readonly string[]): IRTerm {
    const d = deref(t, bind);
    if (typeof d === 'number') {
      if (d >= 0) return this.program.interner.toIR(d);
      return { kind: 'var', name: names[-1 - d] ?? '_' };
    }
    return { kind: 'list', items: d.items.map((item) => this.instantiateTerm(item, bind, names)) };
  }

  private unknownPredicate(lit: CLiteral): void {
    const suggestion = this.closestPredicate(lit.predicate, lit.args.length);
    this.error({ code: 'unknown-predicate', predicate: lit.predicate, arity: lit.args.length, ...(suggestion ? { suggestion } : {}), span: lit.source.span });
  }

  /** A defined predicate the user may have meant: the same name with another arity, else a close name. */
  private closestPredicate(name: string, arity: number): string | undefined {
    const defined = [...this.program.predicates.values()].filter((p) => isUserPredicate(p.name));
    const sameName = defined.find((p) => p.name === name);
    if (sameName) return `${sameName.name}/${sameName.arity}`;
    const match = closestMatch(name, [...new Set(defined.map((p) => p.name))]);
    const chosen = defined.find((p) => p.name === match && p.arity === arity) ?? defined.find((p) => p.name === match);
    return chosen ? `${chosen.name}/${chosen.arity}` : undefined;
  }

  /**
   * A body with no selectable literal: the table being evaluated is marked stuck (its callers
   * may delay the call), or, at the goal or once the table has been read, the error is recorded.
   * A delayed call's own reason is the more precise one to report.
   */
  private stuck(run: Run, delayedReason: SolverDiagnostic | undefined): void {
    const diagnostic = delayedReason ?? this.groundnessOf(run);
    const owner = run.owner;
    if (owner !== undefined && !owner.read) owner.stuck ??= diagnostic;
    else this.error(diagnostic);
  }

  private groundnessOf(run: Run): SolverDiagnostic {
    const waiting = run.clause.body
      .filter((_, i) => !run.done[i])
      .map((lit) => this.instantiate(lit, run.bind, run.clause));
    return { code: 'not-ground', waiting };
  }

  private nonGroundAnswer(run: Run): void {
    const head = run.clause.source?.head;
    const diagnostic: SolverDiagnostic = { code: 'head-not-ground', head, span: head?.span };
    const owner = run.owner;
    if (owner !== undefined && !owner.read) owner.stuck ??= diagnostic;
    else this.error(diagnostic);
  }

  private builtinFailed(lit: CLiteral, run: Run): void {
    if (!this.options.collectWarnings) return;
    const instance = this.instantiate(lit, run.bind, run.clause);
    this.warn({ code: 'builtin-failed', literal: instance, span: lit.source.span });
  }

  private noRule(literal: IRLiteral): void {
    this.warn({ code: 'no-rule', literal, span: literal.span });
  }

  private warn(diagnostic: SolverDiagnostic): void {
    this.record(this.warnings, diagnostic);
  }

  private error(diagnostic: SolverDiagnostic): void {
    this.record(this.errors, diagnostic);
  }

  private record(into: SolverDiagnostic[], diagnostic: SolverDiagnostic): void {
    if (into.length >= MAX_DIAGNOSTICS) return;
    const key = diagnosticKey(diagnostic);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    into.push(diagnostic);
  }
}

function snapshot(run: Run): Derivation {
  return { clause: run.clause, children: run.children.slice(), bind: run.bind.slice() };
}

const NO_BINDINGS: Bindings = [];
const NO_NAMES: readonly string[] = [];

/** The clauses of `pred` worth trying for a call: the shortest index list over its constant arguments. */
function candidatesFor(pred: Predicate, args: Term[], bind: Bindings): CClause[] {
  let best = pred.clauses;
  for (let j = 0; j < args.length && best.length > 1; j++) {
    const id = constantId(args[j]!, bind);
    if (id < 0) continue;
    const list = clausesWith(pred, j, id);
    if (list.length < best.length) best = list;
  }
  return best;
}

function constantId(term: Term, bind: Bindings): number {
  const t = deref(term, bind);
  return typeof t === 'number' && t >= 0 ? t : -1;
}

/** Layers a body position contributes (inside a merge, its own run/copy layers are squashed). */
function childLayers(child: Child, insideMerge: boolean): number {
  if (child instanceof Answer) return insideMerge ? child.M : child.L;
  if (child === null || insideMerge || !('evaluate' in child)) return 0;
  return child.layers;
}

function scopeLayers(scope: Scope, insideMerge: boolean, children: Child[]): number {
  if (scope.op === 'copy') {
    let source = 0;
    for (const item of scope.items) {
      source += typeof item === 'number' ? childLayers(children[item]!, false) : scopeLayers(item, false, children);
    }
    return source + (insideMerge ? 0 : 1);
  }
  const inside = insideMerge || scope.op === 'merge';
  let sum = 0;
  for (const item of scope.items) {
    sum += typeof item === 'number' ? childLayers(children[item]!, inside) : scopeLayers(item, inside, children);
  }
  return scope.op === 'merge' && !insideMerge ? sum + 1 : sum;
}

function callKeyPart(arg: Term, bind: Bindings, slots: number[]): string {
  const t = deref(arg, bind);
  if (typeof t === 'number') {
    if (t >= 0) return String(t);
    const slot = -1 - t;
    let k = slots.indexOf(slot);
    if (k < 0) {
      k = slots.length;
      slots.push(slot);
    }
    return `v${k}`;
  }
  return `[${t.items.map((item) => callKeyPart(item, bind, slots)).join(',')}]`;
}

function patternTerm(arg: Term, bind: Bindings, slots: number[], program: CompiledProgram): Term {
  const t = deref(arg, bind);
  if (typeof t === 'number') {
    if (t >= 0) return t;
    const slot = -1 - t;
    let k = slots.indexOf(slot);
    if (k < 0) {
      k = slots.length;
      slots.push(slot);
    }
    return -1 - k;
  }
  const id = groundId(t, bind, program.interner);
  if (id >= 0) return id;
  return { items: t.items.map((item) => patternTerm(item, bind, slots, program)) };
}

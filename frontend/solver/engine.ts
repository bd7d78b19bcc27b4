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
 *
 * The search runs on an explicit stack of frames (see `Frame`), not on the JavaScript stack, so
 * neither a long body nor a long chain of calls limits it: only memory and the resolution budget.
 */
import type { IRLiteral, IRTerm } from '../language/ir';
import type { CostFunction } from './proof';
import { diagnosticKey, type SolverDiagnostic } from './diagnostics';
import { fittingMode, fittingModeBits, type Builtin, type BuiltinContext, type BuiltinValue } from './builtins';
import { clausesWith, type CClause, type CLiteral, type CompiledProgram, type FormatChain, type Predicate } from './compile';
import { deref, groundId, isGroundTerm, shiftTerm, Trail, undo, unify, unifyGround, type Bindings, type Interner, type Term } from './terms';
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
  /**
   * What proved the body positions `clause.kept` lists: the callee's answer, the fact used or the
   * builtin. The other positions' are known from the literal (`childAt`): a derivation is kept
   * per answer, so it holds no more than it must.
   */
  children: Child[];
  bind: Bindings;
}

type Child = Answer | CClause | Builtin | null;

/** What proved body position `i` of a derivation: an answer, a fact, a builtin, or null (negation). */
export function childAt(derivation: Derivation, i: number): Child {
  const clause = derivation.clause;
  const k = clause.keptIndex[i]!;
  if (k >= 0) return derivation.children[k]!;
  const lit = clause.body[i]!;
  return lit.positive ? lit.builtin! : null;
}

export class Answer {
  /** Figures of the best derivations: L = layers, M = layers when inside a merge, H = height. */
  L = 0;
  M = 0;
  H = 0;
  /** Height of `bestM`. */
  HM = 0;
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
  readonly best: Derivation;
  readonly L: number;
  readonly M: number;
  readonly H: number;
}

/**
 * A solution of a goal that is one call of a rule predicate with distinct variables and
 * constants as its arguments: exactly one answer of that call's table. Its derivation is made
 * when read, so a large goal keeps one small object per solution beside the answer.
 */
class AnswerRoot implements RootSolution {
  constructor(
    private readonly goal: CClause,
    private readonly answer: Answer,
    readonly L: number,
    readonly M: number,
    readonly H: number,
  ) {}

  get best(): Derivation {
    const goal = this.goal;
    const table = this.answer.table;
    const args = goal.body[0]!.args;
    const open = table.openPositions;
    const values = table.tuples.data;
    const bind: Bindings = new Array(goal.nVars);
    for (let k = 0; k < open.length; k++) bind[-1 - (args[open[k]!] as number)] = values[this.answer.index * open.length + k]!;
    return { clause: goal, children: [this.answer], bind };
  }
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

const enum FrameKind {
  /** Choosing the next literal of a run (`i`: where the scan resumes). */
  Select,
  /** Literal `i` by its builtin: the tuples it made. */
  Builtin,
  /** Literal `i` by a facts-only predicate: the candidate facts. */
  Facts,
  /** Literal `i` by a rule predicate: the answers of its table. */
  Answers,
  /** Literal `i` negated: at most one way on. */
  Negation,
  /** A table's clauses, each a new run. */
  Clauses,
  /** A table's evaluation to its fixpoint, with the group it leads. */
  Evaluate,
}

const enum ChainOutcome {
  /** Left to the steps one by one. */
  NotResolved,
  /** Resolved; the frame selects again. */
  Selecting,
  /** Resolved, and it completed the derivation: the frame has ended. */
  Ended,
}

const enum NegationPhase {
  Start,
  Evaluated,
}

const enum EvaluatePhase {
  Start,
  FirstPass,
  Check,
  Rerun,
}

/**
 * One activation of the search, on the engine's explicit stack: the search is a depth-first
 * walk that would otherwise recurse once per resolved body literal and once per table call,
 * so a long body or a long chain of calls would exhaust the JavaScript stack.
 *
 * The machine (`drive`) resumes the top frame until the stack is empty. A frame that iterates
 * over alternatives (builtin tuples, facts, answers, clauses) binds the next one and goes on with
 * its run by pushing a Select frame for the rest of the body (`proceed`); when it is resumed
 * again, everything above it has finished, so it undoes that alternative's bindings (`mark`)
 * and tries the next. A frame that needs a table evaluated pushes an Evaluate frame and is
 * resumed at the same place once the table is. When its alternatives are exhausted a frame pops
 * itself. A literal with only one way on (a builtin with one outcome, a negation that holds)
 * needs no frame of its own: the frame that selected it records it and selects again
 * (`settle`), and undoes it when it ends. The order of every step is the recursive search's, so
 * answers, their order, the chosen proofs and the step counts are exactly those of a
 * depth-first recursion.
 *
 * Frames are reused by stack position (one class, one shape), so the search allocates no frame
 * per step. Only memory bounds the depth: the frames, runs and tables all live on the heap.
 */
class Frame {
  kind = FrameKind.Select;
  run: Run = NO_RUN;
  /** The body position being resolved (Select: where the scan resumes). */
  i = 0;
  /** Select: literals left to resolve; otherwise, left after this one. */
  rest = 0;
  /** The next alternative (tuple, fact, answer, clause or group member); -1: not started. */
  next = 0;
  /** Trail top before the alternative the run went on with; -1 when nothing is to be undone. */
  mark = -1;
  /** Bindings length before a renamed fact's variables; -1 when none were added. */
  offset = -1;
  clauses: CClause[] = NO_CLAUSES;
  tuples: readonly string[][] = HOLDS;
  /** Builtin: the argument positions it was given (not unified again). */
  given = 0;
  /** Answers/Negation/Clauses/Evaluate: the table; Select: the call just evaluated at `i`. */
  table: Table | undefined = undefined;
  /** Select: the first call passed over because it got stuck. */
  delayed: Table | undefined = undefined;
  /** Facts/Clauses: some alternative matched. */
  matched = false;
  /** Answers: the table was incomplete when its reading began. */
  incomplete = false;
  phase = 0;
  /**
   * Body positions this frame resolved in the only way they had (a builtin with one outcome, a
   * negation that holds) before it went on selecting: undone together when the frame ends.
   */
  settled: number[] = [];
  /** How many of `settled` are in use (the array is reused, never shrunk). */
  settledCount = 0;
  /** Trail top before the first settled position. */
  settledMark = -1;
}

/** The outcome of a builtin that holds as called: one way on, nothing to unify. */
const HOLDS: readonly string[][] = [[]];
const NO_CLAUSES: CClause[] = [];
const NO_RUN: Run = {
  clause: { id: -1, head: [], body: [], nVars: 0, keptVars: 0, varNames: [], groundHead: true, insideMerge: undefined, scopeLayers: undefined, chains: undefined, kept: [], keptIndex: [], source: undefined },
  bind: [],
  trail: new Trail(),
  done: new Uint8Array(0),
  children: [],
  owner: undefined,
};

interface EngineOptions {
  cost: CostFunction;
  budget: number;
  buildArgs: ReadonlyArray<readonly [string, string]>;
  isAvailable?: (imageRef: string) => boolean | undefined;
  collectWarnings: boolean;
  /** Keep each answer's chosen derivations (for its proof); without, only its figures. */
  keepDerivations: boolean;
  /**
   * Whether the heap still has room, asked every MEMORY_CHECK_INTERVAL steps: when it has not,
   * the search stops with MemoryExhausted instead of the process dying out of memory.
   */
  memoryLeft?: () => boolean;
}

export class BudgetExceeded extends Error {
  constructor(readonly budget: number) {
    super(`resolution budget of ${budget} steps exceeded`);
  }
}

/** The search stopped because the heap is nearly full (see `EngineOptions.memoryLeft`). */
export class MemoryExhausted extends Error {
  constructor(readonly answers: number) {
    super(`memory nearly exhausted after ${answers} tabled answers`);
  }
}

/** Steps between two looks at the memory left. */
const MEMORY_CHECK_INTERVAL = 1 << 12;

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
  /** Tables under evaluation, oldest first: the groups of tables that depend on each other. */
  private readonly stack: Table[] = [];
  /** Per predicate id, its tables by call key: owned here so a compiled program can be solved again. */
  private readonly tables: (Map<string, Table> | undefined)[] = [];
  private dfnCounter = 0;
  /** The step count past which `check` runs: the budget, or earlier for a look at the memory. */
  private nextCheck: number;
  private readonly builtinContext: BuiltinContext;
  private readonly availability = new Map<string, boolean | undefined>();
  private readonly roots: RootSolution[] = [];
  /** Per root, the ids of every goal argument (the goal's distinct ground instances). */
  private rootTuples: TupleSet | undefined;
  /** Scratch space for one tuple of ids (answers, roots): grown when needed, never shrunk. */
  private scratch = new Int32Array(16);
  /** Scratch value arrays for builtin calls, by arity (a builtin does not keep its arguments). */
  private readonly valueArrays: BuiltinValue[][] = [];
  /** Scratch space for the texts of an f-string chain's steps. */
  private readonly chainTexts: string[] = [];
  /** The machine's stack of frames, `frames[0 .. top]`; frames above `top` are kept for reuse. */
  private readonly frames: Frame[] = [];
  private top = -1;
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
    this.nextCheck = Math.min(options.budget, MEMORY_CHECK_INTERVAL);
  }

  /** All distinct solutions of the goal clause (its body), in order of discovery. */
  solveGoal(goal: CClause): RootSolution[] {
    if (this.isOneCall(goal)) return this.solveOneCall(goal);
    const n = goal.body.length;
    const run: Run = {
      clause: goal,
      bind: new Array(goal.nVars),
      trail: new Trail(),
      done: new Uint8Array(n),
      children: new Array(n),
      owner: undefined,
    };
    this.proceed(run, n);
    this.drive();
    return this.roots;
  }

  /** A goal that is one selectable call of a rule predicate, its arguments constants or distinct variables. */
  private isOneCall(goal: CClause): boolean {
    if (goal.body.length !== 1 || goal.insideMerge !== undefined) return false;
    const lit = goal.body[0]!;
    const pred = lit.pred;
    if (!lit.positive || pred === undefined || pred.factsOnly || lit.builtin !== undefined || lit.builtinName) return false;
    let variables = 0;
    for (const arg of lit.args) {
      if (typeof arg !== 'number') return false;
      if (arg < 0) variables++;
    }
    return variables === goal.nVars && this.signatureHolds(pred, lit.args, NO_BINDINGS);
  }

  /**
   * The goal's call evaluated, and its answers as the solutions: what resolving the goal clause
   * gives (each answer read once, one solution per distinct answer, the same figures and step
   * count), without a derivation per solution.
   */
  private solveOneCall(goal: CClause): RootSolution[] {
    const lit = goal.body[0]!;
    const table = this.tableFor(lit.pred!, lit, new Array(goal.nVars));
    if (table.state === TableState.New) {
      this.pushEvaluate(table);
      this.drive();
    }
    if (table.stuck !== undefined) {
      this.error(table.stuck);
      return this.roots;
    }
    table.read = true;
    const answers = table.answers;
    this.charge(answers.length);
    for (let a = 0; a < answers.length; a++) {
      const answer = answers[a]!;
      this.roots.push(new AnswerRoot(goal, answer, answer.L, answer.M, 1 + answer.H));
    }
    return this.roots;
  }

  // ---- the machine ----------------------------------------------------------------------------

  /** Runs the frames on top of the stack until the stack is empty (see `Frame`). */
  private drive(): void {
    const frames = this.frames;
    while (this.top >= 0) {
      const frame = frames[this.top]!;
      switch (frame.kind) {
        case FrameKind.Select:
          this.resumeSelect(frame);
          break;
        case FrameKind.Builtin:
          this.nextBuiltinTuple(frame);
          break;
        case FrameKind.Facts:
          this.nextFact(frame);
          break;
        case FrameKind.Answers:
          this.nextAnswer(frame);
          break;
        case FrameKind.Negation:
          this.resumeNegation(frame);
          break;
        case FrameKind.Clauses:
          this.nextClause(frame);
          break;
        case FrameKind.Evaluate:
          this.resumeEvaluate(frame);
          break;
      }
    }
  }

  private push(kind: FrameKind): Frame {
    const top = ++this.top;
    let frame = this.frames[top];
    if (frame === undefined) this.frames.push((frame = new Frame()));
    frame.kind = kind;
    frame.mark = -1;
    return frame;
  }

  private pop(): void {
    // Let go of what the frame held, or a reused slot would keep a finished run's data alive.
    const frame = this.frames[this.top--]!;
    frame.run = NO_RUN;
    frame.tuples = HOLDS;
  }

  /**
   * Goes on with `run` once a literal is resolved: with `remaining` literals left, a Select frame
   * is pushed and run at once (true; it may have ended already); with none, the derivation is complete and recorded at once (false). The
   * callers loop on to their next alternative when nothing was pushed.
   */
  private proceed(run: Run, remaining: number): boolean {
    if (remaining === 0) {
      if (run.owner) this.addAnswer(run.owner, run);
      else this.addRoot(run);
      return false;
    }
    const frame = this.push(FrameKind.Select);
    frame.run = run;
    frame.rest = remaining;
    frame.i = 0;
    frame.table = undefined;
    frame.delayed = undefined;
    this.resumeSelect(frame); // selecting never proceeds: no recursion
    return true;
  }

  // ---- selection ------------------------------------------------------------------------------

  /**
   * Selects the leftmost selectable literal of the frame's run, from `frame.i` on. A call of a
   * rule predicate is evaluated first (an Evaluate frame is pushed and the scan resumes at the
   * same literal afterwards); if that call got stuck waiting for an argument, it is passed over
   * for now, as plain SLD resolution would carry the callee's waiting literals into this body: a
   * later literal may bind the argument, and the call is then selected again as a new, more
   * bound variant. With no selectable literal, why is recorded and the frame ends.
   */
  private resumeSelect(frame: Frame): void {
    const run = frame.run;
    const body = run.clause.body;
    const chains = run.clause.chains;
    scan: for (;;) {
      for (let i = frame.i; i < body.length; i++) {
        if (run.done[i]) continue;
        const lit = body[i]!;
        if (lit.pred === undefined && lit.builtin === undefined) {
          if (lit.builtinName) continue; // a builtin's name with the wrong arity never fits a mode
          this.unknownPredicate(lit);
          return this.release(frame);
        }
        const chain = chains?.[i];
        if (chain !== undefined) {
          const outcome = this.resolveChain(frame, chain);
          if (outcome === ChainOutcome.Selecting) continue scan;
          if (outcome === ChainOutcome.Ended) return;
        }
        if (!this.selectable(lit, run.bind)) continue;
        const pred = lit.pred;
        let table: Table | undefined;
        if (lit.positive && pred !== undefined && !pred.factsOnly && lit.builtin === undefined) {
          table = frame.table ?? this.tableFor(pred, lit, run.bind);
          frame.table = undefined;
          if (table.state === TableState.New) {
            frame.i = i;
            frame.table = table; // the scan resumes at this literal, with its call evaluated
            this.pushEvaluate(table);
            return;
          }
          if (table.stuck !== undefined) {
            frame.delayed ??= table;
            continue;
          }
        }
        if (this.startLiteral(frame, i, table)) continue scan;
        return;
      }
      this.stuck(run, frame.delayed?.stuck);
      return this.release(frame);
    }
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

  // ---- resolution -----------------------------------------------------------------------------

  /**
   * The Select frame becomes the frame resolving literal `i` (`table`: its call, evaluated).
   * True when the literal was settled at once and the frame selects again (see `settle`).
   */
  private startLiteral(frame: Frame, i: number, table: Table | undefined): boolean {
    const run = frame.run;
    run.done[i] = 1;
    frame.i = i;
    frame.rest--;
    const lit = run.clause.body[i]!;
    if (!lit.positive) {
      frame.kind = FrameKind.Negation;
      frame.phase = NegationPhase.Start;
      return this.resumeNegation(frame);
    }
    // A literal with no user clauses was selected because its builtin's mode fits.
    if (lit.builtin !== undefined && (lit.pred === undefined || this.modeFits(lit.builtin, lit.args, run.bind)) && this.startBuiltin(frame)) {
      return lit.pred === undefined && frame.tuples.length === 1 && this.settleBuiltin(frame);
    }
    this.startPredicate(frame, table);
    return false;
  }

  /**
   * Goes on with the frame's run after a literal that had only one way on, without a frame of
   * its own: the frame records the position and selects again (true), or, with nothing left,
   * records the derivation and ends (false). What the literal bound and marked is undone when
   * the frame ends, as it would be when a frame of its own ended just below this one.
   */
  private settle(frame: Frame, mark: number): boolean {
    this.recordSettled(frame, frame.i, mark);
    return this.selectAfterSettling(frame);
  }

  private recordSettled(frame: Frame, position: number, mark: number): void {
    const count = frame.settledCount++;
    if (count === 0) frame.settledMark = mark;
    if (count < frame.settled.length) frame.settled[count] = position;
    else frame.settled.push(position);
  }

  private selectAfterSettling(frame: Frame): boolean {
    const run = frame.run;
    if (frame.rest === 0) {
      if (run.owner) this.addAnswer(run.owner, run);
      else this.addRoot(run);
      this.release(frame);
      return false;
    }
    frame.kind = FrameKind.Select;
    frame.i = 0;
    frame.table = undefined;
    frame.delayed = undefined;
    return true;
  }

  /**
   * An f-string's whole chain of `string_concat` steps at once, when every piece has a value and no
   * step has been resolved yet: the same bindings, children and step count as resolving the steps
   * one by one, without a builtin call per piece. Anything else (a piece without a value, a text that
   * differs from a given one) is left to the steps themselves, which also report the failure.
   */
  private resolveChain(frame: Frame, chain: FormatChain): ChainOutcome {
    const run = frame.run;
    const { bind, done } = run;
    for (let p = chain.start; p <= chain.end; p++) if (done[p]) return ChainOutcome.NotResolved;
    const pieces = this.chainPieces(chain, bind);
    if (pieces === undefined) return ChainOutcome.NotResolved;
    const outputs = chain.outputs;
    const last = outputs.length - 1;
    for (let k = 0; k < last; k++) if (deref(outputs[k]!, bind) !== outputs[k]) return ChainOutcome.NotResolved;
    const given = deref(outputs[last]!, bind);
    if (typeof given !== 'number') return ChainOutcome.NotResolved;
    const interner = this.program.interner;
    const text = pieces.join('');
    if (given >= 0 && interner.text(given) !== text) return ChainOutcome.NotResolved;
    this.charge(chainSteps(pieces, given >= 0));
    const mark = run.trail.top;
    if (-1 - (chain.outputs[0] as number) < run.clause.keptVars) this.bindChainSteps(run, chain, pieces);
    else if (given < 0) unifyGround(given, interner.loose(text), bind, run.trail, interner);
    const body = run.clause.body;
    for (let p = chain.start; p <= chain.end; p++) {
      done[p] = 1;
      run.children[p] = body[p]!.builtin!;
      this.recordSettled(frame, p, mark);
    }
    frame.rest -= chain.end - chain.start + 1;
    return this.selectAfterSettling(frame) ? ChainOutcome.Selecting : ChainOutcome.Ended;
  }

  /** The texts of a chain's pieces (in a scratch array), or undefined when one has no value yet. */
  private chainPieces(chain: FormatChain, bind: Bindings): string[] | undefined {
    const interner = this.program.interner;
    const pieces = this.chainTexts;
    pieces.length = chain.pieces.length;
    for (let k = 0; k < pieces.length; k++) {
      const value = deref(chain.pieces[k]!, bind);
      const piece = typeof value === 'number' && value >= 0 ? interner.text(value) : undefined;
      if (piece === undefined) return undefined;
      pieces[k] = piece;
    }
    return pieces;
  }

  /**
   * The texts so far of a chain whose clause keeps them (the goal's: see CClause.keptVars), as one
   * step at a time would give them. Elsewhere only the whole text is made (flat, and without a
   * string per step to keep).
   */
  private bindChainSteps(run: Run, chain: FormatChain, pieces: readonly string[]): void {
    const interner = this.program.interner;
    let text = pieces[0]!;
    for (let k = 0; k < chain.outputs.length; k++) {
      text += pieces[k + 1]!;
      const output = deref(chain.outputs[k]!, run.bind);
      if (typeof output === 'number' && output < 0) unifyGround(output, interner.loose(text), run.bind, run.trail, interner);
    }
  }

  /** A builtin (and no user predicate of its name) that made one tuple: unified and settled. */
  private settleBuiltin(frame: Frame): boolean {
    const run = frame.run;
    const { bind, trail } = run;
    const lit = run.clause.body[frame.i]!;
    const tuple = frame.tuples[0]!;
    frame.tuples = HOLDS;
    const mark = trail.top;
    if (!this.unifyTuple(lit, tuple, frame.given, run)) {
      undo(bind, trail, mark);
      this.endLiteral(frame);
      return false;
    }
    run.children[frame.i] = lit.builtin!;
    return this.settle(frame, mark);
  }


  /** After a builtin's tuples (if any): the literal's user clauses, if their signature allows. */
  private startPredicate(frame: Frame, table: Table | undefined): void {
    const run = frame.run;
    const lit = run.clause.body[frame.i]!;
    const pred = lit.pred;
    if (pred === undefined || !this.signatureHolds(pred, lit.args, run.bind)) return this.endLiteral(frame);
    if (pred.factsOnly) {
      frame.kind = FrameKind.Facts;
      frame.clauses = candidatesFor(pred, lit.args, run.bind, this.program.interner);
      frame.next = 0;
      frame.matched = false;
      frame.offset = -1;
      return;
    }
    const called = table ?? this.tableFor(pred, lit, run.bind);
    frame.kind = FrameKind.Answers;
    frame.table = called;
    frame.next = -1; // the table is read from the next resumption on, once evaluated
    if (called.state === TableState.New) this.pushEvaluate(called);
  }

  private endLiteral(frame: Frame): void {
    frame.run.done[frame.i] = 0;
    this.release(frame);
  }

  /** Ends a frame: what it settled is undone, then it is popped. */
  private release(frame: Frame): void {
    const count = frame.settledCount;
    if (count > 0) {
      const run = frame.run;
      undo(run.bind, run.trail, frame.settledMark);
      const settled = frame.settled;
      for (let k = 0; k < count; k++) run.done[settled[k]!] = 0;
      frame.settledCount = 0;
    }
    this.pop();
  }

  /** Undoes the bindings of the alternative the frame's run went on with. */
  private backtrack(frame: Frame): void {
    if (frame.mark < 0) return;
    const run = frame.run;
    undo(run.bind, run.trail, frame.mark);
    frame.mark = -1;
    if (frame.offset >= 0) {
      run.bind.length = frame.offset;
      frame.offset = -1;
    }
  }

  /**
   * Calls the builtin of the frame's literal: false when it gives nothing (then the literal's
   * clauses are tried), else the frame iterates over the tuples it made.
   */
  private startBuiltin(frame: Frame): boolean {
    this.tick();
    const run = frame.run;
    const lit = run.clause.body[frame.i]!;
    const builtin = lit.builtin!;
    const values = this.builtinValues(builtin, lit.args, run.bind);
    if (values === undefined) {
      this.builtinFailed(lit, run);
      return false;
    }
    if (this.options.cost === 'available' && builtin.name === 'from' && !this.isAvailable(values[0]!)) {
      if (this.options.collectWarnings) {
        this.warn({ code: 'image-unavailable', image: values[0]!, span: lit.source.span });
      }
      return false;
    }
    const outcome = builtin.evaluate(values, this.builtinContext);
    if (outcome === false || (outcome !== true && outcome.length === 0)) {
      this.builtinFailed(lit, run);
      return false;
    }
    frame.kind = FrameKind.Builtin;
    frame.next = 0;
    frame.offset = -1;
    if (outcome === true) {
      frame.tuples = HOLDS;
      frame.given = 0;
      return true;
    }
    // A builtin gives back the values it was given: only the other positions need unifying.
    let given = 0;
    for (let j = 0; j < values.length; j++) if (values[j] !== undefined) given |= 1 << j;
    frame.given = given;
    frame.tuples = outcome;
    return true;
  }

  private nextBuiltinTuple(frame: Frame): void {
    this.backtrack(frame);
    const run = frame.run;
    const { bind, trail } = run;
    const lit = run.clause.body[frame.i]!;
    const tuples = frame.tuples;
    for (let t = frame.next; t < tuples.length; t++) {
      const mark = trail.top;
      if (this.unifyTuple(lit, tuples[t]!, frame.given, run)) {
        run.children[frame.i] = lit.builtin!;
        if (this.proceed(run, frame.rest)) {
          frame.next = t + 1;
          frame.mark = mark;
          return;
        }
      }
      undo(bind, trail, mark);
    }
    this.startPredicate(frame, undefined);
  }

  /** Unifies the positions of a builtin's tuple it was not given (`given`: a bit per position). */
  private unifyTuple(lit: CLiteral, tuple: readonly string[], given: number, run: Run): boolean {
    const interner = this.program.interner;
    for (let j = 0; j < tuple.length; j++) {
      if (j < 31 && (given & (1 << j)) !== 0) continue;
      const value = tuple[j]!;
      if (value.length >= CHARS_PER_STEP) this.charge(Math.floor(value.length / CHARS_PER_STEP));
      if (!unifyGround(lit.args[j]!, interner.loose(value), run.bind, run.trail, interner)) return false;
    }
    return true;
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

  private nextFact(frame: Frame): void {
    this.backtrack(frame);
    const run = frame.run;
    const { bind, trail } = run;
    const lit = run.clause.body[frame.i]!;
    const args = lit.args;
    const candidates = frame.clauses;
    const interner = this.program.interner;
    for (let c = frame.next; c < candidates.length; c++) {
      const fact = candidates[c]!;
      this.tick();
      const mark = trail.top;
      let ok = true;
      if (fact.groundHead) {
        for (let j = 0; j < args.length && ok; j++) ok = unifyGround(args[j]!, fact.head[j] as number, bind, trail, interner);
        if (ok) {
          frame.matched = true;
          run.children[frame.i] = fact;
          if (this.proceed(run, frame.rest)) {
            frame.next = c + 1;
            frame.mark = mark;
            return;
          }
        }
        undo(bind, trail, mark);
        continue;
      }
      const offset = bind.length;
      for (let k = 0; k < fact.nVars; k++) bind.push(undefined);
      for (let j = 0; j < fact.head.length && ok; j++) {
        const h = fact.head[j]!;
        ok = unify(fact.nVars === 0 ? h : shiftTerm(h, offset), args[j]!, bind, trail, interner);
      }
      if (ok) {
        frame.matched = true;
        run.children[frame.i] = fact;
        if (this.proceed(run, frame.rest)) {
          frame.next = c + 1;
          frame.mark = mark;
          frame.offset = offset;
          return;
        }
      }
      undo(bind, trail, mark);
      bind.length = offset;
    }
    if (!frame.matched && this.options.collectWarnings) this.noRule(this.instantiate(lit, run.bind, run.clause));
    this.endLiteral(frame);
  }

  /** Reads the answers of the frame's (evaluated) table, including those added meanwhile. */
  private nextAnswer(frame: Frame): void {
    const run = frame.run;
    const table = frame.table!;
    if (frame.next < 0) {
      table.read = true;
      frame.incomplete = table.state !== TableState.Complete;
      const owner = run.owner;
      if (frame.incomplete && owner !== undefined && table.low < owner.low) owner.low = table.low;
      frame.next = 0;
    } else {
      this.backtrack(frame);
    }
    const { bind, trail } = run;
    const lit = run.clause.body[frame.i]!;
    const interner = this.program.interner;
    const answers = table.answers;
    const open = table.openPositions;
    const width = open.length;
    const incomplete = frame.incomplete;
    for (let a = frame.next; a < answers.length; a++) {
      this.tick();
      if (incomplete && a > table.consumedMax) table.consumedMax = a;
      const mark = trail.top;
      // Read after each step: the table may have grown (and moved its storage) meanwhile.
      const values = table.tuples.data;
      let ok = true;
      for (let j = 0; j < width && ok; j++) {
        ok = unifyGround(lit.args[open[j]!]!, values[a * width + j]!, bind, trail, interner);
      }
      if (ok) {
        run.children[frame.i] = answers[a]!;
        if (this.proceed(run, frame.rest)) {
          frame.next = a + 1;
          frame.mark = mark;
          return;
        }
      }
      undo(bind, trail, mark);
    }
    if (incomplete) table.consumerFinished = true;
    this.endLiteral(frame);
  }

  /** `!L`: holds when L has no proof; a rule predicate's table is evaluated (and complete) first. */
  private resumeNegation(frame: Frame): boolean {
    const run = frame.run;
    const lit = run.clause.body[frame.i]!;
    let proven: boolean | undefined;
    if (frame.phase === NegationPhase.Start) {
      this.tick();
      proven = this.negatedByBuiltinOrFact(lit, run);
      const pred = lit.pred;
      if (!proven && pred !== undefined && !pred.factsOnly) {
        const table = this.tableFor(pred, lit, run.bind);
        frame.table = table;
        frame.phase = NegationPhase.Evaluated;
        if (table.state === TableState.New) {
          this.pushEvaluate(table);
          return false;
        }
      }
    }
    if (frame.phase === NegationPhase.Evaluated) {
      proven = this.negatedTable(frame.table!, lit, run);
      if (proven === undefined) {
        this.endLiteral(frame);
        return false;
      }
    }
    if (proven) {
      if (this.options.collectWarnings) {
        const positive = { ...this.instantiate(lit, run.bind, run.clause), positive: true };
        this.warn({ code: 'negation-proved', literal: positive, span: lit.source.span });
      }
      this.endLiteral(frame);
      return false;
    }
    run.children[frame.i] = null;
    return this.settle(frame, run.trail.top);
  }


  /** Whether a negated literal's builtin or facts prove it (rule predicates: see negatedTable). */
  private negatedByBuiltinOrFact(lit: CLiteral, run: Run): boolean {
    const { bind, trail } = run;
    if (lit.builtin !== undefined && this.modeFits(lit.builtin, lit.args, bind)) {
      const values = this.builtinValues(lit.builtin, lit.args, bind);
      const outcome = values === undefined ? false : lit.builtin.evaluate(values, this.builtinContext);
      if (outcome === true || (Array.isArray(outcome) && outcome.length > 0)) return true;
    }
    const pred = lit.pred;
    if (pred === undefined || !pred.factsOnly) return false;
    for (const fact of candidatesFor(pred, lit.args, bind, this.program.interner)) {
      const mark = trail.top;
      const offset = bind.length;
      for (let k = 0; k < fact.nVars; k++) bind.push(undefined);
      let ok = true;
      for (let j = 0; j < fact.head.length && ok; j++) {
        ok = unify(shiftTerm(fact.head[j]!, offset), lit.args[j]!, bind, trail, this.program.interner);
      }
      undo(bind, trail, mark);
      bind.length = offset;
      if (ok) return true;
    }
    return false;
  }

  /** Whether the evaluated table of a negated call has an answer; undefined after an error. */
  private negatedTable(table: Table, lit: CLiteral, run: Run): boolean | undefined {
    table.read = true;
    if (table.stuck !== undefined) {
      this.error(table.stuck);
      return undefined;
    }
    if (table.state !== TableState.Complete) {
      this.error({ code: 'not-stratified', literal: this.instantiate(lit, run.bind, run.clause), span: lit.source.span });
      return undefined;
    }
    return table.answers.length > 0;
  }

  // ---- tables -------------------------------------------------------------------------------

  private tableFor(pred: Predicate, lit: CLiteral, bind: Bindings): Table {
    const slots: number[] = [];
    let key = '';
    for (const arg of lit.args) key += callKeyPart(arg, bind, slots, this.program.interner) + ',';
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

  private pushEvaluate(table: Table): void {
    const frame = this.push(FrameKind.Evaluate);
    frame.table = table;
    frame.phase = EvaluatePhase.Start;
  }

  /**
   * Evaluates a table: its clauses once, then, if it leads a group of tables that read each
   * other's incomplete answers, the whole group's clauses again until no answer a consumer had
   * read was added or improved. A table that depends on an older one on the stack leaves the
   * completion to that one's leader.
   */
  private resumeEvaluate(frame: Frame): void {
    const table = frame.table!;
    const stack = this.stack;
    const base = table.stackPos;
    for (;;) {
      switch (frame.phase) {
        case EvaluatePhase.Start:
          table.state = TableState.Evaluating;
          table.dfn = table.low = ++this.dfnCounter;
          table.stackPos = stack.length;
          stack.push(table);
          frame.phase = EvaluatePhase.FirstPass;
          return this.pushClauses(table);
        case EvaluatePhase.FirstPass:
          if (table.low < table.dfn) return this.pop(); // part of a group whose leader is below on the stack
          frame.phase = EvaluatePhase.Check;
          break;
        case EvaluatePhase.Check: {
          let dirty = false;
          for (let s = base; s < stack.length; s++) if (stack[s]!.dirty) dirty = true;
          if (!dirty) {
            for (let s = base; s < stack.length; s++) stack[s]!.state = TableState.Complete;
            stack.length = base;
            return this.pop();
          }
          for (let s = base; s < stack.length; s++) {
            const member = stack[s]!;
            member.dirty = false;
            member.consumedMax = -1;
            member.consumerFinished = false;
          }
          frame.next = base;
          frame.phase = EvaluatePhase.Rerun;
          break;
        }
        case EvaluatePhase.Rerun: {
          // The group may grow while it re-runs: its length is read again for every member.
          if (frame.next < stack.length) return this.pushClauses(stack[frame.next++]!);
          let low = table.dfn;
          for (let s = base; s < stack.length; s++) low = Math.min(low, stack[s]!.low);
          if (low < table.dfn) {
            table.low = low; // a new dependency on an older table: its leader takes over
            return this.pop();
          }
          frame.phase = EvaluatePhase.Check;
          break;
        }
      }
    }
  }

  /** Runs every clause of a table's predicate that may match its call pattern. */
  private pushClauses(table: Table): void {
    const frame = this.push(FrameKind.Clauses);
    frame.table = table;
    frame.clauses = candidatesFor(table.pred, table.pattern, NO_BINDINGS, this.program.interner);
    frame.next = 0;
    frame.matched = false;
  }

  private nextClause(frame: Frame): void {
    const table = frame.table!;
    const candidates = frame.clauses;
    for (let c = frame.next; c < candidates.length; c++) {
      const clause = candidates[c]!;
      this.tick();
      const bind: Bindings = new Array(clause.nVars + table.nPatternVars);
      const trail = new Trail();
      let ok = true;
      for (let j = 0; j < clause.head.length && ok; j++) {
        ok = unify(clause.head[j]!, shiftTerm(table.pattern[j]!, clause.nVars), bind, trail, this.program.interner);
      }
      if (!ok) continue;
      frame.matched = true;
      const n = clause.body.length;
      const run: Run = { clause, bind, trail, done: new Uint8Array(n), children: new Array(n), owner: table };
      if (this.proceed(run, n)) {
        frame.next = c + 1;
        return;
      }
    }
    if (!frame.matched && this.options.collectWarnings) this.noRule(table.site);
    this.pop();
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
      const derivation = this.keep(run);
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
        existing.best = existing.bestM = this.keep(run);
        existing.H = existing.HM = this.fH;
        existing.L = this.fL;
        existing.M = this.fM;
        improved = true;
      }
    } else {
      let derivation: Derivation | undefined;
      if (this.fL < existing.L) {
        derivation = this.keep(run);
        existing.best = derivation;
        existing.L = this.fL;
        existing.H = this.fH;
        improved = true;
      }
      if (this.fM < existing.M) {
        existing.bestM = derivation ?? this.keep(run);
        existing.M = this.fM;
        existing.HM = this.fHM;
        improved = true;
      }
    }
    if (improved && existing.index <= table.consumedMax) table.dirty = true;
  }

  /** An answer's derivation as kept: its snapshot, or nothing when no proof will be read. */
  private keep(run: Run): Derivation {
    return this.options.keepDerivations ? snapshot(run, this.program.interner) : NOT_KEPT;
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
      this.roots.push({ best: snapshot(run, this.program.interner), L: this.fL, M: this.fM, H: this.fH });
      return;
    }
    // Roots of a goal clause are plain objects (AnswerRoot is only for a goal of one call).
    const existing = this.roots[number] as { -readonly [K in keyof RootSolution]: RootSolution[K] };
    if (mode === 'first') return;
    const better = mode === 'height' ? this.fH < existing.H : this.fL < existing.L;
    if (better) {
      existing.best = snapshot(run, this.program.interner);
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
    let l = 0;
    let m = 0;
    if (flags === undefined) {
      for (let i = 0; i < n; i++) {
        l += childLayers(children[i]!, false);
        m += childLayers(children[i]!, true);
      }
    } else {
      const plain = flags[0];
      const merged = flags[1];
      for (let i = 0; i < n; i++) {
        l += childLayers(children[i]!, plain[i]!);
        m += childLayers(children[i]!, merged[i]!);
      }
      const added = clause.scopeLayers!;
      l += added[0];
      m += added[1];
    }
    this.fL = l;
    this.fM = m;
  }


  // ---- budget and diagnostics ---------------------------------------------------------------

  private tick(): void {
    if (++this.steps > this.nextCheck) this.check();
  }

  private charge(steps: number): void {
    this.steps += steps;
    if (this.steps > this.nextCheck) this.check();
  }

  /** Past the budget, or time to look at the memory left (one comparison per step for both). */
  private check(): void {
    if (this.steps > this.options.budget) throw new BudgetExceeded(this.options.budget);
    this.nextCheck = Math.min(this.options.budget, this.steps + MEMORY_CHECK_INTERVAL);
    this.checkMemory();
  }

  private checkMemory(): void {
    if (this.options.memoryLeft?.() !== false) return;
    let answers = 0;
    for (const tables of this.tables) if (tables !== undefined) for (const table of tables.values()) answers += table.answers.length;
    throw new MemoryExhausted(answers + this.roots.length);
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

function snapshot(run: Run, interner: Interner): Derivation {
  const kept = run.clause.kept;
  const children = new Array<Child>(kept.length);
  for (let k = 0; k < kept.length; k++) children[k] = run.children[kept[k]!]!;
  return { clause: run.clause, children, bind: keptBindings(run, interner) };
}

/**
 * The values of the clause's kept variables (see CClause.keptVars), each resolved, so that
 * neither the call's pattern variables nor the f-strings' texts so far need keeping; all the
 * bindings as they are when a value still holds a variable from past the kept ones (rare: a
 * fact's own variable, a list not ground).
 */
function keptBindings(run: Run, interner: Interner): Bindings {
  const { bind, clause } = run;
  const n = clause.keptVars;
  const values: Bindings = new Array(n);
  for (let slot = 0; slot < n; slot++) {
    const value = bind[slot];
    if (value === undefined) continue;
    const resolved = deref(value, bind);
    if (typeof resolved === 'number') {
      if (resolved < 0 && -1 - resolved >= n) return bind.slice();
      values[slot] = resolved;
    } else {
      const id = groundId(resolved, bind, interner);
      if (id < 0) return bind.slice();
      values[slot] = id;
    }
  }
  return values;
}

const NO_BINDINGS: Bindings = [];
/** Every answer's derivation when derivations are not kept (see EngineOptions.keepDerivations). */
const NOT_KEPT: Derivation = { clause: NO_RUN.clause, children: [], bind: [] };
const NO_NAMES: readonly string[] = [];

/** The clauses of `pred` worth trying for a call: the shortest index list over its constant arguments. */
function candidatesFor(pred: Predicate, args: Term[], bind: Bindings, interner: Interner): CClause[] {
  let best = pred.clauses;
  for (let j = 0; j < args.length && best.length > 1; j++) {
    const id = constantId(args[j]!, bind, interner);
    if (id < 0) continue;
    const list = clausesWith(pred, j, id);
    if (list.length < best.length) best = list;
  }
  return best;
}

function constantId(term: Term, bind: Bindings, interner: Interner): number {
  const t = deref(term, bind);
  return typeof t === 'number' && t >= 0 ? interner.canonical(t) : -1;
}

/**
 * Resolution steps of a chain's `string_concat` calls one by one: a step each, plus the charge for
 * each text made (see CHARS_PER_STEP); a last step given its text only checks it and makes none.
 */
function chainSteps(pieces: readonly string[], lastGiven: boolean): number {
  let steps = pieces.length - 1;
  let length = pieces[0]!.length;
  for (let k = 1; k < pieces.length; k++) {
    length += pieces[k]!.length;
    if (length >= CHARS_PER_STEP && !(lastGiven && k === pieces.length - 1)) steps += Math.floor(length / CHARS_PER_STEP);
  }
  return steps;
}

/** Layers a body position contributes (inside a merge, its own run/copy layers are squashed). */
function childLayers(child: Child, insideMerge: boolean): number {
  if (child instanceof Answer) return insideMerge ? child.M : child.L;
  if (child === null || insideMerge || !('evaluate' in child)) return 0;
  return child.layers;
}

function callKeyPart(arg: Term, bind: Bindings, slots: number[], interner: Interner): string {
  const t = deref(arg, bind);
  if (typeof t === 'number') {
    if (t >= 0) return String(interner.canonical(t));
    const slot = -1 - t;
    let k = slots.indexOf(slot);
    if (k < 0) {
      k = slots.length;
      slots.push(slot);
    }
    return `v${k}`;
  }
  return `[${t.items.map((item) => callKeyPart(item, bind, slots, interner)).join(',')}]`;
}

function patternTerm(arg: Term, bind: Bindings, slots: number[], program: CompiledProgram): Term {
  const t = deref(arg, bind);
  if (typeof t === 'number') {
    if (t >= 0) return program.interner.canonical(t);
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

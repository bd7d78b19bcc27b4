/**
 * The solver's entry point: the distinct ground solutions of a goal over an IR program, each
 * with one proof chosen by the cost function.
 *
 * Severity rule: an error met anywhere in the search (unknown predicate,
 * insufficient groundness, budget exceeded, negation through recursion) makes the solve fail
 * with those errors. Warnings (a builtin failed, no rule matched, a negated literal was proved)
 * are reported only when there is no solution, as the reasons; they are gathered by a second,
 * identical search, so successful solves never pay for them.
 *
 * Ties between proofs of equal cost go to the first proof found: the search tries clauses in
 * program order and body literals in selection order, so this is clause order in the common case.
 */
import type { Diagnostic } from '../../grammar/source';
import type { IRLiteral, IRProgram } from '../language/ir';
import { QUERY_PREDICATE, literalText, parseOperatorMarker } from '../language';
import type { CostFunction, ProofNode, Solution } from './proof';
import { toDiagnostic, type SolverDiagnostic } from './diagnostics';
import { compileGoal, compileProgram } from './compile';
import { getHeapStatistics } from 'node:v8';
import { Answer, BudgetExceeded, childAt, Engine, MemoryExhausted, type Derivation, type RootSolution } from './engine';
import { Interner } from './terms';
import { SourceText } from './source-text';

const DEFAULT_BUDGET = 10_000_000;

export interface SolveOptions {
  cost: CostFunction;
  /** Maximum number of resolution steps (clause, fact, answer or builtin tried). */
  budget?: number;
  /** `build_arg(K, V)` facts. */
  buildArgs?: Record<string, string>;
  /**
   * For cost `available`: whether an image reference can be resolved. `false` makes every proof
   * using `from(ref)` unusable; undefined means unknown (treated as available).
   */
  isAvailable?: (imageRef: string) => boolean | undefined;
  /**
   * False when no solution's proof will be read (`proof --json`: the goal and figures only): the
   * engine then keeps no derivation per answer, and reading a proof is an internal error.
   */
  proofs?: boolean;
}

export interface SolveResult {
  solutions: Solution[];
  diagnostics: Diagnostic[];
  steps: number;
}

export function solve(program: IRProgram, goal: IRLiteral[], options: SolveOptions): SolveResult {
  const first = search(program, goal, options, false);
  if (first.errors.length > 0) return { solutions: [], diagnostics: readable(first.errors, program), steps: first.steps };
  if (first.solutions.length > 0) return { solutions: first.solutions, diagnostics: [], steps: first.steps };
  const second = search(program, goal, options, true);
  const diagnostics = second.errors.length > 0 ? second.errors : second.warnings;
  if (diagnostics.length === 0) diagnostics.push({ code: 'no-proof', goal });
  return { solutions: [], diagnostics: readable(diagnostics, program), steps: first.steps };
}

/** The engine's diagnostics name IR literals; the user wrote source (negations, f-strings, operators). */
function readable(diagnostics: readonly SolverDiagnostic[], program: IRProgram): Diagnostic[] {
  const text = new SourceText(program);
  return diagnostics.map((d) => toDiagnostic(d, text));
}

interface SearchOutcome {
  solutions: Solution[];
  errors: SolverDiagnostic[];
  warnings: SolverDiagnostic[];
  steps: number;
}

function search(program: IRProgram, goal: IRLiteral[], options: SolveOptions, collectWarnings: boolean): SearchOutcome {
  const interner = new Interner();
  const compiled = compileProgram(program, interner);
  const goalClause = compileGoal(goal, compiled);
  const buildArgs = Object.entries(options.buildArgs ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const engine = new Engine(compiled, {
    cost: options.cost,
    budget: options.budget ?? DEFAULT_BUDGET,
    buildArgs,
    ...(options.isAvailable ? { isAvailable: options.isAvailable } : {}),
    collectWarnings,
    keepDerivations: options.proofs !== false,
    memoryLeft: heapHasRoom,
  });
  let roots: RootSolution[] = [];
  try {
    roots = engine.solveGoal(goalClause);
  } catch (e) {
    if (e instanceof BudgetExceeded) engine.errors.push({ code: 'budget-exceeded', budget: e.budget });
    else if (e instanceof MemoryExhausted) engine.errors.push(memoryExhausted(e.answers));
    else throw e;
  }
  const errors = engine.errors;
  if (errors.length > 0) return { solutions: [], errors, warnings: engine.warnings, steps: engine.steps };
  const extractor = new ProofExtractor(engine, options.cost);
  const solutions = new Array<Solution>(roots.length);
  for (let i = 0; i < roots.length; i++) solutions[i] = extractor.solution(roots[i]!);
  return { solutions, errors, warnings: engine.warnings, steps: engine.steps };
}

/**
 * The share of Node's heap the search may fill before it stops with a named error: past it, the
 * rest of the command (proofs, plans, output) and V8's own collection need the room left.
 */
const HEAP_SHARE = 0.7;

function heapHasRoom(): boolean {
  const heap = getHeapStatistics();
  return heap.used_heap_size < HEAP_SHARE * heap.heap_size_limit;
}

function memoryExhausted(answers: number): SolverDiagnostic {
  const limit = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
  return { code: 'memory-exhausted', answers, heapMegabytes: limit };
}

/**
 * A solution whose ground goal and proof tree are made when read (prototype getters: cheaper than
 * own accessors per solution, and not own properties for spreading or JSON). The goal is made
 * again at each read rather than kept: a large goal's solutions are mostly read once (a JSON
 * line), and each kept copy would stay for the whole command.
 */
class LazySolution implements Solution {
  #proof: ProofNode | undefined;
  readonly #extractor: ProofExtractor;
  readonly #root: RootSolution;

  constructor(
    readonly layers: number,
    readonly height: number,
    extractor: ProofExtractor,
    root: RootSolution,
  ) {
    this.#extractor = extractor;
    this.#root = root;
  }

  get goal(): IRLiteral[] {
    return this.#extractor.goal(this.#root.best);
  }

  get proof(): ProofNode {
    this.#proof ??= this.#extractor.rootProof(this.#root.best);
    return this.#proof;
  }
}

/**
 * Turns the engine's chosen derivations into ProofNode trees. Subtrees are shared between
 * solutions, built without recursion (recursive predicates can give proofs thousands of levels
 * deep) and only when a solution's proof is first read.
 */
class ProofExtractor {
  private readonly memo: [Map<Derivation, ProofNode[]>, Map<Derivation, ProofNode[]>] = [new Map(), new Map()];

  constructor(
    private readonly engine: Engine,
    private readonly cost: CostFunction,
  ) {}

  solution(root: RootSolution): Solution {
    return new LazySolution(root.L, root.H, this, root);
  }

  goal(best: Derivation): IRLiteral[] {
    const body = best.clause.body;
    const goal = new Array<IRLiteral>(body.length);
    for (let i = 0; i < body.length; i++) goal[i] = this.engine.instantiate(body[i]!, best.bind, best.clause);
    return goal;
  }

  rootProof(best: Derivation): ProofNode {
    if (!this.engine.options.keepDerivations) throw new Error('internal error: a proof was read from a solve that kept none');
    return {
      literal: { positive: true, predicate: QUERY_PREDICATE, args: [] },
      via: { kind: 'clause', clauseId: -1 },
      children: this.bodyNodes(best, false),
    };
  }

  bodyNodes(top: Derivation, topInside: boolean): ProofNode[] {
    const pending: [Derivation, boolean][] = [[top, topInside]];
    while (pending.length > 0) {
      const [derivation, inside] = pending[pending.length - 1]!;
      if (this.memo[inside ? 1 : 0].has(derivation)) {
        pending.pop();
        continue;
      }
      const missing = this.missingChildren(derivation, inside);
      if (missing.length > 0) {
        if (pending.length > 1_000_000) throw new Error('internal error: cyclic proof');
        pending.push(...missing);
        continue;
      }
      pending.pop();
      this.memo[inside ? 1 : 0].set(derivation, this.build(derivation, inside));
    }
    return this.memo[topInside ? 1 : 0].get(top)!;
  }

  /** The derivations (with their context) a derivation's body nodes need and are not built yet. */
  private missingChildren(derivation: Derivation, inside: boolean): [Derivation, boolean][] {
    const out: [Derivation, boolean][] = [];
    const flags = derivation.clause.insideMerge?.[inside ? 1 : 0];
    const kept = derivation.clause.kept;
    derivation.children.forEach((child, k) => {
      if (!(child instanceof Answer)) return;
      const childInside = flags ? flags[kept[k]!]! : inside;
      const chosen = this.choose(child, childInside);
      if (!this.memo[childInside ? 1 : 0].has(chosen)) out.push([chosen, childInside]);
    });
    return out;
  }

  private choose(answer: Answer, insideMerge: boolean): Derivation {
    return insideMerge && (this.cost === 'layers' || this.cost === 'available') ? answer.bestM : answer.best;
  }

  private build(derivation: Derivation, inside: boolean): ProofNode[] {
    const clause = derivation.clause;
    const flags = clause.insideMerge?.[inside ? 1 : 0];
    return clause.body.map((lit, i) => {
      const literal = this.engine.instantiate(lit, derivation.bind, clause);
      const child = childAt(derivation, i);
      if (child === null) return { literal, via: { kind: 'negation' }, children: [] };
      if (child instanceof Answer) {
        const childInside = flags ? flags[i]! : inside;
        const chosen = this.choose(child, childInside);
        const children = this.memo[childInside ? 1 : 0].get(chosen)!;
        return { literal, via: { kind: 'clause', clauseId: chosen.clause.id }, children };
      }
      if ('head' in child) return { literal, via: { kind: 'clause', clauseId: child.id }, children: [] };
      if (parseOperatorMarker(child.name)) return { literal, via: { kind: 'marker' }, children: [] };
      return { literal, via: { kind: 'builtin', name: child.name }, children: [] };
    });
  }
}

/**
 * The distinct ground literals at goal position `index` (the image literal), in order of first
 * appearance, each with the cheapest of the solutions that have it (ties: the first).
 */
export function groupByLiteral(
  solutions: readonly Solution[],
  index: number,
  cost: CostFunction = 'layers',
): { literal: IRLiteral; solution: Solution }[] {
  const groups = new Map<string, { literal: IRLiteral; solution: Solution }>();
  for (const solution of solutions) {
    const literal = solution.goal[index];
    if (literal === undefined) continue;
    const key = literalText(literal);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { literal, solution });
    else if (cheaper(solution, group.solution, cost)) group.solution = solution;
  }
  return [...groups.values()];
}

/** Whether solution `a`'s chosen proof costs less than `b`'s under `cost` (ties: neither). */
export function cheaper(a: Solution, b: Solution, cost: CostFunction): boolean {
  if (cost === 'first') return false;
  if (cost === 'height') return a.height < b.height;
  return a.layers < b.layers;
}

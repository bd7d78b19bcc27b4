/**
 * The language pipeline as one pure call chain, shared by the frontend and the `modus` program:
 * source → parse → checks → translation → solving → proof choice → build plan.
 */
import type { Expression, Modusfile } from '../grammar/ast';
import { decodeSource, parseGoal, parseModusfile } from '../grammar/index';
import { hasErrors, SourceFile, type Diagnostic } from '../grammar/source';
import { analyseProgram, imageLiteralIndexes, validateBuildGoal, validateGoal } from './checks';
import { isNegationHelper, literalText, type Kind } from './language';
import { planBuild, type BuildPlan } from './planner';
import type { CostFunction, Solution } from './solver/proof';
import { cheaper, solve } from './solver/solve';
import { SourceText } from './solver/source-text';
import { translateGoal, translateProgram, type IRLiteral, type IRProgram, type IRTerm } from './translate';

export interface LoadedProgram {
  file: SourceFile;
  ast: Modusfile;
  kinds: Map<string, Kind>;
  ir: IRProgram;
  /** Warnings of the checks (errors stop loading). */
  warnings: Diagnostic[];
}

/** What solving a goal reads of a loaded program: everything but its syntax tree. */
export type SolvableProgram = Omit<LoadedProgram, 'ast'>;

/**
 * The program without its syntax tree, for a command that only solves: the tree (several hundred
 * bytes a fact) is then not held through the search, and the collector has that much less to mark.
 */
export function solvableProgram({ file, kinds, ir, warnings }: LoadedProgram): SolvableProgram {
  return { file, kinds, ir, warnings };
}

interface Loaded {
  program?: LoadedProgram;
  diagnostics: Diagnostic[];
}

/**
 * The largest Modusfile read (16 MiB) unless MODUS_MAX_FILE_SIZE (environment of the modus
 * program, build arg of the frontend) says otherwise: a device or an endless file is refused.
 */
export const DEFAULT_MAX_FILE_SIZE = 16 * 1024 * 1024;

/** Decodes (UTF-8, strictly), parses and checks a Modusfile, and translates it to the IR. */
export function loadProgram(bytes: Uint8Array, name: string): Loaded {
  const decoded = decodeSource(bytes, name);
  if (!decoded.file) return { diagnostics: decoded.diagnostics };
  return loadProgramText(decoded.file);
}

export function loadProgramText(file: SourceFile): Loaded {
  const parsed = parseModusfile(file);
  if (hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };
  const analysis = analyseProgram(parsed.ast);
  const diagnostics = [...parsed.diagnostics, ...analysis.diagnostics];
  if (hasErrors(diagnostics)) return { diagnostics };
  const ir = translateProgram(parsed.ast);
  return { program: { file, ast: parsed.ast, kinds: analysis.kinds, ir, warnings: diagnostics }, diagnostics };
}

interface SolveGoalOptions {
  cost: CostFunction;
  budget?: number;
  buildArgs?: Record<string, string>;
  isAvailable?: (imageRef: string) => boolean | undefined;
  /** Builds need exactly one image literal and no layer literal or operator in the goal. */
  forBuild: boolean;
  /** False when no proof will be read (see SolveOptions.proofs). */
  proofs?: boolean;
}

/** One distinct result of a goal: its image literal (or, for a logic goal, its first literal). */
export interface GoalSolution {
  literal: IRLiteral;
  text: string;
  predicate: string;
  args: (string | string[])[];
  solution: Solution;
  /** Which goal literal is `literal`. */
  index: number;
}

export interface SolvedGoal {
  goalFile: SourceFile;
  goal?: Expression;
  solutions: GoalSolution[];
  diagnostics: Diagnostic[];
  steps: number;
}

const GOAL_FILE_NAME = 'goal';

export function solveGoal(program: SolvableProgram, goalText: string, options: SolveGoalOptions): SolvedGoal {
  const goalFile = new SourceFile(GOAL_FILE_NAME, goalText);
  const parsed = parseGoal(goalFile);
  const inGoal = (ds: Diagnostic[]) => ds.map((d) => ({ ...d, file: d.file ?? goalFile }));
  if (!parsed.goal || hasErrors(parsed.diagnostics)) {
    return { goalFile, solutions: [], diagnostics: inGoal(parsed.diagnostics), steps: 0 };
  }
  const invalid = options.forBuild ? validateBuildGoal(parsed.goal, program.kinds, goalFile) : validateGoal(parsed.goal, goalFile);
  if (hasErrors(invalid)) return { goalFile, goal: parsed.goal, solutions: [], diagnostics: invalid, steps: 0 };
  const translated = translateGoal(parsed.goal, program.ir);
  // The goal's helper clauses follow the program's in a fresh array: they name the goal file.
  const ir: IRProgram = translated.program;
  for (let i = program.ir.clauses.length; i < ir.clauses.length; i++) ir.clauses[i] = inFile(ir.clauses[i]!, goalFile);
  const results: GoalSolution[] = [];
  const diagnostics: Diagnostic[] = [];
  const sourceText = new LazySourceText(ir);
  let steps = 0;
  translated.goals.forEach((rawGoal, alternative) => {
    const goal = rawGoal.map((l) => withFile(l, goalFile));
    const result = solve(ir, goal, options);
    steps += result.steps;
    diagnostics.push(...result.diagnostics);
    const index = resultIndex(goal, translated.origins[alternative]!, program.kinds);
    for (const solution of result.solutions) results.push(goalSolution(solution, goal[index]!, index, sourceText));
  });
  if (hasErrors(diagnostics)) return { goalFile, goal: parsed.goal, solutions: [], diagnostics, steps };
  // One solve of a one-literal goal gives distinct ground literals already: nothing to merge.
  const alreadyDistinct = translated.goals.length === 1 && translated.goals[0]!.length === 1;
  const solutions = alreadyDistinct ? results : distinctByLiteral(results, options.cost);
  return { goalFile, goal: parsed.goal, solutions, diagnostics: solutions.length > 0 ? [] : diagnostics, steps };
}

/** Builds the plan of the given solutions (shared sub-images are built once). */
export function planSolutions(solutions: readonly GoalSolution[]): { plan: BuildPlan; diagnostics: Diagnostic[] } {
  return planBuild(solutions.map((s) => ({ proof: s.solution.proof, imageIndex: s.index })));
}

function resultIndex(goal: readonly IRLiteral[], origins: Parameters<typeof imageLiteralIndexes>[1], kinds: ReadonlyMap<string, Kind>): number {
  const images = imageLiteralIndexes(goal, origins, kinds);
  if (images.length > 0) return images[0]!;
  const firstUser = origins.findIndex((o) => o === 'literal');
  return firstUser >= 0 ? firstUser : 0;
}

/** The helper map is built only for a goal whose result literal is a negation. */
class LazySourceText {
  private text: SourceText | undefined;
  constructor(private readonly program: IRProgram) {}
  get(): SourceText {
    this.text ??= new SourceText(this.program);
    return this.text;
  }
}

/** `written`: the goal's literal at `index` as translated, before any solution's values. */
function goalSolution(solution: Solution, written: IRLiteral, index: number, sourceText: LazySourceText): GoalSolution {
  if (written.positive) return new LiteralSolution(solution, written, index);
  const literal = solution.goal[index]!;
  if (!isNegationHelper(literal.predicate)) return new LiteralSolution(solution, literal, index);
  // A goal of negations only: its result reads as the user wrote it (`!mode("x")`).
  const text = sourceText.get().literal(literal);
  const negated = sourceText.get().negatedCall(literal);
  return { literal, text, predicate: negated?.predicate ?? '', args: negated?.args.map(argValue) ?? [], solution, index };
}

/**
 * A result that is its literal as written: the literal, its text and argument values are made
 * when read (prototype getters), so a command that writes them straight from the literal
 * (`proof --json`) keeps nothing of them per solution.
 */
class LiteralSolution implements GoalSolution {
  #text: string | undefined;
  #args: (string | string[])[] | undefined;

  constructor(
    readonly solution: Solution,
    /** A literal of this result's predicate (the same for every solution of the goal). */
    private readonly shape: IRLiteral,
    readonly index: number,
  ) {}

  get literal(): IRLiteral {
    return this.solution.goal[this.index]!;
  }

  get predicate(): string {
    return this.shape.predicate;
  }

  get text(): string {
    this.#text ??= literalText(this.literal);
    return this.#text;
  }

  get args(): (string | string[])[] {
    this.#args ??= this.literal.args.map(argValue);
    return this.#args;
  }
}

function argValue(term: IRTerm): string | string[] {
  if (term.kind === 'const') return term.value;
  if (term.kind === 'list') return term.items.map((t) => (t.kind === 'const' ? t.value : literalText({ positive: true, predicate: '', args: [t] })));
  return term.name;
}

function distinctByLiteral(results: readonly GoalSolution[], cost: CostFunction): GoalSolution[] {
  const byText = new Map<string, GoalSolution>();
  for (const result of results) {
    const seen = byText.get(result.text);
    if (!seen || cheaper(result.solution, seen.solution, cost)) byText.set(result.text, result);
  }
  return [...byText.values()];
}

function withFile(literal: IRLiteral, file: SourceFile): IRLiteral {
  return literal.span ? { ...literal, span: { ...literal.span, file } } : literal;
}

function inFile<C extends { head: IRLiteral; body: IRLiteral[]; span?: { start: number; end: number } }>(clause: C, file: SourceFile): C {
  return {
    ...clause,
    head: withFile(clause.head, file),
    body: clause.body.map((l) => withFile(l, file)),
    ...(clause.span ? { span: { ...clause.span, file } } : {}),
  };
}

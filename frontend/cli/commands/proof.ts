/**
 * `modus proof [-f FILE] [--json | --explain | --graph] [--compact] [--cost C] [--budget N]
 * [--build-arg K=V]... [CONTEXT] GOAL`: solve a goal and show, for each distinct solution, the
 * proof the cost function chose (or the search itself, with --explain / --graph).
 * Exit 1 when there is no solution, with the reasons on stderr.
 */
import { hasErrors } from '../../../grammar/source';
import { solvableProgram, solveGoal, type GoalSolution, type SolvableProgram, type SolvedGoal } from '../../pipeline';
import { explainSearch, proofTreeRenderer, searchGraphDot } from '../../solver/explain';
import { translateGoal } from '../../translate';
import { availabilityReport, ImageAvailability, solveWithAvailability } from '../../caching/availability';
import { formatOptions, optionValue, parseArgs, UsageError, type OptionSpec, type ParsedArgs } from '../args';
import { BUDGET_OPTION, BUILD_ARG_OPTION, COST_OPTION, loadRequestedProgram, MODUSFILE_OPTION, readGoalRequest, solveArgs, type GoalRequest } from '../goal-request';
import type { CliIO, Command } from '../io';
import { reportDiagnostics } from './shared';

const OPTIONS: readonly OptionSpec[] = [
  MODUSFILE_OPTION,
  { name: 'json', description: 'print {"solutions": [...]} (one JSON object) instead of the proof trees' },
  { name: 'explain', alias: 'e', description: 'print how the SLD search resolves the goal, as text' },
  { name: 'graph', alias: 'g', description: 'print the SLD search tree as a Graphviz DOT digraph' },
  { name: 'compact', description: 'proof trees without the rule nodes (only builtins and operators)' },
  COST_OPTION,
  BUDGET_OPTION,
  BUILD_ARG_OPTION,
  { name: 'docker', value: true, valueName: 'PATH', description: 'the docker client cost available asks (default: $MODUS_DOCKER or docker)' },
];

const USAGE = `Usage: modus proof [OPTIONS] [CONTEXT] GOAL

Solves GOAL (e.g. 'app("prod", X)') against the Modusfile (default CONTEXT/Modusfile, CONTEXT
defaults to .) and prints, for every distinct solution, the proof chosen by the cost function.
Exit 1 when there is no solution, with the reasons on stderr.

Options:
${formatOptions(OPTIONS)}`;

type View = 'tree' | 'json' | 'explain' | 'graph';

interface ProofRequest extends GoalRequest {
  view: View;
  compact: boolean;
  /** `--docker`, when given. */
  docker?: string;
}

function request(args: ParsedArgs): ProofRequest {
  const views = (['json', 'explain', 'graph'] as const).filter((v) => args.flags.has(v));
  if (views.length > 1) throw new UsageError(`--${views.join(' and --')} cannot be combined`);
  return {
    ...readGoalRequest('proof', args, 'context-optional'),
    view: views[0] ?? 'tree',
    compact: args.flags.has('compact'),
    ...docker(optionValue(args, 'docker')),
  };
}

function docker(option: string | undefined): { docker?: string } {
  return option === undefined ? {} : { docker: option };
}

async function runProof(argv: readonly string[], io: CliIO): Promise<number> {
  const req = request(parseArgs(argv, OPTIONS));
  const noSolution = (): number => {
    if (req.view === 'json') writeSolutionsJson([], io.stdout);
    return 1;
  };
  const program = loadSolvableProgram(req, io);
  if (!program) return noSolution();
  const solveWith = (isAvailable?: (ref: string) => boolean | undefined): SolvedGoal =>
    solveGoal(program, req.goal, {
      cost: req.cost,
      budget: req.budget,
      buildArgs: solveArgs(req),
      forBuild: false,
      // --json shows each solution's goal and layers, never a proof: the solver keeps none.
      proofs: req.view !== 'json',
      ...(isAvailable ? { isAvailable } : {}),
    });
  const solved = req.cost === 'available' ? await solveWithImages(req, program, io, solveWith) : solveWith();
  if (req.view === 'explain' || req.view === 'graph') io.stdout(`${searchView(req, program, solved)}\n`);
  if (solved.solutions.length === 0) {
    reportDiagnostics(io, solved.diagnostics, program.file);
    if (!hasErrors(solved.diagnostics)) io.stderr(`modus proof: no proof found for goal \`${req.goal.trim()}\`\n`);
    return noSolution();
  }
  if (req.view === 'json') writeSolutionsJson(solved.solutions, io.stdout);
  if (req.view === 'tree') io.stdout(proofTrees(req, program, solved));
  return 0;
}

/** Read, checked and translated; its syntax tree is dropped here, in a frame of its own, so nothing keeps it. */
function loadSolvableProgram(req: ProofRequest, io: CliIO): SolvableProgram | undefined {
  const loaded = loadRequestedProgram(req, io);
  return loaded && solvableProgram(loaded);
}

/**
 * Cost `available`: which `from(...)` images exist (local image store, or the registry a
 * reference names), constant or computed, listed on stderr so that --json output stays one object.
 */
async function solveWithImages(req: ProofRequest, program: SolvableProgram, io: CliIO, solveWith: (isAvailable: (ref: string) => boolean | undefined) => SolvedGoal): Promise<SolvedGoal> {
  // Loaded here: it needs `docker` and the LLB image references, which no other view does.
  const { localImageResolver } = require('../image-resolver') as { localImageResolver: typeof import('../image-resolver').localImageResolver };
  const { clientCommand } = require('../build/docker') as { clientCommand: typeof import('../build/docker').clientCommand };
  const resolver = localImageResolver({ docker: clientCommand(req.docker, io.env), env: io.env });
  const { result, resolutions } = await solveWithAvailability(new ImageAvailability(resolver), program.ir, solveWith);
  if (resolutions.length > 0) io.stderr(`modus proof: images (cost available):\n${availabilityReport(resolutions).map((l) => `  ${l}\n`).join('')}`);
  return result;
}

/** The --explain text or --graph DOT, one per alternative of a disjunctive goal. */
function searchView(req: ProofRequest, program: SolvableProgram, solved: SolvedGoal): string {
  if (!solved.goal) return req.view === 'graph' ? 'digraph SLD_Tree {\n}' : '';
  const translated = translateGoal(solved.goal, program.ir);
  const render = req.view === 'graph' ? searchGraphDot : explainSearch;
  return translated.goals.map((goal) => render(translated.program, goal, { buildArgs: solveArgs(req) })).join('\n\n');
}

function proofTrees(req: ProofRequest, program: SolvableProgram, solved: SolvedGoal): string {
  const solutions = solved.solutions;
  const translated = solved.goal ? translateGoal(solved.goal, program.ir) : undefined;
  const options = { compact: req.compact, ...(translated ? { goals: translated.goals } : {}) };
  const render = proofTreeRenderer(translated?.program ?? program.ir, options);
  const blocks = solutions.map((s, i) => {
    const layers = `${s.solution.layers} layer${s.solution.layers === 1 ? '' : 's'}`;
    return `Proof ${i + 1} of ${solutions.length} (${layers}):\n${render(s.solution)}\n`;
  });
  return `${solutions.length} proof(s) found for goal \`${req.goal.trim()}\`\n\n${blocks.join('\n')}`;
}

/** Characters of JSON written at once: one huge string costs more to build and encode than these pieces. */
const JSON_PIECE = 1 << 16;

/**
 * `{"solutions": [...]}` and a newline, on one line, with the separators `", "` and `": "`
 * (what Python's json.dumps writes by default, so a byte comparison against it also holds).
 */
function writeSolutionsJson(solutions: readonly GoalSolution[], write: (text: string) => void): void {
  let out = '{"solutions": [';
  for (let i = 0; i < solutions.length; i++) {
    const s = solutions[i]!;
    if (i > 0) out += ', ';
    out += plainSolutionJson(s) ?? solutionJson(s);
    if (out.length >= JSON_PIECE) {
      write(out);
      out = '';
    }
  }
  write(`${out}]}\n`);
}

function solutionJson(s: GoalSolution): string {
  return (
    `{"literal": ${JSON.stringify(s.text)}, "predicate": ${JSON.stringify(s.predicate)}, ` +
    `"args": [${s.args.map(jsonArg).join(', ')}], "layers": ${s.solution.layers}}`
  );
}

function jsonArg(arg: string | string[]): string {
  return typeof arg === 'string' ? JSON.stringify(arg) : `[${arg.map((x) => JSON.stringify(x)).join(', ')}]`;
}

/** A character that Modus source (`quoteModusString`) or JSON would escape, or half a surrogate pair. */
const ESCAPED_SOMEWHERE = /[\x00-\x1f"\\\ud800-\udfff]/;

/**
 * The common case written straight from the literal, without its text or argument list: a
 * positive literal whose arguments are strings with nothing to escape. Undefined otherwise.
 */
function plainSolutionJson(s: GoalSolution): string | undefined {
  const literal = s.literal;
  if (!literal.positive || ESCAPED_SOMEWHERE.test(literal.predicate)) return undefined;
  const args = literal.args;
  let quoted = '';
  let values = '';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.kind !== 'const' || ESCAPED_SOMEWHERE.test(arg.value)) return undefined;
    const separator = i === 0 ? '' : ', ';
    quoted += `${separator}\\"${arg.value}\\"`;
    values += `${separator}"${arg.value}"`;
  }
  const text = args.length === 0 ? literal.predicate : `${literal.predicate}(${quoted})`;
  return `{"literal": "${text}", "predicate": "${literal.predicate}", "args": [${values}], "layers": ${s.solution.layers}}`;
}

export const proofCommand: Command = {
  name: 'proof',
  summary: 'show the proof of every solution of a goal',
  usage: USAGE,
  run: runProof,
};
